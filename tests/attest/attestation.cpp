#include <cocoon/attest/attestation.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

#include "test_pki.hpp"
#include "vectors.hpp"

#include <chrono>
#include <string>
#include <type_traits>

using cocoon::attest::check_result;
using cocoon::attest::policy;
using cocoon::attest::tcb_status;
using cocoon::attest::verification_report;
using cocoon::attest::verify_attestation;
using cocoon::attest::verify_options;

static_assert(!std::is_default_constructible_v<cocoon::attest::attestation>, "only the verifier makes one");

using attest_test::at;

namespace {

// Every check verify_attestation records, in its order.
const char* const all_checks[] = {"quote.parse",
                                  "pck.chain",
                                  "pck.crl",
                                  "pck.extension",
                                  "qe.signature",
                                  "qe.identity",
                                  "qe.report_binding",
                                  "quote.signature",
                                  "collateral.tcb_info",
                                  "collateral.qe_identity",
                                  "tcb.status",
                                  "policy.debug",
                                  "policy.td_attributes",
                                  "policy.service_td",
                                  "policy.mr_td",
                                  "policy.rtmrs",
                                  "policy.image_hash",
                                  "policy.root_key_id",
                                  "policy.mr_seam",
                                  "policy.xfam",
                                  "policy.min_tcb",
                                  "policy.collateral_age"};

// The report of a verification, whichever way it ended; `code` receives the error.
verification_report run(cocoon::byte_view quote, const verify_options& options, cocoon::error_code& code) {
  verification_report report;
  const auto result = verify_attestation(quote, options, report, code);
  CHECK(result.has_value() == !code);
  CHECK(report.ok() == !code);
  // The throwing form fails the same way and carries the same report.
  try {
    const auto thrown = verify_attestation(quote, options);
    CHECK(!code);
    CHECK(thrown.report().to_json() == report.to_json());
  } catch (const cocoon::attest::attestation_error& error) {
    CHECK(error.code() == code);
    CHECK(error.report().to_json() == report.to_json());
    REQUIRE(report.first_failure() != nullptr);
    CHECK(error.where() == report.first_failure()->where);
  }
  REQUIRE(report.checks().size() == std::size(all_checks));
  for (std::size_t i = 0; i < std::size(all_checks); ++i) CHECK(report.checks()[i].name == all_checks[i]);
  return report;
}

check_result result_of(const verification_report& report, const char* name) {
  const auto* found = report.find(name);
  REQUIRE(found != nullptr);
  return found->result;
}

// verify_options at `now`, with collateral and a policy when given.
verify_options options_at(std::chrono::system_clock::time_point now,
                          std::optional<cocoon::attest::tdx_collateral> collateral = std::nullopt, policy rules = {}) {
  verify_options options;
  options.now = now;
  options.collateral = collateral;
  options.policy = std::move(rules);
  return options;
}

std::string reason_of(const verification_report& report, const char* name) { return report.find(name)->reason; }

const char* const vector_image_hash = "04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436";

}  // namespace

TEST_CASE("COCOON's quote passes the whole chain with its collateral, CRLs and a pinning policy",
          "[attest][attestation][vectors]") {
  const auto quote = attest_test::read_quote("tdx/cocoon/quote.dat");
  attest_test::migtd_bundle bundle;
  verify_options options;
  options.now = at(2025, 11, 20);
  options.collateral = bundle.for_fmspc("90c06f000000");
  options.crls = bundle.crls();
  options.policy =
      policy()
          .allow_image_hash(cocoon::hash256::from_hex(vector_image_hash))
          .allow_root_key_id(cocoon::hash384::from_hex(
              "46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993"))
          .allow_xfam(0x00000000000602e7ULL)
          .min_tcb(tcb_status::up_to_date)
          .max_collateral_age(std::chrono::hours(24 * 30));
  cocoon::error_code ec;
  const auto report = run(quote, options, ec);
  CHECK(!ec);
  for (const char* name :
       {"quote.parse", "pck.chain", "pck.crl", "pck.extension", "qe.signature", "qe.identity", "qe.report_binding",
        "quote.signature", "collateral.tcb_info", "collateral.qe_identity", "tcb.status", "policy.debug",
        "policy.td_attributes", "policy.service_td", "policy.image_hash", "policy.root_key_id", "policy.xfam",
        "policy.min_tcb", "policy.collateral_age"}) {
    INFO(name);
    CHECK(result_of(report, name) == check_result::pass);
  }
  for (const char* name : {"policy.mr_td", "policy.rtmrs", "policy.mr_seam"}) {
    CHECK(result_of(report, name) == check_result::skip);
  }
  CHECK(reason_of(report, "tcb.status").rfind("UpToDate", 0) == 0);

  const auto verified = verify_attestation(quote, options);
  CHECK(verified.image_hash().to_hex() == vector_image_hash);
  REQUIRE(verified.tcb());
  CHECK(verified.tcb()->status() == tcb_status::up_to_date);
  CHECK(verified.quote().revocation_checked());
  const auto json = nlohmann::json::parse(verified.report().to_json());
  CHECK(json.at("verdict") == "ok");
  CHECK(json.at("checks").size() == std::size(all_checks));
  CHECK(json.at("checks").at(0) == nlohmann::json{{"name", "quote.parse"},
                                                  {"result", "pass"},
                                                  {"reason", "TDX quote v4, TD report 1.0 body, 70 bytes after it"}});

  // The collateral was issued 2025-11-17: three days old.
  options.policy.max_collateral_age(std::chrono::hours(48));
  CHECK(!run(quote, options, ec).ok());
  CHECK(ec == cocoon::errc::collateral_too_old);
}

