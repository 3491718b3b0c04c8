// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_ATTESTED_KEY_HPP
#define COCOON_ATTEST_ATTESTED_KEY_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/hash.hpp>
#include <cocoon/core/public_key.hpp>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

namespace detail {
struct attested_key_access;
}  // namespace detail

/// An X25519 public key that a verified attestation proved to live inside a TEE, with the
/// measurement it was proved for. Only the attestation verifier makes one (there is no public
/// constructor), so code that takes an `attested_key` cannot be handed raw key bytes: this is
/// how `cocoon::seal` refuses to encrypt a job to anything unverified.
class attested_key {
 public:
  /// The TEE's X25519 public key.
  [[nodiscard]] const x25519_public_key& key() const noexcept { return key_; }

  /// The image hash of the TEE whose attestation carried the key (COCOON's image hash: a digest
  /// over the quote's measurement registers), for receipts and policies.
  [[nodiscard]] const hash256& image_hash() const noexcept { return image_hash_; }

  friend bool operator==(const attested_key&, const attested_key&) = default;

 private:
  friend struct detail::attested_key_access;
  attested_key(const x25519_public_key& key, const hash256& image_hash) noexcept : key_(key), image_hash_(image_hash) {}

  x25519_public_key key_;
  hash256 image_hash_;
};

namespace detail {
/// The verifier's way in. Not part of the API: application code that calls it defeats the
/// guarantee `attested_key` exists for.
struct attested_key_access {
  [[nodiscard]] static attested_key make(const x25519_public_key& key, const hash256& image_hash) noexcept {
    return {key, image_hash};
  }
};
}  // namespace detail

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
