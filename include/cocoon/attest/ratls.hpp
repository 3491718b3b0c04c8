// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_RATLS_HPP
#define COCOON_ATTEST_RATLS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/attestation.hpp>
#include <cocoon/attest/attested_key.hpp>
#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/attest/image_hash.hpp>
#include <cocoon/attest/policy.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/report.hpp>
#include <cocoon/attest/trust_anchors.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/crypto/x25519.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// X.509 extensions of COCOON RA-TLS certificates; each holds its bytes directly (no inner DER).
namespace ratls_oid {
inline constexpr const char* tdx_quote = "1.3.6.1.4.1.12345.1";    ///< the quote
inline constexpr const char* user_claims = "1.3.6.1.4.1.12345.2";  ///< the 32-byte Ed25519 key
}  // namespace ratls_oid

/// The largest quote extension accepted (COCOON's verifier limit).
inline constexpr std::size_t ratls_max_quote_size = 32 * 1024;

/// What an RA-TLS certificate must prove. There is no default: a caller names the trust
/// anchors, or explicitly asks for COCOON's "fake TDX" test mode, which proves nothing.
///
/// A real TDX quote must also have its TCB status evaluated from Intel collateral: a quote verified
/// without collateral is refused (`errc::collateral_required`), and with a TD policy that sets no
/// `min_tcb` the status must be UpToDate, COCOON's own rule. `allow_unknown_tcb_insecure()` is the
/// explicit way out.
class ratls_policy {
 public:
  /// Real TDX quotes only, verified to `anchors` (by default Intel's SGX Root CA key), the TD
  /// then judged by `td` (by default: no debug TD, any measurements, TCB status UpToDate).
  [[nodiscard]] static ratls_policy tdx(trust_anchors anchors = trust_anchors::intel_sgx_root_ca(), policy td = {}) {
    return ratls_policy(std::move(anchors), std::move(td), false);
  }

  /// Also accepts COCOON's fake TDX quotes (the 64 REPORTDATA bytes alone, no signature), as
  /// local test networks use. Never use it against a real network: anyone can make such a
  /// certificate. A real quote is judged as under `tdx()`.
  [[nodiscard]] static ratls_policy insecure_accept_fake_tdx_for_tests(
      trust_anchors anchors = trust_anchors::intel_sgx_root_ca(), policy td = {}) {
    return ratls_policy(std::move(anchors), std::move(td), true);
  }

  /// Accepts a real quote verified without collateral: its platform may be unpatched or revoked
  /// and it still passes (the report says "TCB status not evaluated"). With collateral the status
  /// is still judged; a `min_tcb` or `max_collateral_age` of the TD policy still needs collateral.
  ratls_policy& allow_unknown_tcb_insecure() {
    tcb_required_ = false;
    return *this;
  }

  [[nodiscard]] const trust_anchors& anchors() const noexcept { return anchors_; }
  [[nodiscard]] const policy& td() const noexcept { return td_; }
  [[nodiscard]] bool accepts_fake_tdx() const noexcept { return accept_fake_tdx_; }
  /// False after `allow_unknown_tcb_insecure()`.
  [[nodiscard]] bool tcb_required() const noexcept { return tcb_required_; }
  /// Whether a real quote can pass only with Intel collateral.
  [[nodiscard]] bool needs_collateral() const noexcept {
    return tcb_required_ || td_.min_tcb() || td_.max_collateral_age();
  }

 private:
  ratls_policy(trust_anchors anchors, policy td, bool accept_fake_tdx)
      : anchors_(std::move(anchors)), td_(std::move(td)), accept_fake_tdx_(accept_fake_tdx) {}

  trust_anchors anchors_;
  policy td_;
  bool accept_fake_tdx_;
  bool tcb_required_ = true;
};

