#include <cocoon/crypto/stream.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

#include <algorithm>
#include <random>
#include <sstream>
#include <stdexcept>

#include "random_bytes.hpp"

using cocoon::bytes;
using cocoon::crypto::aead_algorithm;
using cocoon::crypto::stream_cipher;
using cocoon::crypto::stream_key;
using crypto_test::random_bytes;

namespace {

const auto key_bytes = cocoon::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const auto nonce_base = cocoon::from_hex("a0a1a2a3a4a5a6a7a8a9aaab");

stream_cipher test_cipher(aead_algorithm algorithm = aead_algorithm::chacha20_poly1305, bytes aad = {}) {
  return {algorithm, stream_key::from_bytes(key_bytes), nonce_base, std::move(aad)};
}

/// The frames of `chunks`, the last one final.
std::vector<bytes> seal_all(const std::vector<bytes>& chunks) {
  cocoon::crypto::stream_sealer sealer(test_cipher());
  std::vector<bytes> frames;
  for (std::size_t i = 0; i < chunks.size(); ++i) frames.push_back(sealer.seal(chunks[i], i + 1 == chunks.size()));
  return frames;
}

bytes concat(const std::vector<bytes>& parts) {
  bytes out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

cocoon::error_code open_all(const bytes& wire, std::vector<bytes>* chunks = nullptr) {
  cocoon::crypto::stream_opener opener(test_cipher());
  cocoon::error_code ec;
  auto opened = opener.feed(wire, ec);
  if (ec) return ec;
  if (chunks != nullptr) *chunks = std::move(*opened);
  (void)opener.finish(ec);
  return ec;
}

std::string seal_to_string(const stream_cipher& cipher, const std::string& input,
                           const cocoon::crypto::stream_options& options) {
  std::istringstream in(input);
  std::ostringstream out;
  CHECK(cocoon::crypto::seal_stream(cipher, in, out, options) == input.size());
  return out.str();
}

}  // namespace

TEST_CASE("each frame is the AEAD of its chunk under nonce base XOR index and final flag", "[crypto][stream]") {
  // Recomputes the construction with the plain AEAD, independently of the stream code.
  const std::vector<bytes> chunks = {cocoon::to_bytes("first"), cocoon::to_bytes("second"), cocoon::to_bytes("")};
  const auto frames = seal_all(chunks);
  REQUIRE(frames.size() == 3);
  for (std::size_t index = 0; index < frames.size(); ++index) {
    const bool final = index == 2;
    bytes nonce = nonce_base;
    nonce[10] ^= static_cast<std::byte>(index);  // big-endian index in bytes 3..10
    if (final) nonce[11] ^= std::byte{1};
    const auto sealed = cocoon::byte_view(frames[index]).subspan(4);
    const auto expected_header = static_cast<std::uint32_t>(sealed.size()) | (final ? 0x8000'0000U : 0U);
    const auto header = (std::to_integer<std::uint32_t>(frames[index][0]) << 24) |
                        (std::to_integer<std::uint32_t>(frames[index][1]) << 16) |
                        (std::to_integer<std::uint32_t>(frames[index][2]) << 8) |
                        std::to_integer<std::uint32_t>(frames[index][3]);
    CHECK(header == expected_header);
    CHECK(cocoon::crypto::aead_open(aead_algorithm::chacha20_poly1305, key_bytes, nonce, {}, sealed) == chunks[index]);
  }
}

TEST_CASE("the opener takes input in pieces of any size and returns each chunk once it is whole", "[crypto][stream]") {
  std::mt19937_64 random(7);
  std::vector<bytes> chunks;
  for (const std::size_t size : {0U, 1U, 15U, 16U, 17U, 1000U, 3U}) chunks.push_back(random_bytes(size, random));
  const bytes wire = concat(seal_all(chunks));
  const auto piece = GENERATE(1U, 3U, 4U, 19U, 1000U, 100000U);
  cocoon::crypto::stream_opener opener(test_cipher());
  std::vector<bytes> opened;
  for (std::size_t at = 0; at < wire.size(); at += piece) {
    CHECK_FALSE(opener.finished());
    for (auto& chunk :
         opener.feed(cocoon::byte_view(wire).subspan(at, std::min<std::size_t>(piece, wire.size() - at)))) {
      opened.push_back(std::move(chunk));
    }
  }
  CHECK(opener.finished());
  CHECK_NOTHROW(opener.finish());
  CHECK(opened == chunks);
}

TEST_CASE("reordered, dropped, misflagged and tampered chunks are refused", "[crypto][stream]") {
  const std::vector<bytes> chunks = {cocoon::to_bytes("alpha"), cocoon::to_bytes("beta"), cocoon::to_bytes("gamma")};
  const auto frames = seal_all(chunks);
  std::vector<bytes> opened;
  REQUIRE_FALSE(open_all(concat(frames), &opened));
  REQUIRE(opened == chunks);

  SECTION("swapped chunks") {
    CHECK(open_all(concat({frames[1], frames[0], frames[2]})) == cocoon::errc::decryption_failed);
  }
  SECTION("a dropped middle chunk") {
    CHECK(open_all(concat({frames[0], frames[2]})) == cocoon::errc::decryption_failed);
  }
  SECTION("cut before the final chunk") {
    CHECK(open_all(concat({frames[0], frames[1]})) == cocoon::errc::stream_truncated);
  }
  SECTION("cut inside a frame") {
    auto wire = concat(frames);
    wire.pop_back();
    CHECK(open_all(wire) == cocoon::errc::stream_truncated);
  }
  SECTION("a non-final chunk flagged final") {
    auto forged = frames[1];
    forged[0] |= std::byte{0x80};
    CHECK(open_all(concat({frames[0], forged})) == cocoon::errc::decryption_failed);
  }
  SECTION("the final chunk unflagged") {
    auto forged = frames[2];
    forged[0] &= std::byte{0x7f};
    CHECK(open_all(concat({frames[0], frames[1], forged})) == cocoon::errc::decryption_failed);
  }
  SECTION("data after the final chunk") {
    CHECK(open_all(concat({frames[0], frames[1], frames[2], frames[0]})) == cocoon::errc::stream_finished);
  }
  SECTION("every flipped bit of the ciphertext and tag") {
    const auto wire = concat(frames);
    for (std::size_t bit = 32; bit < frames[0].size() * 8; ++bit) {
      auto forged = wire;
      forged[bit / 8] ^= static_cast<std::byte>(1U << (bit % 8));
      CHECK(open_all(forged) == cocoon::errc::decryption_failed);
    }
  }
  SECTION("a length shorter than the tag or over the limit") {
    for (const auto header : {"0000000f", "8000000f", "01000011", "7fffffff"}) {
      CHECK(open_all(cocoon::from_hex(header)) == cocoon::errc::stream_malformed);
    }
  }
}

TEST_CASE("an opener refuses all input after an error", "[crypto][stream]") {
  const auto frames = seal_all({cocoon::to_bytes("x"), cocoon::to_bytes("y")});
  cocoon::crypto::stream_opener opener(test_cipher());
  auto forged = frames[0];
  forged.back() ^= std::byte{1};
  CHECK_THROWS_MATCHES(opener.feed(forged), cocoon::error, Catch::Predicate<cocoon::error>([](const cocoon::error& e) {
                         return e.code() == cocoon::errc::decryption_failed && e.where() == "chunk 0";
                       }));
  cocoon::error_code ec;
  CHECK_FALSE(opener.feed(frames[0], ec));
  CHECK(ec == cocoon::errc::stream_malformed);
}

TEST_CASE("a sealer is closed after its final chunk", "[crypto][stream]") {
  cocoon::crypto::stream_sealer sealer(test_cipher());
  (void)sealer.seal(cocoon::to_bytes("only"), true);
  CHECK(sealer.finished());
  CHECK_THROWS_MATCHES(sealer.seal(cocoon::to_bytes("more"), false), cocoon::error,
                       Catch::Predicate<cocoon::error>(
                           [](const cocoon::error& e) { return e.code() == cocoon::errc::stream_finished; }));
}

TEST_CASE("the associated data and the key bind every chunk", "[crypto][stream]") {
  const auto wire = concat(seal_all({cocoon::to_bytes("payload")}));
  cocoon::crypto::stream_opener other_aad(test_cipher(aead_algorithm::chacha20_poly1305, cocoon::to_bytes("header")));
  cocoon::error_code ec;
  CHECK_FALSE(other_aad.feed(wire, ec));
  CHECK(ec == cocoon::errc::decryption_failed);

  auto other_key_bytes = key_bytes;
  other_key_bytes[0] ^= std::byte{1};
  cocoon::crypto::stream_opener other_key(
      stream_cipher(aead_algorithm::chacha20_poly1305, stream_key::from_bytes(other_key_bytes), nonce_base));
  CHECK_FALSE(other_key.feed(wire, ec));
  CHECK(ec == cocoon::errc::decryption_failed);
}

TEST_CASE("STREAM refuses AEADs without a 32-byte key and nonce bases of the wrong size", "[crypto][stream]") {
  CHECK_THROWS_AS(test_cipher(aead_algorithm::aes_128_gcm), cocoon::error);
  CHECK_THROWS_AS(stream_cipher(aead_algorithm::aes_256_gcm, stream_key::from_bytes(key_bytes),
                                cocoon::byte_view(nonce_base).first(11)),
                  cocoon::error);
}

TEST_CASE("derived ciphers agree for the same input keying material and salt only", "[crypto][stream]") {
  const auto ikm = cocoon::to_bytes("input keying material of the stream");
  const auto salt_a = cocoon::to_bytes("salt a");
  const auto salt_b = cocoon::to_bytes("salt b");
  const cocoon::crypto::stream_options options;
  const auto a1 = seal_to_string(stream_cipher::derive(aead_algorithm::aes_256_gcm, ikm, salt_a), "text", options);
  const auto a2 = seal_to_string(stream_cipher::derive(aead_algorithm::aes_256_gcm, ikm, salt_a), "text", options);
  const auto b = seal_to_string(stream_cipher::derive(aead_algorithm::aes_256_gcm, ikm, salt_b), "text", options);
  CHECK(a1 == a2);
  CHECK(a1 != b);
}

TEST_CASE("seal_stream and open_stream round trip at chunk boundaries, on one thread or many", "[crypto][stream]") {
  std::mt19937_64 random(11);
  const auto algorithm = GENERATE(aead_algorithm::aes_256_gcm, aead_algorithm::chacha20_poly1305);
  const auto cipher = test_cipher(algorithm, cocoon::to_bytes("stream header"));
  cocoon::crypto::stream_options single{.chunk_size = 64, .threads = 1, .chunks_per_thread = 2};
  cocoon::crypto::stream_options parallel{.chunk_size = 64, .threads = 4, .chunks_per_thread = 3};
  for (const std::size_t size : {0U, 1U, 63U, 64U, 65U, 128U, 64U * 24U, 64U * 24U + 5U, 5000U}) {
    const auto data = random_bytes(size, random);
    const std::string input(cocoon::as_chars(data));
    const auto sealed = seal_to_string(cipher, input, single);
    // Parallel sealing is the same computation: the same bytes come out.
    CHECK(seal_to_string(cipher, input, parallel) == sealed);
    const std::size_t chunks = size == 0 ? 1 : (size + 63) / 64;  // a full last chunk is the final one
    CHECK(sealed.size() == size + chunks * (4 + 16));
    for (const auto& options : {single, parallel}) {
      std::istringstream in(sealed);
      std::ostringstream out;
      CHECK(cocoon::crypto::open_stream(cipher, in, out, options) == size);
      CHECK(out.str() == input);
    }
  }
}

TEST_CASE("open_stream refuses truncation and trailing data", "[crypto][stream]") {
  const auto cipher = test_cipher();
  const cocoon::crypto::stream_options options{.chunk_size = 16, .threads = 2, .chunks_per_thread = 1};
  const auto sealed = seal_to_string(cipher, std::string(100, 'x'), options);
  auto open = [&](const std::string& wire) {
    std::istringstream in(wire);
    std::ostringstream out;
    try {
      (void)cocoon::crypto::open_stream(cipher, in, out, options);
    } catch (const cocoon::error& e) {
      return cocoon::error_code(e.code().value(), cocoon::error_category());
    }
    return cocoon::error_code{};
  };
  CHECK_FALSE(open(sealed));
  CHECK(open(sealed.substr(0, sealed.size() - 1)) == cocoon::errc::stream_truncated);
  CHECK(open(sealed.substr(0, 36)) == cocoon::errc::stream_truncated);  // one whole non-final frame
  CHECK(open(sealed + "!") == cocoon::errc::stream_finished);
  auto flipped = sealed;
  flipped[40] ^= 1;
  CHECK(open(flipped) == cocoon::errc::decryption_failed);
}

TEST_CASE("secret heap buffers are scrubbed to their capacity when their guard leaves scope", "[crypto][stream]") {
  const auto all_zero = [](const auto& buffer) {
    return std::all_of(buffer.begin(), buffer.end(), [](auto b) { return b == decltype(b){}; });
  };
  cocoon::bytes chunk(256, std::byte{0xa5});
  chunk.resize(16);  // bytes 16..255 still hold secrets the allocation keeps
  std::string json(300, 'j');
  std::vector<cocoon::bytes> chunks(3, cocoon::bytes(64, std::byte{0x5a}));
  try {
    const cocoon::crypto::detail::scrub_on_exit wipe(chunk, json, chunks);
    throw std::runtime_error("an exception on the way out");
  } catch (const std::runtime_error&) {
  }
  CHECK(chunk.size() == 256);
  CHECK(all_zero(chunk));
  CHECK(json.size() >= 300);
  CHECK(all_zero(json));
  for (const auto& c : chunks) CHECK(all_zero(c));
}
