// Oracles: a frame decoder fed any bytes, in pieces of any size, either refuses them as a
// protocol violation or returns payloads that an encoder frames back to exactly those bytes.
#include <cocoon/net/frame.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = data[0] % 13 + 1;
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  cocoon::net::frame_decoder decoder;
  std::vector<cocoon::bytes> payloads;
  std::size_t consumed = 0;
  for (std::size_t at = 0; at < input.size(); at += piece) {
    cocoon::error_code ec;
    auto out = decoder.feed(input.subspan(at, std::min(piece, input.size() - at)), ec);
    if (!out) {
      FUZZ_CHECK(ec == cocoon::condition::protocol_violation);
      return 0;
    }
    for (auto& payload : *out) {
      consumed += cocoon::net::frame_header_size + payload.size();
      payloads.push_back(std::move(payload));
    }
  }
  cocoon::net::frame_encoder encoder;
  cocoon::bytes framed;
  for (const auto& payload : payloads) {
    const auto frame = encoder.encode(payload);
    framed.insert(framed.end(), frame.begin(), frame.end());
  }
  FUZZ_CHECK(framed.size() == consumed && std::equal(framed.begin(), framed.end(), input.begin()));
  FUZZ_CHECK(decoder.idle() == (consumed == input.size()));
  return 0;
}
