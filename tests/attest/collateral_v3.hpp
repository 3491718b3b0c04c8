// dcap-qvl's QuoteCollateralV3 JSON (CRLs as hex DER or byte arrays; TCB Info and QE identity as
// the signed text with its signature apart) turned into the SDK's inputs. Shared by the attest
// tests, the interop driver and the attestation benchmark.
#ifndef COCOON_TESTS_ATTEST_COLLATERAL_V3_HPP
#define COCOON_TESTS_ATTEST_COLLATERAL_V3_HPP

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hex.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace attest_test {

struct collateral_v3 {
  std::string tcb_info, tcb_chain, qe_identity, qe_chain;
  cocoon::bytes pck_crl, root_crl;

  explicit collateral_v3(const nlohmann::json& v3)
      : tcb_info(pcs_body(v3, "tcbInfo", "tcb_info", "tcb_info_signature")),
        tcb_chain(v3.at("tcb_info_issuer_chain").get<std::string>()),
        qe_identity(pcs_body(v3, "enclaveIdentity", "qe_identity", "qe_identity_signature")),
        qe_chain(v3.at("qe_identity_issuer_chain").get<std::string>()),
        pck_crl(binary(v3.at("pck_crl"))),
        root_crl(binary(v3.at("root_ca_crl"))) {}

  [[nodiscard]] cocoon::attest::tdx_collateral collateral() const {
    return {tcb_info, tcb_chain, qe_identity, qe_chain};
  }
  /// Both CRLs, or none when the bundle has none.
  [[nodiscard]] std::optional<cocoon::attest::pck_crls> crls() const {
    if (pck_crl.empty() || root_crl.empty()) return std::nullopt;
    return cocoon::attest::pck_crls{pck_crl, root_crl};
  }

  /// Hex text, or an array of byte values.
  static cocoon::bytes binary(const nlohmann::json& value) {
    if (value.is_string()) return cocoon::from_hex(value.get<std::string>());
    cocoon::bytes out;
    for (const auto& b : value) out.push_back(static_cast<std::byte>(b.get<unsigned>()));
    return out;
  }

  /// The PCS body around the exact signed text: {"<member>":<text>,"signature":"<hex>"}.
  static std::string pcs_body(const nlohmann::json& v3, const char* member, const char* object, const char* signature) {
    return std::string("{\"") + member + "\":" + v3.at(object).get<std::string>() + ",\"signature\":\"" +
           cocoon::to_hex(binary(v3.at(signature))) + "\"}";
  }
};

}  // namespace attest_test

#endif
