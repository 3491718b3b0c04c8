#include <cocoon/attest/policy.hpp>

#include <catch2/catch.hpp>

#include "test_pki.hpp"
#include "vectors.hpp"

using cocoon::attest::policy;
using cocoon::attest::tdx_quote;
using cocoon::attest::trust_anchors;
using cocoon::attest::verified_quote;

namespace {

verified_quote verified(const char* path, int year, int month, int day) {
  const auto data = attest_test::read_quote(path);
  return cocoon::attest::verify_quote(tdx_quote::parse(data), trust_anchors::intel_sgx_root_ca(),
                                      std::chrono::system_clock::from_time_t(attest_test::utc(year, month, day)));
}

cocoon::error_code policy_error(const verified_quote& quote, const policy& rules, std::string* where = nullptr) {
  try {
    cocoon::attest::check_policy(quote, std::nullopt, rules, {});
  } catch (const cocoon::error& failure) {
    if (where) *where = failure.where();
    return failure.code();
  }
  return {};
}

const char* const cocoon_mr_td =
    "7357a10d2e2724dffe68813e3cc4cfcde6814d749f2fb62e3953e54f6e0b50a219786afe2cd478f684b52c61837e1114";

}  // namespace

TEST_CASE("the default TD policy refuses debug TDs and the attributes SOURCES.md flags", "[attest][policy][vectors]") {
  std::string where;
  // COCOON's quote: SEPT_VE_DISABLE only.
  CHECK(!policy_error(verified("tdx/cocoon/quote.dat", 2025, 11, 20), policy{}));

  const auto debug = verified("tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat", 2025, 11, 20);
  CHECK(policy_error(debug, policy{}, &where) == cocoon::errc::td_attributes_refused);
  CHECK(where == "td_attributes: DEBUG");
  CHECK(!policy_error(debug, policy{}.allow_debug_td_insecure()));

  const auto no_sept_ve = verified("tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat", 2023, 7, 1);
  CHECK(policy_error(no_sept_ve, policy{}, &where) == cocoon::errc::td_attributes_refused);
  CHECK(where == "td_attributes: SEPT_VE_DISABLE clear");
  CHECK(!policy_error(no_sept_ve, policy{}.allow_sept_ve()));

  const auto migratable = verified("tdx/openenclave-v5-eval21/tdx_quote_v5.bin", 2026, 6, 20);
  CHECK(policy_error(migratable, policy{}, &where) == cocoon::errc::td_attributes_refused);
  CHECK(where == "td_attributes: MIGRATABLE");
  CHECK(policy_error(migratable, policy{}.allow_migratable(), &where) == cocoon::errc::td_attributes_refused);
  CHECK(where == "mr_service_td: bound to a service TD");
  CHECK(!policy_error(migratable, policy{}.allow_migratable().allow_service_td()));

  const auto service_td = verified("tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat", 2025, 11, 20);
  CHECK(policy_error(service_td, policy{}, &where) == cocoon::errc::td_attributes_refused);
  CHECK(where == "mr_service_td: bound to a service TD");

  const cocoon::error_code refused = cocoon::errc::td_attributes_refused;
  CHECK(refused == cocoon::condition::attestation_rejected);
}