/// A peer whose RA-TLS certificate verified: its TLS key, and what the quote proved about the TD
/// holding it. Only `verify_ratls_certificate` constructs it.
class ratls_peer {
 public:
  /// The certificate's Ed25519 key, which the quote's REPORTDATA commits to.
  [[nodiscard]] const ed25519_public_key& public_key() const noexcept { return public_key_; }
  /// True for a fake TDX quote (accepted only under the insecure test policy): nothing is attested.
  [[nodiscard]] bool is_fake_tdx() const noexcept { return !quote_; }
  /// The verified quote; absent for a fake TDX quote.
  [[nodiscard]] const std::optional<verified_quote>& quote() const noexcept { return quote_; }
  /// The quote extension's bytes, as the certificate carries them (64 bytes for fake TDX).
  [[nodiscard]] const bytes& quote_bytes() const noexcept { return quote_bytes_; }
  /// COCOON's image hash (all measurements zero for a fake TDX quote).
  [[nodiscard]] const hash256& image_hash() const noexcept { return image_hash_; }
  /// REPORTDATA = SHA-512(user claims), checked.
  [[nodiscard]] const hash512& report_data() const noexcept { return report_data_; }
  /// The TCB verdict, when collateral was given (absent: not evaluated).
  [[nodiscard]] const std::optional<tcb_report>& tcb() const noexcept { return tcb_; }
  /// Every check, as `verify_attestation` records them, with the RA-TLS ones.
  [[nodiscard]] const verification_report& report() const noexcept { return report_; }

  /// The key to seal jobs to for this peer: its attested Ed25519 key in X25519 form (the quote's
  /// REPORTDATA binds the Ed25519 key; the conversion is the standard birational map).
  [[nodiscard]] attested_key sealing_key() const {
    return detail::attested_key_access::make(crypto::x25519_from_ed25519(public_key_), image_hash_);
  }

 private:
  friend cocoon::detail::result<ratls_peer> verify_ratls_certificate_impl(byte_view, const ratls_policy&,
                                                                          std::chrono::system_clock::time_point,
                                                                          const tdx_collateral*, const pck_crls*,
                                                                          verification_report&, bool);
  ratls_peer() = default;

  ed25519_public_key public_key_;
  std::optional<verified_quote> quote_;
  bytes quote_bytes_;
  hash256 image_hash_;
  hash512 report_data_;
  std::optional<tcb_report> tcb_;
  verification_report report_;
};

namespace detail {

/// A certificate in DER (exactly, nothing after it) or PEM.
[[nodiscard]] inline x509_ptr load_certificate(byte_view data) {
  if (data.size() > INT_MAX) return {};
  const unsigned char* cursor = uchar(data.data());
  x509_ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(data.size())));
  if (certificate && cursor == uchar(data.data()) + data.size()) return certificate;
  certificate.reset();
  ERR_clear_error();
  const bio_ptr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (bio) certificate.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  return certificate;
}

/// COCOON's user claims are the 32-byte key alone; REPORTDATA = SHA-512 of that serialisation.
[[nodiscard]] inline hash512 user_claims_hash(const ed25519_public_key& key) {
  std::array<std::byte, 64> digest{};
  cocoon::detail::ensure_sodium();
  crypto_hash_sha512(cocoon::detail::uchar(digest.data()), cocoon::detail::uchar(key.data()), key.size());
  return hash512(byte_view(digest));
}

}  // namespace detail

namespace detail {
/// The TD policy a real quote is judged by: the policy's own, with COCOON's UpToDate as the minimum
/// TCB status when it names none and the TCB status is required (or was evaluated anyway).
[[nodiscard]] inline policy real_tdx_rules(const ratls_policy& ratls, bool tcb_evaluated) {
  policy rules = ratls.td();
  if (!rules.min_tcb() && (ratls.tcb_required() || tcb_evaluated)) rules.min_tcb(tcb_status::up_to_date);
  return rules;
}

/// The RA-TLS checks around the quote's.
inline constexpr const char* ratls_checks[] = {"ratls.certificate", "ratls.fake_tdx"};
}  // namespace detail

