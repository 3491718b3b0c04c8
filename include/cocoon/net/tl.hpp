// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_TL_HPP
#define COCOON_NET_TL_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/endian.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace net::tl {

/// TON-style TL, the binary encoding of COCOON's client-proxy protocol: little-endian `int`
/// (4 bytes), `long` (8), `double` (8, IEEE 754), `int256` (32 raw bytes), `bytes`/`string` as a
/// length (one byte below 254, else 0xfe and three bytes) then the data, zero-padded to a multiple
/// of 4, `Bool` boxed, vectors bare (an `int` count, then the elements).
inline constexpr std::uint32_t bool_true = 0x997275b5;
inline constexpr std::uint32_t bool_false = 0xbc799737;
/// The longest `bytes` value the three-byte length can express.
inline constexpr std::size_t max_bytes_length = (std::size_t{1} << 24) - 1;

/// Appends TL values to a buffer.
class writer {
 public:
  void u32(std::uint32_t value) { put_le(value, 4); }
  void i32(std::int32_t value) { put_le(static_cast<std::uint32_t>(value), 4); }
  void i64(std::int64_t value) { put_le(static_cast<std::uint64_t>(value), 8); }
  void f64(double value) { put_le(std::bit_cast<std::uint64_t>(value), 8); }
  /// An `int256`: any 32-byte strong type (hash256, ed25519_public_key).
  template <class Fixed>
  void int256(const Fixed& value) {
    static_assert(Fixed::size() == 32);
    out_.insert(out_.end(), value.data(), value.data() + value.size());
  }
  void boolean(bool value) { u32(value ? bool_true : bool_false); }

  /// @throws cocoon::error with `errc::tl_malformed` for more than 2^24 - 1 bytes.
  void bytes(byte_view data) {
    if (data.size() > max_bytes_length) {
      cocoon::detail::throw_error(errc::tl_malformed, "TL encode", "bytes value over 16 MiB");
    }
    std::size_t header = 1;
    if (data.size() < 254) {
      out_.push_back(static_cast<std::byte>(data.size()));
    } else {
      out_.push_back(std::byte{0xfe});
      put_le(data.size(), 3);
      header = 4;
    }
    out_.insert(out_.end(), data.begin(), data.end());
    out_.resize(out_.size() + (4 - (header + data.size()) % 4) % 4);
  }
  void string(std::string_view text) { bytes(as_bytes(text)); }

  [[nodiscard]] const cocoon::bytes& data() const& noexcept { return out_; }
  [[nodiscard]] cocoon::bytes data() && noexcept { return std::move(out_); }

 private:
  void put_le(std::uint64_t value, std::size_t width) {
    out_.resize(out_.size() + width);
    cocoon::detail::store_le(value, width, out_.data() + out_.size() - width);
  }

  cocoon::bytes out_;
};

/// Reads TL values from a buffer with every length checked. The first failure sticks: later
/// reads return zero values and `failure()` names the field and byte offset of the first, so a
/// parser reads all fields and checks once at the end.
class reader {
 public:
  explicit reader(byte_view input) noexcept : input_(input) {}

  [[nodiscard]] std::uint32_t u32(std::string_view field) { return static_cast<std::uint32_t>(get_le(4, field)); }
  [[nodiscard]] std::int32_t i32(std::string_view field) { return static_cast<std::int32_t>(u32(field)); }
  [[nodiscard]] std::int64_t i64(std::string_view field) { return static_cast<std::int64_t>(get_le(8, field)); }
  [[nodiscard]] double f64(std::string_view field) { return std::bit_cast<double>(get_le(8, field)); }
  /// An `int256` as the 32-byte strong type `Fixed` (hash256 unless said otherwise).
  template <class Fixed = hash256>
  [[nodiscard]] Fixed int256(std::string_view field) {
    static_assert(Fixed::size() == 32);
    if (!take(32, field)) return {};
    return Fixed(input_.subspan(offset_ - 32, 32));
  }
  [[nodiscard]] bool boolean(std::string_view field) {
    const std::size_t at = offset_;
    const auto id = u32(field);
    if (id == bool_true) return true;
    if (id != bool_false && !failure_) fail_at(at, field, "not a Bool");
    return false;
  }
  [[nodiscard]] cocoon::bytes bytes(std::string_view field) {
    const auto view = bytes_view(field);
    return {view.begin(), view.end()};
  }
  [[nodiscard]] std::string string(std::string_view field) { return std::string(as_chars(bytes_view(field))); }

  /// A constructor id that must be `expected`.
  void expect(std::uint32_t expected, std::string_view type) {
    const std::size_t at = offset_;
    if (u32(type) != expected && !failure_) fail_at(at, type, "unexpected constructor");
  }

  /// A vector's element count, refused when the remaining input cannot hold `min_element_size`
  /// bytes per element (so a forged count cannot make the caller allocate).
  [[nodiscard]] std::size_t count(std::string_view field, std::size_t min_element_size) {
    const std::size_t at = offset_;
    const auto n = i32(field);
    if (failure_) return 0;
    if (n < 0 || static_cast<std::size_t>(n) * min_element_size > remaining()) {
      fail_at(at, field, "vector count out of range");
      return 0;
    }
    return static_cast<std::size_t>(n);
  }

  /// Fails unless every byte was consumed.
  void expect_end(std::string_view what) {
    if (!failure_ && remaining() != 0) fail_at(offset_, what, "trailing bytes");
  }

  /// Records a semantic failure (a flag combination or value the schema forbids) at `at`.
  void fail_at(std::size_t at, std::string_view field, std::string_view why) {
    if (failure_) return;
    failure_ = cocoon::detail::failure{
        errc::tl_malformed, std::string(field) + ": " + std::string(why) + " at offset " + std::to_string(at)};
  }

  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return input_.size() - offset_; }
  [[nodiscard]] bool ok() const noexcept { return !failure_; }
  [[nodiscard]] const std::optional<cocoon::detail::failure>& failure() const noexcept { return failure_; }

  /// The value parsed by `parse` if every read succeeded, else the first failure.
  template <class T>
  [[nodiscard]] cocoon::detail::result<T> finish(T value) {
    if (failure_) return *failure_;
    return value;
  }

 private:
  [[nodiscard]] bool take(std::size_t size, std::string_view field) {
    if (failure_) return false;
    if (remaining() < size) {
      fail_at(offset_, field, "truncated");
      return false;
    }
    offset_ += size;
    return true;
  }

  [[nodiscard]] std::uint64_t get_le(std::size_t width, std::string_view field) {
    if (!take(width, field)) return 0;
    return cocoon::detail::load_le(input_.data() + offset_ - width, width);
  }

  [[nodiscard]] byte_view bytes_view(std::string_view field) {
    const std::size_t at = offset_;
    auto length = static_cast<std::size_t>(get_le(1, field));
    std::size_t header = 1;
    if (length == 0xfe) {
      length = static_cast<std::size_t>(get_le(3, field));
      header = 4;
      // Only one encoding per value: lengths below 254 take the one-byte form.
      if (length < 254) fail_at(at, field, "long length form for a short value");
    } else if (length == 0xff) {
      fail_at(at, field, "length byte 0xff");
    }
    const std::size_t padding = (4 - (header + length) % 4) % 4;
    if (!take(length, field)) return {};
    const byte_view data = input_.subspan(offset_ - length, length);
    if (!take(padding, field)) return {};
    return data;
  }

  byte_view input_;
  std::size_t offset_ = 0;
  std::optional<cocoon::detail::failure> failure_;
};

}  // namespace net::tl
COCOON_SDK_NAMESPACE_END

#endif