TEST_CASE("TD policy measurement lists: empty allows any, otherwise membership", "[attest][policy][vectors]") {
  const auto quote = verified("tdx/cocoon/quote.dat", 2025, 11, 20);
  const auto other = cocoon::hash384(cocoon::bytes(48, std::byte{1}));
  std::string where;

  CHECK(!policy_error(quote, policy{}.allow_mr_td(other).allow_mr_td(cocoon::hash384::from_hex(cocoon_mr_td))));
  CHECK(policy_error(quote, policy{}.allow_mr_td(other), &where) == cocoon::errc::measurement_not_allowed);
  CHECK(where == "mr_td: not in the policy's list");

  CHECK(!policy_error(quote, policy{}.allow_rtmrs(quote.rtmrs())));
  auto rtmrs = quote.rtmrs();
  std::swap(rtmrs[0], rtmrs[1]);
  CHECK(policy_error(quote, policy{}.allow_rtmrs(rtmrs), &where) == cocoon::errc::measurement_not_allowed);
  CHECK(where == "rtmrs: not in the policy's list");

  const auto image = cocoon::hash256::from_hex("04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436");
  const auto fake_image = cocoon::hash256::from_hex("5c55c8f4db4010ba9203d83536d0609856af8c847ac039e37e7dde8fbd574b61");
  CHECK(!policy_error(quote, policy{}.allow_image_hash(image)));
  CHECK(policy_error(quote, policy{}.allow_image_hash(fake_image), &where) == cocoon::errc::measurement_not_allowed);
  CHECK(where == "image_hash: not in the policy's list");

  const auto intel_root = cocoon::hash384::from_hex(
      "46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993");
  CHECK(!policy_error(quote, policy{}.allow_root_key_id(intel_root)));
  CHECK(policy_error(quote, policy{}.allow_root_key_id(other), &where) == cocoon::errc::measurement_not_allowed);
  CHECK(where == "root_key_id: not in the policy's list");

  cocoon::error_code ec;
  CHECK(!cocoon::attest::check_policy(quote, std::nullopt, policy{}.allow_mr_td(other), {}, ec));
  CHECK(ec == cocoon::errc::measurement_not_allowed);
  CHECK(cocoon::attest::check_policy(quote, std::nullopt, policy{}, {}, ec));
  CHECK(!ec);
}

TEST_CASE("reserved TDATTRIBUTES bits are refused even when DEBUG is allowed", "[attest][policy]") {
  const auto now = std::chrono::system_clock::from_time_t(attest_test::utc(2025, 1, 1));
  for (const int bit : {1, 7, 8, 27, 32, 62}) {
    INFO("bit " << bit);
    attest_test::test_pki pki;
    pki.td_attributes = 0x10000000u | (1ULL << bit);
    trust_anchors anchors;
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    const auto data = pki.quote();
    const auto quote = cocoon::attest::verify_quote(tdx_quote::parse(data), anchors, now);
    std::string where;
    CHECK(policy_error(quote, policy{}.allow_debug_td_insecure(), &where) == cocoon::errc::td_attributes_refused);
    CHECK(where == "td_attributes: reserved bit set");
  }
  // The defined bits other than DEBUG, MIGRATABLE and SEPT_VE_DISABLE pass: PKS, KL, PERFMON.
  attest_test::test_pki pki;
  pki.td_attributes = 0x10000000u | (1ULL << 30) | (1ULL << 31) | (1ULL << 63);
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto data = pki.quote();
  CHECK(!policy_error(cocoon::attest::verify_quote(tdx_quote::parse(data), anchors, now), policy{}));
}

