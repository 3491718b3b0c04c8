#include <cocoon/crypto/hkdf.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

using cocoon::from_hex;
namespace hkdf = cocoon::crypto::hkdf_sha256;

TEST_CASE("HKDF-SHA256 matches RFC 5869 test cases 1 and 3", "[crypto][hkdf]") {
  struct rfc_case {
    const char *ikm, *salt, *info, *prk, *okm;
  };
  const rfc_case cases[] = {
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
  for (const auto& c : cases) {
    std::array<std::byte, 32> prk{};
    hkdf::extract(from_hex(c.salt), {from_hex(c.ikm)}, prk);
    CHECK(cocoon::to_hex(prk) == c.prk);
    cocoon::bytes okm(42);
    REQUIRE_FALSE(hkdf::expand(prk, {from_hex(c.info)}, okm));
    CHECK(cocoon::to_hex(okm) == c.okm);
  }
}

TEST_CASE("HKDF input parts hash as their concatenation", "[crypto][hkdf]") {
  const auto ikm = from_hex("00112233445566778899");
  std::array<std::byte, 32> whole{}, parts{};
  hkdf::extract({}, {ikm}, whole);
  hkdf::extract({}, {cocoon::byte_view(ikm).first(3), cocoon::byte_view(ikm).subspan(3)}, parts);
  CHECK(whole == parts);
}

TEST_CASE("HKDF refuses more than 255 blocks", "[crypto][hkdf]") {
  std::array<std::byte, 32> prk{};
  cocoon::bytes okm(hkdf::max_output + 1);
  const auto why = hkdf::expand(prk, {}, okm);
  REQUIRE(why);
  CHECK(why->code == cocoon::errc::invalid_length);
  okm.resize(hkdf::max_output);
  CHECK_FALSE(hkdf::expand(prk, {}, okm));
}
