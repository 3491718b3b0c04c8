#include <cocoon/core/nanotons.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <type_traits>

using cocoon::nanotons;
using namespace cocoon::literals;

// Never a double, never a sign: only unsigned integers construct an amount.
static_assert(!std::is_constructible_v<nanotons, double>);
static_assert(!std::is_constructible_v<nanotons, float>);
static_assert(!std::is_constructible_v<nanotons, long double>);
static_assert(!std::is_constructible_v<nanotons, int>);
static_assert(!std::is_constructible_v<nanotons, std::int64_t>);
static_assert(!std::is_constructible_v<nanotons, bool>);
static_assert(std::is_constructible_v<nanotons, std::uint64_t>);
static_assert(!std::is_convertible_v<std::uint64_t, nanotons>);
static_assert(1.5_ton == nanotons{1'500'000'000u});
static_assert(0.000000001_ton == 1_nanoton);
static_assert(18446744073.709551615_ton == nanotons::max());

namespace {
std::uint64_t parsed(std::string_view text) { return nanotons::parse(text).count(); }

void check_rejected(std::string_view text, cocoon::errc code, const std::string& where) {
  INFO(std::string(text));
  cocoon::error_code ec;
  CHECK_FALSE(nanotons::parse(text, ec).has_value());
  CHECK(ec == code);
  try {
    (void)nanotons::parse(text);
    FAIL("accepted");
  } catch (const cocoon::error& failure) {
    CHECK(failure.code() == code);
    CHECK(failure.where() == where);
  }
}
}  // namespace

TEST_CASE("TON amounts parse exactly", "[core][nanotons]") {
  CHECK(parsed("1.5") == 1'500'000'000u);
  CHECK(parsed("0.000000001") == 1u);
  CHECK(parsed("0") == 0u);
  CHECK(parsed("0.0") == 0u);
  CHECK(parsed("1") == 1'000'000'000u);
  CHECK(parsed("007.25") == 7'250'000'000u);
  CHECK(parsed("123456789.987654321") == 123'456'789'987'654'321u);
  CHECK(parsed("0.1") == 100'000'000u);
  CHECK(parsed("18446744073.709551615") == std::numeric_limits<std::uint64_t>::max());
  CHECK(parsed("18446744073") == 18'446'744'073'000'000'000u);
}

TEST_CASE("TON amounts reject junk, precision and overflow", "[core][nanotons]") {
  using cocoon::errc;
  check_rejected("", errc::amount_syntax, "offset 0");
  check_rejected(".", errc::amount_syntax, "offset 0");
  check_rejected(".5", errc::amount_syntax, "offset 0");
  check_rejected("1.", errc::amount_syntax, "offset 1");
  check_rejected("-1", errc::amount_syntax, "offset 0");
  check_rejected("+1", errc::amount_syntax, "offset 0");
  check_rejected("1e9", errc::amount_syntax, "offset 1");
  check_rejected("1E9", errc::amount_syntax, "offset 1");
  check_rejected(" 1", errc::amount_syntax, "offset 0");
  check_rejected("1 ", errc::amount_syntax, "offset 1");
  check_rejected("1,5", errc::amount_syntax, "offset 1");
  check_rejected("1_000", errc::amount_syntax, "offset 1");
  check_rejected("1.2.3", errc::amount_syntax, "offset 3");
  check_rejected("0x10", errc::amount_syntax, "offset 1");
  check_rejected("nan", errc::amount_syntax, "offset 0");
  check_rejected("inf", errc::amount_syntax, "offset 0");
  check_rejected("1.5 TON", errc::amount_syntax, "offset 3");
  check_rejected(std::string_view("1\0", 2), errc::amount_syntax, "offset 1");
  check_rejected("0.0000000001", errc::amount_precision, "offset 11");
  check_rejected("1.0000000000", errc::amount_precision, "offset 11");
  check_rejected("18446744073.709551616", errc::amount_overflow, "offset 0");
  check_rejected("18446744074", errc::amount_overflow, "offset 10");
  check_rejected("99999999999999999999999999", errc::amount_overflow, "offset 10");
}

TEST_CASE("TON amounts print the shortest exact decimal", "[core][nanotons]") {
  CHECK(nanotons{}.to_string() == "0");
  CHECK((1_nanoton).to_string() == "0.000000001");
  CHECK(nanotons{1'500'000'000u}.to_string() == "1.5");
  CHECK(nanotons{3'000'000'000u}.to_string() == "3");
  CHECK(nanotons{10'000'000u}.to_string() == "0.01");
  CHECK(nanotons::max().to_string() == "18446744073.709551615");
  std::ostringstream out;
  out << 2.25_ton;
  CHECK(out.str() == "2.25 TON");
}

TEST_CASE("printing then parsing returns the same amount", "[core][nanotons]") {
  std::mt19937_64 random(Catch::rngSeed());
  for (int i = 0; i < 10000; ++i) {
    // Mix magnitudes so short and long fractions both occur.
    const std::uint64_t count = random() >> (random() % 64);
    CHECK(nanotons::parse(nanotons{count}.to_string()).count() == count);
  }
}

TEST_CASE("amount arithmetic never wraps", "[core][nanotons]") {
  CHECK(1.5_ton + 0.5_ton == 2_ton);
  CHECK(2_ton - 0.5_ton == 1.5_ton);
  CHECK(0.000000002_ton * 1000 == 0.000002_ton);
  CHECK(nanotons::max() * 0 == nanotons{});

  CHECK_THROWS_AS(nanotons::max() + 1_nanoton, cocoon::error);
  CHECK_THROWS_AS(1_nanoton - 2_nanoton, cocoon::error);
  CHECK_THROWS_AS(nanotons::max() * 2, cocoon::error);

  cocoon::error_code ec;
  CHECK_FALSE(nanotons::checked_add(nanotons::max(), 1_nanoton, ec));
  CHECK(ec == cocoon::errc::amount_overflow);
  CHECK(nanotons::checked_sub(3_ton, 1_ton, ec) == 2_ton);
  CHECK_FALSE(ec);
  CHECK_FALSE(nanotons::checked_sub(1_ton, 3_ton, ec));
  CHECK(ec == cocoon::errc::amount_overflow);
  CHECK_FALSE(nanotons::checked_mul(10_ton, std::numeric_limits<std::uint64_t>::max(), ec));
  CHECK(nanotons::checked_mul(10_ton, 3, ec) == 30_ton);

  nanotons balance = 1_ton;
  balance += 1_ton;
  balance -= 0.25_ton;
  CHECK(balance == 1.75_ton);
  CHECK(1_ton < 1.000000001_ton);
}
