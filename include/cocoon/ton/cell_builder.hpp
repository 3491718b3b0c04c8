// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_CELL_BUILDER_HPP
#define COCOON_TON_CELL_BUILDER_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cell.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// Writes the bits and references of one ordinary cell:
///
///     const ton::cell body = ton::cell_builder()
///         .store_uint(0, 32)              // op: text comment
///         .store_snake_text("Hello!")
///         .build();
///
/// Integers are limited to 64 bits (`store_uint`, `store_int`); wider fixed-size values such as
/// 256-bit hashes and keys are stored as bytes (`store_bytes`, `store_hash`). Store calls never
/// throw: the first one that cannot be done (too many bits or references, a value that does not
/// fit its width) is remembered with its bit offset, later stores are ignored, and `build()`
/// reports it.
class cell_builder {
 public:
  cell_builder& store_bit(bool value) {
    if (reserve(1, "bit")) detail::set_bit(data_, bits_++, value);
    return *this;
  }

  /// `value` as an unsigned big-endian integer of `width` bits (0..64).
  cell_builder& store_uint(std::uint64_t value, unsigned width) {
    if (width > 64 || (width < 64 && (value >> width) != 0)) return fail(errc::cell_value_out_of_range, "uint");
    if (reserve(width, "uint")) append(value, width);
    return *this;
  }

  /// `value` in two's complement in `width` bits (1..64).
  cell_builder& store_int(std::int64_t value, unsigned width) {
    if (width == 0 || width > 64) return fail(errc::cell_value_out_of_range, "int");
    if (width < 64) {
      const std::int64_t limit = std::int64_t{1} << (width - 1);
      if (value < -limit || value >= limit) return fail(errc::cell_value_out_of_range, "int");
    }
    if (reserve(width, "int")) append(static_cast<std::uint64_t>(value), width);
    return *this;
  }

  /// The first `bit_count` bits of `data`, most significant bit first.
  cell_builder& store_bits(byte_view data, std::size_t bit_count) {
    if (bit_count > data.size() * 8) return fail(errc::cell_value_out_of_range, "bits beyond the data given");
    if (reserve(bit_count, "bits")) {
      for (std::size_t i = 0; i < bit_count; ++i) detail::set_bit(data_, bits_++, detail::get_bit(data, i));
    }
    return *this;
  }

  cell_builder& store_bytes(byte_view data) { return store_bits(data, data.size() * 8); }
  cell_builder& store_hash(const hash256& value) { return store_bytes(value.view()); }

  /// An amount as `Coins` (VarUInteger 16): a 4-bit byte count, then the minimal big-endian bytes.
  cell_builder& store_coins(nanotons amount) {
    const std::uint64_t value = amount.count();
    unsigned length = 0;
    while (length < 8 && (value >> (8 * length)) != 0) ++length;
    if (!fits(4 + 8 * length)) return fail(errc::cell_overflow, "coins");
    append(length, 4);
    append(value, 8 * length);
    return *this;
  }

  /// `MsgAddressInt` as `addr_std` without anycast: bits `10`, `0`, int8 workchain, account id.
  cell_builder& store_address(const address& destination) {
    if (!fits(3 + 8 + 256)) return fail(errc::cell_overflow, "address");
    append(0b100, 3);
    append(static_cast<std::uint8_t>(destination.workchain()), 8);
    return store_hash(destination.account());
  }

  /// `MsgAddress`: `addr_none` (bits `00`) for no address, else as `store_address`.
  cell_builder& store_address(const std::optional<address>& destination) {
    if (destination) return store_address(*destination);
    return store_uint(0, 2);
  }

  cell_builder& store_ref(cell child) {
    if (refs_.size() == max_cell_refs) return fail(errc::cell_overflow, "reference");
    if (!failed_) refs_.push_back(std::move(child));
    return *this;
  }

