// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_HPKE_HPP
#define COCOON_CRYPTO_HPKE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/aead.hpp>
#include <cocoon/crypto/detail/scrubbed.hpp>
#include <cocoon/crypto/hkdf.hpp>
#include <cocoon/crypto/x25519.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace crypto {

// Hybrid Public Key Encryption, RFC 9180, with the KEM DHKEM(X25519, HKDF-SHA256) and the KDF
// HKDF-SHA256, in all four modes (base, psk, auth, auth_psk), with the AEADs AES-128-GCM,
// AES-256-GCM, ChaCha20-Poly1305, or none (export-only).

/// The AEAD of an HPKE context: one of `aead_algorithm`, or export-only (RFC 9180 section 7.3).
enum class hpke_aead : std::uint16_t {
  aes_128_gcm = 0x0001,
  aes_256_gcm = 0x0002,
  chacha20_poly1305 = 0x0003,
  export_only = 0xffff,
};

/// RFC 9180 section 5: which of the sender's secrets the recipient's context depends on.
enum class hpke_mode : std::uint8_t { base = 0, psk = 1, auth = 2, auth_psk = 3 };

/// A pre-shared key and its identifier (psk modes). RFC 9180 requires at least 32 bytes of
/// entropy in the key; the SDK refuses shorter keys.
struct hpke_psk {
  byte_view key;
  byte_view id;
};

/// What a sender sets up a context with.
struct hpke_sender_options {
  hpke_aead aead = hpke_aead::chacha20_poly1305;
  byte_view info{};                               ///< binds the context to an application purpose
  const x25519_secret_key* sender_key = nullptr;  ///< auth modes: the sender's static key
  std::optional<hpke_psk> psk{};                  ///< psk modes
};

/// What a recipient sets up a context with; must mirror the sender's options.
struct hpke_recipient_options {
  hpke_aead aead = hpke_aead::chacha20_poly1305;
  byte_view info{};
  const x25519_public_key* sender_public_key = nullptr;  ///< auth modes: the sender's static public key
  std::optional<hpke_psk> psk{};
};

/// An X25519 key pair.
struct x25519_key_pair {
  x25519_secret_key secret_key;
  x25519_public_key public_key;
};

