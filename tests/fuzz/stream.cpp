// Oracles: (1) the input as wire bytes, fed in pieces, is refused with an integrity failure or
// opens to chunks that seal back to exactly the input; (2) the input as plaintext, cut into
// chunks and sealed, opens back to the same chunks whatever the piece sizes, and any one
// corrupted byte of the wire is refused.
#include <cocoon/crypto/stream.hpp>

#include "fuzz.hpp"

namespace {

cocoon::crypto::stream_cipher cipher() {
  static const cocoon::bytes key(32, std::byte{0x42});
  static const cocoon::bytes nonce_base(12, std::byte{0x24});
  return {cocoon::crypto::aead_algorithm::chacha20_poly1305, cocoon::crypto::stream_key::from_bytes(key), nonce_base};
}

/// Feeds `wire` in pieces of `piece` bytes; the opened chunks, or the error.
std::vector<cocoon::bytes> open_in_pieces(cocoon::byte_view wire, std::size_t piece, cocoon::error_code& ec) {
  cocoon::crypto::stream_opener opener(cipher());
  std::vector<cocoon::bytes> chunks;
  for (std::size_t at = 0; at < wire.size(); at += piece) {
    auto opened = opener.feed(wire.subspan(at, std::min(piece, wire.size() - at)), ec);
    if (!opened) return {};
    for (auto& chunk : *opened) chunks.push_back(std::move(chunk));
  }
  (void)opener.finish(ec);
  return chunks;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = data[0] % 17 + 1;
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data) + 1, size - 1);

  cocoon::error_code ec;
  const auto opened = open_in_pieces(input, piece, ec);
  if (ec) {
    FUZZ_CHECK(ec == cocoon::condition::integrity_failure);
  } else {
    cocoon::crypto::stream_sealer sealer(cipher());
    cocoon::bytes resealed;
    for (std::size_t i = 0; i < opened.size(); ++i) {
      const auto frame = sealer.seal(opened[i], i + 1 == opened.size());
      resealed.insert(resealed.end(), frame.begin(), frame.end());
    }
    FUZZ_CHECK(std::equal(resealed.begin(), resealed.end(), input.begin(), input.end()));
  }

  // The input as plaintext, in chunks of 1 .. 32 bytes chosen by the first byte.
  const std::size_t chunk_size = data[0] % 32 + 1;
  std::vector<cocoon::bytes> chunks;
  for (std::size_t at = 0; at == 0 || at < input.size(); at += chunk_size) {
    const auto part =
        input.subspan(std::min(at, input.size()), std::min(chunk_size, input.size() - std::min(at, input.size())));
    chunks.emplace_back(part.begin(), part.end());
  }
  cocoon::crypto::stream_sealer sealer(cipher());
  cocoon::bytes wire;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto frame = sealer.seal(chunks[i], i + 1 == chunks.size());
    wire.insert(wire.end(), frame.begin(), frame.end());
  }
  FUZZ_CHECK(open_in_pieces(wire, piece, ec) == chunks && !ec);
  wire[(size * 7919) % wire.size()] ^= std::byte{0x01};
  (void)open_in_pieces(wire, piece, ec);
  FUZZ_CHECK(ec == cocoon::condition::integrity_failure);
  return 0;
}
