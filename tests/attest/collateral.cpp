#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/policy.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

#include "test_pki.hpp"
#include "vectors.hpp"

using cocoon::attest::evaluate_tcb;
using cocoon::attest::tcb_status;
using cocoon::attest::tdx_collateral;
using cocoon::attest::tdx_quote;
using cocoon::attest::trust_anchors;
using cocoon::attest::verified_quote;

static_assert(!std::is_default_constructible_v<cocoon::attest::tcb_report>, "only the evaluator makes a report");

using attest_test::at;

namespace {

verified_quote verified(const char* path, std::chrono::system_clock::time_point now) {
  const auto data = attest_test::read_quote(path);
  return cocoon::attest::verify_quote(tdx_quote::parse(data), trust_anchors::intel_sgx_root_ca(), now);
}

using attest_test::migtd_bundle;
using attest_test::text;

// The PCS response headers carry the issuer chains URL-encoded.
std::string url_decode(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      out.push_back(static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

std::string header_chain(const std::string& meta_path, const char* header) {
  const auto meta = nlohmann::json::parse(text(meta_path));
  return url_decode(meta.at("headers").at(header).at(0).get<std::string>());
}

}  // namespace

TEST_CASE("the venice capture evaluates UpToDate with its PCS collateral", "[attest][collateral][vectors]") {
  const auto dir = std::string("tdx/venice-dstack-2026-06-10/");
  const auto now = at(2026, 6, 10) + std::chrono::hours(1) + std::chrono::minutes(47);
  const auto quote = verified("tdx/venice-dstack-2026-06-10/quote.bin", now);
  const auto tcb_info = text(dir + "pcs_tcb_info.json"), qe_identity = text(dir + "pcs_qe_identity.json");
  const auto tcb_chain = header_chain(dir + "pcs_tcb_info.meta.json", "Tcb-Info-Issuer-Chain");
  const auto qe_chain = header_chain(dir + "pcs_qe_identity.meta.json", "Sgx-Enclave-Identity-Issuer-Chain");
  const tdx_collateral collateral{tcb_info, tcb_chain, qe_identity, qe_chain};
  const auto anchors = trust_anchors::intel_sgx_root_ca();

  const auto report = evaluate_tcb(quote, collateral, anchors, now);
  CHECK(report.status() == tcb_status::up_to_date);
  CHECK(report.tcb_date() == "2025-05-14T00:00:00Z");
  CHECK(report.advisory_ids().empty());
  CHECK(report.tcb_evaluation_data_number() == 19);
  CHECK(report.next_update() == at(2026, 7, 10) + std::chrono::minutes(36) + std::chrono::seconds(28));
  // Intel's TCB Signing certificate (to 2032) outlives the documents.
  CHECK(report.valid_until() == report.next_update());

  cocoon::error_code ec;
  CHECK(!evaluate_tcb(quote, collateral, anchors, at(2026, 7, 11), ec));
  CHECK(ec == cocoon::errc::collateral_expired);
  CHECK(!evaluate_tcb(quote, collateral, trust_anchors{}, now, ec));
  CHECK(ec == cocoon::errc::collateral_invalid);

  // One changed byte inside the signed object: the signature no longer verifies.
  auto tampered = tcb_info;
  const auto at_number = tampered.find("\"tcbEvaluationDataNumber\":19");
  REQUIRE(at_number != std::string::npos);
  tampered[at_number + 26] = '8';
  CHECK(!evaluate_tcb(quote, {tampered, tcb_chain, qe_identity, qe_chain}, anchors, now, ec));
  CHECK(ec == cocoon::errc::collateral_invalid);
  // Swapped documents are refused by kind.
  CHECK(!evaluate_tcb(quote, {qe_identity, qe_chain, tcb_info, tcb_chain}, anchors, now, ec));
  CHECK(ec == cocoon::errc::collateral_malformed);
  CHECK(!evaluate_tcb(quote, {"{\"tcbInfo\":", tcb_chain, qe_identity, qe_chain}, anchors, now, ec));
  CHECK(ec == cocoon::errc::collateral_malformed);
}

TEST_CASE("the MigTD bundle gives Intel's verdicts for five quotes", "[attest][collateral][vectors]") {
  migtd_bundle bundle;
  const auto now = at(2025, 11, 20);
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  {
    const auto quote = verified("tdx/migtd-bundle-2025-11/flashtestations-b0c06f.bin", now);
    const auto report = evaluate_tcb(quote, bundle.for_fmspc("b0c06f000000"), anchors, now);
    // Platform level UpToDate; module TDX_01 isvsvn 5 OutOfDate.
    CHECK(report.status() == tcb_status::out_of_date);
    CHECK(report.tcb_date() == "2024-11-13T00:00:00Z");
    CHECK(report.advisory_ids() == std::vector<std::string>{"INTEL-SA-01036", "INTEL-SA-01099"});
    CHECK(report.tcb_evaluation_data_number() == 18);
  }
  {
    const auto quote = verified("tdx/migtd-bundle-2025-11/teekit-gcp-00806f.json", now);
    const auto report = evaluate_tcb(quote, bundle.for_fmspc("00806f050000"), anchors, now);
    CHECK(report.status() == tcb_status::up_to_date);
    CHECK(report.tcb_date() == "2024-11-13T00:00:00Z");
  }
  for (const char* path : {"tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat", "tdx/edgeless-qpl-2023/quote.bin"}) {
    INFO(path);
    const auto quote = verified(path, now);
    const auto report = evaluate_tcb(quote, bundle.for_fmspc(quote.platform_fmspc().to_hex()), anchors, now);
    CHECK(report.status() == tcb_status::out_of_date);
    CHECK(report.tcb_date() == "2023-02-15T00:00:00Z");
    CHECK(report.advisory_ids().size() == 11);
    CHECK(report.advisory_ids().front() == "INTEL-SA-00837");
    CHECK(report.advisory_ids().back() == "INTEL-SA-01111");
  }
  {
    const auto quote = verified("tdx/cocoon/quote.dat", now);
    CHECK(evaluate_tcb(quote, bundle.for_fmspc("90c06f000000"), anchors, now).status() == tcb_status::up_to_date);
    // Another platform's TCB Info.
    cocoon::error_code ec;
    CHECK(!evaluate_tcb(quote, bundle.for_fmspc("b0c06f000000"), anchors, now, ec));
    CHECK(ec == cocoon::errc::collateral_mismatch);
  }
  {
    const auto quote = verified("tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat", now);
    cocoon::error_code ec;
    CHECK(!evaluate_tcb(quote, bundle.for_fmspc("90c06f000000"), anchors, now, ec));
    CHECK(ec == cocoon::errc::tcb_level_not_found);
  }
}

TEST_CASE("2023 and 2025 collateral snapshots: UpToDate at their time, expired after",
          "[attest][collateral][vectors]") {
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  {
    const auto chain = text("tdx/edgeless-qpl-2023/tcbSigningChain.pem");
    const auto tcb_info = text("tdx/edgeless-qpl-2023/tcbinfo.json");
    const auto qe_identity = text("tdx/edgeless-qpl-2023/qeidentity.json");
    const tdx_collateral collateral{tcb_info, chain, qe_identity, chain};
    const auto quote = verified("tdx/edgeless-qpl-2023/quote.bin", at(2023, 3, 1));
    const auto report = evaluate_tcb(quote, collateral, anchors, at(2023, 3, 1));
    CHECK(report.status() == tcb_status::up_to_date);
    CHECK(report.tcb_date() == "2022-11-09T00:00:00Z");
    cocoon::error_code ec;
    CHECK(!evaluate_tcb(quote, collateral, anchors, at(2023, 4, 1), ec));
    CHECK(ec == cocoon::errc::collateral_expired);
  }
  {
    // dcap-qvl's bundle holds the signed objects and their signatures apart: rebuild PCS bodies
    // around the exact signed text.
    const auto bundle = nlohmann::json::parse(text("tdx/dcap-qvl/tdx_quote_collateral.json"));
    const auto body = [&](const char* member, const char* object, const char* signature) {
      return std::string("{\"") + member + "\":" + bundle.at(object).get<std::string>() + ",\"signature\":\"" +
             bundle.at(signature).get<std::string>() + "\"}";
    };
    const auto tcb_info = body("tcbInfo", "tcb_info", "tcb_info_signature");
    const auto qe_identity = body("enclaveIdentity", "qe_identity", "qe_identity_signature");
    const auto tcb_chain = bundle.at("tcb_info_issuer_chain").get<std::string>();
    const auto qe_chain = bundle.at("qe_identity_issuer_chain").get<std::string>();
    const auto now = at(2025, 7, 1);
    const auto quote = verified("tdx/dcap-qvl/tdx_quote.bin", now);
    const auto report = evaluate_tcb(quote, {tcb_info, tcb_chain, qe_identity, qe_chain}, anchors, now);
    CHECK(report.status() == tcb_status::up_to_date);
    CHECK(report.tcb_date() == "2024-03-13T00:00:00Z");
    CHECK(report.advisory_ids().empty());
  }
}

namespace {

using attest_test::level;
using attest_test::module_up_to_date;
using attest_test::qe_identity;
using attest_test::synthetic_collateral;
using attest_test::tcb_info;

const std::string module_out_of_date =
    "{\"tcb\":{\"isvsvn\":6},\"tcbDate\":\"2024-06-01T00:00:00Z\",\"tcbStatus\":"
    "\"UpToDate\"},{\"tcb\":{\"isvsvn\":4},\"tcbDate\":\"2024-01-01T00:00:00Z\","
    "\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"INTEL-SA-MODULE\"]}";

}  // namespace

TEST_CASE("TCB evaluation: level walk, status merging and mismatches", "[attest][collateral]") {
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto now = at(2025, 1, 1);
  const auto data = pki.quote();
  const auto quote = cocoon::attest::verify_quote(tdx_quote::parse(data), anchors, now);
  const synthetic_collateral sign{pki};
  // The PCK has SGX components 1..16 and PCESVN 300; TEE_TCB_SVN is 05 01 03 00...
  const auto evaluate = [&](const std::string& info, const std::string& qe, cocoon::error_code& ec) {
    const auto tcb_body = sign.sign("tcbInfo", info), qe_body = sign.sign("enclaveIdentity", qe);
    return evaluate_tcb(quote, {tcb_body, sign.chain, qe_body, sign.chain}, anchors, now, ec);
  };
  cocoon::error_code ec;

  const auto high = level(1, 300, "{\"svn\":99},{\"svn\":99},{\"svn\":4}", "UpToDate", "2024-11-01T00:00:00Z");
  const auto middle =
      level(1, 300, "{\"svn\":99},{\"svn\":99},{\"svn\":3}", "ConfigurationNeeded", "2024-06-01T00:00:00Z", "SA-1");
  const auto low = level(1, 1, "", "OutOfDate", "2023-01-01T00:00:00Z", "SA-2");

  // TDX component 2 is 3: the first level asks 4, the second 3 (components 0 and 1 are skipped
  // for a versioned module).
  auto report = evaluate(tcb_info(high + "," + middle + "," + low, module_up_to_date), qe_identity("UpToDate"), ec);
  REQUIRE(report);
  CHECK(report->status() == tcb_status::configuration_needed);
  CHECK(report->tcb_date() == "2024-06-01T00:00:00Z");
  CHECK(report->advisory_ids() == std::vector<std::string>{"SA-1"});
  CHECK(report->tcb_evaluation_data_number() == 16);

  // An SGX component above the PCK's skips a level too.
  report = evaluate(tcb_info(level(17, 300, "", "UpToDate", "2024-11-01T00:00:00Z") + "," + low, module_up_to_date),
                    qe_identity("UpToDate"), ec);
  REQUIRE(report);
  CHECK(report->status() == tcb_status::out_of_date);

  // Module OutOfDate: ConfigurationNeeded becomes OutOfDateConfigurationNeeded, advisories unite.
  report = evaluate(tcb_info(middle, module_out_of_date), qe_identity("UpToDate"), ec);
  REQUIRE(report);
  CHECK(report->status() == tcb_status::out_of_date_configuration_needed);
  CHECK(report->advisory_ids() == std::vector<std::string>{"INTEL-SA-MODULE", "SA-1"});
  // QE OutOfDate on an UpToDate platform: OutOfDate; QE Revoked: Revoked.
  report = evaluate(
      tcb_info(high.substr(0, high.find("{\"svn\":4}")) + "{\"svn\":3}" + high.substr(high.find("{\"svn\":4}") + 9),
               module_up_to_date),
      qe_identity("OutOfDate"), ec);
  REQUIRE(report);
  CHECK(report->status() == tcb_status::out_of_date);
  report = evaluate(tcb_info(middle, module_up_to_date), qe_identity("Revoked"), ec);
  REQUIRE(report);
  CHECK(report->status() == tcb_status::revoked);

  // No level at all, no module level, no module identity, another QE signer.
  CHECK(!evaluate(tcb_info(high, module_up_to_date), qe_identity("UpToDate"), ec));
  CHECK(ec == cocoon::errc::tcb_level_not_found);
  CHECK(!evaluate(tcb_info(middle,
                           "{\"tcb\":{\"isvsvn\":6},\"tcbDate\":\"2024-01-01T00:00:00Z\",\"tcbStatus\":"
                           "\"UpToDate\"}"),
                  qe_identity("UpToDate"), ec));
  CHECK(ec == cocoon::errc::tcb_level_not_found);
  CHECK(!evaluate(tcb_info(middle, module_up_to_date, "TDX_03"), qe_identity("UpToDate"), ec));
  CHECK(ec == cocoon::errc::collateral_mismatch);
  CHECK(!evaluate(tcb_info(middle, module_up_to_date), qe_identity("UpToDate", std::string(64, 'A')), ec));
  CHECK(ec == cocoon::errc::collateral_mismatch);
  // A misspelt status and a duplicated signed member are malformed.
  CHECK(!evaluate(tcb_info(level(1, 300, "", "Fine", "2024-01-01T00:00:00Z"), module_up_to_date),
                  qe_identity("UpToDate"), ec));
  CHECK(ec == cocoon::errc::collateral_malformed);
  // A second copy of the signed member, forged, before or after the signed one.
  const auto info = tcb_info(middle, module_up_to_date);
  const auto forged = tcb_info(high, module_up_to_date);
  const auto body = sign.sign("tcbInfo", info);
  const auto qe_body = sign.sign("enclaveIdentity", qe_identity("UpToDate"));
  for (const auto& doubled : {"{\"tcbInfo\":" + forged + "," + body.substr(1),
                              body.substr(0, body.size() - 1) + ",\"tcbInfo\":" + forged + "}"}) {
    CHECK(!evaluate_tcb(quote, {doubled, sign.chain, qe_body, sign.chain}, anchors, now, ec));
    CHECK(ec == cocoon::errc::collateral_malformed);
  }
  CHECK(evaluate_tcb(quote, {body, sign.chain, qe_body, sign.chain}, anchors, now, ec));
  CHECK(!ec);
}

TEST_CASE("collateral is signed by an end-entity signing certificate, not by any CA under the root",
          "[attest][collateral]") {
  const auto now = at(2025, 1, 1);
  const auto evaluate = [&](const attest_test::test_pki& pki, const attest_test::synthetic_collateral& tcb_signer,
                            const attest_test::synthetic_collateral& qe_signer,
                            std::string* where) -> cocoon::error_code {
    trust_anchors anchors;
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    const auto data = pki.quote();
    const auto quote = cocoon::attest::verify_quote(tdx_quote::parse(data), anchors, now);
    const auto tcb_body = tcb_signer.sign("tcbInfo", attest_test::up_to_date_tcb_info());
    const auto qe_body = qe_signer.sign("enclaveIdentity", qe_identity("UpToDate"));
    try {
      (void)evaluate_tcb(quote, {tcb_body, tcb_signer.chain, qe_body, qe_signer.chain}, anchors, now);
    } catch (const cocoon::error& failure) {
      *where = failure.where();
      return failure.code();
    }
    return cocoon::error_code{};
  };
  std::string where;
  const attest_test::test_pki pki;
  const synthetic_collateral signing(pki);
  REQUIRE(!evaluate(pki, signing, signing, &where));

  // The PCK CA's key, which the same root certifies, signs either document.
  const synthetic_collateral pck_ca(pki.ca_key.get(), pki.ca.get(), pki.root.get());
  CHECK(evaluate(pki, pck_ca, signing, &where) == cocoon::errc::collateral_invalid);
  CHECK(where == "tcb_info_issuer_chain.certificate[0]: not an end-entity certificate (CA:FALSE)");
  CHECK(evaluate(pki, signing, pck_ca, &where) == cocoon::errc::collateral_invalid);
  CHECK(where == "qe_identity_issuer_chain.certificate[0]: not an end-entity certificate (CA:FALSE)");

  // A CA:TRUE signer, even one whose key usage allows signatures.
  const attest_test::test_pki ca_signer({"Intel SGX PCK Certificate",
                                         false,
                                         -1,
                                         attest_test::utc(2020, 1, 1),
                                         attest_test::utc(2040, 1, 1),
                                         attest_test::sgx_extension(300, {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}),
                                         {}},
                                        {"Intel SGX TCB Signing",
                                         true,
                                         0,
                                         attest_test::utc(2020, 1, 1),
                                         attest_test::utc(2040, 1, 1),
                                         {},
                                         "critical,digitalSignature,keyCertSign"});
  CHECK(evaluate(ca_signer, synthetic_collateral(ca_signer), synthetic_collateral(ca_signer), &where) ==
        cocoon::errc::collateral_invalid);
  CHECK(where == "tcb_info_issuer_chain.certificate[0]: not an end-entity certificate (CA:FALSE)");

  // An end-entity certificate whose key usage leaves out digitalSignature.
  const attest_test::test_pki no_signature({"Intel SGX PCK Certificate",
                                            false,
                                            -1,
                                            attest_test::utc(2020, 1, 1),
                                            attest_test::utc(2040, 1, 1),
                                            attest_test::sgx_extension(300, {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}),
                                            {}},
                                           {"Intel SGX TCB Signing",
                                            false,
                                            -1,
                                            attest_test::utc(2020, 1, 1),
                                            attest_test::utc(2040, 1, 1),
                                            {},
                                            "critical,nonRepudiation"});
  CHECK(evaluate(no_signature, synthetic_collateral(no_signature), synthetic_collateral(no_signature), &where) ==
        cocoon::errc::collateral_invalid);
  CHECK(where == "tcb_info_issuer_chain.certificate[0]: key usage without digitalSignature");
}

TEST_CASE("TCB evaluation: TD relaunch advice for TDX 1.5 TDs", "[attest][collateral]") {
  attest_test::test_pki pki;  // TEE_TCB_SVN 05 01 03: module TDX_01 at SVN 5, component 2 = 3
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto now = at(2025, 1, 1);
  const synthetic_collateral sign{pki};
  // The module identity rates SVN 6 UpToDate (its latest) and SVN 5 OutOfDate.
  const auto evaluate = [&](const std::string& info, const std::string& qe) {
    const auto data = pki.quote();
    const auto quote = cocoon::attest::verify_quote(tdx_quote::parse(data), anchors, now);
    const auto tcb_body = sign.sign("tcbInfo", info), qe_body = sign.sign("enclaveIdentity", qe);
    return evaluate_tcb(quote, {tcb_body, sign.chain, qe_body, sign.chain}, anchors, now).status();
  };
  const auto latest = level(1, 300, "{\"svn\":9},{\"svn\":0},{\"svn\":3}", "UpToDate", "2024-11-01T00:00:00Z");
  const auto configuration =
      level(1, 300, "{\"svn\":9},{\"svn\":0},{\"svn\":3}", "ConfigurationNeeded", "2024-11-01T00:00:00Z");
  const auto info = tcb_info(latest, module_out_of_date);
  const auto up_to_date = qe_identity("UpToDate");

  // The module now loaded (TEE_TCB_SVN2) is TDX_01 SVN 6 with component 2 = 3: the latest.
  pki.v5_body_type = 3;
  pki.tee_tcb_svn2 = {6, 1, 3};
  CHECK(evaluate(info, up_to_date) == tcb_status::td_relaunch_advised);
  CHECK(std::string(to_string(tcb_status::td_relaunch_advised)) == "TDRelaunchAdvised");
  // The Configuration variant, from the platform level's status.
  CHECK(evaluate(tcb_info(configuration, module_out_of_date), up_to_date) ==
        tcb_status::td_relaunch_advised_configuration_needed);
  CHECK(std::string(to_string(tcb_status::td_relaunch_advised_configuration_needed)) ==
        "TDRelaunchAdvisedConfigurationNeeded");
  // A module whose latest level still lags, or no identity for its version: a relaunch does not help.
  using svn = std::array<std::uint8_t, 16>;
  for (const auto& svn2 : std::array<svn, 3>{svn{5, 1, 3}, svn{6, 1, 2}, svn{6, 2, 3}}) {
    pki.tee_tcb_svn2 = svn2;
    CHECK(evaluate(info, up_to_date) == tcb_status::out_of_date);
  }
  // An unversioned module now loaded: its SVN against the latest level's TDX component 0 (9).
  pki.tee_tcb_svn2 = {9, 0, 3};
  CHECK(evaluate(info, up_to_date) == tcb_status::td_relaunch_advised);
  pki.tee_tcb_svn2 = {8, 0, 3};
  CHECK(evaluate(info, up_to_date) == tcb_status::out_of_date);

  pki.tee_tcb_svn2 = {6, 1, 3};
  // QE OutOfDate or Revoked blocks the advice.
  CHECK(evaluate(info, qe_identity("OutOfDate")) == tcb_status::out_of_date);
  CHECK(evaluate(info, qe_identity("Revoked")) == tcb_status::revoked);
  // The platform's SGX level itself OutOfDate: the platform needs an update, not the TD a relaunch.
  CHECK(evaluate(tcb_info(level(1, 300, "{\"svn\":9},{\"svn\":0},{\"svn\":3}", "OutOfDate", "2024-11-01T00:00:00Z"),
                          module_out_of_date),
                 up_to_date) == tcb_status::out_of_date);
  // A current module with an OutOfDate TDX level: the module is not what lags.
  const auto tdx_behind = level(1, 300, "{\"svn\":9},{\"svn\":0},{\"svn\":4}", "UpToDate", "2024-11-01T00:00:00Z") +
                          "," + level(1, 300, "", "OutOfDate", "2024-06-01T00:00:00Z");
  pki.tee_tcb_svn = {6, 1, 3};
  CHECK(evaluate(tcb_info(tdx_behind, module_out_of_date), up_to_date) == tcb_status::out_of_date);
  // Module OutOfDate and a TDX level below the latest: TEE_TCB_SVN2 must reach the latest level's component 2.
  pki.tee_tcb_svn = {5, 1, 3};
  CHECK(evaluate(tcb_info(tdx_behind, module_out_of_date), up_to_date) == tcb_status::out_of_date);
  pki.tee_tcb_svn2 = {6, 1, 4};
  CHECK(evaluate(tcb_info(tdx_behind, module_out_of_date), up_to_date) == tcb_status::td_relaunch_advised);

  // Not applicable without TEE_TCB_SVN2: a v4 quote and a v5 body type 2 stay OutOfDate.
  pki.tee_tcb_svn2 = {6, 1, 3};
  pki.v5_body_type = 0;
  CHECK(evaluate(info, up_to_date) == tcb_status::out_of_date);
  pki.v5_body_type = 2;
  CHECK(evaluate(info, up_to_date) == tcb_status::out_of_date);

  // Relaunch advice is derived, never read from a collateral level.
  pki.v5_body_type = 3;
  cocoon::error_code ec;
  const auto data = pki.quote();
  const auto quote = cocoon::attest::verify_quote(tdx_quote::parse(data), anchors, now);
  const auto forged =
      sign.sign("tcbInfo", tcb_info(level(1, 300, "", "TDRelaunchAdvised", "2024-11-01T00:00:00Z"), module_up_to_date));
  const auto qe_body = sign.sign("enclaveIdentity", up_to_date);
  CHECK(!evaluate_tcb(quote, {forged, sign.chain, qe_body, sign.chain}, anchors, now, ec));
  CHECK(ec == cocoon::errc::collateral_malformed);

  // The acceptance order: after the Configuration statuses, before OutOfDate.
  const auto advised = evaluate_tcb(quote, {sign.sign("tcbInfo", info), sign.chain, qe_body, sign.chain}, anchors, now);
  REQUIRE(advised.status() == tcb_status::td_relaunch_advised);
  using cocoon::attest::policy;
  CHECK(!cocoon::attest::check_policy(quote, advised,
                                      policy().min_tcb(tcb_status::configuration_and_sw_hardening_needed), now, ec));
  CHECK(ec == cocoon::errc::tcb_status_refused);
  CHECK(cocoon::attest::check_policy(quote, advised, policy().min_tcb(tcb_status::td_relaunch_advised), now, ec));
  CHECK(cocoon::attest::check_policy(quote, advised, policy().min_tcb(tcb_status::out_of_date), now, ec));
  CHECK(policy::from_json(R"({"min_tcb":"TDRelaunchAdvisedConfigurationNeeded"})").min_tcb() ==
        tcb_status::td_relaunch_advised_configuration_needed);
}

TEST_CASE("OpenEnclave's eval-21 collateral dump: OutOfDate, and revocation checked", "[attest][collateral][vectors]") {
  // A flattened sgx_ql_qve_collateral_t: u32 version, u32 TEE type, 7 x {u64 pointer, u32 size,
  // u32 padding}, then the 7 blobs back to back, each ending with a NUL counted in its size.
  const auto dump = attest_test::read_file("tdx/openenclave-v5-eval21/tdx_quote_v5_endorsement_eval21.bin");
  REQUIRE(dump.size() >= 120);
  std::vector<std::string> blobs;
  std::size_t offset = 120;
  for (std::size_t i = 0; i < 7; ++i) {
    const std::size_t at = 8 + 16 * i + 8;
    std::size_t size = 0;
    for (std::size_t b = 0; b < 4; ++b) size |= std::to_integer<std::size_t>(dump[at + b]) << (8 * b);
    REQUIRE(size >= 1);
    REQUIRE(offset + size <= dump.size());
    blobs.emplace_back(reinterpret_cast<const char*>(dump.data()) + offset, size - 1);  // without the NUL
    offset += size;
  }
  REQUIRE(offset == dump.size());
  const auto& pck_crl_hex = blobs[2];
  const auto& root_crl_hex = blobs[1];
  const auto pck_crl = cocoon::from_hex(pck_crl_hex), root_crl = cocoon::from_hex(root_crl_hex);

  const auto now = at(2026, 6, 20);
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  const auto data = attest_test::read_quote("tdx/openenclave-v5-eval21/tdx_quote_v5.bin");
  const auto quote = cocoon::attest::verify_quote(tdx_quote::parse(data), anchors, now, {pck_crl, root_crl});
  CHECK(quote.revocation_checked());
  const auto report = evaluate_tcb(quote, {blobs[4], blobs[3], blobs[6], blobs[5]}, anchors, now);
  // Intel: level OutOfDate (2023-08-09), module TDX_01 isvsvn 2 OutOfDate. (dcap-qvl-js finds no
  // level because it also compares TEE_TCB_SVN[0..1] with the level's TDX components.)
  CHECK(report.status() == tcb_status::out_of_date);
  CHECK(report.tcb_date() == "2023-08-09T00:00:00Z");
  CHECK(report.tcb_evaluation_data_number() == 21);
  const auto& ids = report.advisory_ids();
  CHECK(std::find(ids.begin(), ids.end(), "INTEL-SA-00960") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "INTEL-SA-01313") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "INTEL-SA-01036") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "INTEL-SA-01397") != ids.end());
}

