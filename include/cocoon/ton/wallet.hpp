// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_WALLET_HPP
#define COCOON_TON_WALLET_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/hash.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/message.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// One transfer in a wallet request: an internal message and its send mode.
struct transfer {
  internal_message message;
  /// Send mode: 3 = pay forwarding fees separately (+1) and skip the action if it fails (+2).
  std::uint8_t mode = 3;
};

/// The TON network, as its global id; wallet v5r1 ids and TON Connect requests depend on it.
enum class network : std::int32_t { mainnet = -239, testnet = -3 };

/// The representation hashes of the published wallet contract code. The SDK does not ship wallet
/// code: callers load it from a BoC they trust, and the wallet classes check it against these.
inline constexpr std::string_view wallet_v4r2_code_hash =
    "feb5ff6820e2ff0d9483e7e0d62c817d846789fb4ae580c878866d959dabd5c0";
inline constexpr std::string_view wallet_v5r1_code_hash =
    "20834b7b72b112147e1b2fb457b84e74d1a30f04f737d4f62a668e9552d2b72f";

namespace detail {

using cocoon::detail::failure;
using cocoon::detail::result;

[[nodiscard]] inline std::optional<failure> check_code(const cell& code, std::string_view expected, const char* name) {
  if (code.hash() == hash256::from_hex(expected)) return std::nullopt;
  return failure{errc::wallet_code_mismatch, std::string(name) + " code hash"};
}

/// Ed25519 over a cell hash with the key derived from `seed`, after checking that the seed
/// belongs to `expected` (a request signed by another key would only be refused on chain).
[[nodiscard]] inline result<std::array<std::byte, 64>> sign_hash(const ed25519_secret_key& seed,
                                                                 const ed25519_public_key& expected,
                                                                 const hash256& digest) {
  if (!(crypto::ed25519_public_key_of(seed) == expected)) {
    return failure{errc::wallet_request_invalid, "secret key does not belong to this wallet"};
  }
  return crypto::ed25519_sign(seed, digest.view());
}

}  // namespace detail

/// Wallet v4r2, the most deployed TON wallet. Requests carry up to 4 transfers; the signature
/// (Ed25519 over the hash of the rest of the body) comes first in the body.
class wallet_v4r2 {
 public:
  static constexpr std::uint32_t default_wallet_id = 698983191;

  /// A wallet of `public_key` in `workchain`, with the wallet id @ton/ton uses by default
  /// (698983191 + workchain) unless one is given.
  /// @throws cocoon::error with `errc::wallet_code_mismatch` if `code` is not v4r2's, or
  ///         `errc::address_invalid` for a workchain other than 0 or -1.
  wallet_v4r2(cell code, const ed25519_public_key& public_key, std::int32_t workchain = 0,
              std::optional<std::uint32_t> wallet_id = std::nullopt)
      : code_(std::move(code)),
        public_key_(public_key),
        workchain_(workchain),
        wallet_id_(wallet_id.value_or(default_wallet_id + static_cast<std::uint32_t>(workchain))) {
    cocoon::detail::throw_on_failure(detail::check_code(code_, wallet_v4r2_code_hash, "wallet v4r2"), "wallet v4r2");
    address_ = ton::address(workchain_, initial_state().to_cell().hash());
  }

  [[nodiscard]] std::uint32_t wallet_id() const noexcept { return wallet_id_; }
  [[nodiscard]] const ton::address& address() const noexcept { return address_; }

  /// Code and data at deployment: seqno 0, wallet id, public key, no plugins.
  [[nodiscard]] state_init initial_state() const {
    return {code_, cell_builder()
                       .store_uint(0, 32)
                       .store_uint(wallet_id_, 32)
                       .store_bytes(public_key_.view())
                       .store_bit(false)
                       .build()};
  }

  /// The signed external message for `transfers` (1 to 4). With seqno 0 it carries the state
  /// init, so the first request deploys the wallet. `valid_until` is a unix time.
  /// @throws cocoon::error with `errc::wallet_request_invalid` (count, or a key that is not
  ///         this wallet's).
  [[nodiscard]] external_message sign(const ed25519_secret_key& key, std::uint32_t seqno, std::uint32_t valid_until,
                                      std::span<const transfer> transfers) const {
    return cocoon::detail::value_or_throw(make(key, seqno, valid_until, transfers), "wallet v4r2 sign");
  }
  [[nodiscard]] std::optional<external_message> sign(const ed25519_secret_key& key, std::uint32_t seqno,
                                                     std::uint32_t valid_until, std::span<const transfer> transfers,
                                                     error_code& ec) const {
    return cocoon::detail::value_or_code(make(key, seqno, valid_until, transfers), ec);
  }

 private:
  [[nodiscard]] detail::result<external_message> make(const ed25519_secret_key& key, std::uint32_t seqno,
                                                      std::uint32_t valid_until,
                                                      std::span<const transfer> transfers) const {
    if (transfers.empty() || transfers.size() > 4) {
      return detail::failure{errc::wallet_request_invalid, "wallet v4r2 sends 1 to 4 transfers"};
    }
    cell_builder request;
    request.store_uint(wallet_id_, 32).store_uint(valid_until, 32).store_uint(seqno, 32).store_uint(0, 8);
    for (const transfer& t : transfers) request.store_uint(t.mode, 8).store_ref(t.message.to_cell());
    const cell unsigned_body = request.build();
    auto signature = detail::sign_hash(key, public_key_, unsigned_body.hash());
    if (!signature.has_value()) return signature.error();
    const cell body = cell_builder().store_bytes(signature.value()).store_cell(unsigned_body).build();
    return external_message{address_, seqno == 0 ? std::optional<cell>(initial_state().to_cell()) : std::nullopt, body};
  }