/// The checks of COCOON's RA-TLS verifier, plus an explicit self-signature check, each recorded
/// in `report`: a self-signed certificate valid at `now`; an Ed25519 key; every critical extension
/// one OpenSSL handles or one of the two COCOON extensions (each at most once, both critical); the
/// user-claims extension, if present, equal to the key; a quote extension (`ratls.certificate`);
/// a fake TDX quote only if the policy allows it (`ratls.fake_tdx`); a real quote verified as
/// `verify_attestation` does (`quote.*`, `pck.*`, `qe.*`); REPORTDATA == SHA-512(claims rebuilt
/// from the certificate key) (`ratls.key_binding`); the collateral if given; then the policy's
/// `policy` (`policy.*`), with COCOON's UpToDate rule for a real quote unless the policy allows an
/// unknown TCB and no collateral is given. With `genuine_only`, a real quote stops after the key
/// binding: the collateral and policy checks are skipped, to be run once collateral is at hand.
inline cocoon::detail::result<ratls_peer> verify_ratls_certificate_impl(
    byte_view certificate_bytes, const ratls_policy& policy, std::chrono::system_clock::time_point now,
    const tdx_collateral* collateral, const pck_crls* crls, verification_report& report, bool genuine_only) {
  const auto finish = [&](const char* name, cocoon::detail::failure why) {
    if (name != nullptr) report.fail(name, why);
    const std::string reason = "not reached: " + report.first_failure()->name + " failed";
    for (const auto& c : std::vector<check>(report.checks())) {
      if (c.result == check_result::skip && c.reason.empty()) report.skip(c.name, reason);
    }
    detail::skip_missing(report, detail::collateral_checks, reason);
    detail::skip_missing(report, detail::policy_checks, reason);
    return why;
  };
  const auto refuse = [&](errc code, std::string where) {
    return finish("ratls.certificate", cocoon::detail::failure{code, std::move(where)});
  };
  // Reports list the checks in a fixed order; later entries replace these placeholders.
  for (const char* name : detail::ratls_checks) report.skip(name, "");
  for (const char* name : detail::quote_checks) report.skip(name, "");
  report.skip("ratls.key_binding", "");

  const detail::x509_ptr certificate = detail::load_certificate(certificate_bytes);
  if (!certificate) return refuse(errc::ratls_certificate_malformed, "certificate: not DER or PEM X.509");
  X509* cert = certificate.get();

  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return refuse(errc::ratls_certificate_invalid, "certificate.subject_public_key: not Ed25519");
  }
  std::array<std::byte, 32> raw_key{};
  std::size_t raw_size = raw_key.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw_key.data()), &raw_size) != 1 ||
      raw_size != raw_key.size()) {
    ERR_clear_error();
    return refuse(errc::ratls_certificate_invalid, "certificate.subject_public_key: not 32 bytes");
  }
  if (X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) != 0 || X509_verify(cert, key) != 1) {
    ERR_clear_error();
    return refuse(errc::ratls_certificate_invalid, "certificate.signature: not self-signed by its key");
  }
  const std::time_t now_t = std::chrono::system_clock::to_time_t(now);
  const int starts = ASN1_TIME_cmp_time_t(X509_get0_notBefore(cert), now_t);
  const int ends = ASN1_TIME_cmp_time_t(X509_get0_notAfter(cert), now_t);
  if (starts == -2 || ends == -2) return refuse(errc::ratls_certificate_malformed, "certificate.validity");
  if (starts > 0) return refuse(errc::certificate_expired, "certificate.not_before: later than now");
  if (ends < 0) return refuse(errc::certificate_expired, "certificate.not_after: earlier than now");

  const detail::asn1_object_ptr quote_oid(OBJ_txt2obj(ratls_oid::tdx_quote, 1));
  const detail::asn1_object_ptr claims_oid(OBJ_txt2obj(ratls_oid::user_claims, 1));
  if (!quote_oid || !claims_oid) return refuse(errc::crypto_failure, "RA-TLS OIDs");
  const ASN1_OCTET_STRING* quote_data = nullptr;
  const ASN1_OCTET_STRING* claims_data = nullptr;
  for (int i = 0; i < X509_get_ext_count(cert); ++i) {
    X509_EXTENSION* extension = X509_get_ext(cert, i);
    const ASN1_OBJECT* oid = X509_EXTENSION_get_object(extension);
    const bool critical = X509_EXTENSION_get_critical(extension) == 1;
    const std::string where = "certificate.extensions[" + std::to_string(i) + "]";
    const bool is_quote = OBJ_cmp(oid, quote_oid.get()) == 0;
    if (is_quote || OBJ_cmp(oid, claims_oid.get()) == 0) {
      const ASN1_OCTET_STRING*& slot = is_quote ? quote_data : claims_data;
      if (slot != nullptr) return refuse(errc::ratls_certificate_invalid, where + ": repeated");
      if (!critical) return refuse(errc::ratls_certificate_invalid, where + ": COCOON extension not critical");
      slot = X509_EXTENSION_get_data(extension);
    } else if (critical && X509_supported_extension(extension) != 1) {
      return refuse(errc::ratls_unknown_critical_extension, where);
    }
  }

  ratls_peer peer;
  peer.public_key_ = ed25519_public_key(byte_view(raw_key));
  if (claims_data != nullptr) {
    const auto length = static_cast<std::size_t>(ASN1_STRING_length(claims_data));
    if (length != raw_key.size() ||
        CRYPTO_memcmp(ASN1_STRING_get0_data(claims_data), raw_key.data(), raw_key.size()) != 0) {
      return refuse(errc::ratls_certificate_invalid, "certificate.user_claims: not the certificate key");
    }
  }
  if (quote_data == nullptr) return refuse(errc::ratls_quote_missing, "certificate: no TDX quote extension");
  report.pass("ratls.certificate",
              "self-signed Ed25519 certificate valid at now; COCOON's critical extensions only; claims = key");
  const byte_view quote_bytes(reinterpret_cast<const std::byte*>(ASN1_STRING_get0_data(quote_data)),
                              static_cast<std::size_t>(ASN1_STRING_length(quote_data)));
  if (quote_bytes.size() > ratls_max_quote_size) {
    report.skip("ratls.fake_tdx", "a real TDX quote");
    return finish("quote.parse", {errc::quote_malformed,
                                  "certificate.tdx_quote: over " + std::to_string(ratls_max_quote_size) + " bytes"});
  }

  peer.quote_bytes_.assign(quote_bytes.begin(), quote_bytes.end());
  const hash512 expected = detail::user_claims_hash(peer.public_key_);
  if (quote_bytes.size() == hash512::size()) {
    // COCOON's fake TDX: the quote is the REPORTDATA alone.
    if (!policy.accepts_fake_tdx()) {
      return finish("ratls.fake_tdx", {errc::fake_tdx_refused, "certificate.tdx_quote: fake TDX quote (64 bytes)"});
    }
    report.pass("ratls.fake_tdx", "fake TDX quote, accepted by the insecure test policy: nothing is attested");
    for (const char* name : detail::quote_checks) report.skip(name, "fake TDX quote: nothing is signed");
    peer.report_data_ = hash512(quote_bytes);
    peer.image_hash_ = cocoon_image_hash(td_measurements{});
  } else {
    report.skip("ratls.fake_tdx", "a real TDX quote");
    // A genuineness-only pass leaves revocation to the complete verification, when the CRLs are at hand.
    auto verified = detail::verify_quote_recorded(quote_bytes, policy.anchors(), now, crls,
                                                  !genuine_only && policy.td().revocation_required(), report);
    if (!verified.has_value()) return finish(nullptr, verified.error());
    peer.report_data_ = verified.value().report_data();
    peer.image_hash_ = cocoon_image_hash(verified.value());
    peer.quote_.emplace(std::move(verified).value());
  }
  if (!(peer.report_data_ == expected)) {
    return finish("ratls.key_binding",
                  {errc::report_data_mismatch, "quote.report_data: not SHA-512 of the certificate's user claims"});
  }
  report.pass("ratls.key_binding", "REPORTDATA = SHA-512(the certificate's Ed25519 key)");
  if (peer.quote_ && genuine_only) {
    detail::skip_missing(report, detail::collateral_checks, "pending: collateral not at hand yet");
    detail::skip_missing(report, detail::policy_checks, "pending: collateral not at hand yet");
    peer.report_ = report;
    return peer;
  }
  if (peer.quote_) {
    if (auto why =
            detail::evaluate_collateral_recorded(*peer.quote_, collateral, policy.anchors(), now, report, peer.tcb_)) {
      return finish(nullptr, *why);
    }
  } else {
    detail::skip_missing(report, detail::collateral_checks, "fake TDX quote: no TCB to evaluate");
  }
  // Then the policy, as COCOON applies its lists after the REPORTDATA check; a fake TDX peer has
  // all-zero measurements and root key id.
  detail::td_facts facts;
  attest::policy rules = policy.td();
  if (peer.quote_) {
    facts = detail::facts_of(*peer.quote_);
    rules = detail::real_tdx_rules(policy, peer.tcb_.has_value());
    // COCOON's default UpToDate rule asks for revocation as an explicit `min_tcb` does (without
    // collateral the policy's TCB check refuses first, with the clearer reason).
    if (peer.tcb_ && rules.revocation_required() && !peer.quote_->revocation_checked()) {
      return finish("pck.crl", {errc::revocation_required, "pck_crls: none given, and the policy requires them"});
    }
  } else {
    facts.attested = false;
  }
  const auto why = detail::apply_policy(facts, peer.tcb_ ? &*peer.tcb_ : nullptr, now, rules, report);
  if (peer.quote_ && !rules.min_tcb()) {
    report.skip("policy.min_tcb", "TCB status not evaluated: no collateral, allowed by allow_unknown_tcb_insecure");
  }
  if (why) return *why;
  peer.report_ = report;
  return peer;
}