TEST_CASE("SOURCES.md verdicts appear as the named checks", "[attest][attestation][vectors]") {
  attest_test::migtd_bundle bundle;
  cocoon::error_code ec;
  const auto strict = policy().min_tcb(tcb_status::up_to_date);
  {
    // flashtestations: genuine, TDX module OutOfDate.
    const auto quote = attest_test::read_quote("tdx/migtd-bundle-2025-11/flashtestations-b0c06f.bin");
    auto options = options_at(at(2025, 11, 20), bundle.for_fmspc("b0c06f000000"));
    const auto lenient = run(quote, options, ec);
    CHECK(!ec);
    CHECK(reason_of(lenient, "tcb.status").rfind("OutOfDate", 0) == 0);
    CHECK(result_of(lenient, "policy.min_tcb") == check_result::skip);
    options.policy = strict;
    options.crls = bundle.crls();  // a TCB policy needs revocation checked
    const auto report = run(quote, options, ec);
    CHECK(ec == cocoon::errc::tcb_status_refused);
    CHECK(report.first_failure()->name == "policy.min_tcb");
    CHECK(result_of(report, "tcb.status") == check_result::pass);
  }
  {
    // trustee: a DEBUG TD, refused by the default policy; its TCB is OutOfDate too.
    const auto quote = attest_test::read_quote("tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat");
    auto options = options_at(at(2025, 11, 20), bundle.for_fmspc("50806f000000"), strict);
    options.crls = bundle.crls();
    const auto report = run(quote, options, ec);
    CHECK(ec == cocoon::errc::td_attributes_refused);
    CHECK(report.first_failure()->name == "policy.debug");
    CHECK(result_of(report, "policy.min_tcb") == check_result::fail);
    options.policy = policy().allow_debug_td_insecure();
    CHECK(run(quote, options, ec).ok());
  }
  {
    // trustee v5: no TCB level the platform meets; the policy is not reached.
    const auto quote = attest_test::read_quote("tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat");
    const auto options = options_at(at(2025, 11, 20), bundle.for_fmspc("90c06f000000"));
    const auto report = run(quote, options, ec);
    CHECK(ec == cocoon::errc::tcb_level_not_found);
    CHECK(report.first_failure()->name == "tcb.status");
    CHECK(result_of(report, "collateral.tcb_info") == check_result::pass);
    CHECK(result_of(report, "policy.debug") == check_result::skip);
    CHECK(reason_of(report, "policy.debug") == "not reached: tcb.status failed");
  }
  {
    // COCOON's quote against another platform's TCB Info.
    const auto quote = attest_test::read_quote("tdx/cocoon/quote.dat");
    const auto options = options_at(at(2025, 11, 20), bundle.for_fmspc("b0c06f000000"));
    CHECK(run(quote, options, ec).first_failure()->name == "tcb.status");
    CHECK(ec == cocoon::errc::collateral_mismatch);
  }
  {
    // An SGX quote is refused by the parser.
    const auto quote = attest_test::read_quote("tdx/not-tdx/dcap-qvl-sgx_quote.bin");
    const auto report = run(quote, options_at(at(2025, 11, 20)), ec);
    CHECK(ec == cocoon::errc::quote_unsupported);
    CHECK(report.first_failure()->name == "quote.parse");
    CHECK(result_of(report, "pck.chain") == check_result::skip);
  }
}