TEST_CASE("a policy reads from JSON and prints back to the same JSON", "[attest][policy]") {
  const std::string text =
      R"({"allow_debug":false,"allow_migratable":true,"allow_sept_ve":false,"allow_service_td":true,)"
      R"("image_hash":["04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436"],)"
      R"("max_collateral_age_seconds":2592000,"min_tcb":"SWHardeningNeeded",)"
      R"("mr_seam":[")" +
      std::string(96, '1') + R"("],"mr_td":[")" + cocoon_mr_td + R"("],)" +
      R"("root_key_id":["46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993"],)"
      R"("rtmrs":[[")" +
      std::string(96, 'a') + R"(",")" + std::string(96, 'b') + R"(",")" + std::string(96, 'c') + R"(",")" +
      std::string(96, '0') + R"("]],"xfam":["e702060000000000"]})";
  const auto parsed = policy::from_json(text);
  CHECK(parsed.to_json() == text);
  CHECK(policy::from_json(parsed.to_json()) == parsed);
  CHECK(parsed.migratable_allowed());
  CHECK(!parsed.debug_allowed());
  CHECK(parsed.xfams() == std::vector<std::uint64_t>{0x00000000000602e7ULL});
  CHECK(parsed.min_tcb() == cocoon::attest::tcb_status::sw_hardening_needed);
  CHECK(parsed.max_collateral_age() == std::chrono::hours(24 * 30));
  CHECK(parsed.rtmrs().at(0)[3] == cocoon::hash384{});
  CHECK(parsed.mr_tds().at(0).to_hex() == cocoon_mr_td);

  // The builder's policy prints as the same JSON.
  const auto built = policy()
                         .allow_migratable()
                         .allow_service_td()
                         .allow_image_hash(cocoon::hash256::from_hex(
                             "04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436"))
                         .max_collateral_age(std::chrono::seconds(2592000))
                         .min_tcb(cocoon::attest::tcb_status::sw_hardening_needed)
                         .allow_mr_seam(cocoon::hash384::from_hex(std::string(96, '1')))
                         .allow_mr_td(cocoon::hash384::from_hex(cocoon_mr_td))
                         .allow_root_key_id(parsed.root_key_ids().at(0))
                         .allow_rtmrs(parsed.rtmrs().at(0))
                         .allow_xfam(0x00000000000602e7ULL);
  CHECK(built == parsed);
  CHECK(built.to_json() == text);

  // Revocation follows the TCB rules unless set; an explicit choice prints and reads back.
  CHECK(parsed.revocation_required());
  CHECK(!policy{}.revocation_required());
  CHECK(policy().min_tcb(cocoon::attest::tcb_status::revoked).revocation_required());
  CHECK(policy().max_collateral_age(std::chrono::hours(1)).revocation_required());
  for (const bool required : {false, true}) {
    const auto explicit_choice = policy(built).require_revocation(required);
    CHECK(explicit_choice.revocation_required() == required);
    CHECK(explicit_choice != built);
    const auto printed = explicit_choice.to_json();
    CHECK(printed.find(std::string("\"require_revocation\":") + (required ? "true" : "false")) != std::string::npos);
    CHECK(policy::from_json(printed) == explicit_choice);
  }
  CHECK(policy::from_json(R"({"require_revocation":true})").revocation_required());
  CHECK(policy::from_json(R"({"require_revocation":true})") != policy{});

  // Every member is optional; the empty policy is the default one.
  CHECK(policy::from_json("{}") == policy{});
  CHECK(policy{}.to_json() ==
        R"({"allow_debug":false,"allow_migratable":false,"allow_sept_ve":false,"allow_service_td":false,)"
        R"("image_hash":[],"mr_seam":[],"mr_td":[],"root_key_id":[],"rtmrs":[],"xfam":[]})");
}

TEST_CASE("malformed policy JSON is refused, naming the member", "[attest][policy]") {
  const auto where = [](const std::string& text) {
    cocoon::error_code ec;
    CHECK(!policy::from_json(text, ec));
    CHECK(ec == cocoon::errc::policy_malformed);
    try {
      (void)policy::from_json(text);
    } catch (const cocoon::error& error) {
      return error.where();
    }
    return std::string("accepted");
  };
  CHECK(where(R"({"mr_tdd":[]})") == "mr_tdd: unknown member");
  CHECK(where(R"({"allow_debug":1})") == "allow_debug: not true or false");
  CHECK(where(R"({"require_revocation":"yes"})") == "require_revocation: not true or false");
  CHECK(where(R"({"mr_td":"00"})") == "mr_td: not an array");
  CHECK(where(R"({"mr_td":["00"]})") == "mr_td[0]: not 48 bytes of hex");
  CHECK(where(R"({"image_hash":[")" + std::string(64, '0') + R"(","zz"]})") == "image_hash[1]: not 32 bytes of hex");
  CHECK(where(R"({"rtmrs":[["00"]]})") == "rtmrs[0]: not an array of 4 RTMRs");
  CHECK(where(R"({"xfam":["e7020600"]})") == "xfam[0]: not 8 bytes of hex");
  CHECK(where(R"({"min_tcb":"Fine"})") == "min_tcb: not an Intel TCB status name (\"UpToDate\", ...)");
  CHECK(where(R"({"max_collateral_age_seconds":-1})") ==
        "max_collateral_age_seconds: not a number of seconds (at most 100 years)");
  CHECK(where("[]") == "policy: not a JSON object");
  CHECK(where("{") == "policy: not JSON");
}
