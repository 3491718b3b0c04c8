#include <cocoon/attest/report.hpp>

#include <catch2/catch.hpp>

using cocoon::attest::check_result;
using cocoon::attest::verification_report;

TEST_CASE("a report keeps its checks in order and prints them as JSON", "[attest][report]") {
  verification_report report;
  CHECK(!report.ok());  // nothing checked is not a pass
  report.pass("quote.parse", "v4");
  report.skip("pck.crl", "no CRLs given");
  CHECK(report.ok());
  CHECK(report.first_failure() == nullptr);
  CHECK(report.to_json() == R"({"checks":[{"name":"quote.parse","reason":"v4","result":"pass"},)"
                            R"({"name":"pck.crl","reason":"no CRLs given","result":"skip"}],"verdict":"ok"})");

  report.fail("quote.signature", {cocoon::errc::quote_signature_invalid, "signature"});
  CHECK(!report.ok());
  REQUIRE(report.first_failure() != nullptr);
  CHECK(report.first_failure()->name == "quote.signature");
  CHECK(report.first_failure()->code == cocoon::errc::quote_signature_invalid);
  CHECK(report.first_failure()->where == "signature");
  CHECK(report.first_failure()->reason == "TDX quote signature does not verify (signature)");
  CHECK(nlohmann::json::parse(report.to_json()).at("verdict") == "fail");

  // A later entry of the same name replaces the earlier one in place.
  report.pass("pck.crl", "current");
  REQUIRE(report.checks().size() == 3);
  CHECK(report.checks()[1].result == check_result::pass);
  CHECK(report.find("pck.crl")->reason == "current");
  CHECK(report.find("nothing") == nullptr);
}

TEST_CASE("attestation_error is a cocoon::error carrying the report", "[attest][report]") {
  verification_report report;
  report.fail("policy.debug", {cocoon::errc::td_attributes_refused, "td_attributes: DEBUG"});
  try {
    throw cocoon::attest::attestation_error(cocoon::errc::td_attributes_refused, "verify", "td_attributes: DEBUG",
                                            report);
  } catch (const cocoon::error& error) {
    CHECK(error.code() == cocoon::errc::td_attributes_refused);
    CHECK(std::string(error.what()) == "verify: TD attributes refused by policy (td_attributes: DEBUG)");
    const auto* carried = dynamic_cast<const cocoon::attest::attestation_error*>(&error);
    REQUIRE(carried != nullptr);
    CHECK(carried->report().first_failure()->name == "policy.debug");
  }
}
