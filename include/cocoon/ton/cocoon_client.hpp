// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_COCOON_CLIENT_HPP
#define COCOON_TON_COCOON_CLIENT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/slice.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// Message bodies a COCOON client sends to its client contract, and the proxy-signed payments it
/// receives. Every body starts with `op:uint32 query_id:uint64` and names the address the contract
/// returns unused value to (`send_excesses_to`, usually the sender's own wallet).
namespace cocoon_client {

/// Operation codes of the client contract.
namespace op {
inline constexpr std::uint32_t register_client = 0xc45f9f3b;  ///< owner_client_register
inline constexpr std::uint32_t change_secret_hash = 0xa9357034;
inline constexpr std::uint32_t change_secret_hash_and_top_up = 0x8473b408;
inline constexpr std::uint32_t top_up = 0xf172e6c2;  ///< ext_client_top_up
inline constexpr std::uint32_t top_up_reopen = 0x29111ceb;
inline constexpr std::uint32_t increase_stake = 0x6a1f6a60;
inline constexpr std::uint32_t withdraw = 0xda068e78;
inline constexpr std::uint32_t request_refund = 0xfafa6cc1;
inline constexpr std::uint32_t charge_signed = 0xbb63ff93;        ///< ext_client_charge_signed
inline constexpr std::uint32_t grant_refund_signed = 0xefd711e1;  ///< ext_client_grant_refund_signed
inline constexpr std::uint32_t excesses = 0x2565934c;             ///< what the contract returns value with
}  // namespace op

/// The values the official client runner attaches (not minima the contract enforces): most owner
/// operations 0.7 TON, a top-up 0.7 TON plus the amount, registration 1 TON, deployment 0.8 TON.
inline constexpr nanotons operation_value{700'000'000ULL};
inline constexpr nanotons register_value{1'000'000'000ULL};
inline constexpr nanotons deploy_value{800'000'000ULL};

/// SHA-256 of the client's secret string: what `change_secret_hash` stores so the proxy can accept
/// the secret (short authorization) instead of an on-chain registration.
[[nodiscard]] inline hash256 secret_hash(std::string_view secret) { return sha256(as_bytes(secret)); }

namespace detail {
[[nodiscard]] inline cell_builder header(std::uint32_t code, std::uint64_t query_id) {
  cell_builder b;
  b.store_uint(code, 32).store_uint(query_id, 64);
  return b;
}
}  // namespace detail

/// owner_client_register: a long authorization; the proxy learns the client's `nonce` from it.
[[nodiscard]] inline cell register_client(std::uint64_t query_id, std::uint64_t nonce,
                                          const address& send_excesses_to) {
  return detail::header(op::register_client, query_id).store_uint(nonce, 64).store_address(send_excesses_to).build();
}

/// ext_client_top_up: adds `amount` to the prepaid balance. Attach `operation_value + amount`.
[[nodiscard]] inline cell top_up(std::uint64_t query_id, nanotons amount, const address& send_excesses_to) {
  return detail::header(op::top_up, query_id).store_coins(amount).store_address(send_excesses_to).build();
}

/// owner_client_top_up_reopen: tops up and reopens a contract that is closing.
[[nodiscard]] inline cell top_up_reopen(std::uint64_t query_id, nanotons amount, const address& send_excesses_to) {
  return detail::header(op::top_up_reopen, query_id).store_coins(amount).store_address(send_excesses_to).build();
}

/// owner_client_increase_stake: `new_stake` is the stake after the operation, not an increment.
[[nodiscard]] inline cell increase_stake(std::uint64_t query_id, nanotons new_stake, const address& send_excesses_to) {
  return detail::header(op::increase_stake, query_id).store_coins(new_stake).store_address(send_excesses_to).build();
}

/// owner_client_withdraw: returns the balance above the stake.
[[nodiscard]] inline cell withdraw(std::uint64_t query_id, const address& send_excesses_to) {
  return detail::header(op::withdraw, query_id).store_address(send_excesses_to).build();
}

/// owner_client_request_refund: closes the contract (the first call starts closing; after the
/// unlock time a second call forces the refund).
[[nodiscard]] inline cell request_refund(std::uint64_t query_id, const address& send_excesses_to) {
  return detail::header(op::request_refund, query_id).store_address(send_excesses_to).build();
}

/// owner_client_change_secret_hash.
[[nodiscard]] inline cell change_secret_hash(std::uint64_t query_id, const hash256& new_secret_hash,
                                             const address& send_excesses_to) {
  return detail::header(op::change_secret_hash, query_id)
      .store_hash(new_secret_hash)
      .store_address(send_excesses_to)
      .build();
}

/// owner_client_change_secret_hash_and_top_up.
[[nodiscard]] inline cell change_secret_hash_and_top_up(std::uint64_t query_id, nanotons amount,
                                                        const hash256& new_secret_hash,
                                                        const address& send_excesses_to) {
  return detail::header(op::change_secret_hash_and_top_up, query_id)
      .store_coins(amount)
      .store_hash(new_secret_hash)
      .store_address(send_excesses_to)
      .build();
}

/// A payment signed by the proxy: a charge (`ext_client_charge_signed`: the proxy may take
/// `new_tokens_used` tokens' worth from the balance) or a refund grant
/// (`ext_client_grant_refund_signed`, sent when the contract closes). The signature is Ed25519
/// by the proxy's key over the hash of the payload cell `{op, query_id, new_tokens_used,
/// client contract}`; the outer body adds who gets the excess, which anyone may change.
struct signed_payment {
  std::uint32_t op = op::charge_signed;  ///< `op::charge_signed` or `op::grant_refund_signed`
  std::uint64_t query_id = 0;
  address send_excesses_to;
  std::array<std::byte, 64> signature{};
  std::uint64_t new_tokens_used = 0;  ///< total tokens charged to the contract, not an increment
  address client_contract;
  cell payload;  ///< the signed cell, kept as received

  /// The body: `op query_id send_excesses_to signature ^payload`.
  [[nodiscard]] cell to_cell() const {
    return detail::header(op, query_id)
        .store_address(send_excesses_to)
        .store_bytes(signature)
        .store_ref(payload)
        .build();
  }

  /// The same payment with the excess sent to `own_wallet`: how a client submits a charge the
  /// proxy signed (the signature does not cover the excess address).
  [[nodiscard]] signed_payment repacked(const address& own_wallet) const {
    signed_payment out = *this;
    out.send_excesses_to = own_wallet;
    return out;
  }
};

/// Keeps in `kept` the charge to submit of those a proxy signed for one client contract: the
/// contract applies only a charge above the tokens it has recorded, so a charge with more tokens
/// supersedes and one with as many or fewer is stale. Both must be verified.
inline void keep_highest_charge(std::optional<signed_payment>& kept, const signed_payment& candidate) {
  if (!kept || candidate.new_tokens_used > kept->new_tokens_used) kept = candidate;
}

namespace detail {

using cocoon::detail::failure;
using cocoon::detail::result;

[[nodiscard]] inline result<signed_payment> read_signed_payment(const cell& body, const ed25519_public_key& proxy_key,
                                                                const address& client_contract) {
  error_code ec;
  slice s(body);
  signed_payment out;
  const auto code = s.load_uint(32, ec);
  if (!code) return failure{errc::contract_message_invalid, "op: " + ec.message()};
  if (*code != op::charge_signed && *code != op::grant_refund_signed) {
    return failure{errc::contract_message_invalid, "bit 0: op is not a signed charge or refund grant"};
  }
  out.op = static_cast<std::uint32_t>(*code);
  const auto query_id = s.load_uint(64, ec);
  const auto excesses = query_id ? s.load_address(ec) : std::nullopt;
  const auto signature = excesses ? s.load_bytes(64, ec) : std::nullopt;
  const auto payload = signature ? s.load_ref(ec) : std::nullopt;
  if (!payload || !s.end_parse(ec)) {
    return failure{errc::contract_message_invalid, "signed payment body: " + ec.message()};
  }
  out.query_id = *query_id;
  out.send_excesses_to = *excesses;
  std::copy(signature->begin(), signature->end(), out.signature.begin());
  out.payload = *payload;

  slice p(out.payload);
  const auto inner_op = p.load_uint(32, ec);
  const auto inner_query = inner_op ? p.load_uint(64, ec) : std::nullopt;
  const auto tokens = inner_query ? p.load_uint(64, ec) : std::nullopt;
  const auto client = tokens ? p.load_address(ec) : std::nullopt;
  if (!client || !p.end_parse(ec)) {
    return failure{errc::contract_message_invalid, "signed payment payload: " + ec.message()};
  }
  if (*inner_op != out.op) return failure{errc::contract_message_invalid, "payload op differs from the body's"};
  if (*inner_query != out.query_id) {
    return failure{errc::contract_message_invalid, "payload query_id differs from the body's"};
  }
  out.new_tokens_used = *tokens;
  out.client_contract = *client;

  if (!crypto::ed25519_verify(proxy_key, out.payload.hash().view(), out.signature)) {
    return failure{errc::payment_signature_invalid, "signature over the payload hash"};
  }
  // Checked after the signature, so a forged payment is reported as forged.
  if (!(out.client_contract == client_contract)) {
    return failure{errc::payment_wrong_client, "payload client contract " + out.client_contract.to_raw()};
  }
  return out;
}

[[nodiscard]] inline result<signed_payment> read_signed_payment_boc(byte_view boc, const ed25519_public_key& proxy_key,
                                                                    const address& client_contract) {
  auto root = ton::detail::parse_single(boc);
  if (!root.has_value()) return root.error();
  return read_signed_payment(root.value(), proxy_key, client_contract);
}

}  // namespace detail

/// Reads and verifies a proxy-signed payment body for `client_contract`: layout, op (charge or
/// refund grant, the same inside and outside), query ids equal, the Ed25519 signature by
/// `proxy_key` over the payload hash, and the client contract named in the payload.
/// @throws cocoon::error with `errc::contract_message_invalid` (layout, op, query id; BoC errors
///         for bytes), `errc::payment_signature_invalid` or `errc::payment_wrong_client`.
[[nodiscard]] inline signed_payment verify_signed_payment(const cell& body, const ed25519_public_key& proxy_key,
                                                          const address& client_contract) {
  return cocoon::detail::value_or_throw(detail::read_signed_payment(body, proxy_key, client_contract),
                                        "COCOON signed payment");
}
[[nodiscard]] inline std::optional<signed_payment> verify_signed_payment(const cell& body,
                                                                         const ed25519_public_key& proxy_key,
                                                                         const address& client_contract,
                                                                         error_code& ec) {
  return cocoon::detail::value_or_code(detail::read_signed_payment(body, proxy_key, client_contract), ec);
}

/// As above, from the BoC bytes the proxy sends (`proxy.signedPayment data`).
[[nodiscard]] inline signed_payment verify_signed_payment(byte_view boc, const ed25519_public_key& proxy_key,
                                                          const address& client_contract) {
  return cocoon::detail::value_or_throw(detail::read_signed_payment_boc(boc, proxy_key, client_contract),
                                        "COCOON signed payment");
}
[[nodiscard]] inline std::optional<signed_payment> verify_signed_payment(byte_view boc,
                                                                         const ed25519_public_key& proxy_key,
                                                                         const address& client_contract,
                                                                         error_code& ec) {
  return cocoon::detail::value_or_code(detail::read_signed_payment_boc(boc, proxy_key, client_contract), ec);
}

}  // namespace cocoon_client
}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