TEST_CASE("a QuoteCollateralV3 bundle with byte arrays, or without CRLs", "[attest][collateral][vectors]") {
  using cocoon::attest::collateral_bundle;
  const auto original = text("tdx/dcap-qvl/tdx_quote_collateral.json");
  const auto hex = collateral_bundle::from_json(original);
  REQUIRE(hex.crls());
  auto v3 = nlohmann::json::parse(original);
  for (const char* name : {"pck_crl", "root_ca_crl", "tcb_info_signature", "qe_identity_signature"}) {
    const auto bytes = cocoon::from_hex(v3.at(name).get<std::string>());
    auto values = nlohmann::json::array();
    for (const auto b : bytes) values.push_back(std::to_integer<unsigned>(b));
    v3[name] = values;
  }
  const auto arrays = collateral_bundle::from_json(v3.dump());
  REQUIRE(arrays.crls());
  const auto same = [](cocoon::byte_view a, cocoon::byte_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  };
  CHECK(same(arrays.crls()->pck_ca_crl, hex.crls()->pck_ca_crl));
  CHECK(same(arrays.crls()->root_ca_crl, hex.crls()->root_ca_crl));
  // The same documents and signatures: the TCB verdict is the same.
  const auto quote = verified("tdx/dcap-qvl/tdx_quote.bin", at(2025, 7, 1));
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  CHECK(evaluate_tcb(quote, arrays.tdx(), anchors, at(2025, 7, 1)).status() == tcb_status::up_to_date);
  CHECK(nlohmann::json::parse(arrays.tdx().tcb_info) == nlohmann::json::parse(hex.tdx().tcb_info));

  cocoon::error_code ec;
  auto broken = v3;
  broken["pck_crl"][0] = 256;
  CHECK(!collateral_bundle::from_json(broken.dump(), ec));
  CHECK(ec == cocoon::errc::collateral_malformed);
  broken = v3;
  broken["tcb_info_signature"].erase(0);
  CHECK(!collateral_bundle::from_json(broken.dump(), ec));

  // No CRLs (both empty): none given; one without the other: malformed.
  auto without = nlohmann::json::parse(original);
  without["pck_crl"] = "";
  CHECK(!collateral_bundle::from_json(without.dump(), ec));
  CHECK(ec == cocoon::errc::collateral_malformed);
  without["root_ca_crl"] = nlohmann::json::array();
  const auto no_crls = collateral_bundle::from_json(without.dump());
  CHECK(!no_crls.crls());
  CHECK(evaluate_tcb(quote, no_crls.tdx(), anchors, at(2025, 7, 1)).status() == tcb_status::up_to_date);
}
