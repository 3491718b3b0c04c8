// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_LOCAL_LEDGER_HPP
#define COCOON_LOCAL_LEDGER_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_root.hpp>
#include <cocoon/ton/slice.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace local {

/// The test ledger's fixed parameters (what the root contract holds on TON).
struct ledger_params {
  /// Nanotons per token: a charge for `n` more tokens moves `n * price_per_token`.
  std::uint64_t price_per_token = 1000;
  /// How long a closing client contract waits before a forced refund.
  std::chrono::seconds client_delay_before_close{3600};
};

/// The root contract the local network stands in for: the test network's root params with
/// `params`' price and close delay, at a fixed address. Its proxy and client code are cells of the
/// ledger's own, as the ledger runs no contract code: they make contract addresses derive exactly
/// as on TON (`ton::cocoon_contracts`), so clients check the local proxy as they check real ones.
[[nodiscard]] inline ton::cocoon_root_contract local_root(const ledger_params& params = {}) {
  const auto code = [](std::string_view name) { return ton::cell_builder().store_bytes(as_bytes(name)).build(); };
  ton::cocoon_root_contract root{ton::address(0, sha256(as_bytes("cocoon local root contract"))), {}};
  root.params.is_test = true;
  root.params.price_per_token = nanotons{params.price_per_token};
  root.params.client_delay_before_close = static_cast<std::uint32_t>(params.client_delay_before_close.count());
  root.params.proxy_code = code("cocoon local proxy contract code");
  root.params.client_code = code("cocoon local client contract code");
  return root;
}

/// A client contract's state, as its get-method reports it.
enum class contract_state : std::uint8_t { running = 0, closing = 1, closed = 2 };

/// A client contract on the test ledger.
struct client_contract_info {
  ton::address owner;            ///< the COCOON wallet that owns it
  ed25519_public_key proxy_key;  ///< the key that signs charges and refund grants
  ton::address proxy_wallet;     ///< where charged nanotons go
  contract_state state = contract_state::running;
  nanotons balance{0U};  ///< prepaid, not yet charged
  nanotons stake{0U};
  std::uint64_t tokens_used = 0;  ///< tokens charged so far
  std::uint32_t unlock_ts = 0;    ///< when a closing contract may be force-refunded
  hash256 secret_hash{};
  std::optional<std::uint64_t> registered_nonce;  ///< set by owner_client_register: the last nonce
  std::set<std::uint64_t> registered_nonces;      ///< every nonce registered (a proxy sees each one)
  nanotons idle{0U};  ///< value received without an operation (the deploying message), returned on close
};

/// What one applied message did.
struct ledger_receipt {
  std::vector<std::string> operations;  ///< the operations applied, in order
  nanotons charged{0U};                 ///< moved from client contracts to proxies
};

/// What a proxy sends to charge a client contract (`op::charge_signed`) or grant its refund
/// (`op::grant_refund_signed`): the payload `{op, query_id, new_tokens_used, client_contract}`
/// signed with the proxy's Ed25519 key over its cell hash, excess to `send_excesses_to`.
[[nodiscard]] inline ton::cocoon_client::signed_payment sign_payment(const ed25519_secret_key& proxy_key,
                                                                     std::uint32_t op, std::uint64_t query_id,
                                                                     std::uint64_t new_tokens_used,
                                                                     const ton::address& client_contract,
                                                                     const ton::address& send_excesses_to) {
  ton::cocoon_client::signed_payment out;
  out.op = op;
  out.query_id = query_id;
  out.new_tokens_used = new_tokens_used;
  out.client_contract = client_contract;
  out.send_excesses_to = send_excesses_to;
  out.payload = ton::cell_builder()
                    .store_uint(op, 32)
                    .store_uint(query_id, 64)
                    .store_uint(new_tokens_used, 64)
                    .store_address(client_contract)
                    .build();
  out.signature = crypto::ed25519_sign(proxy_key, out.payload.hash().view());
  return out;
}

/// An in-process stand-in for TON holding COCOON wallets and client contracts, for tests and the
/// local demo. It applies the SDK's real messages, parsed from their bags of cells: wallet
/// requests (external messages in the COCOON wallet's layout, signature, subwallet, validity and
/// seqno checked), the client-contract operations they carry (register, secret hash, top up,
/// stake, withdraw, refund, repacked charges) and the proxy-signed charges and refund grants
/// (checked with `ton::cocoon_client::verify_signed_payment`). Balances are integer nanotons.
///
/// A message is applied whole or not at all: a bad signature, a replayed seqno or query id, a
/// charge for tokens already charged, an overdraft or a refused operation changes nothing. There
/// are no fees, so the sum of all balances never changes. The ledger runs no contract code: it
/// enforces the rules documented in docs/local.md. Thread-safe.
class ledger {
 public:
  using clock = std::chrono::system_clock;

