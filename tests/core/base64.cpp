#include <cocoon/core/base64.hpp>

#include <catch2/catch.hpp>

#include <random>

using cocoon::base64_variant;
using cocoon::to_bytes;

TEST_CASE("base64 matches the RFC 4648 section 10 vectors", "[core][base64]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(cocoon::to_base64(cocoon::as_bytes(plain)) == encoded);
    CHECK(cocoon::from_base64(encoded) == to_bytes(plain));
  }
}

TEST_CASE("base64 variants differ in alphabet and padding only", "[core][base64]") {
  const auto data = to_bytes("\xfb\xff\xbf\x01");
  CHECK(cocoon::to_base64(data, base64_variant::standard) == "+/+/AQ==");
  CHECK(cocoon::to_base64(data, base64_variant::standard_unpadded) == "+/+/AQ");
  CHECK(cocoon::to_base64(data, base64_variant::url) == "-_-_AQ==");
  CHECK(cocoon::to_base64(data, base64_variant::url_unpadded) == "-_-_AQ");
  for (auto variant : {base64_variant::standard, base64_variant::standard_unpadded, base64_variant::url,
                       base64_variant::url_unpadded}) {
    CHECK(cocoon::from_base64(cocoon::to_base64(data, variant), variant) == data);
  }
}

TEST_CASE("base64 round-trips random bytes in every variant", "[core][base64]") {
  std::mt19937 random(7);
  for (std::size_t size = 0; size < 70; ++size) {
    cocoon::bytes data(size);
    for (auto& b : data) b = static_cast<std::byte>(random());
    for (auto variant : {base64_variant::standard, base64_variant::standard_unpadded, base64_variant::url,
                         base64_variant::url_unpadded}) {
      CHECK(cocoon::from_base64(cocoon::to_base64(data, variant), variant) == data);
    }
  }
}

TEST_CASE("base64 decoding is strict", "[core][base64]") {
  struct junk_case {
    const char* text;
    base64_variant variant;
  };
  const junk_case cases[] = {
      {"Zg", base64_variant::standard},             // missing padding
      {"Zg=", base64_variant::standard},            // short padding
      {"Zg===", base64_variant::standard},          // extra padding
      {"Zg==", base64_variant::standard_unpadded},  // padding where none is allowed
      {"Zh==", base64_variant::standard},           // non-zero trailing bits
      {"Z", base64_variant::standard_unpadded},     // a lone sextet is no byte
      {"-_-_AQ==", base64_variant::standard},       // url alphabet in standard
      {"+/+/AQ==", base64_variant::url},            // standard alphabet in url
      {"Zm9v Zg==", base64_variant::standard},      // whitespace
      {"Zm9v\n", base64_variant::standard},         // trailing newline
      {"====", base64_variant::standard},           // padding only
      {"Zm9v!", base64_variant::standard},          // junk character
  };
  for (const auto& c : cases) {
    INFO(c.text);
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::from_base64(c.text, c.variant, ec).has_value());
    CHECK(ec == cocoon::errc::invalid_base64);
    CHECK_THROWS_AS(cocoon::from_base64(c.text, c.variant), cocoon::error);
  }
}

TEST_CASE("base64 errors locate the bad character", "[core][base64]") {
  try {
    (void)cocoon::from_base64("Zm9v!xyz");
    FAIL("accepted junk");
  } catch (const cocoon::error& failure) {
    CHECK(failure.code() == cocoon::errc::invalid_base64);
    CHECK(failure.where() == "unexpected character at offset 4");
  }
}

TEST_CASE("base64 refuses every non-ASCII byte, which libsodium 1.0.18 alone would decode", "[core][base64]") {
  for (int high = 0x80; high <= 0xff; ++high) {
    std::string text = "Zm8v";
    text[3] = static_cast<char>(high);
    for (auto variant : {base64_variant::standard, base64_variant::standard_unpadded, base64_variant::url,
                         base64_variant::url_unpadded}) {
      INFO("byte " << high << " variant " << static_cast<int>(variant));
      cocoon::error_code ec;
      CHECK_FALSE(cocoon::from_base64(text, variant, ec).has_value());
      CHECK(ec == cocoon::errc::invalid_base64);
    }
  }
  try {
    (void)cocoon::from_base64("Zm2vYm\xfcy", base64_variant::standard_unpadded);
    FAIL("accepted a non-ASCII byte");
  } catch (const cocoon::error& failure) {
    CHECK(failure.where() == "unexpected character at offset 6");
  }
}