TEST_CASE("dcap-qvl's QuoteCollateralV3 bundle: UpToDate in its window, then its CRL expires",
          "[attest][attestation][vectors]") {
  const auto quote = attest_test::read_quote("tdx/dcap-qvl/tdx_quote.bin");
  const auto bundle =
      cocoon::attest::collateral_bundle::from_json(attest_test::text("tdx/dcap-qvl/tdx_quote_collateral.json"));
  auto options = options_at(at(2025, 7, 1), bundle.tdx());
  options.crls = bundle.crls();
  options.policy.min_tcb(tcb_status::up_to_date);
  cocoon::error_code ec;
  auto report = run(quote, options, ec);
  CHECK(!ec);
  CHECK(result_of(report, "pck.crl") == check_result::pass);
  CHECK(reason_of(report, "tcb.status") == "UpToDate (TCB date 2024-03-13T00:00:00Z)");

  // The PCK CRL's nextUpdate is 2025-07-19; the TCB Info's 2025-07-19 too.
  options.now = at(2025, 8, 1);
  report = run(quote, options, ec);
  CHECK(ec == cocoon::errc::crl_invalid);
  CHECK(report.first_failure()->name == "pck.crl");
  CHECK(result_of(report, "pck.chain") == check_result::skip);
  options.crls.reset();
  options.policy.require_revocation(false);
  report = run(quote, options, ec);
  CHECK(ec == cocoon::errc::collateral_expired);
  CHECK(report.first_failure()->name == "collateral.tcb_info");
  CHECK(result_of(report, "pck.crl") == check_result::skip);

  // Malformed bundles name the member.
  for (const auto& [text, where] : std::initializer_list<std::pair<const char*, const char*>>{
           {"[]", "collateral: not a JSON object"},
           {"{", "collateral: not JSON"},
           {"{\"tcb_info\":\"{}\"}", "collateral.tcb_info_signature"}}) {
    CHECK(!cocoon::attest::collateral_bundle::from_json(text, ec));
    CHECK(ec == cocoon::errc::collateral_malformed);
    try {
      (void)cocoon::attest::collateral_bundle::from_json(text);
    } catch (const cocoon::error& error) {
      CHECK(error.where() == where);
    }
  }
}

TEST_CASE("a policy that asks for a TCB status needs revocation checked, unless it opts out",
          "[attest][attestation][vectors]") {
  // dcap-qvl's bundle with both CRLs emptied: TCB Info and QE identity, no revocation lists.
  auto v3 = nlohmann::json::parse(attest_test::text("tdx/dcap-qvl/tdx_quote_collateral.json"));
  v3["pck_crl"] = "";
  v3["root_ca_crl"] = "";
  const auto bundle = cocoon::attest::collateral_bundle::from_json(v3.dump());
  REQUIRE(!bundle.crls());
  const auto quote = attest_test::read_quote("tdx/dcap-qvl/tdx_quote.bin");
  auto options = options_at(at(2025, 7, 1), bundle.tdx(), policy::from_json(R"({"min_tcb":"UpToDate"})"));
  CHECK(options.policy.revocation_required());
  cocoon::error_code ec;
  auto report = run(quote, options, ec);
  CHECK(ec == cocoon::errc::revocation_required);
  CHECK(report.first_failure()->name == "pck.crl");
  CHECK(report.first_failure()->where == "pck_crls: none given, and the policy requires them");
  // The quote itself verified; what follows is not reached.
  for (const char* name : {"pck.chain", "pck.extension", "qe.signature", "qe.identity", "quote.signature"}) {
    INFO(name);
    CHECK(result_of(report, name) == check_result::pass);
  }
  CHECK(reason_of(report, "tcb.status") == "not reached: pck.crl failed");
  options.policy = policy().max_collateral_age(std::chrono::hours(24 * 30));
  CHECK(run(quote, options, ec).first_failure()->name == "pck.crl");
  CHECK(ec == cocoon::errc::revocation_required);

  // An explicit opt-out, visible in the policy's JSON: revocation skipped, as without a TCB policy.
  options.policy = policy::from_json(R"({"min_tcb":"UpToDate","require_revocation":false})");
  CHECK(!options.policy.revocation_required());
  CHECK(options.policy.to_json().find("\"require_revocation\":false") != std::string::npos);
  report = run(quote, options, ec);
  CHECK(!ec);
  CHECK(result_of(report, "pck.crl") == check_result::skip);
  options.policy = policy{};
  CHECK(!options.policy.revocation_required());
  CHECK(result_of(run(quote, options, ec), "pck.crl") == check_result::skip);
  CHECK(!ec);
  // Required without any TCB policy: the default policy with revocation asked for.
  options.policy.require_revocation(true);
  CHECK(run(quote, options, ec).first_failure()->name == "pck.crl");
  CHECK(ec == cocoon::errc::revocation_required);
  // With the CRLs the same strict policy passes.
  const auto full =
      cocoon::attest::collateral_bundle::from_json(attest_test::text("tdx/dcap-qvl/tdx_quote_collateral.json"));
  options = options_at(at(2025, 7, 1), full.tdx(), policy::from_json(R"({"min_tcb":"UpToDate"})"));
  options.crls = full.crls();
  CHECK(result_of(run(quote, options, ec), "pck.crl") == check_result::pass);
  CHECK(!ec);
}

