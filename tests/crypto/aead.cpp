#include <cocoon/crypto/aead.hpp>

#include <catch2/catch.hpp>

#include <sodium.h>
#include <cocoon/core/hex.hpp>

#include <random>

#include "random_bytes.hpp"

using cocoon::crypto::aead_algorithm;
using crypto_test::random_bytes;

namespace {
const aead_algorithm algorithms[] = {aead_algorithm::aes_128_gcm, aead_algorithm::aes_256_gcm,
                                     aead_algorithm::chacha20_poly1305};
}  // namespace

TEST_CASE("ChaCha20-Poly1305 matches the RFC 8439 section 2.8.2 example", "[crypto][aead]") {
  const auto key = cocoon::from_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const auto nonce = cocoon::from_hex("070000004041424344454647");
  const auto aad = cocoon::from_hex("50515253c0c1c2c3c4c5c6c7");
  const std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be "
      "it.";
  const auto sealed =
      cocoon::crypto::aead_seal(aead_algorithm::chacha20_poly1305, key, nonce, aad, cocoon::as_bytes(plaintext));
  CHECK(cocoon::to_hex(sealed).substr(0, 32) == "d31a8d34648e60db7b86afbc53ef7ec2");
  CHECK(cocoon::to_hex(sealed).substr(sealed.size() * 2 - 32) == "1ae10b594f09e26a7e902ecbd0600691");
}

TEST_CASE("ChaCha20-Poly1305 through OpenSSL equals libsodium's, for random sizes", "[crypto][aead]") {
  std::mt19937_64 random(Catch::rngSeed());
  for (std::size_t size : {0u, 1u, 15u, 16u, 17u, 63u, 64u, 65u, 1000u, 65536u + 3u}) {
    const auto key = random_bytes(32, random), nonce = random_bytes(12, random), aad = random_bytes(size % 40, random);
    const auto plaintext = random_bytes(size, random);
    const auto ours = cocoon::crypto::aead_seal(aead_algorithm::chacha20_poly1305, key, nonce, aad, plaintext);
    cocoon::bytes theirs(size + crypto_aead_chacha20poly1305_ietf_ABYTES);
    unsigned long long length = 0;
    const auto u = [](const cocoon::bytes& b) { return reinterpret_cast<const unsigned char*>(b.data()); };
    REQUIRE(sodium_init() >= 0);
    crypto_aead_chacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(theirs.data()), &length, u(plaintext),
                                              plaintext.size(), u(aad), aad.size(), nullptr, u(nonce), u(key));
    CHECK(ours == theirs);
  }
}

TEST_CASE("every AEAD round-trips and refuses any tampering", "[crypto][aead]") {
  std::mt19937_64 random(Catch::rngSeed());
  for (const auto algorithm : algorithms) {
    INFO("algorithm " << static_cast<int>(algorithm));
    const auto key = random_bytes(cocoon::crypto::aead_key_size(algorithm), random);
    const auto nonce = random_bytes(12, random), aad = random_bytes(13, random), plaintext = random_bytes(100, random);
    const auto sealed = cocoon::crypto::aead_seal(algorithm, key, nonce, aad, plaintext);
    REQUIRE(sealed.size() == plaintext.size() + 16);
    CHECK(cocoon::crypto::aead_open(algorithm, key, nonce, aad, sealed) == plaintext);

    cocoon::error_code ec;
    for (std::size_t position = 0; position < sealed.size(); ++position) {
      auto tampered = sealed;
      tampered[position] ^= std::byte{0x01};
      CHECK_FALSE(cocoon::crypto::aead_open(algorithm, key, nonce, aad, tampered, ec));
      CHECK(ec == cocoon::errc::decryption_failed);
    }
    auto other_aad = aad;
    other_aad[0] ^= std::byte{0x80};
    CHECK_FALSE(cocoon::crypto::aead_open(algorithm, key, nonce, other_aad, sealed, ec));
    auto other_nonce = nonce;
    other_nonce[11] ^= std::byte{0x01};
    CHECK_FALSE(cocoon::crypto::aead_open(algorithm, key, other_nonce, aad, sealed, ec));
    CHECK_FALSE(cocoon::crypto::aead_open(algorithm, key, nonce, aad, cocoon::byte_view(sealed).first(20), ec));
    CHECK_FALSE(cocoon::crypto::aead_open(algorithm, key, nonce, aad, cocoon::byte_view(sealed).first(15), ec));
    CHECK(ec == cocoon::errc::decryption_failed);
    CHECK_THROWS_AS(cocoon::crypto::aead_open(algorithm, key, other_nonce, aad, sealed), cocoon::error);
  }
}

TEST_CASE("AEAD keys and nonces must have their exact sizes", "[crypto][aead]") {
  const cocoon::bytes key16(16), key32(32), nonce(12), short_nonce(8);
  CHECK_THROWS_AS(cocoon::crypto::aead_seal(aead_algorithm::aes_128_gcm, key32, nonce, {}, {}), cocoon::error);
  CHECK_THROWS_AS(cocoon::crypto::aead_seal(aead_algorithm::chacha20_poly1305, key16, nonce, {}, {}), cocoon::error);
  CHECK_THROWS_AS(cocoon::crypto::aead_seal(aead_algorithm::aes_256_gcm, key32, short_nonce, {}, {}), cocoon::error);
  CHECK(cocoon::crypto::aead_seal(aead_algorithm::aes_128_gcm, key16, nonce, {}, {}).size() == 16);
}
