// Oracle: an RA-TLS certificate either verifies under the fake-TDX test policy — then its
// REPORTDATA is SHA-512 of its key, a fake quote yields the all-zero image hash, and real-TDX
// policy refuses it unless it carries a real quote — or fails with an SDK error; both API forms
// agree. (Seeds are fake-TDX certificates: real quotes need Intel-signed chains.)
#include <cocoon/attest/ratls.hpp>

#include "fuzz.hpp"

#include <sodium.h>

#include <chrono>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data), size);
  // Inside the seeds' validity window.
  const auto now = std::chrono::system_clock::from_time_t(1763596800);  // 2025-11-20T00:00:00Z
  const auto policy = cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests();
  cocoon::error_code ec;
  const auto peer = cocoon::attest::verify_ratls_certificate(input, policy, now, ec);
  bool threw = false;
  try {
    (void)cocoon::attest::verify_ratls_certificate(input, policy, now);
  } catch (const cocoon::error& failure) {
    threw = failure.code() == ec;
  }
  FUZZ_CHECK(threw == !peer);
  if (!peer) {
    FUZZ_CHECK(ec.category() == cocoon::error_category());
    return 0;
  }
  unsigned char claims_hash[64];
  crypto_hash_sha512(claims_hash, reinterpret_cast<const unsigned char*>(peer->public_key().data()), 32);
  FUZZ_CHECK(sodium_memcmp(claims_hash, peer->report_data().data(), 64) == 0);
  if (peer->is_fake_tdx()) {
    FUZZ_CHECK(peer->image_hash().to_hex() == "5c55c8f4db4010ba9203d83536d0609856af8c847ac039e37e7dde8fbd574b61");
    cocoon::error_code strict;
    FUZZ_CHECK(!cocoon::attest::verify_ratls_certificate(input, cocoon::attest::ratls_policy::tdx(), now, strict));
    FUZZ_CHECK(strict == cocoon::errc::fake_tdx_refused);
  }
  return 0;
}
