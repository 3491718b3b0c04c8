// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_TCB_HPP
#define COCOON_ATTEST_TCB_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/certificate_cache.hpp>
#include <cocoon/attest/detail/collateral_json.hpp>
#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/attest/tcb_status.hpp>
#include <cocoon/attest/trust_anchors.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// Intel PCS collateral for a TDX quote, as served: each body is the exact JSON text
/// (`{"tcbInfo":{...},"signature":"..."}`, `{"enclaveIdentity":{...},"signature":"..."}`), each
/// issuer chain the PEM of the signing certificate and the root (the PCS response headers,
/// URL-decoded). The signature covers the bytes of the inner object exactly as they appear.
struct tdx_collateral {
  std::string_view tcb_info;
  std::string_view tcb_info_issuer_chain;
  std::string_view qe_identity;
  std::string_view qe_identity_issuer_chain;
};

/// The TCB status of a verified quote's platform, TDX module and QE, by Intel's algorithm.
/// Only `evaluate_tcb` constructs it.
class tcb_report {
 public:
  [[nodiscard]] tcb_status status() const noexcept { return status_; }
  /// The matched TCB level's date ("2024-11-13T00:00:00Z"), for date-based grace policies.
  [[nodiscard]] const std::string& tcb_date() const noexcept { return tcb_date_; }
  /// Advisories of the platform level, the TDX module level and the QE level, sorted, unique.
  [[nodiscard]] const std::vector<std::string>& advisory_ids() const noexcept { return advisory_ids_; }
  /// The lower of the TCB Info's and the QE identity's tcbEvaluationDataNumber.
  [[nodiscard]] std::uint32_t tcb_evaluation_data_number() const noexcept { return evaluation_number_; }
  /// The earlier nextUpdate: the collateral must be refreshed before then.
  [[nodiscard]] std::chrono::system_clock::time_point next_update() const noexcept { return next_update_; }
  /// The last moment this verdict holds: the earlier nextUpdate, or the earliest notAfter of the
  /// TCB Info's and QE identity's issuer chains (signing certificate and root) if sooner. After
  /// it, a fresh evaluation of the same collateral fails.
  [[nodiscard]] std::chrono::system_clock::time_point valid_until() const noexcept { return valid_until_; }
  /// The earlier issueDate of the TCB Info and the QE identity: the collateral's age is counted from it.
  [[nodiscard]] std::chrono::system_clock::time_point issue_date() const noexcept { return issue_date_; }

 private:
  friend cocoon::detail::result<tcb_report> evaluate_tcb_impl(const verified_quote&, const tdx_collateral&,
                                                              const trust_anchors&,
                                                              std::chrono::system_clock::time_point);
  tcb_report() = default;

  tcb_status status_ = tcb_status::revoked;
  std::string tcb_date_;
  std::vector<std::string> advisory_ids_;
  std::uint32_t evaluation_number_ = 0;
  std::chrono::system_clock::time_point next_update_;
  std::chrono::system_clock::time_point valid_until_;
  std::chrono::system_clock::time_point issue_date_;
};

