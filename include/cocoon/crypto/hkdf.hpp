// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_HKDF_HPP
#define COCOON_CRYPTO_HKDF_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/crypto/detail/scrubbed.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>

COCOON_SDK_NAMESPACE_BEGIN
namespace crypto {

namespace detail {
inline void hmac_update(crypto_auth_hmacsha256_state& state, byte_view part) noexcept {
  if (!part.empty()) crypto_auth_hmacsha256_update(&state, cocoon::detail::uchar(part.data()), part.size());
}
}  // namespace detail

/// HKDF with SHA-256 (RFC 5869) on libsodium's HMAC-SHA256. The inputs of each step are given as
/// a list of parts that are hashed in order without being concatenated in memory, which is how
/// HPKE's labeled extract and expand use it.
namespace hkdf_sha256 {

inline constexpr std::size_t hash_size = crypto_auth_hmacsha256_BYTES;  // 32
/// RFC 5869: at most 255 blocks of output.
inline constexpr std::size_t max_output = 255 * hash_size;

/// HKDF-Extract(salt, ikm parts...) into `prk` (32 bytes). An empty salt means 32 zero bytes.
inline void extract(byte_view salt, std::initializer_list<byte_view> ikm, mutable_byte_view prk) noexcept {
  cocoon::detail::ensure_sodium();
  crypto_auth_hmacsha256_state state;
  // libsodium declares the key pointer non-null even for an empty key.
  static constexpr std::byte no_salt{};
  crypto_auth_hmacsha256_init(&state, cocoon::detail::uchar(salt.empty() ? &no_salt : salt.data()), salt.size());
  for (const byte_view part : ikm) detail::hmac_update(state, part);
  crypto_auth_hmacsha256_final(&state, cocoon::detail::uchar(prk.data()));
  sodium_memzero(&state, sizeof state);
}

/// HKDF-Expand(prk, info parts..., out.size()) into `out`.
/// @returns `errc::invalid_length` if more than 255 * 32 bytes are asked for.
[[nodiscard]] inline std::optional<cocoon::detail::failure> expand(byte_view prk, std::initializer_list<byte_view> info,
                                                                   mutable_byte_view out) {
  if (out.size() > max_output) {
    return cocoon::detail::failure{errc::invalid_length, "HKDF output over " + std::to_string(max_output) + " bytes"};
  }
  cocoon::detail::ensure_sodium();
  detail::scrubbed<hash_size> block;
  std::size_t written = 0;
  for (std::uint8_t counter = 1; written < out.size(); ++counter) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, cocoon::detail::uchar(prk.data()), prk.size());
    if (counter > 1) crypto_auth_hmacsha256_update(&state, cocoon::detail::uchar(block.data()), hash_size);
    for (const byte_view part : info) detail::hmac_update(state, part);
    crypto_auth_hmacsha256_update(&state, &counter, 1);
    crypto_auth_hmacsha256_final(&state, cocoon::detail::uchar(block.data()));
    sodium_memzero(&state, sizeof state);
    const std::size_t take = std::min(hash_size, out.size() - written);
    std::copy_n(block.bytes.begin(), take, out.begin() + static_cast<std::ptrdiff_t>(written));
    written += take;
  }
  return std::nullopt;
}

}  // namespace hkdf_sha256
}  // namespace crypto
COCOON_SDK_NAMESPACE_END

#endif
