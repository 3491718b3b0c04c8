// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_SLICE_HPP
#define COCOON_TON_SLICE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cell.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// Reads a cell front to back: bits from a cursor, references in order.
///
/// Every read is bounds-checked; a failed read leaves the slice unchanged and names the bit (or
/// reference) offset where it failed. Each read has a throwing form and a form that reports
/// through `error_code&`.
class slice {
 public:
  explicit slice(cell source) : cell_(std::move(source)) {}

  [[nodiscard]] std::size_t bit_offset() const noexcept { return bit_; }
  [[nodiscard]] std::size_t remaining_bits() const noexcept { return cell_.bit_size() - bit_; }
  [[nodiscard]] std::size_t remaining_refs() const noexcept { return cell_.ref_count() - ref_; }

  /// @throws cocoon::error with `errc::cell_underflow`.
  bool load_bit() { return value(read_uint(1), "load bit") != 0; }
  std::optional<bool> load_bit(error_code& ec) {
    auto bit = code(read_uint(1), ec);
    return bit ? std::optional<bool>(*bit != 0) : std::nullopt;
  }

  /// An unsigned big-endian integer of `width` bits (0..64).
  /// @throws cocoon::error with `errc::cell_underflow` or `errc::cell_value_out_of_range` (width).
  std::uint64_t load_uint(unsigned width) { return value(read_uint(width), "load uint"); }
  std::optional<std::uint64_t> load_uint(unsigned width, error_code& ec) { return code(read_uint(width), ec); }

  /// A two's complement integer of `width` bits (1..64).
  std::int64_t load_int(unsigned width) { return value(read_int(width), "load int"); }
  std::optional<std::int64_t> load_int(unsigned width, error_code& ec) { return code(read_int(width), ec); }

  /// `count` whole bytes (the cursor need not be byte-aligned).
  bytes load_bytes(std::size_t count) { return value(read_bytes(count), "load bytes"); }
  std::optional<bytes> load_bytes(std::size_t count, error_code& ec) { return code(read_bytes(count), ec); }

  /// `Coins` (VarUInteger 16) as nanotons. Non-minimal encodings (a leading zero byte) are
  /// refused as `errc::cell_malformed`; values over 64 bits as `errc::cell_value_out_of_range`.
  nanotons load_coins() { return value(read_coins(), "load coins"); }
  std::optional<nanotons> load_coins(error_code& ec) { return code(read_coins(), ec); }

  /// `MsgAddressInt` as `addr_std` with workchain 0 or -1. Anycast, `addr_var`, external and
  /// absent addresses are refused as `errc::cell_malformed`.
  address load_address() { return value(read_address(false), "load address").value(); }
  std::optional<address> load_address(error_code& ec) {
    auto loaded = code(read_address(false), ec);
    return loaded ? *loaded : std::nullopt;
  }

  /// `MsgAddress` that may be `addr_none`: nothing for `addr_none`, else as `load_address`.
  std::optional<address> load_maybe_address() { return value(read_address(true), "load address"); }
  std::optional<std::optional<address>> load_maybe_address(error_code& ec) { return code(read_address(true), ec); }

  /// The next reference. @throws cocoon::error with `errc::cell_underflow`.
  cell load_ref() { return value(read_ref(), "load ref"); }
  std::optional<cell> load_ref(error_code& ec) { return code(read_ref(), ec); }

  /// `Maybe ^Cell`: nothing after a 0 bit, the next reference after a 1 bit.
  std::optional<cell> load_maybe_ref() { return value(read_maybe_ref(), "load maybe ref"); }
  std::optional<std::optional<cell>> load_maybe_ref(error_code& ec) { return code(read_maybe_ref(), ec); }

  /// The rest of this slice and its chain of references as snake text: every cell must hold
  /// whole bytes and at most one reference. The slice is consumed.
  /// @throws cocoon::error with `errc::cell_malformed` naming the cell of the chain.
  std::string load_snake_text() { return value(read_snake_text(), "load snake text"); }
  std::optional<std::string> load_snake_text(error_code& ec) { return code(read_snake_text(), ec); }

  /// Skips `count` bits. @throws cocoon::error with `errc::cell_underflow`.
  void skip_bits(std::size_t count) { (void)value(read_skip(count), "skip bits"); }
  bool skip_bits(std::size_t count, error_code& ec) { return code(read_skip(count), ec).has_value(); }

  /// Checks that nothing is left. @throws cocoon::error with `errc::cell_malformed`.
  void end_parse() const { cocoon::detail::throw_on_failure(check_end(), "end parse"); }
  [[nodiscard]] bool end_parse(error_code& ec) const { return cocoon::detail::succeeded(check_end(), ec); }

 private:
  template <class T>
  static T value(cocoon::detail::result<T>&& outcome, const char* operation) {
    return cocoon::detail::value_or_throw(std::move(outcome), operation);
  }
  template <class T>
  static std::optional<T> code(cocoon::detail::result<T>&& outcome, error_code& ec) {
    return cocoon::detail::value_or_code(std::move(outcome), ec);
  }

  [[nodiscard]] cocoon::detail::failure underflow(std::size_t wanted) const {
    return {errc::cell_underflow, "bit " + std::to_string(bit_) + ": " + std::to_string(wanted) + " bits wanted, " +
                                      std::to_string(remaining_bits()) + " left"};
  }

  [[nodiscard]] std::uint64_t peek(std::size_t at, unsigned width) const noexcept {
    std::uint64_t out = 0;
    for (std::size_t i = at; i < at + width; ++i) out = (out << 1U) | (cell_.bit(i) ? 1U : 0U);
    return out;
  }