namespace detail {

/// A verified collateral document: the signed member, parsed, and the earliest notAfter of the
/// chain that signed it (past which the signature proves nothing).
struct signed_document {
  json body;
  std::chrono::system_clock::time_point chain_not_after;
};

/// One signed collateral document: its chain verified to `anchors` at `now`, its signature over
/// the exact member text, and the member parsed.
[[nodiscard]] inline cocoon::detail::result<signed_document> verify_signed_json(
    std::string_view body, const char* member, std::string_view issuer_chain, const trust_anchors& anchors,
    std::chrono::system_clock::time_point now, const std::string& name) {
  const auto raw = raw_member(body, member);
  json whole;
  json inner;
  bytes signature;
  try {
    whole = json::parse(body);
    if (!raw || !whole.is_object()) throw bad_field{name + "." + member};
    inner = json::parse(*raw);
    if (!inner.is_object() || inner != whole.at(member)) throw bad_field{name + "." + member};
    signature = hex_field(whole, "signature", 64, name);
  } catch (const json::exception&) {
    return {errc::collateral_malformed, name + ": not JSON"};
  } catch (const bad_field& bad) {
    return {errc::collateral_malformed, bad.where};
  }

  // The chain: signing certificate, then a root whose key is pinned.
  if (issuer_chain.size() > INT_MAX) return {errc::collateral_malformed, name + "_issuer_chain: too long"};
  std::vector<x509_ptr> chain;
  const bio_ptr bio(BIO_new_mem_buf(issuer_chain.data(), static_cast<int>(issuer_chain.size())));
  while (bio) {
    x509_ptr certificate = read_pem_certificate(bio.get(), true);
    if (!certificate) break;
    chain.push_back(std::move(certificate));
  }
  ERR_clear_error();
  if (chain.size() != 2) return {errc::collateral_malformed, name + "_issuer_chain: not two PEM certificates"};
  const auto root_key = spki_der(chain[1].get());
  if (!root_key || !anchors.contains(*root_key)) {
    return {errc::collateral_invalid, name + "_issuer_chain.certificate[1]: public key is not a trust anchor"};
  }
  const x509_store_ptr store(X509_STORE_new());
  const x509_store_ctx_ptr context(X509_STORE_CTX_new());
  if (!store || !context || X509_STORE_add_cert(store.get(), chain[1].get()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), chain[0].get(), nullptr) != 1) {
    return {errc::crypto_failure, name + "_issuer_chain"};
  }
  X509_STORE_CTX_set_verify(context.get(), verify_chain_signatures_and_times);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CHECK_SS_SIGNATURE | X509_V_FLAG_X509_STRICT);
  X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(now));
  if (X509_verify_cert(context.get()) != 1) {
    const int reason = X509_STORE_CTX_get_error(context.get());
    ERR_clear_error();
    const std::string where = name + "_issuer_chain: " + X509_verify_cert_error_string(reason);
    if (reason == X509_V_ERR_CERT_HAS_EXPIRED || reason == X509_V_ERR_CERT_NOT_YET_VALID) {
      return {errc::collateral_expired, where};
    }
    return {errc::collateral_invalid, where};
  }
  // Intel's TCB Signing certificate is an end-entity certificate for signatures: no CA under the
  // root (a PCK CA's key among them) signs collateral.
  X509* signer = chain[0].get();
  const std::uint32_t extensions = X509_get_extension_flags(signer);
  if ((extensions & EXFLAG_BCONS) == 0 || (extensions & EXFLAG_CA) != 0) {
    return {errc::collateral_invalid, name + "_issuer_chain.certificate[0]: not an end-entity certificate (CA:FALSE)"};
  }
  if ((extensions & EXFLAG_KUSAGE) == 0 || (X509_get_key_usage(signer) & KU_DIGITAL_SIGNATURE) == 0) {
    return {errc::collateral_invalid, name + "_issuer_chain.certificate[0]: key usage without digitalSignature"};
  }
  EVP_PKEY* key = X509_get0_pubkey(signer);
  if (!is_p256(key) || !verify_p256_sha256(key, signature, as_bytes(*raw))) {
    ERR_clear_error();
    return {errc::collateral_invalid, name + ".signature"};
  }
  return signed_document{std::move(inner), std::min(from_asn1_time(X509_get0_notAfter(chain[0].get())),
                                                    from_asn1_time(X509_get0_notAfter(chain[1].get())))};
}

