// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_COCOON_WALLET_HPP
#define COCOON_TON_COCOON_WALLET_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/message.hpp>
#include <cocoon/ton/wallet.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// The representation hash of the COCOON wallet code the official client runner deploys. The SDK
/// does not ship the code: load it from a BoC you trust; `cocoon_wallet` checks it against this.
inline constexpr std::string_view cocoon_wallet_code_hash =
    "7a48f05ceef40f06cabbaa39c1c5a67b24e8bb59d8cf8a74e49988a5f44cf66a";

/// The COCOON wallet: the contract a COCOON client runner pays from. It holds a seqno, subwallet
/// 0, the Ed25519 public key (the runner's `node_wallet_key`) and the owner's own TON wallet
/// address. Requests carry up to 4 transfers; the signature (Ed25519 over the hash of the rest of
/// the body) comes first. Each transfer is sent in the runner's layout: state init and body as
/// references, no body as a single 0 bit.
class cocoon_wallet {
 public:
  static constexpr std::size_t max_transfers = 4;

  /// The wallet of `public_key` owned by `owner` (the TON wallet that funds it and to which it
  /// answers).
  /// @throws cocoon::error with `errc::wallet_code_mismatch` if `code` is not the COCOON wallet's,
  ///         or `errc::address_invalid` for a workchain other than 0 or -1.
  cocoon_wallet(cell code, const ed25519_public_key& public_key, const ton::address& owner, std::int32_t workchain = 0)
      : code_(std::move(code)), public_key_(public_key), owner_(owner) {
    cocoon::detail::throw_on_failure(detail::check_code(*code_, cocoon_wallet_code_hash, "COCOON wallet"),
                                     "COCOON wallet");
    address_ = ton::address(workchain, initial_state().to_cell().hash());
  }

  /// A wallet already deployed at `address`, known without its code: it signs requests from
  /// seqno 1 on; the deploying request (seqno 0) and `initial_state()` need the code.
  [[nodiscard]] static cocoon_wallet deployed(const ton::address& address, const ed25519_public_key& public_key,
                                              const ton::address& owner) {
    return cocoon_wallet(address, public_key, owner);
  }

  [[nodiscard]] const ton::address& address() const noexcept { return address_; }
  [[nodiscard]] const ton::address& owner() const noexcept { return owner_; }
  [[nodiscard]] const ed25519_public_key& public_key() const noexcept { return public_key_; }

  /// Code and data at deployment: seqno 0, subwallet 0, public key, status 0, owner.
  /// @throws cocoon::error with `errc::wallet_request_invalid` for a wallet made by `deployed()`.
  [[nodiscard]] state_init initial_state() const {
    if (!code_) throw cocoon::error(errc::wallet_request_invalid, "COCOON wallet state init", "code unknown");
    return {*code_, cell_builder()
                        .store_int(0, 32)  // seqno
                        .store_int(0, 32)  // subwallet
                        .store_bytes(public_key_.view())
                        .store_uint(0, 32)  // status
                        .store_address(owner_)
                        .build()};
  }

  /// The signed external message for `transfers` (1 to 4). With seqno 0 it carries the state
  /// init, so the first request deploys the wallet (the contract refuses seqno 0 without it).
  /// `valid_until` is a unix time; the contract refuses the message once it is not in the future.
  /// @throws cocoon::error with `errc::wallet_request_invalid` (count, or a key that is not this
  ///         wallet's).
  [[nodiscard]] external_message sign(const ed25519_secret_key& key, std::uint32_t seqno, std::uint32_t valid_until,
                                      std::span<const transfer> transfers) const {
    return cocoon::detail::value_or_throw(make(key, seqno, valid_until, transfers), "COCOON wallet sign");
  }
  [[nodiscard]] std::optional<external_message> sign(const ed25519_secret_key& key, std::uint32_t seqno,
                                                     std::uint32_t valid_until, std::span<const transfer> transfers,
                                                     error_code& ec) const {
    return cocoon::detail::value_or_code(make(key, seqno, valid_until, transfers), ec);
  }

  /// The part of a request body the signature covers (subwallet, valid_until, seqno, transfers).
  [[nodiscard]] static cell unsigned_body(std::uint32_t seqno, std::uint32_t valid_until,
                                          std::span<const transfer> transfers) {
    cell_builder request;
    request.store_uint(0, 32).store_uint(valid_until, 32).store_uint(seqno, 32);
    for (const transfer& t : transfers) request.store_uint(t.mode, 8).store_ref(t.message.to_cell_inline_empty_body());
    return request.build();
  }

 private:
  [[nodiscard]] detail::result<external_message> make(const ed25519_secret_key& key, std::uint32_t seqno,
                                                      std::uint32_t valid_until,
                                                      std::span<const transfer> transfers) const {
    if (transfers.empty() || transfers.size() > max_transfers) {
      return detail::failure{errc::wallet_request_invalid, "COCOON wallet sends 1 to 4 transfers"};
    }
    if (seqno == 0 && !code_) {
      return detail::failure{errc::wallet_request_invalid, "seqno 0 deploys the wallet, which needs its code"};
    }
    const cell signed_part = unsigned_body(seqno, valid_until, transfers);
    auto signature = detail::sign_hash(key, public_key_, signed_part.hash());
    if (!signature.has_value()) return signature.error();
    const cell body = cell_builder().store_bytes(signature.value()).store_cell(signed_part).build();
    return external_message{address_, seqno == 0 ? std::optional<cell>(initial_state().to_cell()) : std::nullopt, body};
  }

  cocoon_wallet(const ton::address& address, const ed25519_public_key& public_key, const ton::address& owner)
      : public_key_(public_key), owner_(owner), address_(address) {}

  std::optional<cell> code_;
  ed25519_public_key public_key_;
  ton::address owner_;
  ton::address address_;
};

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