TEST_CASE("a policy that needs collateral fails without it, never passes", "[attest][attestation][vectors]") {
  const auto quote = attest_test::read_quote("tdx/cocoon/quote.dat");
  cocoon::error_code ec;
  auto options = options_at(at(2025, 11, 20));
  auto report = run(quote, options, ec);
  CHECK(!ec);
  for (const char* name : {"pck.crl", "collateral.tcb_info", "collateral.qe_identity", "tcb.status", "policy.min_tcb",
                           "policy.collateral_age"}) {
    CHECK(result_of(report, name) == check_result::skip);
  }
  // The most lenient minimum still needs a status (and, unless waived, revocation checked).
  options.policy.min_tcb(tcb_status::revoked).require_revocation(false);
  report = run(quote, options, ec);
  CHECK(ec == cocoon::errc::collateral_required);
  CHECK(report.first_failure()->name == "policy.min_tcb");
  options.policy = policy().max_collateral_age(std::chrono::hours(1)).require_revocation(false);
  report = run(quote, options, ec);
  CHECK(ec == cocoon::errc::collateral_required);
  CHECK(report.first_failure()->name == "policy.collateral_age");
}

TEST_CASE("policy allowlists name the check that refused", "[attest][attestation][vectors]") {
  const auto quote = attest_test::read_quote("tdx/cocoon/quote.dat");
  cocoon::error_code ec;
  const cocoon::hash384 other = cocoon::hash384::from_hex(std::string(96, 'a'));
  const struct {
    policy rules;
    const char* check;
  } cases[] = {
      {policy().allow_mr_td(other), "policy.mr_td"},
      {policy().allow_rtmrs({other, other, other, other}), "policy.rtmrs"},
      {policy().allow_image_hash(cocoon::hash256::from_hex(std::string(64, 'b'))), "policy.image_hash"},
      {policy().allow_root_key_id(other), "policy.root_key_id"},
      {policy().allow_mr_seam(other), "policy.mr_seam"},
      {policy().allow_xfam(0x00000000000642e7ULL), "policy.xfam"},
  };
  for (const auto& c : cases) {
    INFO(c.check);
    const auto report = run(quote, options_at(at(2025, 11, 20), std::nullopt, c.rules), ec);
    CHECK(ec == cocoon::errc::measurement_not_allowed);
    CHECK(report.first_failure()->name == c.check);
  }
  // MRSEAM as SOURCES.md states it: 49b66faa...0ee7e6.
  cocoon::attest::verification_report report;
  const auto verified = verify_attestation(quote, options_at(at(2025, 11, 20)), report, ec);
  REQUIRE(verified);
  CHECK(verified->quote().mr_seam().to_hex().substr(0, 8) == "49b66faa");
  CHECK(run(quote,
            options_at(at(2025, 11, 20), std::nullopt,
                       policy().allow_mr_seam(other).allow_mr_seam(verified->quote().mr_seam())),
            ec)
            .ok());
}