  cocoon::detail::result<std::uint64_t> read_uint(unsigned width) {
    if (width > 64) return cocoon::detail::failure{errc::cell_value_out_of_range, "width over 64"};
    if (width > remaining_bits()) return underflow(width);
    const std::uint64_t out = peek(bit_, width);
    bit_ += width;
    return out;
  }

  cocoon::detail::result<std::int64_t> read_int(unsigned width) {
    if (width == 0 || width > 64) return cocoon::detail::failure{errc::cell_value_out_of_range, "width not 1..64"};
    auto raw = read_uint(width);
    if (!raw.has_value()) return raw.error();
    std::uint64_t bits = raw.value();
    if (width < 64 && ((bits >> (width - 1)) & 1U) != 0) bits |= ~std::uint64_t{0} << width;  // sign-extend
    return static_cast<std::int64_t>(bits);
  }

  cocoon::detail::result<bytes> read_bytes(std::size_t count) {
    if (count > remaining_bits() / 8) return underflow(count * 8);
    bytes out(count);
    for (auto& b : out) {
      b = static_cast<std::byte>(peek(bit_, 8));
      bit_ += 8;
    }
    return out;
  }

  cocoon::detail::result<nanotons> read_coins() {
    if (remaining_bits() < 4) return underflow(4);
    const auto length = static_cast<unsigned>(peek(bit_, 4));
    if (4 + 8 * std::size_t{length} > remaining_bits()) return underflow(4 + 8 * std::size_t{length});
    if (length > 8) {
      return cocoon::detail::failure{errc::cell_value_out_of_range,
                                     "bit " + std::to_string(bit_) + ": coins over 64 bits"};
    }
    if (length > 0 && peek(bit_ + 4, 8) == 0) {
      return cocoon::detail::failure{errc::cell_malformed,
                                     "bit " + std::to_string(bit_) + ": coins with a leading zero byte"};
    }
    const std::uint64_t amount = peek(bit_ + 4, 8 * length);
    bit_ += 4 + 8 * std::size_t{length};
    return nanotons{amount};
  }

  cocoon::detail::result<std::optional<address>> read_address(bool none_allowed) {
    const std::string where = "bit " + std::to_string(bit_);
    if (remaining_bits() < 2) return underflow(2);
    const std::uint64_t tag = peek(bit_, 2);
    if (tag == 0b00 && none_allowed) {
      bit_ += 2;
      return std::optional<address>{};
    }
    if (tag != 0b10) return cocoon::detail::failure{errc::cell_malformed, where + ": not an addr_std address"};
    if (remaining_bits() < 3 + 8 + 256) return underflow(3 + 8 + 256);
    if (cell_.bit(bit_ + 2)) return cocoon::detail::failure{errc::cell_malformed, where + ": anycast address"};
    const auto workchain = static_cast<std::int8_t>(peek(bit_ + 3, 8));
    if (workchain != 0 && workchain != -1) {
      return cocoon::detail::failure{errc::cell_malformed, where + ": workchain is not 0 or -1"};
    }
    std::array<std::byte, 32> account{};
    for (std::size_t i = 0; i < 32; ++i) account[i] = static_cast<std::byte>(peek(bit_ + 11 + 8 * i, 8));
    bit_ += 3 + 8 + 256;
    return std::optional<address>(address(workchain, hash256(account)));
  }

  cocoon::detail::result<cell> read_ref() {
    if (remaining_refs() == 0) {
      return cocoon::detail::failure{errc::cell_underflow, "ref " + std::to_string(ref_) + ": no reference left"};
    }
    return cell_.ref(ref_++);
  }

  cocoon::detail::result<std::optional<cell>> read_maybe_ref() {
    if (remaining_bits() < 1) return underflow(1);
    if (!cell_.bit(bit_)) {
      ++bit_;
      return std::optional<cell>{};
    }
    if (remaining_refs() == 0) {
      return cocoon::detail::failure{errc::cell_underflow, "ref " + std::to_string(ref_) + ": no reference left"};
    }
    ++bit_;
    return std::optional<cell>(cell_.ref(ref_++));
  }

  cocoon::detail::result<std::string> read_snake_text() {
    std::string text;
    slice part = *this;
    for (std::size_t index = 0;; ++index) {
      const std::string where = "snake cell " + std::to_string(index);
      if (part.remaining_bits() % 8 != 0) {
        return cocoon::detail::failure{errc::cell_malformed, where + ": not whole bytes"};
      }
      if (part.remaining_refs() > 1) {
        return cocoon::detail::failure{errc::cell_malformed, where + ": more than one reference"};
      }
      const bytes chunk = part.read_bytes(part.remaining_bits() / 8).value();
      text.append(as_chars(chunk));
      if (part.remaining_refs() == 0) break;
      part = slice(part.read_ref().value());
    }
    bit_ = cell_.bit_size();
    ref_ = cell_.ref_count();
    return text;
  }

  cocoon::detail::result<bool> read_skip(std::size_t count) {
    if (count > remaining_bits()) return underflow(count);
    bit_ += count;
    return true;
  }

  [[nodiscard]] std::optional<cocoon::detail::failure> check_end() const {
    if (remaining_bits() == 0 && remaining_refs() == 0) return std::nullopt;
    return cocoon::detail::failure{errc::cell_malformed, "bit " + std::to_string(bit_) + ": " +
                                                             std::to_string(remaining_bits()) + " bits and " +
                                                             std::to_string(remaining_refs()) + " references left"};
  }

  cell cell_;
  std::size_t bit_ = 0;
  std::size_t ref_ = 0;
};

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
