// Oracle: the notAfter dates read from PEM certificates by the verdict cache's bounded DER walk
// (without decoding the certificates) equal those of OpenSSL's full certificate parser, for every
// input both read completely.
#include <cocoon/attest/verdict_cache.hpp>

#include "fuzz.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data), size);
  const auto dates = cocoon::attest::detail::not_after_dates(input);

  std::vector<cocoon::attest::detail::x509_ptr> parsed;
  const cocoon::attest::detail::bio_ptr bio(BIO_new_mem_buf(data, static_cast<int>(size)));
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) parsed.emplace_back(certificate);
  const bool all_read = ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE;
  ERR_clear_error();
  if (all_read && !parsed.empty() && dates.size() == parsed.size()) {
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      FUZZ_CHECK(cocoon::attest::detail::from_asn1_time(X509_get0_notAfter(parsed[i].get())) == dates[i]);
    }
  }
  return 0;
}
