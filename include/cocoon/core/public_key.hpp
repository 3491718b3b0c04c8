// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_PUBLIC_KEY_HPP
#define COCOON_CORE_PUBLIC_KEY_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/core/fixed_bytes.hpp>

COCOON_SDK_NAMESPACE_BEGIN

namespace detail {
struct ed25519_public_key_tag {
  static constexpr const char* name = "ed25519 public key";
};
struct x25519_public_key_tag {
  static constexpr const char* name = "x25519 public key";
};
}  // namespace detail

/// An Ed25519 public key (RFC 8032): TON wallet owners, COCOON RA-TLS certificate keys.
using ed25519_public_key = fixed_bytes<32, detail::ed25519_public_key_tag>;

/// An X25519 public key (RFC 7748): the key a worker's attestation binds for sealed jobs.
using x25519_public_key = fixed_bytes<32, detail::x25519_public_key_tag>;

COCOON_SDK_NAMESPACE_END

#endif
