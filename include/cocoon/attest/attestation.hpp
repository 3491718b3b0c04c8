// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_ATTESTATION_HPP
#define COCOON_ATTEST_ATTESTATION_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/image_hash.hpp>
#include <cocoon/attest/policy.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/report.hpp>
#include <cocoon/attest/trust_anchors.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <chrono>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// The inputs of `verify_attestation` besides the quote.
struct verify_options {
  /// The root keys the PCK chain and the collateral's chains may end in.
  trust_anchors anchors = trust_anchors::intel_sgx_root_ca();
  /// The verification time (certificate validity, collateral freshness and age). No clock is
  /// read: the default, the epoch, makes every real certificate not yet valid.
  std::chrono::system_clock::time_point now{};
  /// Intel's TCB Info and QE identity; without them the TCB status is unknown (checks skipped) and
  /// a policy that needs it fails.
  std::optional<tdx_collateral> collateral;
  /// The PCK CA's and root CA's CRLs; without them revocation is not checked (`pck.crl` skipped),
  /// or, under a policy that requires it (`policy::revocation_required`), verification fails.
  std::optional<pck_crls> crls;
  /// What the TD must be (the default refuses debug TDs and accepts any measurement).
  attest::policy policy;
};

/// A quote that passed `verify_attestation`: the verified quote, its TCB verdict when collateral
/// was given, and the report. Only the verifier makes one.
class attestation {
 public:
  [[nodiscard]] const verified_quote& quote() const noexcept { return quote_; }
  /// Absent without collateral.
  [[nodiscard]] const std::optional<tcb_report>& tcb() const noexcept { return tcb_; }
  [[nodiscard]] const verification_report& report() const noexcept { return report_; }
  /// COCOON's image hash of the quote's measurements.
  [[nodiscard]] hash256 image_hash() const { return cocoon_image_hash(quote_); }

 private:
  friend cocoon::detail::result<attestation> verify_attestation_impl(byte_view, const verify_options&,
                                                                     verification_report&);
  attestation(verified_quote quote, std::optional<tcb_report> tcb, verification_report report)
      : quote_(std::move(quote)), tcb_(std::move(tcb)), report_(std::move(report)) {}

  verified_quote quote_;
  std::optional<tcb_report> tcb_;
  verification_report report_;
};

