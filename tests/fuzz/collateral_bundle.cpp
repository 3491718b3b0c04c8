// Oracle: a QuoteCollateralV3 bundle that parses yields PCS bodies whose signed member is the
// bundle's text exactly; anything else is collateral_malformed from both forms.
#include <cocoon/attest/collateral.hpp>

#include <nlohmann/json.hpp>

#include "fuzz.hpp"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cocoon::error_code ec;
  const auto bundle = cocoon::attest::collateral_bundle::from_json(text, ec);
  if (bundle) {
    const auto input = nlohmann::json::parse(text);
    const auto collateral = bundle->tdx();
    FUZZ_CHECK(cocoon::attest::detail::raw_member(collateral.tcb_info, "tcbInfo") ==
               input.at("tcb_info").get<std::string>());
    FUZZ_CHECK(cocoon::attest::detail::raw_member(collateral.qe_identity, "enclaveIdentity") ==
               input.at("qe_identity").get<std::string>());
    FUZZ_CHECK(collateral.tcb_info_issuer_chain == input.at("tcb_info_issuer_chain").get<std::string>());
  } else {
    FUZZ_CHECK(ec == cocoon::errc::collateral_malformed);
    bool threw = false;
    try {
      (void)cocoon::attest::collateral_bundle::from_json(text);
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
  }
  return 0;
}
