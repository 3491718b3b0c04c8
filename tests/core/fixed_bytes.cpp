#include <cocoon/core/fixed_bytes.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <type_traits>

namespace {
struct test_tag {
  static constexpr const char* name = "test value";
};
struct other_tag {
  static constexpr const char* name = "other value";
};
using value4 = cocoon::fixed_bytes<4, test_tag>;
using other4 = cocoon::fixed_bytes<4, other_tag>;
}  // namespace

// Distinct tags are distinct types: a hash cannot stand in for a key.
static_assert(!std::is_convertible_v<value4, other4>);
static_assert(!std::is_constructible_v<value4, other4>);
// Construction from bytes is explicit.
static_assert(!std::is_convertible_v<cocoon::byte_view, value4>);

TEST_CASE("fixed_bytes takes exactly its size", "[core][fixed_bytes]") {
  const auto data = cocoon::to_bytes("\x01\x02\x03\x04");
  const value4 value(data);
  CHECK(value.to_hex() == "01020304");
  CHECK(value4::size() == 4);
  CHECK(value4{}.to_hex() == "00000000");

  CHECK_THROWS_MATCHES(value4(cocoon::as_bytes("abc")), cocoon::error,
                       Catch::Predicate<cocoon::error>([](const cocoon::error& e) {
                         return e.code() == cocoon::errc::invalid_length && e.where() == "expected 4 bytes, got 3";
                       }));
  cocoon::error_code ec;
  CHECK_FALSE(value4::from_bytes(cocoon::as_bytes("abcde"), ec));
  CHECK(ec == cocoon::errc::invalid_length);
  CHECK(value4::from_bytes(data, ec) == value);
  CHECK_FALSE(ec);
}

TEST_CASE("fixed_bytes parses exactly 2*size hex digits", "[core][fixed_bytes]") {
  CHECK(value4::from_hex("DEADbeef").to_hex() == "deadbeef");
  cocoon::error_code ec;
  CHECK_FALSE(value4::from_hex("deadbe", ec));
  CHECK(ec == cocoon::errc::invalid_length);
  CHECK_FALSE(value4::from_hex("deadbeefaa", ec));
  CHECK(ec == cocoon::errc::invalid_length);
  CHECK_FALSE(value4::from_hex("deadbeeg", ec));
  CHECK(ec == cocoon::errc::invalid_hex);
  try {
    (void)value4::from_hex("deadbeeg");
  } catch (const cocoon::error& failure) {
    CHECK(std::string(failure.what()) == "test value: invalid hex encoding (non-hex character at offset 7)");
  }
}

TEST_CASE("fixed_bytes equality compares every byte", "[core][fixed_bytes]") {
  const auto base = value4::from_hex("00000000");
  for (int position = 0; position < 4; ++position) {
    std::string hex = "00000000";
    hex[static_cast<std::size_t>(position * 2 + 1)] = '1';
    CHECK_FALSE(value4::from_hex(hex) == base);
    CHECK(value4::from_hex(hex) == value4::from_hex(hex));
  }
}

TEST_CASE("fixed_bytes errors name the value's type", "[core][fixed_bytes]") {
  CHECK_THROWS_WITH(other4::from_hex("00"), Catch::StartsWith("other value: wrong length"));
  CHECK_THROWS_WITH(value4::from_hex("00"), Catch::StartsWith("test value: wrong length"));
}

TEST_CASE("fixed_bytes prints hex", "[core][fixed_bytes]") {
  std::ostringstream out;
  out << value4::from_hex("0a0b0c0d");
  CHECK(out.str() == "0a0b0c0d");
}
