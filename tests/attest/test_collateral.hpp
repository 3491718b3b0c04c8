// Intel-shaped collateral for `test_pki` quotes: TCB Info and a TD QE identity signed by a TCB
// Signing certificate under the test root, and CRLs of the PCK CA and the root, current around a
// given time (tests that connect judge them at the real clock).
#ifndef COCOON_TESTS_ATTEST_TEST_COLLATERAL_HPP
#define COCOON_TESTS_ATTEST_TEST_COLLATERAL_HPP

#include <cocoon/core/hex.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <string>

#include "test_pki.hpp"

namespace attest_test {

/// "YYYY-MM-DDTHH:MM:SSZ", as Intel writes dates.
inline std::string intel_date(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

struct test_collateral {
  const test_pki& pki;
  std::chrono::system_clock::time_point issued;
  std::chrono::system_clock::time_point next_update = issued + std::chrono::hours(24 * 30);
  pkey signing_key = new_p256();
  cert signing;

  test_collateral(const test_pki& p, std::chrono::system_clock::time_point issue_date) : pki(p), issued(issue_date) {
    cert_spec spec;
    spec.common_name = "Intel SGX TCB Signing";
    signing = make_cert(spec, signing_key.get(), pki.root.get(), pki.root_key.get());
  }

  /// The issuer chain Intel sends with TCB Info and QE identity: the signer, then the root.
  [[nodiscard]] std::string chain() const { return pem(signing.get()) + pem(pki.root.get()); }

  /// TCB Info for the test PCK (FMSPC 0a0b0c0d0e0f, PCE-ID 0001): one platform level that it
  /// meets, with `status`; the TDX_01 module at SVN 5 UpToDate.
  [[nodiscard]] std::string tcb_info(const char* status) const {
    nlohmann::json sgx = nlohmann::json::array(), tdx = nlohmann::json::array();
    for (int i = 0; i < 16; ++i) {
      sgx.push_back({{"svn", 1}});
      tdx.push_back({{"svn", 0}});
    }
    const std::string zero48(96, '0');
    const nlohmann::json module_levels = {
        {{"tcb", {{"isvsvn", 5}}}, {"tcbDate", "2024-01-01T00:00:00Z"}, {"tcbStatus", "UpToDate"}}};
    return nlohmann::json{
        {"id", "TDX"},
        {"version", 3},
        {"issueDate", intel_date(issued)},
        {"nextUpdate", intel_date(next_update)},
        {"fmspc", "0A0B0C0D0E0F"},
        {"pceId", "0001"},
        {"tcbType", 0},
        {"tcbEvaluationDataNumber", 17},
        {"tdxModule",
         {{"mrsigner", zero48}, {"attributes", "0000000000000000"}, {"attributesMask", "FFFFFFFFFFFFFFFF"}}},
        {"tdxModuleIdentities",
         {{{"id", "TDX_01"},
           {"mrsigner", zero48},
           {"attributes", "0000000000000000"},
           {"attributesMask", "FFFFFFFFFFFFFFFF"},
           {"tcbLevels", module_levels}}}},
        {"tcbLevels",
         {{{"tcb", {{"sgxtcbcomponents", sgx}, {"pcesvn", 300}, {"tdxtcbcomponents", tdx}}},
           {"tcbDate", "2024-11-01T00:00:00Z"},
           {"tcbStatus", status}}}}}
        .dump();
  }

  /// Intel's TD QE identity, which the test quotes' QE report carries (ISVSVN 0), UpToDate.
  [[nodiscard]] std::string qe_identity() const {
    return nlohmann::json{
        {"id", "TD_QE"},
        {"version", 2},
        {"issueDate", intel_date(issued)},
        {"nextUpdate", intel_date(next_update)},
        {"tcbEvaluationDataNumber", 17},
        {"miscselect", "00000000"},
        {"miscselectMask", "FFFFFFFF"},
        {"attributes", "11000000000000000000000000000000"},
        {"attributesMask", "FBFFFFFFFFFFFFFF0000000000000000"},
        {"mrsigner", "DC9E2A7C6F948F17474E34A7FC43ED030F7C1563F1BABDDF6340C82E0E54A8C5"},
        {"isvprodid", 2},
        {"tcbLevels", {{{"tcb", {{"isvsvn", 0}}}, {"tcbDate", "2024-01-01T00:00:00Z"}, {"tcbStatus", "UpToDate"}}}}}
        .dump();
  }

  /// The signature (r || s, hex) over `object`'s exact text.
  [[nodiscard]] std::string signature(const std::string& object) const {
    const auto raw = sign_raw(signing_key.get(), reinterpret_cast<const std::uint8_t*>(object.data()), object.size());
    return cocoon::to_hex(cocoon::byte_view(reinterpret_cast<const std::byte*>(raw.data()), raw.size()));
  }

  /// A PCS response body: `{"<member>":<object>,"signature":"..."}`.
  [[nodiscard]] std::string pcs_body(const char* member, const std::string& object) const {
    return std::string("{\"") + member + "\":" + object + ",\"signature\":\"" + signature(object) + "\"}";
  }

  [[nodiscard]] cocoon::bytes pck_crl() const {
    return make_crl(pki.ca.get(), pki.ca_key.get(), {}, std::chrono::system_clock::to_time_t(issued),
                    std::chrono::system_clock::to_time_t(next_update));
  }
  [[nodiscard]] cocoon::bytes root_crl() const {
    return make_crl(pki.root.get(), pki.root_key.get(), {}, std::chrono::system_clock::to_time_t(issued),
                    std::chrono::system_clock::to_time_t(next_update));
  }

  /// All of it as the QuoteCollateralV3 JSON `collateral_bundle::from_json` reads.
  [[nodiscard]] std::string bundle_json(const char* status = "UpToDate") const {
    const auto info = tcb_info(status), qe = qe_identity();
    return nlohmann::json{{"tcb_info", info},
                          {"tcb_info_signature", signature(info)},
                          {"tcb_info_issuer_chain", chain()},
                          {"qe_identity", qe},
                          {"qe_identity_signature", signature(qe)},
                          {"qe_identity_issuer_chain", chain()},
                          {"pck_crl", cocoon::to_hex(pck_crl())},
                          {"root_ca_crl", cocoon::to_hex(root_crl())}}
        .dump();
  }
};

}  // namespace attest_test

#endif
