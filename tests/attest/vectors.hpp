// Shared by the attest tests: the real TDX quotes under COCOON_VECTORS_DIR/tdx, read at run time.
#ifndef COCOON_TESTS_ATTEST_VECTORS_HPP
#define COCOON_TESTS_ATTEST_VECTORS_HPP

#include <cocoon/attest/collateral.hpp>
#include <cocoon/core/base64.hpp>
#include <cocoon/core/bytes.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace attest_test {

inline std::string vector_path(const std::string& relative) { return std::string(COCOON_VECTORS_DIR) + "/" + relative; }

inline cocoon::bytes read_file(const std::string& relative) {
  std::ifstream in(vector_path(relative), std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + vector_path(relative));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return cocoon::to_bytes(text);
}

/// A quote file, or the teekit JSON whose `.tdx.quote` holds the quote in base64.
inline cocoon::bytes read_quote(const std::string& relative) {
  if (relative.size() > 5 && relative.substr(relative.size() - 5) == ".json") {
    const auto json = nlohmann::json::parse(cocoon::as_chars(read_file(relative)));
    return cocoon::from_base64(json.at("tdx").at("quote").get<std::string>());
  }
  return read_file(relative);
}

/// A vector file as text.
inline std::string text(const std::string& relative) { return std::string(cocoon::as_chars(read_file(relative))); }

// The MigTD bundle: one TCB Info per FMSPC, one QE identity.
struct migtd_bundle {
  nlohmann::json json = nlohmann::json::parse(text("tdx/migtd-bundle-2025-11/collateral_production_fmspc.json"));
  std::string tcb_info, tcb_chain, qe_identity = json.at("qeIdentity").get<std::string>(),
                                   qe_chain = json.at("qeIdentityIssuerChain").get<std::string>();

  cocoon::attest::tdx_collateral for_fmspc(const std::string& fmspc) {
    for (const auto& platform : json.at("platforms")) {
      std::string name = platform.at("fmspc").get<std::string>();
      std::transform(name.begin(), name.end(), name.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
      if (name == fmspc) {
        tcb_info = platform.at("tcbInfo").get<std::string>();
        tcb_chain = platform.at("tcbInfoIssuerChain").get<std::string>();
      }
    }
    return {tcb_info, tcb_chain, qe_identity, qe_chain};
  }
  /// The bundle's PEM CRLs (PCK Platform CA, root CA).
  std::string pck_crl = json.at("pckCrl").get<std::string>(), root_crl = json.at("rootCaCrl").get<std::string>();
  cocoon::attest::pck_crls crls() const { return {cocoon::as_bytes(pck_crl), cocoon::as_bytes(root_crl)}; }
};

/// Every real TDX quote in the vectors (all verify offline to the production root).
inline const char* const all_quotes[] = {
    "tdx/cocoon/quote.dat",
    "tdx/venice-dstack-2026-06-10/quote.bin",
    "tdx/migtd-bundle-2025-11/flashtestations-b0c06f.bin",
    "tdx/migtd-bundle-2025-11/teekit-gcp-00806f.json",
    "tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat",
    "tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat",
    "tdx/openenclave-v5-eval21/tdx_quote_v5.bin",
    "tdx/edgeless-qpl-2023/quote.bin",
    "tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat",
    "tdx/go-tdx-guest/quote_v5_sample.dat",
    "tdx/dcap-qvl/tdx_quote.bin",
};

}  // namespace attest_test

#endif
