// Oracle: an accepted amount prints to a decimal that parses back to the same count, and equals
// an independent digit-by-digit evaluation in 128-bit arithmetic; a refused one is refused by
// both forms with the same code.
#include <cocoon/core/nanotons.hpp>

#include "fuzz.hpp"

#include <optional>
#include <string_view>

namespace {
__extension__ typedef unsigned __int128 uint128;  // g++ and clang; __extension__ silences -Wpedantic

// Reference: the grammar digits ['.' 1-9 digits], evaluated without overflow in 128 bits.
std::optional<uint128> reference_value(std::string_view text) {
  uint128 value = 0;
  std::size_t position = 0;
  const auto digit = [&](std::size_t at) { return at < text.size() && text[at] >= '0' && text[at] <= '9'; };
  for (; digit(position); ++position) {
    value = value * 10 + static_cast<unsigned>(text[position] - '0');
    if (value > (static_cast<uint128>(1) << 64) * 1'000'000'000) return std::nullopt;
  }
  if (position == 0) return std::nullopt;
  unsigned fraction_digits = 0;
  if (position < text.size() && text[position] == '.') {
    for (++position; digit(position); ++position, ++fraction_digits) {
      value = value * 10 + static_cast<unsigned>(text[position] - '0');
    }
    if (fraction_digits == 0 || fraction_digits > 9) return std::nullopt;
  }
  if (position != text.size()) return std::nullopt;
  for (; fraction_digits < 9; ++fraction_digits) value *= 10;
  return value;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64) return 0;  // the grammar has nothing longer to explore
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cocoon::error_code ec;
  const auto amount = cocoon::nanotons::parse(text, ec);
  const auto expected = reference_value(text);
  const bool in_range = expected && *expected <= ~std::uint64_t{0};
  FUZZ_CHECK(amount.has_value() == in_range);
  if (amount) {
    FUZZ_CHECK(amount->count() == *expected);
    FUZZ_CHECK(cocoon::nanotons::parse(amount->to_string()) == *amount);
  } else {
    bool threw = false;
    try {
      (void)cocoon::nanotons::parse(text);
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
  }
  return 0;
}
