// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_SECRET_HPP
#define COCOON_CORE_SECRET_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN

/// Memory for secrets from libsodium's guarded heap: each block sits between inaccessible guard
/// pages, is locked against swapping where RLIMIT_MEMLOCK allows, is excluded from core dumps,
/// and carries a canary checked on release.
struct guarded_allocator {
  [[nodiscard]] static std::byte* allocate(std::size_t size) noexcept {
    detail::ensure_sodium();
    return static_cast<std::byte*>(sodium_malloc(size));
  }
  static void deallocate(std::byte* memory, std::size_t /*size*/) noexcept { sodium_free(memory); }
};

/// A fixed-size secret (private key, seed, shared secret) of a distinct type per meaning.
///
/// - Its bytes live only in memory from `Allocator` (guarded memory by default) and are wiped
///   with sodium_memzero when the secret is destroyed or assigned over.
/// - It is move-only: a secret is never silently duplicated. A moved-from secret holds nothing
///   (`empty()`), and `reveal()` on it returns an empty view.
/// - It is never printed: `operator<<` writes a redaction, and no hex or string conversion exists.
///   The bytes are reachable only through the explicit `reveal()`.
/// - Equality is constant time.
///
/// Thread safety: distinct objects, safe; one shared object, safe for concurrent const access.
template <std::size_t Size, class Tag, class Allocator = guarded_allocator>
class basic_secret {
 public:
  static constexpr std::size_t size_in_bytes = Size;

  /// A fresh secret from the operating system's CSPRNG (libsodium's randombytes_buf).
  /// @throws cocoon::error with `errc::secure_memory_unavailable` if guarded memory is exhausted.
  [[nodiscard]] static basic_secret generate() {
    basic_secret secret = detail::value_or_throw(allocate(), Tag::name);
    randombytes_buf(secret.memory_, Size);
    return secret;
  }

  /// Copies exactly `Size` bytes into guarded memory. Wiping the source is the caller's duty.
  /// @throws cocoon::error with `errc::invalid_length` or `errc::secure_memory_unavailable`.
  [[nodiscard]] static basic_secret from_bytes(byte_view source) {
    return detail::value_or_throw(copy_from(source), Tag::name);
  }
  [[nodiscard]] static std::optional<basic_secret> from_bytes(byte_view source, error_code& ec) {
    return detail::value_or_code(copy_from(source), ec);
  }

  /// Decodes exactly `2 * Size` hex digits straight into guarded memory (no temporary copy).
  /// Errors name the offset of a bad digit, never the digit.
  /// @throws cocoon::error with `errc::invalid_hex`, `errc::invalid_length` or
  ///         `errc::secure_memory_unavailable`.
  [[nodiscard]] static basic_secret from_hex(std::string_view text) {
    return detail::value_or_throw(decode_hex(text), Tag::name);
  }
  [[nodiscard]] static std::optional<basic_secret> from_hex(std::string_view text, error_code& ec) {
    return detail::value_or_code(decode_hex(text), ec);
  }

  basic_secret(const basic_secret&) = delete;
  basic_secret& operator=(const basic_secret&) = delete;
  basic_secret(basic_secret&& other) noexcept : memory_(std::exchange(other.memory_, nullptr)) {}
  basic_secret& operator=(basic_secret&& other) noexcept {
    if (this != &other) {
      release();
      memory_ = std::exchange(other.memory_, nullptr);
    }
    return *this;
  }
  ~basic_secret() { release(); }

  [[nodiscard]] static constexpr std::size_t size() noexcept { return Size; }

  /// True only for a moved-from secret.
  [[nodiscard]] bool empty() const noexcept { return memory_ == nullptr; }

  /// The secret bytes. Keep the view no longer than the secret, and copy them nowhere else.
  [[nodiscard]] byte_view reveal() const noexcept {
    return memory_ == nullptr ? byte_view{} : byte_view{memory_, Size};
  }

  /// Constant-time equality; an empty secret equals only another empty one.
  friend bool operator==(const basic_secret& a, const basic_secret& b) noexcept {
    if (a.empty() || b.empty()) return a.empty() && b.empty();
    return sodium_memcmp(a.memory_, b.memory_, Size) == 0;
  }

  /// Writes a redaction such as "<redacted x25519 secret key>", never the bytes.
  friend std::ostream& operator<<(std::ostream& out, const basic_secret&) {
    return out << "<redacted " << Tag::name << '>';
  }

 private:
  explicit basic_secret(std::byte* memory) noexcept : memory_(memory) {}

  [[nodiscard]] static detail::result<basic_secret> allocate() {
    std::byte* memory = Allocator::allocate(Size);
    if (memory == nullptr) return {errc::secure_memory_unavailable};
    return basic_secret(memory);
  }

  [[nodiscard]] static detail::result<basic_secret> copy_from(byte_view source) {
    if (source.size() != Size) {
      return {errc::invalid_length,
              "expected " + std::to_string(Size) + " bytes, got " + std::to_string(source.size())};
    }
    auto secret = allocate();
    if (secret.has_value()) std::copy(source.begin(), source.end(), secret.value().memory_);
    return secret;
  }

  [[nodiscard]] static detail::result<basic_secret> decode_hex(std::string_view text) {
    auto secret = allocate();
    if (!secret.has_value()) return secret;
    // On failure the partly written secret is wiped by its destructor.
    if (auto why = detail::decode_hex_into(text, {secret.value().memory_, Size})) return std::move(*why);
    return secret;
  }

  void release() noexcept {
    if (memory_ == nullptr) return;
    sodium_memzero(memory_, Size);
    Allocator::deallocate(std::exchange(memory_, nullptr), Size);
  }

  std::byte* memory_ = nullptr;
};

namespace detail {
struct ed25519_seed_tag {
  static constexpr const char* name = "ed25519 secret key";
};
struct x25519_secret_key_tag {
  static constexpr const char* name = "x25519 secret key";
};
}  // namespace detail

/// An Ed25519 private key as its 32-byte seed (RFC 8032 section 5.1.5), the form TON wallets
/// derive from a mnemonic; the signing key is expanded from it when signing.
using ed25519_secret_key = basic_secret<32, detail::ed25519_seed_tag>;

/// An X25519 private key (RFC 7748).
using x25519_secret_key = basic_secret<32, detail::x25519_secret_key_tag>;

COCOON_SDK_NAMESPACE_END

#endif