  explicit ledger(ledger_params params = {}) : ledger(local_root(params)) {}
  /// A ledger standing in for `root`: it charges at the root's price, closes after its client
  /// delay, and client contracts live at the addresses its params derive.
  /// @throws cocoon::error with `errc::root_config_invalid` when the params have no proxy or client code.
  explicit ledger(ton::cocoon_root_contract root)
      : params_{root.params.price_per_token.count(), std::chrono::seconds{root.params.client_delay_before_close}},
        root_(std::move(root)) {
    if (!root_.params.proxy_code || !root_.params.client_code) {
      throw cocoon::error(errc::root_config_invalid, "ledger", "root params without proxy or client code");
    }
  }

  ledger(const ledger&) = delete;
  ledger& operator=(const ledger&) = delete;

  [[nodiscard]] const ledger_params& params() const noexcept { return params_; }
  /// The root contract the ledger stands in for.
  [[nodiscard]] const ton::cocoon_root_contract& root() const noexcept { return root_; }

  /// Creates a wallet holding `balance` (the ledger's faucet). A wallet not yet `deployed` starts
  /// at seqno 0 and accepts its first request only with the state init its address commits to;
  /// a deployed one starts at seqno 1.
  /// @throws cocoon::error with `errc::ledger_operation_refused` if the address is taken.
  void open_wallet(const ton::address& wallet, const ed25519_public_key& key, nanotons balance, bool deployed = false) {
    const std::lock_guard lock(mutex_);
    if (state_.wallets.contains(wallet.to_raw()) || state_.contracts.contains(wallet.to_raw())) {
      throw cocoon::error(errc::ledger_operation_refused, "open ledger wallet", "address taken");
    }
    state_.wallets.emplace(wallet.to_raw(), wallet_account{key, deployed ? 1U : 0U, balance.count(), deployed});
  }

  /// The address of the client contract of `owner` served by the proxy with `proxy_key` whose
  /// owner is `proxy_wallet`: the hash of the contract's state init under the ledger's root.
  [[nodiscard]] ton::address client_contract_address(const ton::address& owner, const ed25519_public_key& proxy_key,
                                                     const ton::address& proxy_wallet) const {
    return ton::cocoon_contracts(root_, proxy_wallet, proxy_key, owner).client;
  }

  /// Deploys (once; later calls return the same address) the client contract of `owner` for the
  /// proxy with `proxy_key`, owned by `proxy_wallet` (a ledger wallet) where its charges are paid,
  /// at `client_contract_address`.
  /// @throws cocoon::error with `errc::ledger_unknown_account` if either wallet is not open.
  ton::address open_client_contract(const ton::address& owner, const ed25519_public_key& proxy_key,
                                    const ton::address& proxy_wallet) {
    const ton::address address = client_contract_address(owner, proxy_key, proxy_wallet);
    const std::lock_guard lock(mutex_);
    if (!state_.wallets.contains(owner.to_raw()) || !state_.wallets.contains(proxy_wallet.to_raw())) {
      throw cocoon::error(errc::ledger_unknown_account, "open ledger client contract", "owner or proxy wallet");
    }
    if (state_.wallets.contains(address.to_raw())) {
      throw cocoon::error(errc::ledger_operation_refused, "open ledger client contract", "address taken");
    }
    client_contract_info contract;
    contract.owner = owner;
    contract.proxy_key = proxy_key;
    contract.proxy_wallet = proxy_wallet;
    state_.contracts.try_emplace(address.to_raw(), std::move(contract));
    return address;
  }

  /// Applies a wallet request: the BoC of an external message as `ton::payment::sign` or a
  /// wallet's `sign` builds it, at time `now`.
  /// @throws cocoon::error with the `ledger_*` codes, the BoC and cell codes for malformed bytes,
  ///         or the signed-payment codes for a repacked charge.
  ledger_receipt apply_external(byte_view boc, clock::time_point now = clock::now()) {
    return cocoon::detail::value_or_throw(apply([&](state& s) { return external(s, boc, now); }),
                                          "ledger apply external message");
  }
  std::optional<ledger_receipt> apply_external(byte_view boc, clock::time_point now, error_code& ec) {
    return cocoon::detail::value_or_code(apply([&](state& s) { return external(s, boc, now); }), ec);
  }

