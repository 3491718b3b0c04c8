// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_LOCAL_IMPL_LEDGER_IPP
#define COCOON_LOCAL_IMPL_LEDGER_IPP

#include <cocoon/local/ledger.hpp>

#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/slice.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace local {

COCOON_SDK_DECL ton::cocoon_root_contract local_root(const ledger_params& params) {
  const auto code = [](std::string_view name) { return ton::cell_builder().store_bytes(as_bytes(name)).build(); };
  ton::cocoon_root_contract root{ton::address(0, sha256(as_bytes("cocoon local root contract"))), {}};
  root.params.is_test = true;
  root.params.price_per_token = nanotons{params.price_per_token};
  root.params.client_delay_before_close = static_cast<std::uint32_t>(params.client_delay_before_close.count());
  root.params.proxy_code = code("cocoon local proxy contract code");
  root.params.client_code = code("cocoon local client contract code");
  return root;
}

COCOON_SDK_DECL ton::cocoon_client::signed_payment sign_payment(const ed25519_secret_key& proxy_key, std::uint32_t op,
                                                                std::uint64_t query_id, std::uint64_t new_tokens_used,
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

COCOON_SDK_DECL ledger::ledger(ledger_params params) : ledger(local_root(params)) {}

COCOON_SDK_DECL ledger::ledger(ton::cocoon_root_contract root)
    : params_{root.params.price_per_token.count(), std::chrono::seconds{root.params.client_delay_before_close}},
      root_(std::move(root)) {
  if (!root_.params.proxy_code || !root_.params.client_code) {
    throw cocoon::error(errc::root_config_invalid, "ledger", "root params without proxy or client code");
  }
}

COCOON_SDK_DECL void ledger::open_wallet(const ton::address& wallet, const ed25519_public_key& key, nanotons balance,
                                         bool deployed) {
  const std::lock_guard lock(mutex_);
  if (state_.wallets.contains(wallet.to_raw()) || state_.contracts.contains(wallet.to_raw())) {
    throw cocoon::error(errc::ledger_operation_refused, "open ledger wallet", "address taken");
  }
  state_.wallets.emplace(wallet.to_raw(), wallet_account{key, deployed ? 1U : 0U, balance.count(), deployed});
}

COCOON_SDK_DECL ton::address ledger::client_contract_address(const ton::address& owner,
                                                             const ed25519_public_key& proxy_key,
                                                             const ton::address& proxy_wallet) const {
  return ton::cocoon_contracts(root_, proxy_wallet, proxy_key, owner).client;
}

COCOON_SDK_DECL ton::address ledger::open_client_contract(const ton::address& owner,
                                                          const ed25519_public_key& proxy_key,
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

template <class Step>
ledger::result<ledger_receipt> ledger::apply(Step step) {
  const std::lock_guard lock(mutex_);
  state next = state_;
  try {
    auto outcome = step(next);
    if (outcome.has_value()) state_ = std::move(next);
    return outcome;
  } catch (const cocoon::error& e) {  // a throwing cell read: malformed bytes
    return failure{e.sdk_code(), e.what()};
  }
}

COCOON_SDK_DECL ledger_receipt ledger::apply_external(byte_view boc, clock::time_point now) {
  return cocoon::detail::value_or_throw(apply([&](state& s) { return external(s, boc, now); }),
                                        "ledger apply external message");
}

COCOON_SDK_DECL std::optional<ledger_receipt> ledger::apply_external(byte_view boc, clock::time_point now,
                                                                     error_code& ec) {
  return cocoon::detail::value_or_code(apply([&](state& s) { return external(s, boc, now); }), ec);
}

COCOON_SDK_DECL ledger_receipt ledger::apply_signed_payment(const ton::address& client_contract, byte_view body_boc,
                                                            clock::time_point now) {
  return cocoon::detail::value_or_throw(
      apply([&](state& s) { return signed_payment(s, client_contract, body_boc, now); }), "ledger apply payment");
}

COCOON_SDK_DECL std::optional<ledger_receipt> ledger::apply_signed_payment(const ton::address& client_contract,
                                                                           byte_view body_boc, clock::time_point now,
                                                                           error_code& ec) {
  return cocoon::detail::value_or_code(
      apply([&](state& s) { return signed_payment(s, client_contract, body_boc, now); }), ec);
}

COCOON_SDK_DECL nanotons ledger::wallet_balance(const ton::address& wallet) const {
  const std::lock_guard lock(mutex_);
  return nanotons{find_wallet(wallet).balance};
}

COCOON_SDK_DECL std::uint32_t ledger::seqno(const ton::address& wallet) const {
  const std::lock_guard lock(mutex_);
  return find_wallet(wallet).seqno;
}

COCOON_SDK_DECL client_contract_info ledger::contract(const ton::address& client_contract) const {
  const std::lock_guard lock(mutex_);
  const auto found = state_.contracts.find(client_contract.to_raw());
  if (found == state_.contracts.end()) {
    throw cocoon::error(errc::ledger_unknown_account, "ledger contract", client_contract.to_raw());
  }
  return found->second;
}

COCOON_SDK_DECL nanotons ledger::total() const {
  const std::lock_guard lock(mutex_);
  std::uint64_t sum = 0;
  for (const auto& [name, w] : state_.wallets) sum += w.balance;
  for (const auto& [name, c] : state_.contracts) sum += c.balance.count() + c.stake.count() + c.idle.count();
  return nanotons{sum};
}

COCOON_SDK_DECL const ledger::wallet_account& ledger::find_wallet(const ton::address& wallet) const {
  const auto found = state_.wallets.find(wallet.to_raw());
  if (found == state_.wallets.end())
    throw cocoon::error(errc::ledger_unknown_account, "ledger wallet", wallet.to_raw());
  return found->second;
}

COCOON_SDK_DECL ton::cell ledger::rest_of(ton::slice& s) {
  ton::cell_builder b;
  while (s.remaining_bits() > 0) {
    const auto width = static_cast<unsigned>(std::min<std::size_t>(64, s.remaining_bits()));
    b.store_uint(s.load_uint(width), width);
  }
  while (s.remaining_refs() > 0) b.store_ref(s.load_ref());
  return b.build();
}

COCOON_SDK_DECL ton::cell ledger::either(ton::slice& s) { return s.load_bit() ? s.load_ref() : rest_of(s); }

COCOON_SDK_DECL std::uint32_t ledger::unix_time(clock::time_point t) {
  return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

COCOON_SDK_DECL std::optional<ledger::failure> ledger::credit(std::uint64_t& balance, std::uint64_t amount) {
  if (amount > UINT64_MAX - balance) return failure{errc::ledger_operation_refused, "balance overflow"};
  balance += amount;
  return std::nullopt;
}

COCOON_SDK_DECL std::optional<ledger::failure> ledger::credit_wallet(state& s, const ton::address& to,
                                                                     std::uint64_t amount) {
  const auto found = s.wallets.find(to.to_raw());
  if (found == s.wallets.end()) return failure{errc::ledger_unknown_account, "excess address " + to.to_raw()};
  return credit(found->second.balance, amount);
}

COCOON_SDK_DECL ledger::result<ledger_receipt> ledger::external(state& s, byte_view boc, clock::time_point now) {
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

COCOON_SDK_DECL std::optional<ledger::failure> ledger::internal(state& s, const ton::address& sender,
                                                                const ton::cell& message, clock::time_point now,
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

COCOON_SDK_DECL ledger::result<ledger_receipt> ledger::signed_payment(state& s, const ton::address& contract_address,
                                                                      byte_view body_boc, clock::time_point now) {
  auto body = ton::detail::parse_single(body_boc);
  if (!body.has_value()) return body.error();
  const auto found = s.contracts.find(contract_address.to_raw());
  if (found == s.contracts.end()) return failure{errc::ledger_unknown_account, contract_address.to_raw()};
  ledger_receipt receipt;
  if (auto why = contract_operation(s, contract_address, found->second, std::nullopt, 0, body.value(), now, receipt)) {
    return std::move(*why);
  }
  return receipt;
}

COCOON_SDK_DECL std::optional<ledger::failure> ledger::charge(state& s, client_contract_info& c,
                                                              std::uint64_t new_tokens_used,
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

COCOON_SDK_DECL std::optional<ledger::failure> ledger::contract_operation(
    state& s, const ton::address& address, client_contract_info& c, const std::optional<ton::address>& sender,
    std::uint64_t value, const ton::cell& body, clock::time_point now, ledger_receipt& receipt) {
  namespace client = ton::cocoon_client;
  ton::slice b(body);
  const auto op = static_cast<std::uint32_t>(b.load_uint(32));
  const std::uint64_t query_id = b.load_uint(64);
  if (!s.applied.emplace(address.to_raw(), op, query_id).second) {
    return failure{errc::ledger_replayed, "query_id " + std::to_string(query_id)};
  }
  if (c.state == contract_state::closed) return failure{errc::ledger_operation_refused, "contract closed"};

  if (op == client::op::charge_signed || op == client::op::grant_refund_signed) {
    auto payment = client::detail::read_signed_payment(body, c.proxy_key, address);
    if (!payment.has_value()) return cocoon::detail::within("signed payment", payment.error());
    if (op == client::op::charge_signed) {
      receipt.operations.emplace_back("ext_client_charge_signed");
      if (auto why = charge(s, c, payment.value().new_tokens_used, receipt)) return why;
    } else {
      receipt.operations.emplace_back("ext_client_grant_refund_signed");
      if (payment.value().new_tokens_used > c.tokens_used) {
        if (auto why = charge(s, c, payment.value().new_tokens_used, receipt)) return why;
      }
      if (auto why = close(s, c)) return why;
    }
    return value == 0 ? std::nullopt : credit_wallet(s, payment.value().send_excesses_to, value);
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
      receipt.operations.emplace_back(op == client::op::top_up          ? "ext_client_top_up"
                                      : op == client::op::top_up_reopen ? "owner_client_top_up_reopen"
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

COCOON_SDK_DECL ledger::failure ledger::not_owner() {
  return failure{errc::ledger_operation_refused, "sender is not the owner"};
}

COCOON_SDK_DECL std::optional<ledger::failure> ledger::close(state& s, client_contract_info& c) {
  const std::uint64_t funds = c.balance.count() + c.stake.count() + c.idle.count();
  c.idle = nanotons{0U};
  c.balance = nanotons{0U};
  c.stake = nanotons{0U};
  c.state = contract_state::closed;
  return credit_wallet(s, c.owner, funds);
}

}  // namespace local
COCOON_SDK_NAMESPACE_END

#endif
