// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// Ed25519 (RFC 8032) keyed by its 32-byte seed, as TON wallets, COCOON's signed payments and RA-TLS
// certificates use it. The 64-byte key libsodium expands the seed to lives only inside these calls
// and is wiped on every path.
#ifndef COCOON_CRYPTO_ED25519_HPP
#define COCOON_CRYPTO_ED25519_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/detail/scrubbed.hpp>

#include <array>
#include <cstddef>
#include <span>

COCOON_SDK_NAMESPACE_BEGIN
namespace crypto {

using ed25519_signature = std::array<std::byte, 64>;

namespace detail {

/// libsodium's expanded secret key of a seed, and its public key.
struct ed25519_key_pair {
  scrubbed<64> secret;
  std::array<std::byte, 32> public_key{};

  explicit ed25519_key_pair(const ed25519_secret_key& seed) {
    cocoon::detail::ensure_sodium();
    crypto_sign_seed_keypair(cocoon::detail::uchar(public_key.data()), cocoon::detail::uchar(secret.data()),
                             cocoon::detail::uchar(seed.reveal().data()));
  }
};

}  // namespace detail

/// The public key of a seed (the key a TON wallet or a COCOON proxy is known by).
[[nodiscard]] inline ed25519_public_key ed25519_public_key_of(const ed25519_secret_key& seed) {
  return ed25519_public_key(detail::ed25519_key_pair(seed).public_key);
}

/// The signature of `message` by the key of `seed`.
[[nodiscard]] inline ed25519_signature ed25519_sign(const ed25519_secret_key& seed, byte_view message) {
  detail::ed25519_key_pair pair(seed);
  ed25519_signature signature{};
  crypto_sign_detached(cocoon::detail::uchar(signature.data()), nullptr, cocoon::detail::uchar(message.data()),
                       message.size(), cocoon::detail::uchar(pair.secret.data()));
  return signature;
}

/// Whether `signature` is `key`'s over `message`. A signature of any length but 64 bytes is not.
[[nodiscard]] inline bool ed25519_verify(const ed25519_public_key& key, byte_view message, byte_view signature) {
  if (signature.size() != crypto_sign_BYTES) return false;
  cocoon::detail::ensure_sodium();
  return crypto_sign_verify_detached(cocoon::detail::uchar(signature.data()), cocoon::detail::uchar(message.data()),
                                     message.size(), cocoon::detail::uchar(key.data())) == 0;
}

}  // namespace crypto
COCOON_SDK_NAMESPACE_END

#endif
