// Oracles: bytes that parse as a protocol object serialize to bytes that parse to an equal
// object and serialize identically (the encoding is canonical after one round); anything else is
// refused as a protocol violation. The first byte picks the type, so every parser is reached.
#include <cocoon/net/protocol.hpp>

#include "fuzz.hpp"

namespace {

namespace proto = cocoon::net::proto;

template <class T>
void check(cocoon::byte_view data) {
  cocoon::error_code ec;
  const auto parsed = proto::parse<T>(data, ec);
  if (!parsed) {
    FUZZ_CHECK(ec == cocoon::condition::protocol_violation);
    return;
  }
  const auto wire = proto::serialize(*parsed);
  const auto again = proto::parse<T>(wire, ec);
  FUZZ_CHECK(again && *again == *parsed);
  FUZZ_CHECK(proto::serialize(*again) == wire);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: check<proto::tcp_message>(input); break;
    case 1: check<proto::proxy_packet>(input); break;
    case 2: check<proto::client_call>(input); break;
    case 3: check<proto::connected_to_proxy>(input); break;
    case 4: check<std::variant<proto::worker_types_v2, proto::worker_types>>(input); break;
    default: check<proto::http_response>(input); break;
  }
  return 0;
}
