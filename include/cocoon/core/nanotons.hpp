// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_NANOTONS_HPP
#define COCOON_CORE_NANOTONS_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN

/// An amount of Toncoin in nanotons (1 TON = 10^9 nanotons), the unit of every TON message.
///
/// - Integer only: constructible from unsigned integers alone; floating point and signed
///   integers do not compile, so no rounding or sign error can creep in.
/// - Never wraps: arithmetic that would leave 0 .. 2^64-1 throws (or reports through
///   `error_code&` in the `checked_*` forms). All Toncoin in existence fits in 64 bits, and
///   COCOON's contracts reject wider coin values.
/// - Exact decimals: `parse("1.5")` is 1'500'000'000 and `to_string()` prints the shortest exact
///   decimal ("1.5", "0.000000001", "3").
class nanotons {
 public:
  static constexpr std::uint32_t decimals = 9;
  static constexpr std::uint64_t per_ton = 1'000'000'000;

  constexpr nanotons() noexcept = default;

  template <std::unsigned_integral Integer>
  requires(!std::same_as<Integer, bool>) constexpr explicit nanotons(Integer count) noexcept : count_(count) {}

  template <class Other>
  requires(!std::unsigned_integral<Other> || std::same_as<Other, bool>) nanotons(Other)
  = delete;

