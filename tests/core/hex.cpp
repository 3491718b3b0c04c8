#include <cocoon/core/hex.hpp>

#include <catch2/catch.hpp>

#include <random>

using cocoon::as_bytes;
using cocoon::bytes;

TEST_CASE("hex encodes lowercase and decodes either case", "[core][hex]") {
  CHECK(cocoon::to_hex(as_bytes("")) == "");
  CHECK(cocoon::to_hex(as_bytes("\x01\xab\xff")) == "01abff");
  CHECK(cocoon::from_hex("01ABff") == cocoon::to_bytes("\x01\xab\xff"));
  CHECK(cocoon::from_hex("").empty());
}

TEST_CASE("hex round-trips random bytes", "[core][hex]") {
  std::mt19937 random(42);
  for (std::size_t size : {0u, 1u, 2u, 31u, 32u, 33u, 1000u}) {
    bytes data(size);
    for (auto& b : data) b = static_cast<std::byte>(random());
    CHECK(cocoon::from_hex(cocoon::to_hex(data)) == data);
  }
}

TEST_CASE("hex rejects junk with the offset of the first bad character", "[core][hex]") {
  struct junk_case {
    const char* text;
    cocoon::errc code;
    const char* where;
  };
  const junk_case cases[] = {
      {"abc", cocoon::errc::invalid_hex, "odd number of digits: 3"},
      {"zz", cocoon::errc::invalid_hex, "non-hex character at offset 0"},
      {"0g", cocoon::errc::invalid_hex, "non-hex character at offset 1"},
      {"00 11", cocoon::errc::invalid_hex, "odd number of digits: 5"},
      {"0x00", cocoon::errc::invalid_hex, "non-hex character at offset 1"},
      {"00\n0", cocoon::errc::invalid_hex, "non-hex character at offset 2"},
      {"abcd-1", cocoon::errc::invalid_hex, "non-hex character at offset 4"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    try {
      (void)cocoon::from_hex(c.text);
      FAIL("accepted junk");
    } catch (const cocoon::error& failure) {
      CHECK(failure.code() == c.code);
      CHECK(failure.where() == c.where);
    }
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::from_hex(c.text, ec).has_value());
    CHECK(ec == c.code);
  }
  // A NUL inside the string is junk too, not an end marker.
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::from_hex(std::string_view("00\0"
                                                "0",
                                                4),
                               ec));
  CHECK(ec == cocoon::errc::invalid_hex);
}

TEST_CASE("the error-code form clears the code on success", "[core][hex]") {
  cocoon::error_code ec = cocoon::errc::invalid_length;
  const auto decoded = cocoon::from_hex("00ff", ec);
  REQUIRE(decoded.has_value());
  CHECK_FALSE(ec);
  CHECK(decoded->size() == 2);
}