namespace detail {

/// The checks of a quote's genuineness, in the order `verify_quote` runs them (the chain with its
/// CRLs first).
inline constexpr const char* quote_checks[] = {"quote.parse",  "pck.chain",   "pck.crl",           "pck.extension",
                                               "qe.signature", "qe.identity", "qe.report_binding", "quote.signature"};
/// The checks of Intel collateral.
inline constexpr const char* collateral_checks[] = {"collateral.tcb_info", "collateral.qe_identity", "tcb.status"};

/// Which of `quote_checks` a `verify_quote` failure belongs to.
[[nodiscard]] inline const char* quote_check_of(const cocoon::detail::failure& why) {
  const error_code& code = why.code;
  if (code == errc::certificate_revoked || code == errc::crl_invalid || code == errc::crl_malformed ||
      code == errc::revocation_required) {
    return "pck.crl";
  }
  if (code == errc::pck_extension_malformed) return "pck.extension";
  if (code == errc::qe_report_signature_invalid) return "qe.signature";
  if (code == errc::qe_identity_untrusted) return "qe.identity";
  if (code == errc::qe_report_binding_mismatch) return "qe.report_binding";
  if (code == errc::quote_signature_invalid) return "quote.signature";
  if (code == errc::crypto_failure) {
    if (why.where.rfind("pck_crls", 0) == 0) return "pck.crl";
    if (why.where.rfind("qe_report", 0) == 0) return "qe.report_binding";
  }
  return "pck.chain";
}

/// Parses and verifies `bytes` (steps `quote_checks`), recording each step. Without `crls`,
/// `revocation_required` makes `pck.crl` fail rather than be skipped.
[[nodiscard]] inline cocoon::detail::result<verified_quote> verify_quote_recorded(
    byte_view bytes, const trust_anchors& anchors, std::chrono::system_clock::time_point now, const pck_crls* crls,
    bool revocation_required, verification_report& report) {
  auto parsed = parse_tdx_quote(bytes);
  if (!parsed.has_value()) {
    report.fail("quote.parse", parsed.error());
    return parsed.error();
  }
  const tdx_quote& quote = parsed.value();
  report.pass("quote.parse", "TDX quote v" + std::to_string(quote.version()) + ", TD report " +
                                 (quote.body().is_td15() ? "1.5" : "1.0") + " body, " +
                                 std::to_string(quote.trailing_size()) + " bytes after it");
  auto verified = verify_quote_impl(quote, anchors, now, crls);
  // The quote is genuine, but whether its PCK certificates were revoked is unknown.
  const bool revocation_unknown = verified.has_value() && crls == nullptr && revocation_required;
  if (revocation_unknown) {
    verified = cocoon::detail::failure{errc::revocation_required, "pck_crls: none given, and the policy requires them"};
  }
  static constexpr const char* passed[] = {
      "pck.chain", "pck.crl", "pck.extension", "qe.signature", "qe.identity", "qe.report_binding", "quote.signature",
  };
  static constexpr const char* reasons[] = {
      "leaf <- PCK CA <- root, the root's key pinned, all valid at now",
      "neither the PCK CA nor the leaf revoked; both CRLs signed by their CA and current",
      "SGX extension of the PCK leaf read (FMSPC, PCE-ID, TCB components)",
      "QE report signed by the PCK leaf key",
      "the QE is Intel's TD QE: MRSIGNER, ISVPRODID 2, attributes and MISCSELECT under their masks, DEBUG clear",
      "QE report data = SHA-256(attestation key || QE auth data) || 32 zero bytes",
      "header and TD report signed by the attestation key",
  };
  const char* failed = verified.has_value() ? nullptr : quote_check_of(verified.error());
  for (std::size_t i = 0; i < std::size(passed); ++i) {
    const std::string_view name = passed[i];
    if (failed != nullptr && name == failed) {
      report.fail(passed[i], verified.error());
      if (revocation_unknown) continue;  // every other check of the quote held
      break;
    }
    if (name == "pck.crl" && crls == nullptr) {
      report.skip(passed[i], "no CRLs given: revocation not checked");
    } else if (name == "pck.chain" && failed != nullptr && std::string_view(failed) == "pck.crl" &&
               !revocation_unknown) {
      // OpenSSL judges revocation before the chain's signatures, in the same verification.
      report.skip(passed[i], "not established: the CRL check of the same chain failed first");
    } else {
      report.pass(passed[i], reasons[i]);
    }
  }
  return verified;
}

/// Evaluates collateral when there is some (steps `collateral_checks`), recording each step.
[[nodiscard]] inline std::optional<cocoon::detail::failure> evaluate_collateral_recorded(
    const verified_quote& quote, const tdx_collateral* collateral, const trust_anchors& anchors,
    std::chrono::system_clock::time_point now, verification_report& report, std::optional<tcb_report>& out) {
  if (collateral == nullptr) {
    skip_missing(report, collateral_checks, "no collateral given: TCB status unknown");
    return std::nullopt;
  }
  auto evaluated = evaluate_tcb_impl(quote, *collateral, anchors, now);
  if (!evaluated.has_value()) {
    const auto& why = evaluated.error();
    const char* failed = why.code == errc::collateral_mismatch || why.code == errc::tcb_level_not_found ? "tcb.status"
                         : why.where.rfind("qe_identity", 0) == 0 ? "collateral.qe_identity"
                                                                  : "collateral.tcb_info";
    for (const char* name : collateral_checks) {
      if (std::string_view(name) == failed) {
        report.fail(name, why);
        break;
      }
      report.pass(name, "signed through a chain to a pinned root; current at now");
    }
    return why;
  }
  const tcb_report& tcb = evaluated.value();
  report.pass("collateral.tcb_info", "TDX TCB Info signed through a chain to a pinned root; current at now");
  report.pass("collateral.qe_identity", "TD QE identity signed through a chain to a pinned root; current at now");
  std::string advisories;
  for (const auto& id : tcb.advisory_ids()) advisories += (advisories.empty() ? "" : ", ") + id;
  report.pass("tcb.status", std::string(to_string(tcb.status())) + " (TCB date " + tcb.tcb_date() +
                                (advisories.empty() ? "" : "; advisories " + advisories) + ")");
  out.emplace(std::move(evaluated).value());
  return std::nullopt;
}

}  // namespace detail

/// The whole chain in one call: parse, verify to the pinned root (with CRLs if given), evaluate
/// the TCB from collateral if given, apply the policy; every step recorded in the report.
inline cocoon::detail::result<attestation> verify_attestation_impl(byte_view quote_bytes, const verify_options& options,
                                                                   verification_report& report) {
  const auto finish = [&](const cocoon::detail::failure& why) {
    const std::string reason = "not reached: " + std::string(report.first_failure()->name) + " failed";
    detail::skip_missing(report, detail::quote_checks, reason);
    detail::skip_missing(report, detail::collateral_checks, reason);
    detail::skip_missing(report, detail::policy_checks, reason);
    return why;
  };
  auto verified =
      detail::verify_quote_recorded(quote_bytes, options.anchors, options.now, options.crls ? &*options.crls : nullptr,
                                    options.policy.revocation_required(), report);
  if (!verified.has_value()) return finish(verified.error());
  std::optional<tcb_report> tcb;
  if (auto why =
          detail::evaluate_collateral_recorded(verified.value(), options.collateral ? &*options.collateral : nullptr,
                                               options.anchors, options.now, report, tcb)) {
    return finish(*why);
  }
  if (auto why = detail::apply_policy(detail::facts_of(verified.value()), tcb ? &*tcb : nullptr, options.now,
                                      options.policy, report)) {
    return *why;
  }
  return attestation(std::move(verified).value(), std::move(tcb), report);
}

/// Verifies a TDX quote completely (see `verify_attestation_impl`).
/// @throws attestation_error (a `cocoon::error`) with the first failed check's code and place, and
/// the whole report.
[[nodiscard]] inline attestation verify_attestation(byte_view quote, const verify_options& options) {
  verification_report report;
  auto outcome = verify_attestation_impl(quote, options, report);
  return detail::value_or_throw_report(std::move(outcome), std::move(report), "verify TDX attestation");
}

/// The same; on failure returns `std::nullopt` with `ec` set. `report` receives every check in
/// both cases.
[[nodiscard]] inline std::optional<attestation> verify_attestation(byte_view quote, const verify_options& options,
                                                                   verification_report& report, error_code& ec) {
  report = {};
  return cocoon::detail::value_or_code(verify_attestation_impl(quote, options, report), ec);
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