  /// Applies a proxy-signed charge or refund grant (the BoC of its message body) to
  /// `client_contract`, as the proxy submits it (the message value is not modelled).
  /// @throws cocoon::error as `apply_external`.
  ledger_receipt apply_signed_payment(const ton::address& client_contract, byte_view body_boc,
                                      clock::time_point now = clock::now()) {
    return cocoon::detail::value_or_throw(
        apply([&](state& s) { return signed_payment(s, client_contract, body_boc, now); }), "ledger apply payment");
  }
  std::optional<ledger_receipt> apply_signed_payment(const ton::address& client_contract, byte_view body_boc,
                                                     clock::time_point now, error_code& ec) {
    return cocoon::detail::value_or_code(
        apply([&](state& s) { return signed_payment(s, client_contract, body_boc, now); }), ec);
  }

  /// A wallet's balance and next seqno. @throws cocoon::error with `errc::ledger_unknown_account`.
  [[nodiscard]] nanotons wallet_balance(const ton::address& wallet) const {
    const std::lock_guard lock(mutex_);
    return nanotons{find_wallet(wallet).balance};
  }
  [[nodiscard]] std::uint32_t seqno(const ton::address& wallet) const {
    const std::lock_guard lock(mutex_);
    return find_wallet(wallet).seqno;
  }
  /// A client contract's state. @throws cocoon::error with `errc::ledger_unknown_account`.
  [[nodiscard]] client_contract_info contract(const ton::address& client_contract) const {
    const std::lock_guard lock(mutex_);
    const auto found = state_.contracts.find(client_contract.to_raw());
    if (found == state_.contracts.end()) {
      throw cocoon::error(errc::ledger_unknown_account, "ledger contract", client_contract.to_raw());
    }
    return found->second;
  }
  /// The sum of every balance and stake: constant, as the ledger charges no fees.
  [[nodiscard]] nanotons total() const {
    const std::lock_guard lock(mutex_);
    std::uint64_t sum = 0;
    for (const auto& [name, w] : state_.wallets) sum += w.balance;
    for (const auto& [name, c] : state_.contracts) sum += c.balance.count() + c.stake.count() + c.idle.count();
    return nanotons{sum};
  }

 private:
  using failure = cocoon::detail::failure;
  template <class T>
  using result = cocoon::detail::result<T>;

  struct wallet_account {
    ed25519_public_key key;
    std::uint32_t seqno = 0;
    std::uint64_t balance = 0;
    bool deployed = false;
  };

  struct state {
    std::map<std::string, wallet_account> wallets;
    std::map<std::string, client_contract_info> contracts;
    /// (contract, op, query id) of every applied contract operation.
    std::set<std::tuple<std::string, std::uint32_t, std::uint64_t>> applied;
  };

  /// Runs `step` on a copy of the state and keeps the copy only if it succeeded.
  template <class Step>
  result<ledger_receipt> apply(Step step) {
    const std::lock_guard lock(mutex_);
    state next = state_;
    try {
      auto outcome = step(next);
      if (outcome.has_value()) state_ = std::move(next);
      return outcome;
    } catch (const cocoon::error& e) {  // a throwing cell read: malformed bytes
      return failure{static_cast<errc>(e.code().value()), e.what()};
    }
  }

  [[nodiscard]] const wallet_account& find_wallet(const ton::address& wallet) const {
    const auto found = state_.wallets.find(wallet.to_raw());
    if (found == state_.wallets.end())
      throw cocoon::error(errc::ledger_unknown_account, "ledger wallet", wallet.to_raw());
    return found->second;
  }

  /// The rest of `s`, bits and references, as a cell of its own (what a signature covers).
  [[nodiscard]] static ton::cell rest_of(ton::slice& s) {
    ton::cell_builder b;
    while (s.remaining_bits() > 0) {
      const auto width = static_cast<unsigned>(std::min<std::size_t>(64, s.remaining_bits()));
      b.store_uint(s.load_uint(width), width);
    }
    while (s.remaining_refs() > 0) b.store_ref(s.load_ref());
    return b.build();
  }

  /// `Either X ^X`: the reference after a 1 bit, the rest of the cell after a 0 bit.
  [[nodiscard]] static ton::cell either(ton::slice& s) { return s.load_bit() ? s.load_ref() : rest_of(s); }