namespace detail {

struct hpke_state_tag {
  static constexpr const char* name = "HPKE context";
};
inline constexpr std::size_t hpke_key_offset = 0, hpke_nonce_offset = 32, hpke_exporter_offset = 44;
/// key (up to 32 bytes) | base_nonce (12) | exporter_secret (32), in guarded memory.
using hpke_state = basic_secret<76, hpke_state_tag>;

inline constexpr std::array<std::byte, 5> kem_suite_id{std::byte{'K'}, std::byte{'E'}, std::byte{'M'}, std::byte{0x00},
                                                       std::byte{0x20}};

[[nodiscard]] constexpr std::array<std::byte, 10> hpke_suite_id(hpke_aead aead) noexcept {
  const auto id = static_cast<std::uint16_t>(aead);
  return {std::byte{'H'},
          std::byte{'P'},
          std::byte{'K'},
          std::byte{'E'},
          std::byte{0x00},
          std::byte{0x20},  // KEM: DHKEM(X25519, HKDF-SHA256)
          std::byte{0x00},
          std::byte{0x01},  // KDF: HKDF-SHA256
          static_cast<std::byte>(id >> 8),
          static_cast<std::byte>(id & 0xff)};
}

/// LabeledExtract(salt, label, ikm) of RFC 9180 section 4.
inline void labeled_extract(byte_view suite_id, byte_view salt, std::string_view label, byte_view ikm,
                            mutable_byte_view prk) {
  hkdf_sha256::extract(salt, {as_bytes("HPKE-v1"), suite_id, as_bytes(label), ikm}, prk);
}

/// LabeledExpand(prk, label, info, L) of RFC 9180 section 4, L = out.size().
[[nodiscard]] inline std::optional<cocoon::detail::failure> labeled_expand(byte_view suite_id, byte_view prk,
                                                                           std::string_view label, byte_view info,
                                                                           mutable_byte_view out) {
  if (out.size() > std::numeric_limits<std::uint16_t>::max()) {
    return cocoon::detail::failure{errc::invalid_length, "HPKE expand length"};
  }
  const std::array<std::byte, 2> length{static_cast<std::byte>(out.size() >> 8),
                                        static_cast<std::byte>(out.size() & 0xff)};
  return hkdf_sha256::expand(prk, {length, as_bytes("HPKE-v1"), suite_id, as_bytes(label), info}, out);
}

[[nodiscard]] constexpr std::size_t key_size(hpke_aead aead) noexcept {
  return aead == hpke_aead::export_only ? 0 : aead_key_size(static_cast<aead_algorithm>(aead));
}

/// The KEM's ExtractAndExpand(dh, kem_context) into the 32-byte shared secret.
[[nodiscard]] inline std::optional<cocoon::detail::failure> kem_shared_secret(byte_view dh, byte_view kem_context,
                                                                              mutable_byte_view shared_secret) {
  scrubbed<32> eae_prk;
  labeled_extract(kem_suite_id, {}, "eae_prk", dh, eae_prk.span());
  return labeled_expand(kem_suite_id, eae_prk.view(), "shared_secret", kem_context, shared_secret);
}

[[nodiscard]] inline hpke_mode mode_of(bool authenticated, bool with_psk) noexcept {
  if (authenticated) return with_psk ? hpke_mode::auth_psk : hpke_mode::auth;
  return with_psk ? hpke_mode::psk : hpke_mode::base;
}

/// KeySchedule of RFC 9180 section 5.1: the context's key, base nonce and exporter secret.
[[nodiscard]] inline cocoon::detail::result<hpke_state> key_schedule(hpke_mode mode, hpke_aead aead,
                                                                     byte_view shared_secret, byte_view info,
                                                                     const std::optional<hpke_psk>& psk) {
  if (psk && (psk->key.size() < 32 || psk->id.empty())) {
    return {errc::hpke_invalid_psk, psk->id.empty() ? "empty PSK id" : "PSK under 32 bytes"};
  }
  const auto suite_id = hpke_suite_id(aead);
  const std::byte mode_byte{static_cast<std::uint8_t>(mode)};
  std::array<std::byte, 65> context{};  // mode | psk_id_hash | info_hash
  context[0] = mode_byte;
  labeled_extract(suite_id, {}, "psk_id_hash", psk ? psk->id : byte_view{}, mutable_byte_view(context).subspan(1, 32));
  labeled_extract(suite_id, {}, "info_hash", info, mutable_byte_view(context).subspan(33, 32));

  scrubbed<32> secret;
  labeled_extract(suite_id, shared_secret, "secret", psk ? psk->key : byte_view{}, secret.span());
  scrubbed<76> state;
  const auto key = state.span().subspan(hpke_key_offset, key_size(aead));
  const auto nonce = state.span().subspan(hpke_nonce_offset, aead_nonce_size);
  const auto exporter = state.span().subspan(hpke_exporter_offset, 32);
  if (auto why = labeled_expand(suite_id, secret.view(), "key", context, key)) return std::move(*why);
  if (auto why = labeled_expand(suite_id, secret.view(), "base_nonce", context, nonce)) return std::move(*why);
  if (auto why = labeled_expand(suite_id, secret.view(), "exp", context, exporter)) return std::move(*why);
  return hpke_state::from_bytes(state.view());
}

}  // namespace detail

/// What sender and recipient contexts share: the suite, the message counter and the secrets, and
/// the secret export interface (RFC 9180 section 5.3).
///
/// Thread safety: a context is a sequence of messages; use it from one thread at a time.
class hpke_context {
 public:
  [[nodiscard]] hpke_aead aead() const noexcept { return aead_; }
  [[nodiscard]] hpke_mode mode() const noexcept { return mode_; }

  /// Exports `length` bytes of secret bound to this context and to `exporter_context`
  /// (RFC 9180 section 5.3). The result is secret: keep it in a `basic_secret` or wipe it.
  /// @throws cocoon::error with `errc::invalid_length` if `length` exceeds 255 * 32.
  [[nodiscard]] bytes export_secret(byte_view exporter_context, std::size_t length) const {
    bytes out(length);
    cocoon::detail::throw_on_failure(export_into(exporter_context, out), "HPKE export");
    return out;
  }

