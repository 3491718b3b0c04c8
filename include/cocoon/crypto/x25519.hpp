// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_X25519_HPP
#define COCOON_CRYPTO_X25519_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

COCOON_SDK_NAMESPACE_BEGIN
namespace crypto {

/// The X25519 public key of a secret key (RFC 7748, libsodium's crypto_scalarmult_base).
[[nodiscard]] inline x25519_public_key public_key_of(const x25519_secret_key& secret) {
  cocoon::detail::ensure_sodium();
  std::array<std::byte, 32> point{};
  crypto_scalarmult_base(cocoon::detail::uchar(point.data()), cocoon::detail::uchar(secret.reveal().data()));
  return x25519_public_key(point);
}

/// The X25519 form of an Ed25519 public key (the birational map of RFC 7748 section 4.1, as
/// libsodium's crypto_sign_ed25519_pk_to_curve25519). COCOON RA-TLS peers prove an Ed25519 key;
/// this is the key a job is sealed to for such a peer.
/// @throws cocoon::error with `errc::invalid_public_key` for a key that is not a valid point of
///         prime order.
[[nodiscard]] inline x25519_public_key x25519_from_ed25519(const ed25519_public_key& key) {
  cocoon::detail::ensure_sodium();
  std::array<std::byte, 32> point{};
  if (crypto_sign_ed25519_pk_to_curve25519(cocoon::detail::uchar(point.data()), cocoon::detail::uchar(key.data())) !=
      0) {
    cocoon::detail::throw_error(errc::invalid_public_key, "Ed25519 to X25519", "not a valid Ed25519 point");
  }
  return x25519_public_key(point);
}

/// The X25519 secret key matching `x25519_from_ed25519` of the Ed25519 key with this seed.
[[nodiscard]] inline x25519_secret_key x25519_from_ed25519(const ed25519_secret_key& seed) {
  detail::ed25519_key_pair pair(seed);
  detail::scrubbed<32> scalar;
  crypto_sign_ed25519_sk_to_curve25519(cocoon::detail::uchar(scalar.data()), cocoon::detail::uchar(pair.secret.data()));
  return x25519_secret_key::from_bytes(scalar.view());
}

namespace detail {

/// X25519(secret, peer) into `shared` (32 bytes). A peer key of small order yields the all-zero
/// output, which RFC 9180 section 7.1.4 and RFC 7748 section 6.1 require to be refused.
[[nodiscard]] inline std::optional<cocoon::detail::failure> x25519(const x25519_secret_key& secret,
                                                                   const x25519_public_key& peer,
                                                                   mutable_byte_view shared) {
  cocoon::detail::ensure_sodium();
  if (crypto_scalarmult(cocoon::detail::uchar(shared.data()), cocoon::detail::uchar(secret.reveal().data()),
                        cocoon::detail::uchar(peer.data())) != 0) {
    return cocoon::detail::failure{errc::invalid_public_key, "X25519 with a small-order point"};
  }
  return std::nullopt;
}

}  // namespace detail
}  // namespace crypto
COCOON_SDK_NAMESPACE_END

#endif
