#include <cocoon/core/public_key.hpp>

#include <catch2/catch.hpp>

#include <type_traits>

// An Ed25519 key is not an X25519 key, even though both are 32 bytes.
static_assert(!std::is_convertible_v<cocoon::ed25519_public_key, cocoon::x25519_public_key>);
static_assert(!std::is_constructible_v<cocoon::x25519_public_key, cocoon::ed25519_public_key>);

TEST_CASE("public keys are 32-byte values", "[core][public_key]") {
  // RFC 8032 section 7.1, TEST 1 public key.
  const auto key =
      cocoon::ed25519_public_key::from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  CHECK(key.view().size() == 32);
  CHECK(key.to_hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  try {
    (void)cocoon::x25519_public_key::from_hex("00");
    FAIL("accepted a short key");
  } catch (const cocoon::error& failure) {
    CHECK(std::string(failure.what()) == "x25519 public key: wrong length (expected 64 hex digits, got 2)");
  }
}
