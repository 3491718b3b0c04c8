#include <cocoon/attest/image_hash.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/base64.hpp>

#include "test_pki.hpp"
#include "vectors.hpp"

using cocoon::attest::cocoon_image_hash;
using cocoon::attest::td_measurements;

namespace {
cocoon::hash384 filled(std::uint8_t value) { return cocoon::hash384(cocoon::bytes(48, std::byte{value})); }
}  // namespace

// Expected hashes are from research/cocoon-protocol.md 1.7 (re-computed there from COCOON's
// serialisation) and research/cocoon-quote-parse.txt.
TEST_CASE("COCOON image hash of COCOON's synthetic and fake measurements", "[attest][image_hash]") {
  td_measurements synthetic{
      filled(0x12), filled(0x34), filled(0xaa), filled(0xbb), {filled('a'), filled('b'), filled('c'), filled('d')}};
  CHECK(cocoon_image_hash(synthetic).to_hex() == "36caf4e8958afa865b8ccc68f1c6f40bc7bddb11150bf437f6fed58b1ca26000");
  CHECK(cocoon_image_hash(td_measurements{}).to_hex() ==
        "5c55c8f4db4010ba9203d83536d0609856af8c847ac039e37e7dde8fbd574b61");
  // Each register is in the hash, in its place.
  auto swapped = synthetic;
  std::swap(swapped.rtmrs[0], swapped.rtmrs[1]);
  CHECK(cocoon_image_hash(swapped) != cocoon_image_hash(synthetic));
}

TEST_CASE("COCOON image hash of its test quote", "[attest][image_hash][vectors]") {
  const auto data = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto verified = cocoon::attest::verify_quote(
      cocoon::attest::tdx_quote::parse(data), cocoon::attest::trust_anchors::intel_sgx_root_ca(),
      std::chrono::system_clock::from_time_t(attest_test::utc(2025, 11, 20)));
  const auto hash = cocoon_image_hash(verified);
  CHECK(hash.to_hex() == "04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436");
  CHECK(cocoon::to_base64(hash.view()) == "BLOv2THShoCvkaFbCdZyxArWsUH3+QiajWfVlSIPdDY=");
}
