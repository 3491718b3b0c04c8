// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_AEAD_HPP
#define COCOON_CRYPTO_AEAD_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace crypto {

/// The AEADs the SDK seals with. The values are the HPKE AEAD identifiers (RFC 9180 section 7.3).
///
/// All run on OpenSSL's EVP implementations: on x86-64 they are the fastest available here, and
/// unlike libsodium 1.0.18 OpenSSL offers AES-128-GCM and AES-GCM without requiring AES-NI.
enum class aead_algorithm : std::uint16_t {
  aes_128_gcm = 0x0001,
  aes_256_gcm = 0x0002,
  chacha20_poly1305 = 0x0003,
};

inline constexpr std::size_t aead_nonce_size = 12;
inline constexpr std::size_t aead_tag_size = 16;

/// The key size of `algorithm` in bytes (16 or 32).
[[nodiscard]] constexpr std::size_t aead_key_size(aead_algorithm algorithm) noexcept {
  return algorithm == aead_algorithm::aes_128_gcm ? 16 : 32;
}

namespace detail {

struct cipher_context_deleter {
  void operator()(EVP_CIPHER_CTX* context) const noexcept { EVP_CIPHER_CTX_free(context); }
};
using cipher_context = std::unique_ptr<EVP_CIPHER_CTX, cipher_context_deleter>;

/// The cipher fetched once from OpenSSL's default provider and kept for the process: OpenSSL 3
/// otherwise looks the implementation up on every init, under a lock that threads sealing chunks
/// in parallel contend for.
[[nodiscard]] inline const EVP_CIPHER* evp_cipher(aead_algorithm algorithm) noexcept {
  static EVP_CIPHER* const aes_128_gcm = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* const aes_256_gcm = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  static EVP_CIPHER* const chacha20_poly1305 = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  switch (algorithm) {
    case aead_algorithm::aes_128_gcm: return aes_128_gcm;
    case aead_algorithm::aes_256_gcm: return aes_256_gcm;
    case aead_algorithm::chacha20_poly1305: return chacha20_poly1305;
  }
  return nullptr;
}

[[nodiscard]] inline unsigned char* evp(std::byte* p) noexcept { return reinterpret_cast<unsigned char*>(p); }
[[nodiscard]] inline const unsigned char* evp(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}

/// Runs the cipher over `in` into `out` (same size) in pieces that fit EVP's int lengths.
[[nodiscard]] inline bool evp_update(EVP_CIPHER_CTX* context, byte_view in, std::byte* out, bool encrypt) noexcept {
  constexpr std::size_t piece = std::size_t{1} << 30;
  for (std::size_t done = 0; done < in.size();) {
    const int length = static_cast<int>(std::min(piece, in.size() - done));
    int written = 0;
    const int ok = encrypt ? EVP_EncryptUpdate(context, evp(out + done), &written, evp(in.data() + done), length)
                           : EVP_DecryptUpdate(context, evp(out + done), &written, evp(in.data() + done), length);
    if (ok != 1 || written != length) return false;
    done += static_cast<std::size_t>(length);
  }
  return true;
}

[[nodiscard]] inline std::optional<cocoon::detail::failure> check_sizes(aead_algorithm algorithm, byte_view key,
                                                                        byte_view nonce) {
  if (key.size() != aead_key_size(algorithm)) return cocoon::detail::failure{errc::invalid_length, "AEAD key"};
  if (nonce.size() != aead_nonce_size) return cocoon::detail::failure{errc::invalid_length, "AEAD nonce"};
  return std::nullopt;
}

/// Seals `plaintext` into `out`, which holds plaintext.size() + 16 bytes: ciphertext, then tag.
[[nodiscard]] inline std::optional<cocoon::detail::failure> aead_seal_into(aead_algorithm algorithm, byte_view key,
                                                                           byte_view nonce, byte_view aad,
                                                                           byte_view plaintext, mutable_byte_view out) {
  if (auto why = check_sizes(algorithm, key, nonce)) return why;
  if (out.size() != plaintext.size() + aead_tag_size)
    return cocoon::detail::failure{errc::invalid_length, "AEAD output"};
  const cipher_context context(EVP_CIPHER_CTX_new());
  int ignored = 0;
  const bool sealed =
      context && EVP_EncryptInit_ex(context.get(), evp_cipher(algorithm), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(aead_nonce_size), nullptr) == 1 &&
      EVP_EncryptInit_ex(context.get(), nullptr, nullptr, evp(key.data()), evp(nonce.data())) == 1 &&
      (aad.empty() ||
       EVP_EncryptUpdate(context.get(), nullptr, &ignored, evp(aad.data()), static_cast<int>(aad.size())) == 1) &&
      evp_update(context.get(), plaintext, out.data(), true) &&
      EVP_EncryptFinal_ex(context.get(), evp(out.data() + plaintext.size()), &ignored) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(aead_tag_size),
                          out.data() + plaintext.size()) == 1;
  if (!sealed) return cocoon::detail::failure{errc::crypto_failure, "OpenSSL AEAD seal"};
  return std::nullopt;
}

