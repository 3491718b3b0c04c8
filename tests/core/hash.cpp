#include <cocoon/core/hash.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

static_assert(cocoon::hash256::size() == 32 && cocoon::hash384::size() == 48 && cocoon::hash512::size() == 64);
static_assert(!std::is_convertible_v<cocoon::hash256, cocoon::hash384>);

TEST_CASE("hash types parse and print their digest sizes", "[core][hash]") {
  // SHA-256("") and SHA-384("") from FIPS 180-4 examples.
  const std::string sha256_empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const std::string sha384_empty =
      "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b";
  CHECK(cocoon::hash256::from_hex(sha256_empty).to_hex() == sha256_empty);
  CHECK(cocoon::hash384::from_hex(sha384_empty).to_hex() == sha384_empty);
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::hash512::from_hex(sha384_empty, ec));
  CHECK(ec == cocoon::errc::invalid_length);
  CHECK(cocoon::hash512::from_hex(std::string(128, 'f'), ec).has_value());
}
