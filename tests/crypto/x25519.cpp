#include <cocoon/crypto/x25519.hpp>

#include <catch2/catch.hpp>

TEST_CASE("X25519 matches RFC 7748 section 6.1", "[crypto][x25519]") {
  const auto alice =
      cocoon::x25519_secret_key::from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const auto bob =
      cocoon::x25519_secret_key::from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  const auto alice_public = cocoon::crypto::public_key_of(alice);
  const auto bob_public = cocoon::crypto::public_key_of(bob);
  CHECK(alice_public.to_hex() == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  CHECK(bob_public.to_hex() == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  std::array<std::byte, 32> ab{}, ba{};
  REQUIRE_FALSE(cocoon::crypto::detail::x25519(alice, bob_public, ab));
  REQUIRE_FALSE(cocoon::crypto::detail::x25519(bob, alice_public, ba));
  CHECK(cocoon::to_hex(ab) == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  CHECK(ab == ba);
}

TEST_CASE("X25519 refuses small-order points", "[crypto][x25519]") {
  const auto secret = cocoon::x25519_secret_key::generate();
  // The identity (all zeros) and the point of order 8 listed in RFC 7748's errata discussions.
  for (const char* point : {"0000000000000000000000000000000000000000000000000000000000000000",
                            "0100000000000000000000000000000000000000000000000000000000000000",
                            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}) {
    std::array<std::byte, 32> shared{};
    const auto why = cocoon::crypto::detail::x25519(secret, cocoon::x25519_public_key::from_hex(point), shared);
    REQUIRE(why);
    CHECK(why->code == cocoon::errc::invalid_public_key);
  }
}

TEST_CASE("Ed25519 keys convert to the X25519 keys libsodium's own test expects", "[crypto][x25519]") {
  // libsodium test/default/ed25519_convert: seed and the expected Curve25519 key pair.
  const auto seed =
      cocoon::ed25519_secret_key::from_hex("421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee");
  const auto ed_key = cocoon::crypto::ed25519_public_key_of(seed);

  const auto x_public = cocoon::crypto::x25519_from_ed25519(ed_key);
  const auto x_secret = cocoon::crypto::x25519_from_ed25519(seed);
  CHECK(x_public.to_hex() == "f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50");
  CHECK(cocoon::to_hex(x_secret.reveal()) == "8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166");
  CHECK(cocoon::crypto::public_key_of(x_secret) == x_public);
}

TEST_CASE("an Ed25519 key that is not a valid point does not convert", "[crypto][x25519]") {
  // y = 2 is not on the curve.
  const auto invalid =
      cocoon::ed25519_public_key::from_hex("0200000000000000000000000000000000000000000000000000000000000000");
  CHECK_THROWS_AS(cocoon::crypto::x25519_from_ed25519(invalid), cocoon::error);
}