/// Opens `sealed` (ciphertext then 16-byte tag) into `out` (sealed.size() - 16 bytes). On an
/// authentication failure `out` is wiped, so no unauthenticated plaintext is ever visible.
[[nodiscard]] inline std::optional<cocoon::detail::failure> aead_open_into(aead_algorithm algorithm, byte_view key,
                                                                           byte_view nonce, byte_view aad,
                                                                           byte_view sealed, mutable_byte_view out) {
  if (auto why = check_sizes(algorithm, key, nonce)) return why;
  if (sealed.size() < aead_tag_size) return cocoon::detail::failure{errc::decryption_failed, "shorter than the tag"};
  const byte_view ciphertext = sealed.first(sealed.size() - aead_tag_size);
  if (out.size() != ciphertext.size()) return cocoon::detail::failure{errc::invalid_length, "AEAD output"};
  const cipher_context context(EVP_CIPHER_CTX_new());
  if (!context) return cocoon::detail::failure{errc::crypto_failure, "OpenSSL AEAD open"};
  // EVP takes the expected tag through a non-const pointer; it only reads it.
  std::array<std::byte, aead_tag_size> tag{};
  std::copy_n(sealed.end() - static_cast<std::ptrdiff_t>(aead_tag_size), aead_tag_size, tag.begin());
  int ignored = 0;
  const bool opened =
      EVP_DecryptInit_ex(context.get(), evp_cipher(algorithm), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(aead_nonce_size), nullptr) == 1 &&
      EVP_DecryptInit_ex(context.get(), nullptr, nullptr, evp(key.data()), evp(nonce.data())) == 1 &&
      (aad.empty() ||
       EVP_DecryptUpdate(context.get(), nullptr, &ignored, evp(aad.data()), static_cast<int>(aad.size())) == 1) &&
      evp_update(context.get(), ciphertext, out.data(), false) &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(aead_tag_size), tag.data()) == 1 &&
      EVP_DecryptFinal_ex(context.get(), evp(out.data() + out.size()), &ignored) == 1;
  if (!opened) {
    OPENSSL_cleanse(out.data(), out.size());
    return cocoon::detail::failure{errc::decryption_failed};
  }
  return std::nullopt;
}

}  // namespace detail

/// AEAD-seals `plaintext` with `aad`: returns ciphertext || 16-byte tag. Each (key, nonce) pair
/// must be used once.
/// @throws cocoon::error with `errc::invalid_length` for a wrong key or nonce size.
[[nodiscard]] inline bytes aead_seal(aead_algorithm algorithm, byte_view key, byte_view nonce, byte_view aad,
                                     byte_view plaintext) {
  bytes out(plaintext.size() + aead_tag_size);
  if (auto why = detail::aead_seal_into(algorithm, key, nonce, aad, plaintext, out)) {
    cocoon::detail::throw_error(why->code, "AEAD seal", why->where);
  }
  return out;
}

/// Opens ciphertext || tag; returns the plaintext only if the tag verifies.
/// @throws cocoon::error with `errc::decryption_failed` when it does not (tampered data, wrong
///         key, nonce or aad).
[[nodiscard]] inline bytes aead_open(aead_algorithm algorithm, byte_view key, byte_view nonce, byte_view aad,
                                     byte_view sealed) {
  bytes out(sealed.size() < aead_tag_size ? 0 : sealed.size() - aead_tag_size);
  if (auto why = detail::aead_open_into(algorithm, key, nonce, aad, sealed, out)) {
    cocoon::detail::throw_error(why->code, "AEAD open", why->where);
  }
  return out;
}

/// As `aead_open`, reporting through `ec` instead of throwing.
[[nodiscard]] inline std::optional<bytes> aead_open(aead_algorithm algorithm, byte_view key, byte_view nonce,
                                                    byte_view aad, byte_view sealed, error_code& ec) {
  bytes out(sealed.size() < aead_tag_size ? 0 : sealed.size() - aead_tag_size);
  if (auto why = detail::aead_open_into(algorithm, key, nonce, aad, sealed, out)) {
    ec = why->code;
    return std::nullopt;
  }
  ec.clear();
  return out;
}

}  // namespace crypto
COCOON_SDK_NAMESPACE_END

#endif