  static std::uint32_t unix_time(clock::time_point t) {
    return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  }

  static std::optional<failure> credit(std::uint64_t& balance, std::uint64_t amount) {
    if (amount > UINT64_MAX - balance) return failure{errc::ledger_operation_refused, "balance overflow"};
    balance += amount;
    return std::nullopt;
  }

  static std::optional<failure> credit_wallet(state& s, const ton::address& to, std::uint64_t amount) {
    const auto found = s.wallets.find(to.to_raw());
    if (found == s.wallets.end()) return failure{errc::ledger_unknown_account, "excess address " + to.to_raw()};
    return credit(found->second.balance, amount);
  }

  result<ledger_receipt> external(state& s, byte_view boc, clock::time_point now) {
    auto root = ton::detail::parse_single(boc);
    if (!root.has_value()) return root.error();
    ton::slice m(root.value());
    if (m.load_uint(2) != 0b10) return failure{errc::ledger_operation_refused, "not an inbound external message"};
    if (m.load_maybe_address()) return failure{errc::ledger_operation_refused, "external source is not addr_none"};
    const ton::address destination = m.load_address();
    (void)m.load_coins();  // import fee
    std::optional<ton::cell> init;
    if (m.load_bit()) init = either(m);
    const ton::cell body = either(m);
    m.end_parse();

    const auto found = s.wallets.find(destination.to_raw());
    if (found == s.wallets.end()) return failure{errc::ledger_unknown_account, "destination " + destination.to_raw()};
    wallet_account& wallet = found->second;

    ton::slice b(body);
    const bytes signature = b.load_bytes(64);
    const ton::cell signed_part = rest_of(b);
    if (!crypto::ed25519_verify(wallet.key, signed_part.hash().view(), signature)) {
      return failure{errc::ledger_signature_invalid, "wallet request signature"};
    }
    ton::slice request(signed_part);
    if (request.load_uint(32) != 0) return failure{errc::ledger_operation_refused, "subwallet is not 0"};
    const auto valid_until = static_cast<std::uint32_t>(request.load_uint(32));
    const auto seqno = static_cast<std::uint32_t>(request.load_uint(32));
    if (valid_until <= unix_time(now)) return failure{errc::ledger_expired, "valid_until"};
    if (seqno < wallet.seqno) return failure{errc::ledger_replayed, "seqno " + std::to_string(seqno)};
    if (seqno > wallet.seqno) return failure{errc::ledger_operation_refused, "seqno ahead of the wallet's"};
    if (!wallet.deployed) {
      // The first request deploys the wallet: its state init must be the one the address commits to.
      if (!init || !(init->hash() == destination.account())) {
        return failure{errc::ledger_operation_refused, "undeployed wallet without its state init"};
      }
      wallet.deployed = true;
    }
    std::vector<ton::cell> transfers;
    while (request.remaining_bits() > 0 || request.remaining_refs() > 0) {
      (void)request.load_uint(8);  // send mode: the ledger charges no fees, so modes change nothing
      transfers.push_back(request.load_ref());
    }
    if (transfers.empty() || transfers.size() > 4) {
      return failure{errc::ledger_operation_refused, "a COCOON wallet request carries 1 to 4 transfers"};
    }
    ++wallet.seqno;

    ledger_receipt receipt;
    for (const ton::cell& transfer : transfers) {
      if (auto why = internal(s, destination, transfer, now, receipt)) return std::move(*why);
    }
    return receipt;
  }