  /// As `export_secret`, straight into guarded memory: a `basic_secret` of `Secret::size()` bytes.
  template <class Secret>
  [[nodiscard]] Secret export_key(byte_view exporter_context) const {
    detail::scrubbed<Secret::size()> exported;
    cocoon::detail::throw_on_failure(export_into(exporter_context, exported.span()), "HPKE export");
    return Secret::from_bytes(exported.view());
  }

 protected:
  hpke_context(hpke_aead aead, hpke_mode mode, detail::hpke_state state) noexcept
      : aead_(aead), mode_(mode), state_(std::move(state)) {}

  [[nodiscard]] std::optional<cocoon::detail::failure> export_into(byte_view exporter_context,
                                                                   mutable_byte_view out) const {
    const auto suite_id = detail::hpke_suite_id(aead_);
    const auto exporter = state_.reveal().subspan(detail::hpke_exporter_offset, 32);
    return detail::labeled_expand(suite_id, exporter, "sec", exporter_context, out);
  }

  /// The AEAD key and this message's nonce (base nonce XOR the big-endian sequence number), or why
  /// no further message is allowed.
  [[nodiscard]] std::optional<cocoon::detail::failure> next_nonce(std::array<std::byte, aead_nonce_size>& nonce) const {
    if (aead_ == hpke_aead::export_only) return cocoon::detail::failure{errc::hpke_export_only};
    if (sequence_ == std::numeric_limits<std::uint64_t>::max())
      return cocoon::detail::failure{errc::hpke_message_limit};
    const auto base = state_.reveal().subspan(detail::hpke_nonce_offset, aead_nonce_size);
    std::copy(base.begin(), base.end(), nonce.begin());
    for (std::size_t i = 0; i < 8; ++i) {
      nonce[aead_nonce_size - 1 - i] ^= static_cast<std::byte>((sequence_ >> (8 * i)) & 0xff);
    }
    return std::nullopt;
  }

  [[nodiscard]] byte_view key() const noexcept {
    return state_.reveal().subspan(detail::hpke_key_offset, detail::key_size(aead_));
  }
  [[nodiscard]] aead_algorithm algorithm() const noexcept { return static_cast<aead_algorithm>(aead_); }

  hpke_aead aead_;
  hpke_mode mode_;
  detail::hpke_state state_;
  std::uint64_t sequence_ = 0;
};

/// The sending side: encrypts messages to the recipient's X25519 key.
class hpke_sender : public hpke_context {
 public:
  /// SetupBaseS / SetupPSKS / SetupAuthS / SetupAuthPSKS, chosen by which options are set, with a
  /// fresh ephemeral key from the CSPRNG.
  /// @throws cocoon::error with `errc::invalid_public_key` (small-order recipient key) or
  ///         `errc::hpke_invalid_psk`.
  [[nodiscard]] static hpke_sender setup(const x25519_public_key& recipient, const hpke_sender_options& options) {
    return cocoon::detail::value_or_throw(setup_with(recipient, options, x25519_secret_key::generate()), "HPKE setup");
  }
  [[nodiscard]] static std::optional<hpke_sender> setup(const x25519_public_key& recipient,
                                                        const hpke_sender_options& options, error_code& ec) {
    return cocoon::detail::value_or_code(setup_with(recipient, options, x25519_secret_key::generate()), ec);
  }

  /// The encapsulated key (`enc`) the recipient needs to set up its context.
  [[nodiscard]] const x25519_public_key& encapsulated_key() const noexcept { return encapsulated_key_; }

  /// Seals the next message: ciphertext || 16-byte tag.
  /// @throws cocoon::error with `errc::hpke_export_only` or `errc::hpke_message_limit`.
  [[nodiscard]] bytes seal(byte_view plaintext, byte_view aad = {}) {
    bytes out(plaintext.size() + aead_tag_size);
    cocoon::detail::throw_on_failure(seal_into(plaintext, aad, out), "HPKE seal");
    return out;
  }

