// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_IMAGE_HASH_HPP
#define COCOON_ATTEST_IMAGE_HASH_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/verify.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/hash.hpp>

#include <algorithm>
#include <array>
#include <cstddef>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// The TD measurements COCOON names an image by.
struct td_measurements {
  hash384 mr_td, mr_config_id, mr_owner, mr_owner_config;
  std::array<hash384, 4> rtmrs{};
};

/// COCOON's image hash: SHA-256 of MRTD || MRCONFIGID || MROWNER || MROWNERCONFIG || RTMR0..3 ||
/// 64 zero bytes (its attestation data serialised with REPORTDATA zeroed; 448 bytes, no length
/// prefixes). This is the value the root contract lists for proxies and workers. SEAM fields,
/// attributes, XFAM and TCB SVNs are not part of it, so it does not replace those checks.
[[nodiscard]] inline hash256 cocoon_image_hash(const td_measurements& m) {
  std::array<std::byte, 8 * 48 + 64> serialized{};  // the last 64 bytes stay zero
  std::size_t at = 0;
  for (const hash384* part : {&m.mr_td, &m.mr_config_id, &m.mr_owner, &m.mr_owner_config, &m.rtmrs[0], &m.rtmrs[1],
                              &m.rtmrs[2], &m.rtmrs[3]}) {
    std::copy_n(part->data(), part->size(), serialized.begin() + static_cast<std::ptrdiff_t>(at));
    at += part->size();
  }
  std::array<std::byte, 32> digest{};
  cocoon::detail::ensure_sodium();
  crypto_hash_sha256(cocoon::detail::uchar(digest.data()), cocoon::detail::uchar(serialized.data()), serialized.size());
  return hash256(byte_view(digest));
}

/// The measurements of a verified quote.
[[nodiscard]] inline td_measurements measurements_of(const verified_quote& quote) {
  return {quote.mr_td(), quote.mr_config_id(), quote.mr_owner(), quote.mr_owner_config(), quote.rtmrs()};
}

/// COCOON's image hash of a verified quote.
[[nodiscard]] inline hash256 cocoon_image_hash(const verified_quote& quote) {
  return cocoon_image_hash(measurements_of(quote));
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
