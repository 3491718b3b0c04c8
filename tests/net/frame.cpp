#include <cocoon/net/frame.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

TEST_CASE("frames carry length and sequence number as COCOON's framing does", "[net][frame]") {
  // shared/research/cocoon-vectors.txt: frame #0 carrying tcp.connect id=0x0102030405060708.
  cocoon::net::frame_encoder encoder;
  const auto payload = cocoon::from_hex("61427ca50807060504030201");
  CHECK(cocoon::to_hex(encoder.encode(payload)) == "0c0000000000000061427ca50807060504030201");
  CHECK(cocoon::to_hex(cocoon::byte_view(encoder.encode(payload)).first(8)) == "0c00000001000000");
}

TEST_CASE("the decoder returns payloads from input cut anywhere", "[net][frame]") {
  cocoon::net::frame_encoder encoder;
  std::vector<cocoon::bytes> payloads;
  cocoon::bytes wire;
  for (std::size_t size : {4U, 5U, 300U, 4U, 70000U}) {
    payloads.emplace_back(size, static_cast<std::byte>(size));
    const auto frame = encoder.encode(payloads.back());
    wire.insert(wire.end(), frame.begin(), frame.end());
  }
  const auto piece = GENERATE(1U, 3U, 8U, 13U, 100000U);
  cocoon::net::frame_decoder decoder;
  std::vector<cocoon::bytes> received;
  for (std::size_t at = 0; at < wire.size(); at += piece) {
    for (auto& p : decoder.feed(cocoon::byte_view(wire).subspan(at, std::min<std::size_t>(piece, wire.size() - at)))) {
      received.push_back(std::move(p));
    }
  }
  CHECK(received == payloads);
  CHECK(decoder.idle());
}

TEST_CASE("frames out of range or out of sequence close the stream", "[net][frame]") {
  auto code_of = [](const std::string& hex) {
    cocoon::net::frame_decoder decoder;
    cocoon::error_code ec;
    (void)decoder.feed(cocoon::from_hex(hex), ec);
    return ec;
  };
  CHECK(code_of("0300000000000000") == cocoon::errc::frame_malformed);  // 3-byte payload
  CHECK(code_of("0100000100000000") == cocoon::errc::frame_malformed);  // 2^24 + 1
  CHECK(code_of("0400000001000000") == cocoon::errc::frame_out_of_sequence);
  CHECK_FALSE(code_of("0000000100000000"));  // 2^24 is allowed: only the header is in, no error yet
  cocoon::net::frame_decoder decoder;
  cocoon::error_code ec;
  CHECK(decoder.feed(cocoon::from_hex("040000000000000001020304040000000200000001020304"), ec) == std::nullopt);
  CHECK(ec == cocoon::errc::frame_out_of_sequence);
  CHECK_FALSE(decoder.feed(cocoon::from_hex("04000000"), ec));  // refused after the error
  CHECK_THROWS_AS(cocoon::net::frame_encoder().encode(cocoon::from_hex("010203")), cocoon::error);
}
