// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_FIXED_BYTES_HPP
#define COCOON_CORE_FIXED_BYTES_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN

/// A public fixed-size byte value with a distinct type per meaning (`Tag`), so a hash cannot be
/// passed where a key is expected. Equality is constant time (sodium_memcmp): these values are
/// compared against attacker-supplied ones (MACs, measurements, key hashes).
///
/// Construct from exactly `Size` bytes or `2 * Size` hex digits; a default-constructed value is
/// all zeros. For secret material use `basic_secret` instead, which is never printed.
template <std::size_t Size, class Tag>
class fixed_bytes {
 public:
  static constexpr std::size_t size_in_bytes = Size;

  /// All zero bytes.
  constexpr fixed_bytes() noexcept = default;

  /// Copies exactly `Size` bytes.
  /// @throws cocoon::error with `errc::invalid_length` if `data` has another size.
  explicit fixed_bytes(byte_view data) : fixed_bytes(detail::value_or_throw(from_view(data), Tag::name)) {}

  /// Copies exactly `Size` bytes; on a wrong size returns `std::nullopt` with `ec` set.
  [[nodiscard]] static std::optional<fixed_bytes> from_bytes(byte_view data, error_code& ec) {
    return detail::value_or_code(from_view(data), ec);
  }

  /// Parses exactly `2 * Size` hex digits.
  /// @throws cocoon::error with `errc::invalid_hex` or `errc::invalid_length`.
  [[nodiscard]] static fixed_bytes from_hex(std::string_view text) {
    return detail::value_or_throw(parse_hex(text), Tag::name);
  }

  /// Parses exactly `2 * Size` hex digits; on failure returns `std::nullopt` with `ec` set.
  [[nodiscard]] static std::optional<fixed_bytes> from_hex(std::string_view text, error_code& ec) {
    return detail::value_or_code(parse_hex(text), ec);
  }

  [[nodiscard]] static constexpr std::size_t size() noexcept { return Size; }
  [[nodiscard]] constexpr const std::byte* data() const noexcept { return bytes_.data(); }
  [[nodiscard]] constexpr byte_view view() const noexcept { return bytes_; }
  [[nodiscard]] std::string to_hex() const { return cocoon::to_hex(bytes_); }

  /// Constant-time equality.
  friend bool operator==(const fixed_bytes& a, const fixed_bytes& b) noexcept {
    return sodium_memcmp(a.bytes_.data(), b.bytes_.data(), Size) == 0;
  }

  /// Prints lowercase hex.
  friend std::ostream& operator<<(std::ostream& out, const fixed_bytes& value) { return out << value.to_hex(); }

 private:
  [[nodiscard]] static detail::result<fixed_bytes> from_view(byte_view data) {
    if (data.size() != Size) {
      return {errc::invalid_length, "expected " + std::to_string(Size) + " bytes, got " + std::to_string(data.size())};
    }
    fixed_bytes value;
    std::copy(data.begin(), data.end(), value.bytes_.begin());
    return value;
  }

  [[nodiscard]] static detail::result<fixed_bytes> parse_hex(std::string_view text) {
    fixed_bytes value;
    if (auto why = detail::decode_hex_into(text, value.bytes_)) return std::move(*why);
    return value;
  }

  std::array<std::byte, Size> bytes_{};
};

COCOON_SDK_NAMESPACE_END

#endif