  cell code_;
  ed25519_public_key public_key_;
  std::int32_t workchain_;
  std::uint32_t wallet_id_;
  ton::address address_;
};

/// Wallet v5r1 (W5). Requests carry up to 255 transfers as an action list; the signature comes
/// last in the body. The wallet id depends on the network, so the same key has a different
/// address on mainnet and testnet.
class wallet_v5r1 {
 public:
  /// The wallet id of a client wallet: `network_global_id XOR (1<<31 | (workchain & 0xff)<<23 |
  /// version 0 <<15 | subwallet)`, as int32. `subwallet` must be below 2^15.
  [[nodiscard]] static std::int32_t wallet_id_for(network net, std::int32_t workchain, std::uint32_t subwallet) {
    if (subwallet >= (1U << 15)) {
      cocoon::detail::throw_error(errc::wallet_request_invalid, "wallet v5r1", "subwallet over 15 bits");
    }
    const std::uint32_t context = (1U << 31) | ((static_cast<std::uint32_t>(workchain) & 0xFFU) << 23) | subwallet;
    return static_cast<std::int32_t>(context ^ static_cast<std::uint32_t>(static_cast<std::int32_t>(net)));
  }

  /// @throws cocoon::error with `errc::wallet_code_mismatch` if `code` is not v5r1's,
  ///         `errc::address_invalid` for a workchain other than 0 or -1, or
  ///         `errc::wallet_request_invalid` for a subwallet of 2^15 or more.
  wallet_v5r1(cell code, const ed25519_public_key& public_key, network net = network::mainnet,
              std::int32_t workchain = 0, std::uint32_t subwallet = 0)
      : code_(std::move(code)), public_key_(public_key), wallet_id_(wallet_id_for(net, workchain, subwallet)) {
    cocoon::detail::throw_on_failure(detail::check_code(code_, wallet_v5r1_code_hash, "wallet v5r1"), "wallet v5r1");
    address_ = ton::address(workchain, initial_state().to_cell().hash());
  }

  [[nodiscard]] std::int32_t wallet_id() const noexcept { return wallet_id_; }
  [[nodiscard]] const ton::address& address() const noexcept { return address_; }

  /// Code and data at deployment: signatures allowed, seqno 0, wallet id, public key, no extensions.
  [[nodiscard]] state_init initial_state() const {
    return {code_, cell_builder()
                       .store_bit(true)
                       .store_uint(0, 32)
                       .store_int(wallet_id_, 32)
                       .store_bytes(public_key_.view())
                       .store_bit(false)
                       .build()};
  }

  /// The signed external message for `transfers` (1 to 255, each mode including +2: otherwise
  /// the wallet accepts the request, burns the seqno and sends nothing). With seqno 0 it carries
  /// the state init.
  /// @throws cocoon::error with `errc::wallet_request_invalid`.
  [[nodiscard]] external_message sign(const ed25519_secret_key& key, std::uint32_t seqno, std::uint32_t valid_until,
                                      std::span<const transfer> transfers) const {
    return cocoon::detail::value_or_throw(make(key, seqno, valid_until, transfers), "wallet v5r1 sign");
  }
  [[nodiscard]] std::optional<external_message> sign(const ed25519_secret_key& key, std::uint32_t seqno,
                                                     std::uint32_t valid_until, std::span<const transfer> transfers,
                                                     error_code& ec) const {
    return cocoon::detail::value_or_code(make(key, seqno, valid_until, transfers), ec);
  }

 private:
  static constexpr std::uint32_t signed_external_op = 0x7369676e;  // "sign"
  static constexpr std::uint32_t action_send_msg = 0x0ec3c86d;

  [[nodiscard]] detail::result<external_message> make(const ed25519_secret_key& key, std::uint32_t seqno,
                                                      std::uint32_t valid_until,
                                                      std::span<const transfer> transfers) const {
    if (transfers.empty() || transfers.size() > 255) {
      return detail::failure{errc::wallet_request_invalid, "wallet v5r1 sends 1 to 255 transfers"};
    }
    // The action list is built backwards: the first action is the deepest node.
    cell actions;
    for (std::size_t i = 0; i < transfers.size(); ++i) {
      if ((transfers[i].mode & 2U) == 0) {
        return detail::failure{errc::wallet_request_invalid,
                               "transfer " + std::to_string(i) + ": send mode without +2 (ignore errors)"};
      }
      actions = cell_builder()
                    .store_ref(actions)
                    .store_uint(action_send_msg, 32)
                    .store_uint(transfers[i].mode, 8)
                    .store_ref(transfers[i].message.to_cell())
                    .build();
    }
    const cell unsigned_body = cell_builder()
                                   .store_uint(signed_external_op, 32)
                                   .store_int(wallet_id_, 32)
                                   .store_uint(valid_until, 32)
                                   .store_uint(seqno, 32)
                                   .store_maybe_ref(actions)
                                   .store_bit(false)  // no extended actions
                                   .build();
    auto signature = detail::sign_hash(key, public_key_, unsigned_body.hash());
    if (!signature.has_value()) return signature.error();
    const cell body = cell_builder().store_cell(unsigned_body).store_bytes(signature.value()).build();
    return external_message{address_, seqno == 0 ? std::optional<cell>(initial_state().to_cell()) : std::nullopt, body};
  }

  cell code_;
  ed25519_public_key public_key_;
  std::int32_t wallet_id_;
  ton::address address_;
};

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
