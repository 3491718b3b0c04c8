#include <cocoon/crypto/ed25519.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

namespace {

struct rfc8032_case {
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte).
constexpr rfc8032_case rfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2"
     "4655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302ae"
     "eb00d291612bb0c00"},
};

}  // namespace

TEST_CASE("Ed25519 keys and signatures match RFC 8032", "[crypto][ed25519]") {
  for (const auto& c : rfc8032) {
    const auto seed = cocoon::ed25519_secret_key::from_hex(c.seed);
    const auto message = cocoon::from_hex(c.message);
    const auto key = cocoon::crypto::ed25519_public_key_of(seed);
    CHECK(key.to_hex() == c.public_key);
    const auto signature = cocoon::crypto::ed25519_sign(seed, message);
    CHECK(cocoon::to_hex(signature) == c.signature);
    CHECK(cocoon::crypto::ed25519_verify(key, message, signature));
  }
}

TEST_CASE("Ed25519 verification refuses another message, key or signature", "[crypto][ed25519]") {
  const auto seed = cocoon::ed25519_secret_key::generate();
  const auto key = cocoon::crypto::ed25519_public_key_of(seed);
  const auto message = cocoon::as_bytes("top up 1 TON");
  const auto signature = cocoon::crypto::ed25519_sign(seed, message);
  REQUIRE(cocoon::crypto::ed25519_verify(key, message, signature));

  CHECK_FALSE(cocoon::crypto::ed25519_verify(key, cocoon::as_bytes("top up 9 TON"), signature));
  const auto other = cocoon::crypto::ed25519_public_key_of(cocoon::ed25519_secret_key::generate());
  CHECK_FALSE(cocoon::crypto::ed25519_verify(other, message, signature));
  for (std::size_t bit = 0; bit < signature.size() * 8; bit += 37) {
    auto flipped = signature;
    flipped[bit / 8] ^= std::byte(1u << (bit % 8));
    CHECK_FALSE(cocoon::crypto::ed25519_verify(key, message, flipped));
  }
  // Truncated and extended signatures are refused before any curve arithmetic.
  CHECK_FALSE(cocoon::crypto::ed25519_verify(key, message, cocoon::byte_view(signature).first(63)));
  cocoon::bytes longer(signature.begin(), signature.end());
  longer.push_back(std::byte{0});
  CHECK_FALSE(cocoon::crypto::ed25519_verify(key, message, longer));
}