  /// One internal message from `sender` (a wallet): its value leaves the sender, then reaches a
  /// wallet or a client contract.
  std::optional<failure> internal(state& s, const ton::address& sender, const ton::cell& message, clock::time_point now,
                                  ledger_receipt& receipt) {
    ton::slice m(message);
    if (m.load_bit()) return failure{errc::ledger_operation_refused, "transfer is not an internal message"};
    (void)m.load_uint(3);  // ihr_disabled, bounce, bounced: a refused operation refuses the whole request
    if (m.load_maybe_address()) return failure{errc::ledger_operation_refused, "internal source is not addr_none"};
    const ton::address destination = m.load_address();
    const std::uint64_t value = m.load_coins().count();
    if (m.load_bit()) return failure{errc::ledger_operation_refused, "extra currencies"};
    (void)m.load_coins();   // extra flags
    (void)m.load_coins();   // forward fee
    (void)m.load_uint(64);  // created_lt
    (void)m.load_uint(32);  // created_at
    std::optional<ton::cell> init;
    if (m.load_bit()) init = either(m);
    const ton::cell body = either(m);
    m.end_parse();
    // Ledger accounts are deployed when opened; a state init must still be the destination's.
    if (init && !(init->hash() == destination.account())) {
      return failure{errc::ledger_operation_refused, "state init of another address"};
    }

    wallet_account& from = s.wallets.at(sender.to_raw());
    if (value > from.balance) return failure{errc::ledger_insufficient_funds, "wallet balance"};
    from.balance -= value;

    if (s.wallets.contains(destination.to_raw())) return credit_wallet(s, destination, value);  // a plain transfer
    const auto found = s.contracts.find(destination.to_raw());
    if (found == s.contracts.end()) return failure{errc::ledger_unknown_account, "destination " + destination.to_raw()};
    if (body.bit_size() == 0 && body.ref_count() == 0) {  // no operation: the contract keeps the value
      std::uint64_t idle = found->second.idle.count();
      if (auto why = credit(idle, value)) return why;
      found->second.idle = nanotons{idle};
      receipt.operations.emplace_back("deploy");
      return std::nullopt;
    }
    return contract_operation(s, destination, found->second, sender, value, body, now, receipt);
  }

  result<ledger_receipt> signed_payment(state& s, const ton::address& contract_address, byte_view body_boc,
                                        clock::time_point now) {
    auto body = ton::detail::parse_single(body_boc);
    if (!body.has_value()) return body.error();
    const auto found = s.contracts.find(contract_address.to_raw());
    if (found == s.contracts.end()) return failure{errc::ledger_unknown_account, contract_address.to_raw()};
    ledger_receipt receipt;
    if (auto why =
            contract_operation(s, contract_address, found->second, std::nullopt, 0, body.value(), now, receipt)) {
      return std::move(*why);
    }
    return receipt;
  }

  /// Moves the nanotons for tokens `new_tokens_used` beyond those already charged to the proxy.
  std::optional<failure> charge(state& s, client_contract_info& c, std::uint64_t new_tokens_used,
                                ledger_receipt& receipt) const {
    if (new_tokens_used <= c.tokens_used) {
      return failure{errc::ledger_replayed, "tokens " + std::to_string(new_tokens_used) + " already charged"};
    }
    const std::uint64_t tokens = new_tokens_used - c.tokens_used;
    if (params_.price_per_token != 0 && tokens > UINT64_MAX / params_.price_per_token) {
      return failure{errc::ledger_insufficient_funds, "charge overflows"};
    }
    const std::uint64_t cost = tokens * params_.price_per_token;
    if (cost > c.balance.count()) return failure{errc::ledger_insufficient_funds, "client contract balance"};
    c.balance = nanotons{c.balance.count() - cost};
    c.tokens_used = new_tokens_used;
    receipt.charged = nanotons{receipt.charged.count() + cost};
    return credit_wallet(s, c.proxy_wallet, cost);
  }