  /// The set-up with a given ephemeral key, for known-answer tests (RFC 9180 appendix A). Never
  /// reuse an ephemeral key: `setup` draws a fresh one.
  [[nodiscard]] static cocoon::detail::result<hpke_sender> setup_with(const x25519_public_key& recipient,
                                                                      const hpke_sender_options& options,
                                                                      const x25519_secret_key& ephemeral) {
    const bool authenticated = options.sender_key != nullptr;
    const x25519_public_key enc = public_key_of(ephemeral);
    detail::scrubbed<64> dh;
    if (auto why = detail::x25519(ephemeral, recipient, dh.span().first(32))) return std::move(*why);
    if (authenticated) {
      if (auto why = detail::x25519(*options.sender_key, recipient, dh.span().last(32))) return std::move(*why);
    }
    std::array<std::byte, 96> kem_context{};  // enc | pkR | pkS
    std::copy_n(enc.data(), 32, kem_context.begin());
    std::copy_n(recipient.data(), 32, kem_context.begin() + 32);
    if (authenticated) {
      const auto sender_public = public_key_of(*options.sender_key);
      std::copy_n(sender_public.data(), 32, kem_context.begin() + 64);
    }
    detail::scrubbed<32> shared_secret;
    const std::size_t dh_size = authenticated ? 64 : 32;
    if (auto why = detail::kem_shared_secret(dh.view().first(dh_size), byte_view(kem_context).first(dh_size + 32),
                                             shared_secret.span())) {
      return std::move(*why);
    }
    const hpke_mode mode = detail::mode_of(authenticated, options.psk.has_value());
    auto state = detail::key_schedule(mode, options.aead, shared_secret.view(), options.info, options.psk);
    if (!state.has_value()) return state.error();
    return hpke_sender(options.aead, mode, std::move(state).value(), enc);
  }

  /// `seal` into `out` (`plaintext.size() + aead_tag_size` bytes), for the SDK's layers above,
  /// which build a message around the ciphertext and keep where a failure happened.
  [[nodiscard]] std::optional<cocoon::detail::failure> seal_into(byte_view plaintext, byte_view aad,
                                                                 mutable_byte_view out) {
    std::array<std::byte, aead_nonce_size> nonce{};
    if (auto why = next_nonce(nonce)) return why;
    if (auto why = detail::aead_seal_into(algorithm(), key(), nonce, aad, plaintext, out)) return why;
    ++sequence_;
    return std::nullopt;
  }

 private:
  hpke_sender(hpke_aead aead, hpke_mode mode, detail::hpke_state state, const x25519_public_key& enc) noexcept
      : hpke_context(aead, mode, std::move(state)), encapsulated_key_(enc) {}

  x25519_public_key encapsulated_key_;
};

/// The receiving side: decrypts messages sealed to its X25519 key.
class hpke_recipient : public hpke_context {
 public:
  /// SetupBaseR / SetupPSKR / SetupAuthR / SetupAuthPSKR, chosen by which options are set.
  /// @throws cocoon::error with `errc::invalid_public_key` or `errc::hpke_invalid_psk`.
  [[nodiscard]] static hpke_recipient setup(const x25519_public_key& encapsulated_key,
                                            const x25519_secret_key& recipient_key,
                                            const hpke_recipient_options& options) {
    return cocoon::detail::value_or_throw(setup_result(encapsulated_key, recipient_key, options), "HPKE setup");
  }
  [[nodiscard]] static std::optional<hpke_recipient> setup(const x25519_public_key& encapsulated_key,
                                                           const x25519_secret_key& recipient_key,
                                                           const hpke_recipient_options& options, error_code& ec) {
    return cocoon::detail::value_or_code(setup_result(encapsulated_key, recipient_key, options), ec);
  }

