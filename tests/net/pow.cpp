#include <cocoon/net/pow.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

// Vectors from shared/research/cocoon-vectors.txt, computed by an independent implementation of
// COCOON's tee/cocoon/pow.cpp: salt 00 01 .. 0f.
namespace {
const auto challenge_20 = cocoon::from_hex("91128e4114000000000102030405060708090a0b0c0d0e0f");
}

TEST_CASE("a challenge parses and serializes back to the proxy's bytes", "[net][pow]") {
  const auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  CHECK(challenge.difficulty == 20);
  CHECK(cocoon::to_hex(challenge.salt) == "000102030405060708090a0b0c0d0e0f");
  CHECK(challenge.serialize() == challenge_20);
}

TEST_CASE("the solver finds the first nonce the official client finds", "[net][pow]") {
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  for (const auto& [difficulty, nonce] : {std::pair{8, 480}, std::pair{16, 84956}, std::pair{20, 303607}}) {
    challenge.difficulty = difficulty;
    CHECK(challenge.solve() == nonce);
    CHECK(challenge.accepts(nonce));
    CHECK_FALSE(challenge.accepts(nonce - 1));
  }
  // The count reads the hash's first 8 bytes little-endian: 54378ad121060000 has 21 leading zeros,
  // where a big-endian count would see 1.
  CHECK(challenge.leading_zero_bits(303607) == 21);
  CHECK(cocoon::to_hex(cocoon::net::pow_challenge::response(303607)) == "19738201f7a1040000000000");
  CHECK(cocoon::net::pow_challenge::parse_response(cocoon::from_hex("19738201f7a1040000000000")) == 303607);
}

TEST_CASE("malformed and too hard challenges are refused", "[net][pow]") {
  auto refused = [](const std::string& hex, cocoon::errc code) {
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::net::pow_challenge::parse(cocoon::from_hex(hex), ec));
    CHECK(ec == code);
  };
  refused("91128e4114000000000102030405060708090a0b0c0d0e", cocoon::errc::pow_malformed);    // 23 bytes
  refused("92128e4114000000000102030405060708090a0b0c0d0e0f", cocoon::errc::pow_malformed);  // magic
  refused("91128e41ffffffff000102030405060708090a0b0c0d0e0f", cocoon::errc::pow_malformed);  // negative
  refused("91128e411d000000000102030405060708090a0b0c0d0e0f", cocoon::errc::pow_too_hard);   // 29
  CHECK(cocoon::net::pow_challenge::parse(cocoon::from_hex("91128e411c000000000102030405060708090a0b0c0d0e0f"))
            .difficulty == 28);
  CHECK_THROWS_AS(cocoon::net::pow_challenge::parse_response(cocoon::from_hex("19738201f7a10400000000")),
                  cocoon::error);
  CHECK_THROWS_AS(cocoon::net::pow_challenge::parse_response(cocoon::from_hex("18738201f7a1040000000000")),
                  cocoon::error);
}

TEST_CASE("a search stops when asked", "[net][pow]") {
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  challenge.difficulty = 28;
  std::stop_source stop;
  stop.request_stop();
  CHECK_FALSE(challenge.solve(stop.get_token()));
}