  [[nodiscard]] constexpr std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] static constexpr nanotons max() noexcept { return nanotons{std::numeric_limits<std::uint64_t>::max()}; }

  /// Parses a decimal TON amount: digits, optionally '.' and 1 to 9 more digits ("1", "1.5",
  /// "0.000000001"). Signs, exponents, whitespace, separators, a bare or trailing '.', more than
  /// 9 decimals and values above 2^64-1 nanotons are rejected.
  /// @throws cocoon::error with `errc::amount_syntax`, `errc::amount_precision` or
  ///         `errc::amount_overflow`, naming the offending offset.
  [[nodiscard]] static constexpr nanotons parse(std::string_view text) {
    const parsed_amount parsed = parse_decimal(text);
    if (!parsed.has_value()) detail::throw_error(parsed.code, "TON amount", "offset " + std::to_string(parsed.offset));
    return parsed.value();
  }

  /// Parses as `parse(text)`; on failure returns `std::nullopt` with `ec` set.
  [[nodiscard]] static std::optional<nanotons> parse(std::string_view text, error_code& ec) {
    const parsed_amount parsed = parse_decimal(text);
    if (!parsed.has_value()) {
      ec = parsed.code;
      return std::nullopt;
    }
    ec.clear();
    return parsed.value();
  }

  /// The exact amount in TON, without trailing zeros: "1.5", "0.000000001", "3".
  [[nodiscard]] std::string to_string() const {
    std::string text = std::to_string(count_ / per_ton);
    std::uint64_t fraction = count_ % per_ton;
    if (fraction == 0) return text;
    std::string digits(decimals, '0');
    for (auto position = digits.rbegin(); position != digits.rend(); ++position, fraction /= 10) {
      *position = static_cast<char>('0' + fraction % 10);
    }
    digits.erase(digits.find_last_not_of('0') + 1);
    return text + '.' + digits;
  }

  /// `a + b`; on overflow returns `std::nullopt` with `ec` = `errc::amount_overflow`.
  [[nodiscard]] static std::optional<nanotons> checked_add(nanotons a, nanotons b, error_code& ec) {
    return detail::value_or_code(add(a, b), ec);
  }
  /// `a - b`; below zero returns `std::nullopt` with `ec` = `errc::amount_overflow`.
  [[nodiscard]] static std::optional<nanotons> checked_sub(nanotons a, nanotons b, error_code& ec) {
    return detail::value_or_code(sub(a, b), ec);
  }
  /// `a * factor` (a price per token times a token count); on overflow returns `std::nullopt`.
  [[nodiscard]] static std::optional<nanotons> checked_mul(nanotons a, std::uint64_t factor, error_code& ec) {
    return detail::value_or_code(mul(a, factor), ec);
  }

  /// @throws cocoon::error with `errc::amount_overflow` on overflow.
  friend nanotons operator+(nanotons a, nanotons b) { return detail::value_or_throw(add(a, b), "nanotons +"); }
  /// @throws cocoon::error with `errc::amount_overflow` if `b > a`.
  friend nanotons operator-(nanotons a, nanotons b) { return detail::value_or_throw(sub(a, b), "nanotons -"); }
  /// @throws cocoon::error with `errc::amount_overflow` on overflow.
  friend nanotons operator*(nanotons a, std::uint64_t factor) {
    return detail::value_or_throw(mul(a, factor), "nanotons *");
  }
  nanotons& operator+=(nanotons other) { return *this = *this + other; }
  nanotons& operator-=(nanotons other) { return *this = *this - other; }

  friend constexpr auto operator<=>(nanotons, nanotons) noexcept = default;

  /// Prints "<amount> TON", e.g. "1.5 TON".
  friend std::ostream& operator<<(std::ostream& out, nanotons amount) { return out << amount.to_string() << " TON"; }

 private:
  // A minimal constexpr outcome, so that parse() also runs at compile time for the literals.
  struct parsed_amount {
    std::uint64_t count = 0;
    errc code{};
    std::size_t offset = 0;
    [[nodiscard]] constexpr bool has_value() const noexcept { return code == errc{}; }
    [[nodiscard]] constexpr nanotons value() const noexcept { return nanotons{count}; }
  };

  [[nodiscard]] static constexpr parsed_amount parse_decimal(std::string_view text) noexcept {
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t position = 0;
    std::uint64_t whole = 0;
    for (; position < text.size() && is_digit(text[position]); ++position) {
      const auto digit = static_cast<std::uint64_t>(text[position] - '0');
      if (whole > (max / per_ton - digit) / 10) return {0, errc::amount_overflow, position};
      whole = whole * 10 + digit;
    }
    if (position == 0) return {0, errc::amount_syntax, 0};
    std::uint64_t fraction = 0;
    std::uint32_t fraction_digits = 0;
    if (position < text.size() && text[position] == '.') {
      const std::size_t point = position++;
      for (; position < text.size() && is_digit(text[position]); ++position, ++fraction_digits) {
        if (fraction_digits == decimals) return {0, errc::amount_precision, position};
        fraction = fraction * 10 + static_cast<std::uint64_t>(text[position] - '0');
      }
      if (fraction_digits == 0) return {0, errc::amount_syntax, point};
    }
    if (position != text.size()) return {0, errc::amount_syntax, position};
    for (std::uint32_t scale = fraction_digits; scale < decimals; ++scale) fraction *= 10;
    // whole <= floor(max / per_ton) is guaranteed above; only the fraction can still overflow.
    if (whole * per_ton > max - fraction) return {0, errc::amount_overflow, 0};
    return {whole * per_ton + fraction, errc{}, 0};
  }

  [[nodiscard]] static detail::result<nanotons> add(nanotons a, nanotons b) {
    if (a.count_ > std::numeric_limits<std::uint64_t>::max() - b.count_) return {errc::amount_overflow};
    return nanotons{a.count_ + b.count_};
  }
  [[nodiscard]] static detail::result<nanotons> sub(nanotons a, nanotons b) {
    if (b.count_ > a.count_) return {errc::amount_overflow, "result below zero"};
    return nanotons{a.count_ - b.count_};
  }
  [[nodiscard]] static detail::result<nanotons> mul(nanotons a, std::uint64_t factor) {
    if (factor != 0 && a.count_ > std::numeric_limits<std::uint64_t>::max() / factor) return {errc::amount_overflow};
    return nanotons{a.count_ * factor};
  }

  std::uint64_t count_ = 0;
};

inline namespace literals {

/// `1.5_ton`: the characters of the literal are parsed exactly at compile time, never through a
/// double; a literal with more than 9 decimals or out of range does not compile.
template <char... Characters>
consteval nanotons operator""_ton() {
  constexpr char text[] = {Characters...};
  return nanotons::parse(std::string_view(text, sizeof...(Characters)));
}

/// `250_nanoton`: an integer count of nanotons.
consteval nanotons operator""_nanoton(unsigned long long count) { return nanotons{static_cast<std::uint64_t>(count)}; }

}  // namespace literals

COCOON_SDK_NAMESPACE_END

#endif