  /// Opens the next message. A failed open consumes no sequence number (RFC 9180 section 5.2),
  /// so a forged message cannot desynchronise the context.
  /// @throws cocoon::error with `errc::decryption_failed`, `errc::hpke_export_only` or
  ///         `errc::hpke_message_limit`.
  [[nodiscard]] bytes open(byte_view sealed, byte_view aad = {}) {
    bytes out(sealed.size() < aead_tag_size ? 0 : sealed.size() - aead_tag_size);
    cocoon::detail::throw_on_failure(open_into(sealed, aad, out), "HPKE open");
    return out;
  }
  [[nodiscard]] std::optional<bytes> open(byte_view sealed, byte_view aad, error_code& ec) {
    bytes out(sealed.size() < aead_tag_size ? 0 : sealed.size() - aead_tag_size);
    if (!cocoon::detail::succeeded(open_into(sealed, aad, out), ec)) return std::nullopt;
    return out;
  }

 private:
  hpke_recipient(hpke_aead aead, hpke_mode mode, detail::hpke_state state) noexcept
      : hpke_context(aead, mode, std::move(state)) {}

  [[nodiscard]] static cocoon::detail::result<hpke_recipient> setup_result(const x25519_public_key& enc,
                                                                           const x25519_secret_key& recipient_key,
                                                                           const hpke_recipient_options& options) {
    const bool authenticated = options.sender_public_key != nullptr;
    detail::scrubbed<64> dh;
    if (auto why = detail::x25519(recipient_key, enc, dh.span().first(32))) return std::move(*why);
    if (authenticated) {
      if (auto why = detail::x25519(recipient_key, *options.sender_public_key, dh.span().last(32))) {
        return std::move(*why);
      }
    }
    std::array<std::byte, 96> kem_context{};  // enc | pkR | pkS
    std::copy_n(enc.data(), 32, kem_context.begin());
    const auto recipient_public = public_key_of(recipient_key);
    std::copy_n(recipient_public.data(), 32, kem_context.begin() + 32);
    if (authenticated) std::copy_n(options.sender_public_key->data(), 32, kem_context.begin() + 64);
    detail::scrubbed<32> shared_secret;
    const std::size_t dh_size = authenticated ? 64 : 32;
    if (auto why = detail::kem_shared_secret(dh.view().first(dh_size), byte_view(kem_context).first(dh_size + 32),
                                             shared_secret.span())) {
      return std::move(*why);
    }
    const hpke_mode mode = detail::mode_of(authenticated, options.psk.has_value());
    auto state = detail::key_schedule(mode, options.aead, shared_secret.view(), options.info, options.psk);
    if (!state.has_value()) return state.error();
    return hpke_recipient(options.aead, mode, std::move(state).value());
  }

  [[nodiscard]] std::optional<cocoon::detail::failure> open_into(byte_view sealed, byte_view aad,
                                                                 mutable_byte_view out) {
    std::array<std::byte, aead_nonce_size> nonce{};
    if (auto why = next_nonce(nonce)) return why;
    if (auto why = detail::aead_open_into(algorithm(), key(), nonce, aad, sealed, out)) return why;
    ++sequence_;
    return std::nullopt;
  }
};

/// DeriveKeyPair(ikm) of RFC 9180 section 7.1.3 for X25519: a deterministic key pair from at
/// least 32 bytes of input keying material (a seed), e.g. for reproducible test workers.
/// @throws cocoon::error with `errc::invalid_length` if `ikm` is shorter than 32 bytes.
[[nodiscard]] inline x25519_key_pair derive_key_pair(byte_view ikm) {
  if (ikm.size() < 32) cocoon::detail::throw_error(errc::invalid_length, "HPKE DeriveKeyPair", "ikm under 32 bytes");
  detail::scrubbed<32> prk;
  detail::labeled_extract(detail::kem_suite_id, {}, "dkp_prk", ikm, prk.span());
  detail::scrubbed<32> secret;
  cocoon::detail::throw_on_failure(detail::labeled_expand(detail::kem_suite_id, prk.view(), "sk", {}, secret.span()),
                                   "HPKE DeriveKeyPair");
  auto secret_key = x25519_secret_key::from_bytes(secret.view());
  const auto public_key = public_key_of(secret_key);
  return {std::move(secret_key), public_key};
}

}  // namespace crypto
COCOON_SDK_NAMESPACE_END

#endif