  /// A client-contract operation: `sender` is the wallet that sent it (none for a payment the
  /// proxy submits), `value` the nanotons attached (returned to the excess address unless taken).
  std::optional<failure> contract_operation(state& s, const ton::address& address, client_contract_info& c,
                                            const std::optional<ton::address>& sender, std::uint64_t value,
                                            const ton::cell& body, clock::time_point now, ledger_receipt& receipt) {
    namespace client = ton::cocoon_client;
    ton::slice b(body);
    const auto op = static_cast<std::uint32_t>(b.load_uint(32));
    const std::uint64_t query_id = b.load_uint(64);
    if (!s.applied.emplace(address.to_raw(), op, query_id).second) {
      return failure{errc::ledger_replayed, "query_id " + std::to_string(query_id)};
    }
    if (c.state == contract_state::closed) return failure{errc::ledger_operation_refused, "contract closed"};

    if (op == client::op::charge_signed || op == client::op::grant_refund_signed) {
      error_code ec;
      auto payment = client::verify_signed_payment(body, c.proxy_key, address, ec);
      if (!payment) return failure{static_cast<errc>(ec.value()), "signed payment"};
      if (op == client::op::charge_signed) {
        receipt.operations.emplace_back("ext_client_charge_signed");
        if (auto why = charge(s, c, payment->new_tokens_used, receipt)) return why;
      } else {
        receipt.operations.emplace_back("ext_client_grant_refund_signed");
        if (payment->new_tokens_used > c.tokens_used) {
          if (auto why = charge(s, c, payment->new_tokens_used, receipt)) return why;
        }
        if (auto why = close(s, c)) return why;
      }
      return value == 0 ? std::nullopt : credit_wallet(s, payment->send_excesses_to, value);
    }

    // Every other operation comes from a wallet; all but the top-up from the owner's.
    if (!sender) return failure{errc::ledger_operation_refused, "only signed payments are submitted directly"};
    const bool owner = *sender == c.owner;
    std::uint64_t taken = 0;  // what the contract keeps of the value
    switch (op) {
      case client::op::register_client:
        if (!owner) return not_owner();
        c.registered_nonce = b.load_uint(64);
        c.registered_nonces.insert(*c.registered_nonce);
        receipt.operations.emplace_back("owner_client_register");
        break;
      case client::op::change_secret_hash:
        if (!owner) return not_owner();
        c.secret_hash = hash256(b.load_bytes(32));
        receipt.operations.emplace_back("owner_client_change_secret_hash");
        break;
      case client::op::top_up:
      case client::op::top_up_reopen:
      case client::op::change_secret_hash_and_top_up: {
        if (op != client::op::top_up && !owner) return not_owner();
        taken = b.load_coins().count();
        if (op == client::op::change_secret_hash_and_top_up) c.secret_hash = hash256(b.load_bytes(32));
        if (taken > value) return failure{errc::ledger_insufficient_funds, "top-up amount over the value attached"};
        if (c.state == contract_state::closing && op != client::op::top_up_reopen) {
          return failure{errc::ledger_operation_refused, "contract closing"};
        }
        std::uint64_t balance = c.balance.count();
        if (auto why = credit(balance, taken)) return why;
        c.balance = nanotons{balance};
        if (op == client::op::top_up_reopen) {
          c.state = contract_state::running;
          c.unlock_ts = 0;
        }
        receipt.operations.emplace_back(op == client::op::top_up ? "ext_client_top_up"
                                        : op == client::op::top_up_reopen
                                            ? "owner_client_top_up_reopen"
                                            : "owner_client_change_secret_hash_and_top_up");
        break;
      }
      case client::op::increase_stake: {
        if (!owner) return not_owner();
        const std::uint64_t new_stake = b.load_coins().count();
        if (new_stake < c.stake.count()) return failure{errc::ledger_operation_refused, "new stake below the stake"};
        taken = new_stake - c.stake.count();
        if (taken > value) return failure{errc::ledger_insufficient_funds, "stake increase over the value attached"};
        c.stake = nanotons{new_stake};
        receipt.operations.emplace_back("owner_client_increase_stake");
        break;
      }
      case client::op::withdraw: {
        if (!owner) return not_owner();
        const std::uint64_t above = c.balance.count() > c.stake.count() ? c.balance.count() - c.stake.count() : 0;
        c.balance = nanotons{c.balance.count() - above};
        if (auto why = credit(value, above)) return why;  // returned with the excess
        receipt.operations.emplace_back("owner_client_withdraw");
        break;
      }
      case client::op::request_refund:
        if (!owner) return not_owner();
        if (c.state == contract_state::running) {
          c.state = contract_state::closing;
          c.unlock_ts = unix_time(now) + static_cast<std::uint32_t>(params_.client_delay_before_close.count());
        } else if (unix_time(now) >= c.unlock_ts) {
          if (auto why = close(s, c)) return why;  // forced: the proxy did not grant the refund
        } else {
          return failure{errc::ledger_operation_refused, "refund locked until unlock_ts"};
        }
        receipt.operations.emplace_back("owner_client_request_refund");
        break;
      default: return failure{errc::ledger_operation_refused, "unknown op"};
    }
    const auto excesses_to = b.load_address();
    b.end_parse();
    return credit_wallet(s, excesses_to, value - taken);
  }

  static failure not_owner() { return failure{errc::ledger_operation_refused, "sender is not the owner"}; }

  /// Closes `c`, returning its balance and stake to the owner.
  static std::optional<failure> close(state& s, client_contract_info& c) {
    const std::uint64_t funds = c.balance.count() + c.stake.count() + c.idle.count();
    c.idle = nanotons{0U};
    c.balance = nanotons{0U};
    c.stake = nanotons{0U};
    c.state = contract_state::closed;
    return credit_wallet(s, c.owner, funds);
  }

  ledger_params params_;
  ton::cocoon_root_contract root_;
  mutable std::mutex mutex_;
  state state_;
};

}  // namespace local
COCOON_SDK_NAMESPACE_END

#endif