TEST_CASE("every flipped byte of a real quote fails, and the report names the check",
          "[attest][attestation][vectors]") {
  const auto original = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto parsed = cocoon::attest::tdx_quote::parse(original);
  const auto offset_of = [&](cocoon::byte_view part) {
    return static_cast<std::size_t>(part.data() - original.data());
  };
  const std::size_t chain = offset_of(parsed.pck_chain());
  const struct {
    const char* region;
    std::size_t offset, size, step;
    const char* check;
  } regions[] = {
      {"header (user data) and body", 28, parsed.signed_region().size() - 28, 1, "quote.signature"},
      {"quote signature", offset_of(parsed.signature()), 64, 1, "quote.signature"},
      {"attestation key", offset_of(parsed.attestation_key()), 64, 1, "qe.report_binding"},
      {"QE report", offset_of(parsed.qe_report().bytes()), 384, 1, "qe.signature"},
      {"QE report signature", offset_of(parsed.qe_report_signature()), 64, 1, "qe.signature"},
      {"QE auth data", offset_of(parsed.qe_auth_data()), 32, 1, "qe.report_binding"},
      {"header (version, key type, TEE type)", 0, 8, 1, "quote.parse"},
      {"header (QE and PCE SVN)", 8, 4, 1, "quote.signature"},
      {"header (QE vendor)", 12, 16, 1, "quote.parse"},
      {"PCK chain", chain, parsed.pck_chain().size(), 5, "pck.chain"},
  };
  const auto options = options_at(at(2025, 11, 20));
  cocoon::error_code ec;
  std::size_t framing = 0;
  for (const auto& region : regions) {
    INFO(region.region);
    auto copy = original;
    for (std::size_t byte = region.offset; byte < region.offset + region.size; byte += region.step) {
      copy[byte] ^= std::byte{0x01};
      cocoon::attest::verification_report report;
      const bool passed = verify_attestation(copy, options, report, ec).has_value();
      const auto original_byte = std::to_integer<char>(original[byte]);
      copy[byte] ^= std::byte{0x01};
      if (passed && (original_byte == '\n' || original_byte == '\0')) {
        ++framing;  // PEM line breaks and the NUL after the chain are framing, not certificate bytes
        continue;
      }
      INFO("byte " << byte);
      REQUIRE(report.first_failure() != nullptr);
      CHECK(report.first_failure()->name == region.check);
    }
  }
  // The chain has line breaks every 64 characters; only those may pass.
  CHECK(framing <= parsed.pck_chain().size() / 64 / 5 + 4);
}

TEST_CASE("the PCK chain check fails for an unpinned root and outside the certificates' validity",
          "[attest][attestation][vectors]") {
  const auto quote = attest_test::read_quote("tdx/cocoon/quote.dat");
  cocoon::error_code ec;
  auto options = options_at(at(2025, 11, 20));
  options.anchors = cocoon::attest::trust_anchors{};
  auto report = run(quote, options, ec);
  CHECK(ec == cocoon::errc::pck_root_untrusted);
  CHECK(report.first_failure()->name == "pck.chain");
  CHECK(report.first_failure()->where == "pck_chain.certificate[2]: public key is not a trust anchor");
  CHECK(result_of(report, "quote.parse") == check_result::pass);
  CHECK(reason_of(report, "quote.signature") == "not reached: pck.chain failed");

  report = run(quote, options_at(at(2060, 1, 1)), ec);
  CHECK(ec == cocoon::errc::certificate_expired);
  CHECK(report.first_failure()->name == "pck.chain");
}

TEST_CASE("a quote from a rogue QE fails qe.identity, the checks after it not reached", "[attest][attestation]") {
  attest_test::test_pki pki;
  auto options = options_at(at(2025, 1, 1));
  options.anchors = cocoon::attest::trust_anchors{};
  options.anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  cocoon::error_code ec;
  auto report = run(pki.quote(), options, ec);
  CHECK(!ec);
  CHECK(result_of(report, "qe.identity") == check_result::pass);

  pki.qe_attributes[0] |= 0x02;  // DEBUG
  pki.qe_mr_signer.fill(0x42);
  pki.qe_isv_prod_id = 0x1337;
  report = run(pki.quote(), options, ec);
  CHECK(ec == cocoon::errc::qe_identity_untrusted);
  CHECK(report.first_failure()->name == "qe.identity");
  CHECK(report.first_failure()->where == "qe_report.mr_signer: not Intel's TD QE signer");
  CHECK(result_of(report, "qe.signature") == check_result::pass);
  CHECK(reason_of(report, "quote.signature") == "not reached: qe.identity failed");
  CHECK(nlohmann::json::parse(report.to_json()).at("verdict") == "fail");
}