  /// `Maybe ^Cell`: a 0 bit, or a 1 bit and the reference.
  cell_builder& store_maybe_ref(const std::optional<cell>& child) {
    if (!child) return store_bit(false);
    if (refs_.size() == max_cell_refs) return fail(errc::cell_overflow, "reference");
    return store_bit(true).store_ref(*child);
  }

  /// Appends the bits and references of `other` (for example a cell already built by the caller).
  cell_builder& store_cell(const cell& other) {
    if (refs_.size() + other.ref_count() > max_cell_refs) return fail(errc::cell_overflow, "reference");
    store_bits(other.data(), other.bit_size());
    for (const cell& child : other.refs()) store_ref(child);
    return *this;
  }

  /// Text as a snake string: as many whole bytes as fit here, the rest in a chain of references
  /// (127 bytes per cell, one reference each), as comments and metadata carry text.
  cell_builder& store_snake_text(std::string_view text) {
    const byte_view all = as_bytes(text);
    const std::size_t here = std::min(all.size(), remaining_bits() / 8);
    if (all.size() == here) return store_bytes(all);
    if (refs_.size() == max_cell_refs) return fail(errc::cell_overflow, "snake text");
    // The chain is built from its last cell back to the one referenced from here.
    const byte_view rest = all.subspan(here);
    constexpr std::size_t chunk = max_cell_bits / 8;
    std::optional<cell> next;
    for (std::size_t end = rest.size(); end > 0;) {
      const std::size_t begin = (end - 1) / chunk * chunk;
      std::vector<cell> refs;
      if (next) refs.push_back(std::move(*next));
      auto made = detail::make_cell(rest.subspan(begin, end - begin), (end - begin) * 8, std::move(refs), false);
      if (!made.has_value()) return fail(made.error().code, "snake text");
      next = std::move(made).value();
      end = begin;
    }
    store_bytes(all.first(here));
    return store_ref(std::move(*next));
  }

  [[nodiscard]] std::size_t bits() const noexcept { return bits_; }
  [[nodiscard]] std::size_t refs() const noexcept { return refs_.size(); }
  [[nodiscard]] std::size_t remaining_bits() const noexcept { return max_cell_bits - bits_; }
  [[nodiscard]] std::size_t remaining_refs() const noexcept { return max_cell_refs - refs_.size(); }

  /// The cell.
  /// @throws cocoon::error with the first store's failure (`errc::cell_overflow`,
  ///         `errc::cell_value_out_of_range`), naming what was stored at which bit.
  [[nodiscard]] cell build() const { return cocoon::detail::value_or_throw(finish(), "cell build"); }
  /// As `build()`; on failure returns `std::nullopt` with `ec` set.
  [[nodiscard]] std::optional<cell> build(error_code& ec) const { return cocoon::detail::value_or_code(finish(), ec); }

 private:
  [[nodiscard]] cocoon::detail::result<cell> finish() const {
    if (failed_) return *failed_;
    return detail::make_cell(data_, bits_, refs_, false);
  }

  cell_builder& fail(error_code code, const char* what) {
    if (!failed_) failed_ = cocoon::detail::failure{code, std::string(what) + " at bit " + std::to_string(bits_)};
    return *this;
  }

  [[nodiscard]] bool fits(std::size_t count) const noexcept { return !failed_ && count <= max_cell_bits - bits_; }

  bool reserve(std::size_t count, const char* what) {
    if (failed_) return false;
    if (count > max_cell_bits - bits_) {
      fail(errc::cell_overflow, what);
      return false;
    }
    return true;
  }

  void append(std::uint64_t value, unsigned width) {
    for (unsigned i = width; i > 0; --i) detail::set_bit(data_, bits_++, ((value >> (i - 1)) & 1U) != 0);
  }

  std::array<std::byte, 128> data_{};
  std::size_t bits_ = 0;
  std::vector<cell> refs_;
  std::optional<cocoon::detail::failure> failed_;
};

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