[[nodiscard]] inline bool equal_hex(const bytes& a, byte_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

/// Module OutOfDate (or QE OutOfDate) applied to a platform status, as Intel merges them.
[[nodiscard]] inline tcb_status merge_out_of_date(tcb_status status) noexcept {
  switch (status) {
    case tcb_status::up_to_date:
    case tcb_status::sw_hardening_needed: return tcb_status::out_of_date;
    case tcb_status::configuration_needed:
    case tcb_status::configuration_and_sw_hardening_needed: return tcb_status::out_of_date_configuration_needed;
    default: return status;
  }
}

/// TD relaunch (Intel): whether the module a relaunch would load (TEE_TCB_SVN2: SVN [0], version
/// [1]) is the latest — SVN [0] at least the latest level's TDX component 0 for an unversioned
/// module, else at least the latest isvsvn of its identity TDX_%02X; [2] at least the latest level's
/// TDX component 2.
[[nodiscard]] inline bool relaunch_fixes(const json& info, const json& latest, byte_view svn2) {
  const auto& tdx = field(field(latest, "tcb", json::value_t::object, "tcb_info.tcbLevels"), "tdxtcbcomponents",
                          json::value_t::array, "tcb_info.tcbLevels.tcb");
  const auto at = [&](std::size_t i) { return std::to_integer<std::uint64_t>(svn2[i]); };
  if (tdx.size() != 16) throw bad_field{"tcb_info.tcbLevels.tcb: not 16 components"};
  if (at(2) < number_field(tdx[2], "svn", "tdxtcbcomponents")) return false;
  if (at(1) == 0) return at(0) >= number_field(tdx[0], "svn", "tdxtcbcomponents");
  static constexpr char digits[] = "0123456789ABCDEF";
  const std::string id = std::string("TDX_") + digits[at(1) >> 4] + digits[at(1) & 15];
  const auto identities = info.find("tdxModuleIdentities");
  if (identities == info.end() || !identities->is_array()) return false;
  for (const auto& identity : *identities) {
    std::string name = text_field(identity, "id", "tcb_info.tdxModuleIdentities");
    std::transform(name.begin(), name.end(), name.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    if (name != id) continue;
    const auto& levels = field(identity, "tcbLevels", json::value_t::array, "tdxModule");
    if (levels.empty()) return false;
    return at(0) >= number_field(field(levels.front(), "tcb", json::value_t::object, "tdxModule.tcbLevels"), "isvsvn",
                                 "tdxModule.tcbLevels.tcb");
  }
  return false;
}

}  // namespace detail

/// Verifies Intel collateral and evaluates the quote's TCB by Intel's algorithm (QVL):
/// TCB Info (id TDX, version >= 3) and QE identity (TD_QE) signed by a chain to `anchors`, both
/// current at `now`; FMSPC and PCE-ID equal to the PCK certificate's; QE identity matched and its
/// level found; TDX module identity (TDX_%02X for a TEE_TCB_SVN[1] > 0) matched and its level
/// found; the first TCB level (in the collateral's order, highest first as Intel serves it) whose
/// SGX components and PCESVN, then TDX components, the platform meets; statuses merged; for a
/// TDX 1.5 TD report (body type 3) whose only lag is the TDX module it started on, while
/// TEE_TCB_SVN2 (the module now loaded) is the latest, TDRelaunchAdvised(ConfigurationNeeded).
inline cocoon::detail::result<tcb_report> evaluate_tcb_impl(const verified_quote& quote,
                                                            const tdx_collateral& collateral,
                                                            const trust_anchors& anchors,
                                                            std::chrono::system_clock::time_point now) {
  using detail::json;
  auto tcb_info = detail::verify_signed_json(collateral.tcb_info, "tcbInfo", collateral.tcb_info_issuer_chain, anchors,
                                             now, "tcb_info");
  if (!tcb_info.has_value()) return tcb_info.error();
  auto qe_identity = detail::verify_signed_json(collateral.qe_identity, "enclaveIdentity",
                                                collateral.qe_identity_issuer_chain, anchors, now, "qe_identity");
  if (!qe_identity.has_value()) return qe_identity.error();
  const json& info = tcb_info.value().body;
  const json& qe = qe_identity.value().body;

  tcb_report report;
  try {
    // Applicability and freshness.
    if (detail::text_field(info, "id", "tcb_info") != "TDX" || detail::number_field(info, "version", "tcb_info") < 3) {
      return {errc::collateral_invalid, "tcb_info: not TDX TCB Info version 3 or later"};
    }
    const auto qe_version = detail::number_field(qe, "version", "qe_identity");
    if (detail::text_field(qe, "id", "qe_identity") != "TD_QE" || qe_version < 2 || qe_version > 3) {
      return {errc::collateral_invalid, "qe_identity: not a TD_QE identity"};
    }
    for (const auto& [document, name] :
         {std::pair<const json*, const char*>{&info, "tcb_info"}, {&qe, "qe_identity"}}) {
      const auto issued = detail::date_field(*document, "issueDate", name);
      const auto next = detail::date_field(*document, "nextUpdate", name);
      if (now < issued || now > next) {
        return {errc::collateral_expired, std::string(name) + ": not current (issueDate .. nextUpdate)"};
      }
      const bool first = report.next_update_ == std::chrono::system_clock::time_point{};
      report.next_update_ = first ? next : std::min(report.next_update_, next);
      report.issue_date_ = first ? issued : std::min(report.issue_date_, issued);
    }
    report.valid_until_ =
        std::min({report.next_update_, tcb_info.value().chain_not_after, qe_identity.value().chain_not_after});
    report.evaluation_number_ =
        static_cast<std::uint32_t>(std::min(detail::number_field(info, "tcbEvaluationDataNumber", "tcb_info"),
                                            detail::number_field(qe, "tcbEvaluationDataNumber", "qe_identity")));
    if (!detail::equal_hex(detail::hex_field(info, "fmspc", 6, "tcb_info"), quote.platform_fmspc().view())) {
      return {errc::collateral_mismatch, "tcb_info.fmspc: not the PCK certificate's"};
    }
    if (!detail::equal_hex(detail::hex_field(info, "pceId", 2, "tcb_info"), quote.pce_id())) {
      return {errc::collateral_mismatch, "tcb_info.pceId: not the PCK certificate's"};
    }

    // QE identity.
    std::set<std::string> advisories;
    const auto misc = detail::hex_field(qe, "miscselect", 4, "qe_identity");
    const auto misc_mask = detail::hex_field(qe, "miscselectMask", 4, "qe_identity");
    const auto attributes = detail::hex_field(qe, "attributes", 16, "qe_identity");
    const auto attributes_mask = detail::hex_field(qe, "attributesMask", 16, "qe_identity");
    // miscselect is written as the big-endian hex of the 32-bit value.
    std::uint32_t misc_value = 0, misc_mask_value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      misc_value = misc_value << 8 | std::to_integer<std::uint32_t>(misc[i]);
      misc_mask_value = misc_mask_value << 8 | std::to_integer<std::uint32_t>(misc_mask[i]);
    }
    bool qe_matches =
        (quote.qe_misc_select() & misc_mask_value) == misc_value &&
        detail::equal_hex(detail::hex_field(qe, "mrsigner", 32, "qe_identity"), quote.qe_mr_signer().view()) &&
        detail::number_field(qe, "isvprodid", "qe_identity") == quote.qe_isv_prod_id();
    for (std::size_t i = 0; i < 16; ++i) qe_matches &= (quote.qe_attributes()[i] & attributes_mask[i]) == attributes[i];
    if (!qe_matches) return {errc::collateral_mismatch, "qe_identity: the quote's QE does not match"};
    std::optional<tcb_status> qe_status;
    for (const auto& level : detail::field(qe, "tcbLevels", json::value_t::array, "qe_identity")) {
      const auto& tcb = detail::field(level, "tcb", json::value_t::object, "qe_identity.tcbLevels");
      if (detail::number_field(tcb, "isvsvn", "qe_identity.tcbLevels.tcb") <= quote.qe_isv_svn()) {
        qe_status = detail::status_field(level, "qe_identity.tcbLevels");
        detail::add_advisories(level, advisories, "qe_identity.tcbLevels");
        break;
      }
    }
    if (!qe_status) return {errc::tcb_level_not_found, "qe_identity.tcbLevels: none for the QE's ISVSVN"};

    // TDX module identity.
    const auto& svn = quote.tee_tcb_svn();
    const auto svn_at = [&](std::size_t i) { return std::to_integer<std::uint64_t>(svn.view()[i]); };
    const json* module = &detail::field(info, "tdxModule", json::value_t::object, "tcb_info");
    const json* module_identity = nullptr;
    if (svn_at(1) > 0) {
      static constexpr char digits[] = "0123456789ABCDEF";
      const std::string id = std::string("TDX_") + digits[svn_at(1) >> 4] + digits[svn_at(1) & 15];
      const auto identities = info.find("tdxModuleIdentities");
      if (identities != info.end() && identities->is_array()) {
        for (const auto& identity : *identities) {
          std::string name = detail::text_field(identity, "id", "tcb_info.tdxModuleIdentities");
          std::transform(name.begin(), name.end(), name.begin(),
                         [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
          if (name == id) module_identity = &identity;
        }
      }
      if (module_identity == nullptr) return {errc::collateral_mismatch, "tcb_info.tdxModuleIdentities: no " + id};
      module = module_identity;
    }
    const auto module_attributes = detail::hex_field(*module, "attributes", 8, "tcb_info.tdxModule");
    const auto module_mask = detail::hex_field(*module, "attributesMask", 8, "tcb_info.tdxModule");
    bool module_matches = quote.seam_attributes() == 0 &&
                          detail::equal_hex(detail::hex_field(*module, "mrsigner", 48, "tcb_info.tdxModule"),
                                            quote.mr_signer_seam().view());
    for (std::size_t i = 0; i < 8; ++i) {
      const auto seam = static_cast<std::byte>(quote.seam_attributes() >> (8 * i));
      module_matches &= (seam & module_mask[i]) == module_attributes[i];
    }
    if (!module_matches) return {errc::collateral_mismatch, "tcb_info.tdxModule: MRSIGNERSEAM or SEAM attributes"};
    tcb_status module_status = tcb_status::up_to_date;
    if (module_identity != nullptr) {
      std::optional<tcb_status> found;
      for (const auto& level : detail::field(*module_identity, "tcbLevels", json::value_t::array, "tdxModule")) {
        const auto& tcb = detail::field(level, "tcb", json::value_t::object, "tdxModule.tcbLevels");
        if (detail::number_field(tcb, "isvsvn", "tdxModule.tcbLevels.tcb") <= svn_at(0)) {
          found = detail::status_field(level, "tdxModule.tcbLevels");
          detail::add_advisories(level, advisories, "tdxModule.tcbLevels");
          break;
        }
      }
      if (!found) return {errc::tcb_level_not_found, "tcb_info.tdxModuleIdentities: no level for the module SVN"};
      module_status = *found;
    }

    // Platform TCB level.
    const json* matched = nullptr;
    const json* sgx_level = nullptr;  // the first level the SGX components and PCESVN meet
    const auto& levels = detail::field(info, "tcbLevels", json::value_t::array, "tcb_info");
    for (const auto& level : levels) {
      const auto& tcb = detail::field(level, "tcb", json::value_t::object, "tcb_info.tcbLevels");
      const auto& sgx = detail::field(tcb, "sgxtcbcomponents", json::value_t::array, "tcb_info.tcbLevels.tcb");
      const auto& tdx = detail::field(tcb, "tdxtcbcomponents", json::value_t::array, "tcb_info.tcbLevels.tcb");
      if (sgx.size() != 16 || tdx.size() != 16) throw detail::bad_field{"tcb_info.tcbLevels.tcb: not 16 components"};
      bool meets = detail::number_field(tcb, "pcesvn", "tcb_info.tcbLevels.tcb") <= quote.pce_svn();
      for (std::size_t i = 0; i < 16; ++i) {
        meets &= detail::number_field(sgx[i], "svn", "sgxtcbcomponents") <= quote.sgx_tcb_components()[i];
      }
      if (meets && sgx_level == nullptr) sgx_level = &level;
      // With a versioned module, its SVN ([0]) and version ([1]) were judged by its identity.
      for (std::size_t i = svn_at(1) > 0 ? 2 : 0; i < 16; ++i) {
        meets &= detail::number_field(tdx[i], "svn", "tdxtcbcomponents") <= svn_at(i);
      }
      if (meets) {
        matched = &level;
        break;
      }
    }
    if (matched == nullptr) return {errc::tcb_level_not_found, "tcb_info.tcbLevels: no level the platform meets"};
    tcb_status status = detail::status_field(*matched, "tcb_info.tcbLevels");
    report.tcb_date_ = detail::text_field(*matched, "tcbDate", "tcb_info.tcbLevels");
    detail::add_advisories(*matched, advisories, "tcb_info.tcbLevels");

    if (module_status == tcb_status::out_of_date) status = detail::merge_out_of_date(status);
    if (module_status == tcb_status::revoked) status = tcb_status::revoked;
    if (quote.body_type() == quote_layout::body_type_td_report15 && quote.tee_tcb_svn2() &&
        *qe_status != tcb_status::out_of_date && *qe_status != tcb_status::revoked &&
        module_status == tcb_status::out_of_date &&
        (status == tcb_status::out_of_date || status == tcb_status::out_of_date_configuration_needed)) {
      const tcb_status sgx_status = detail::status_field(*sgx_level, "tcb_info.tcbLevels");
      const bool sgx_current = sgx_status == tcb_status::up_to_date || sgx_status == tcb_status::sw_hardening_needed ||
                               sgx_status == tcb_status::configuration_needed ||
                               sgx_status == tcb_status::configuration_and_sw_hardening_needed;
      if (sgx_current && detail::relaunch_fixes(info, levels.front(), quote.tee_tcb_svn2()->view())) {
        const bool configuration = sgx_status == tcb_status::configuration_needed ||
                                   sgx_status == tcb_status::configuration_and_sw_hardening_needed ||
                                   status == tcb_status::out_of_date_configuration_needed;
        status = configuration ? tcb_status::td_relaunch_advised_configuration_needed : tcb_status::td_relaunch_advised;
      }
    }
    if (*qe_status == tcb_status::out_of_date) status = detail::merge_out_of_date(status);
    if (*qe_status == tcb_status::revoked) status = tcb_status::revoked;
    report.status_ = status;
    report.advisory_ids_.assign(advisories.begin(), advisories.end());
  } catch (const detail::bad_field& bad) {
    return {errc::collateral_malformed, bad.where};
  } catch (const json::exception&) {
    return {errc::collateral_malformed, "collateral JSON"};
  }
  return report;
}

/// Verifies `collateral` and evaluates the TCB status of `quote` at `now`.
/// @throws cocoon::error: `errc::collateral_malformed`, `collateral_invalid` (signature, chain,
/// document kind), `collateral_expired`, `collateral_mismatch` (FMSPC, PCE-ID, QE identity, TDX
/// module identity), `tcb_level_not_found`.
[[nodiscard]] inline tcb_report evaluate_tcb(const verified_quote& quote, const tdx_collateral& collateral,
                                             const trust_anchors& anchors, std::chrono::system_clock::time_point now) {
  return cocoon::detail::value_or_throw(evaluate_tcb_impl(quote, collateral, anchors, now), "evaluate TDX TCB");
}

/// The same; on failure returns `std::nullopt` with `ec` set.
[[nodiscard]] inline std::optional<tcb_report> evaluate_tcb(const verified_quote& quote,
                                                            const tdx_collateral& collateral,
                                                            const trust_anchors& anchors,
                                                            std::chrono::system_clock::time_point now, error_code& ec) {
  return cocoon::detail::value_or_code(evaluate_tcb_impl(quote, collateral, anchors, now), ec);
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
