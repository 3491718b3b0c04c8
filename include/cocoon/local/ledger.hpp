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
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_root.hpp>
#include <cocoon/ton/slice.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
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
[[nodiscard]] COCOON_SDK_DECL ton::cocoon_root_contract local_root(const ledger_params& params = {});

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
[[nodiscard]] COCOON_SDK_DECL ton::cocoon_client::signed_payment sign_payment(const ed25519_secret_key& proxy_key,
                                                                              std::uint32_t op, std::uint64_t query_id,
                                                                              std::uint64_t new_tokens_used,
                                                                              const ton::address& client_contract,
                                                                              const ton::address& send_excesses_to);

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

  COCOON_SDK_DECL explicit ledger(ledger_params params = {});
  /// A ledger standing in for `root`: it charges at the root's price, closes after its client
  /// delay, and client contracts live at the addresses its params derive.
  /// @throws cocoon::error with `errc::root_config_invalid` when the params have no proxy or client code.
  COCOON_SDK_DECL explicit ledger(ton::cocoon_root_contract root);

  ledger(const ledger&) = delete;
  ledger& operator=(const ledger&) = delete;

  [[nodiscard]] const ledger_params& params() const noexcept { return params_; }
  /// The root contract the ledger stands in for.
  [[nodiscard]] const ton::cocoon_root_contract& root() const noexcept { return root_; }

  /// Creates a wallet holding `balance` (the ledger's faucet). A wallet not yet `deployed` starts
  /// at seqno 0 and accepts its first request only with the state init its address commits to;
  /// a deployed one starts at seqno 1.
  /// @throws cocoon::error with `errc::ledger_operation_refused` if the address is taken.
  COCOON_SDK_DECL void open_wallet(const ton::address& wallet, const ed25519_public_key& key, nanotons balance,
                                   bool deployed = false);

  /// The address of the client contract of `owner` served by the proxy with `proxy_key` whose
  /// owner is `proxy_wallet`: the hash of the contract's state init under the ledger's root.
  [[nodiscard]] COCOON_SDK_DECL ton::address client_contract_address(const ton::address& owner,
                                                                     const ed25519_public_key& proxy_key,
                                                                     const ton::address& proxy_wallet) const;

  /// Deploys (once; later calls return the same address) the client contract of `owner` for the
  /// proxy with `proxy_key`, owned by `proxy_wallet` (a ledger wallet) where its charges are paid,
  /// at `client_contract_address`.
  /// @throws cocoon::error with `errc::ledger_unknown_account` if either wallet is not open.
  COCOON_SDK_DECL ton::address open_client_contract(const ton::address& owner, const ed25519_public_key& proxy_key,
                                                    const ton::address& proxy_wallet);

  /// Applies a wallet request: the BoC of an external message as `ton::payment::sign` or a
  /// wallet's `sign` builds it, at time `now`.
  /// @throws cocoon::error with the `ledger_*` codes, the BoC and cell codes for malformed bytes,
  ///         or the signed-payment codes for a repacked charge.
  COCOON_SDK_DECL ledger_receipt apply_external(byte_view boc, clock::time_point now = clock::now());
  COCOON_SDK_DECL std::optional<ledger_receipt> apply_external(byte_view boc, clock::time_point now, error_code& ec);

  /// Applies a proxy-signed charge or refund grant (the BoC of its message body) to
  /// `client_contract`, as the proxy submits it (the message value is not modelled).
  /// @throws cocoon::error as `apply_external`.
  COCOON_SDK_DECL ledger_receipt apply_signed_payment(const ton::address& client_contract, byte_view body_boc,
                                                      clock::time_point now = clock::now());
  COCOON_SDK_DECL std::optional<ledger_receipt> apply_signed_payment(const ton::address& client_contract,
                                                                     byte_view body_boc, clock::time_point now,
                                                                     error_code& ec);

  /// A wallet's balance and next seqno. @throws cocoon::error with `errc::ledger_unknown_account`.
  [[nodiscard]] COCOON_SDK_DECL nanotons wallet_balance(const ton::address& wallet) const;
  [[nodiscard]] COCOON_SDK_DECL std::uint32_t seqno(const ton::address& wallet) const;
  /// A client contract's state. @throws cocoon::error with `errc::ledger_unknown_account`.
  [[nodiscard]] COCOON_SDK_DECL client_contract_info contract(const ton::address& client_contract) const;
  /// The sum of every balance and stake: constant, as the ledger charges no fees.
  [[nodiscard]] COCOON_SDK_DECL nanotons total() const;

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
  result<ledger_receipt> apply(Step step);
  [[nodiscard]] COCOON_SDK_DECL const wallet_account& find_wallet(const ton::address& wallet) const;

  /// The rest of `s`, bits and references, as a cell of its own (what a signature covers).
  [[nodiscard]] COCOON_SDK_DECL static ton::cell rest_of(ton::slice& s);
  /// `Either X ^X`: the reference after a 1 bit, the rest of the cell after a 0 bit.
  [[nodiscard]] COCOON_SDK_DECL static ton::cell either(ton::slice& s);
  COCOON_SDK_DECL static std::uint32_t unix_time(clock::time_point t);
  COCOON_SDK_DECL static std::optional<failure> credit(std::uint64_t& balance, std::uint64_t amount);
  COCOON_SDK_DECL static std::optional<failure> credit_wallet(state& s, const ton::address& to, std::uint64_t amount);
  COCOON_SDK_DECL static failure not_owner();
  /// Closes `c`, returning its balance and stake to the owner.
  COCOON_SDK_DECL static std::optional<failure> close(state& s, client_contract_info& c);

  COCOON_SDK_DECL result<ledger_receipt> external(state& s, byte_view boc, clock::time_point now);
  /// One internal message from `sender` (a wallet): its value leaves the sender, then reaches a
  /// wallet or a client contract.
  COCOON_SDK_DECL std::optional<failure> internal(state& s, const ton::address& sender, const ton::cell& message,
                                                  clock::time_point now, ledger_receipt& receipt);
  COCOON_SDK_DECL result<ledger_receipt> signed_payment(state& s, const ton::address& contract_address,
                                                        byte_view body_boc, clock::time_point now);
  /// Moves the nanotons for tokens `new_tokens_used` beyond those already charged to the proxy.
  COCOON_SDK_DECL std::optional<failure> charge(state& s, client_contract_info& c, std::uint64_t new_tokens_used,
                                                ledger_receipt& receipt) const;
  /// A client-contract operation: `sender` is the wallet that sent it (none for a payment the
  /// proxy submits), `value` the nanotons attached (returned to the excess address unless taken).
  COCOON_SDK_DECL std::optional<failure> contract_operation(state& s, const ton::address& address,
                                                            client_contract_info& c,
                                                            const std::optional<ton::address>& sender,
                                                            std::uint64_t value, const ton::cell& body,
                                                            clock::time_point now, ledger_receipt& receipt);

  ledger_params params_;
  ton::cocoon_root_contract root_;
  mutable std::mutex mutex_;
  state state_;
};

}  // namespace local
COCOON_SDK_NAMESPACE_END

#if COCOON_SDK_HEADER_ONLY
#include <cocoon/local/impl/ledger.ipp>
#endif

#endif
