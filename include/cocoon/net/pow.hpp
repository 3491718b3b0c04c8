// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_POW_HPP
#define COCOON_NET_POW_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/endian.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// The proof of work a COCOON proxy may demand, in clear, before the TLS handshake: the proxy
/// sends a 24-byte challenge (u32 LE magic 0x418e1291, i32 LE difficulty, 16-byte salt), the client
/// answers 12 bytes (u32 LE magic 0x01827319, i64 LE nonce) such that SHA-256(salt || nonce as
/// 8 LE bytes), read as a little-endian u64 from its first 8 bytes, has at least `difficulty`
/// leading zero bits.
struct pow_challenge {
  static constexpr std::uint32_t magic = 0x418e1291;
  static constexpr std::size_t size = 24;
  /// The highest difficulty the official client accepts (2^28 hashes on average).
  static constexpr std::int32_t max_difficulty = 28;

  std::int32_t difficulty = 0;
  std::array<std::byte, 16> salt{};

  /// @throws cocoon::error with `errc::pow_malformed` (size, magic, negative difficulty) or
  ///         `errc::pow_too_hard` (difficulty above `max_difficulty`).
  [[nodiscard]] static pow_challenge parse(byte_view data) {
    return cocoon::detail::value_or_throw(parse_result(data), "proof-of-work challenge");
  }
  [[nodiscard]] static std::optional<pow_challenge> parse(byte_view data, error_code& ec) {
    return cocoon::detail::value_or_code(parse_result(data), ec);
  }

  [[nodiscard]] bytes serialize() const {
    bytes out(size);
    cocoon::detail::store_le(magic, 4, out.data());
    cocoon::detail::store_le(static_cast<std::uint32_t>(difficulty), 4, out.data() + 4);
    std::copy(salt.begin(), salt.end(), out.begin() + 8);
    return out;
  }

  /// Leading zero bits of the hash for `nonce`, as the proxy counts them.
  [[nodiscard]] int leading_zero_bits(std::int64_t nonce) const {
    std::array<std::byte, 24> input{};
    std::copy(salt.begin(), salt.end(), input.begin());
    cocoon::detail::store_le(static_cast<std::uint64_t>(nonce), 8, input.data() + 16);
    return std::countl_zero(cocoon::detail::load_le(sha256(input).data(), 8));
  }

  /// True if `nonce` meets the difficulty (what a proxy checks).
  [[nodiscard]] bool accepts(std::int64_t nonce) const { return leading_zero_bits(nonce) >= difficulty; }

  /// The first nonce from 0 upwards that meets the difficulty, as the official client searches;
  /// `std::nullopt` if `stop` is requested or `deadline` passes first (a connection cancelled or
  /// out of time mid-search). Blocks for up to 2^difficulty hashes: a connection runs it on a
  /// thread pool (`async_solve`, net/pow_solver.hpp), never on its executor.
  [[nodiscard]] std::optional<std::int64_t> solve(
      std::stop_token stop = {},
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) const {
    for (std::int64_t nonce = 0;; ++nonce) {
      if ((nonce & 0xffff) == 0 && (stop.stop_requested() || std::chrono::steady_clock::now() > deadline)) {
        return std::nullopt;
      }
      if (accepts(nonce)) return nonce;
    }
  }

  /// The 12-byte answer carrying `nonce`.
  [[nodiscard]] static bytes response(std::int64_t nonce) {
    bytes out(12);
    cocoon::detail::store_le(response_magic, 4, out.data());
    cocoon::detail::store_le(static_cast<std::uint64_t>(nonce), 8, out.data() + 4);
    return out;
  }

  /// The nonce of a 12-byte answer (what a proxy reads).
  /// @throws cocoon::error with `errc::pow_malformed`.
  [[nodiscard]] static std::int64_t parse_response(byte_view data) {
    return cocoon::detail::value_or_throw(parse_response_result(data), "proof-of-work response");
  }
  [[nodiscard]] static std::optional<std::int64_t> parse_response(byte_view data, error_code& ec) {
    return cocoon::detail::value_or_code(parse_response_result(data), ec);
  }

  static constexpr std::uint32_t response_magic = 0x01827319;

 private:
  [[nodiscard]] static cocoon::detail::result<std::int64_t> parse_response_result(byte_view data) {
    if (data.size() != 12) return {errc::pow_malformed, "expected 12 bytes, got " + std::to_string(data.size())};
    if (cocoon::detail::load_le(data.data(), 4) != response_magic) return {errc::pow_malformed, "magic"};
    return static_cast<std::int64_t>(cocoon::detail::load_le(data.data() + 4, 8));
  }

  [[nodiscard]] static cocoon::detail::result<pow_challenge> parse_result(byte_view data) {
    if (data.size() != size) return {errc::pow_malformed, "expected 24 bytes, got " + std::to_string(data.size())};
    if (cocoon::detail::load_le(data.data(), 4) != magic) return {errc::pow_malformed, "magic"};
    pow_challenge challenge;
    challenge.difficulty =
        static_cast<std::int32_t>(static_cast<std::uint32_t>(cocoon::detail::load_le(data.data() + 4, 4)));
    if (challenge.difficulty < 0) return {errc::pow_malformed, "negative difficulty"};
    if (challenge.difficulty > max_difficulty) {
      return {errc::pow_too_hard, "difficulty " + std::to_string(challenge.difficulty)};
    }
    std::copy_n(data.begin() + 8, 16, challenge.salt.begin());
    return challenge;
  }
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
