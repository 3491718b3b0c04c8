// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_HASH_HPP
#define COCOON_CORE_HASH_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/fixed_bytes.hpp>

COCOON_SDK_NAMESPACE_BEGIN

namespace detail {
struct hash256_tag {
  static constexpr const char* name = "hash256";
};
struct hash384_tag {
  static constexpr const char* name = "hash384";
};
struct hash512_tag {
  static constexpr const char* name = "hash512";
};
}  // namespace detail

/// A 256-bit digest: SHA-256 results, TON cell representation hashes, account ids.
using hash256 = fixed_bytes<32, detail::hash256_tag>;

/// A 384-bit digest: TDX measurements (MRTD, RTMRs) are SHA-384.
using hash384 = fixed_bytes<48, detail::hash384_tag>;

/// A 512-bit digest: SHA-512 results, TDX REPORTDATA.
using hash512 = fixed_bytes<64, detail::hash512_tag>;

/// SHA-256 of `data` (libsodium).
[[nodiscard]] inline hash256 sha256(byte_view data) {
  detail::ensure_sodium();
  std::array<std::byte, 32> digest{};
  crypto_hash_sha256(detail::uchar(digest.data()), detail::uchar(data.data()), data.size());
  return hash256(digest);
}

/// SHA-512 of `data` (libsodium).
[[nodiscard]] inline hash512 sha512(byte_view data) {
  detail::ensure_sodium();
  std::array<std::byte, 64> digest{};
  crypto_hash_sha512(detail::uchar(digest.data()), detail::uchar(data.data()), data.size());
  return hash512(digest);
}

COCOON_SDK_NAMESPACE_END

#endif