/// Verifies a COCOON RA-TLS certificate (DER or PEM) at `now` under `policy`.
/// @throws attestation_error (a `cocoon::error` carrying the report): `errc::ratls_certificate_malformed`,
/// `ratls_certificate_invalid`, `certificate_expired`, `ratls_unknown_critical_extension`,
/// `ratls_quote_missing`, `fake_tdx_refused`, `report_data_mismatch`, or any error of
/// `verify_attestation`.
[[nodiscard]] inline ratls_peer verify_ratls_certificate(byte_view certificate, const ratls_policy& policy,
                                                         std::chrono::system_clock::time_point now) {
  verification_report report;
  auto outcome = verify_ratls_certificate_impl(certificate, policy, now, nullptr, nullptr, report, false);
  return detail::value_or_throw_report(std::move(outcome), std::move(report), "verify RA-TLS certificate");
}

/// The same; on failure returns `std::nullopt` with `ec` set.
[[nodiscard]] inline std::optional<ratls_peer> verify_ratls_certificate(byte_view certificate,
                                                                        const ratls_policy& policy,
                                                                        std::chrono::system_clock::time_point now,
                                                                        error_code& ec) {
  verification_report report;
  return cocoon::detail::value_or_code(
      verify_ratls_certificate_impl(certificate, policy, now, nullptr, nullptr, report, false), ec);
}

/// The same with Intel collateral and CRLs (either may be absent), and every check recorded in
/// `report` whatever the outcome.
[[nodiscard]] inline std::optional<ratls_peer> verify_ratls_certificate(byte_view certificate,
                                                                        const ratls_policy& policy,
                                                                        std::chrono::system_clock::time_point now,
                                                                        const std::optional<tdx_collateral>& collateral,
                                                                        const std::optional<pck_crls>& crls,
                                                                        verification_report& report, error_code& ec) {
  report = {};
  return cocoon::detail::value_or_code(
      verify_ratls_certificate_impl(certificate, policy, now, collateral ? &*collateral : nullptr,
                                    crls ? &*crls : nullptr, report, false),
      ec);
}

namespace detail {
/// The checks that need no collateral: `verify_ratls_certificate` up to the key binding for a real
/// quote (then `peer.tcb()` is absent and no policy was applied), in full for a fake one.
[[nodiscard]] inline cocoon::detail::result<ratls_peer> verify_ratls_genuine(
    byte_view certificate, const ratls_policy& policy, std::chrono::system_clock::time_point now) {
  verification_report report;
  return verify_ratls_certificate_impl(certificate, policy, now, nullptr, nullptr, report, true);
}
}  // namespace detail

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
