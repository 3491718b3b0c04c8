// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_VERIFY_HPP
#define COCOON_ATTEST_VERIFY_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/certificate_cache.hpp>
#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/attest/detail/pck_extension.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/trust_anchors.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/fixed_bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

namespace detail {
struct fmspc_tag {
  static constexpr const char* name = "fmspc";
};
struct tcb_svn_tag {
  static constexpr const char* name = "tee_tcb_svn";
};
}  // namespace detail

/// A platform's family-model-stepping-platform-CustomSKU, which selects its Intel TCB Info.
using fmspc = fixed_bytes<6, detail::fmspc_tag>;
/// A TEE_TCB_SVN value: [0] TDX module minor SVN, [1] module major version, [2] late microcode SVN.
using tcb_svn = fixed_bytes<16, detail::tcb_svn_tag>;

/// Certificate revocation lists for a PCK chain, DER or PEM, as Intel's PCS serves them: the PCK
/// CA's CRL (`/sgx/certification/v4/pckcrl?ca=platform` or `processor`) and the Intel SGX Root
/// CA's CRL. Each must be signed by its CA in the quote's chain and current at `now`. (PCCS
/// bundles carry CRLs as hex text of the DER: decode them first.)
struct pck_crls {
  byte_view pck_ca_crl;
  byte_view root_ca_crl;
};

/// The outcome of `verify_quote`: a quote whose signatures and certificate chain verified, with
/// copies of its measurements. Only the verifier constructs it, so code that takes a
/// `verified_quote` can rely on those checks having passed.
///
/// What passing means: the TD report was signed by an attestation key that Intel's quoting
/// enclave certified, on a platform whose PCK certificate chains to a pinned root key, with every
/// certificate valid at the given time (and, with `pck_crls`, none revoked). It does not mean the
/// platform is patched — that is `evaluate_tcb` with Intel's collateral — and no measurement or
/// attribute policy (DEBUG, MRTD, RTMRs, REPORTDATA) is applied here: see `check_policy` and `verify_attestation`.
class verified_quote {
 public:
  [[nodiscard]] std::uint16_t version() const noexcept { return version_; }
  /// 2 (TDX 1.0 body) or 3 (TDX 1.5 body).
  [[nodiscard]] std::uint16_t body_type() const noexcept { return body_type_; }

  [[nodiscard]] const tcb_svn& tee_tcb_svn() const noexcept { return tee_tcb_svn_; }
  [[nodiscard]] const hash384& mr_seam() const noexcept { return mr_seam_; }
  [[nodiscard]] const hash384& mr_signer_seam() const noexcept { return mr_signer_seam_; }
  [[nodiscard]] std::uint64_t seam_attributes() const noexcept { return seam_attributes_; }
  /// TDATTRIBUTES as an integer (bits in `td_attribute::`).
  [[nodiscard]] std::uint64_t td_attributes() const noexcept { return td_attributes_; }
  [[nodiscard]] std::uint64_t xfam() const noexcept { return xfam_; }
  [[nodiscard]] const hash384& mr_td() const noexcept { return mr_td_; }
  [[nodiscard]] const hash384& mr_config_id() const noexcept { return mr_config_id_; }
  [[nodiscard]] const hash384& mr_owner() const noexcept { return mr_owner_; }
  [[nodiscard]] const hash384& mr_owner_config() const noexcept { return mr_owner_config_; }
  /// RTMR0..RTMR3.
  [[nodiscard]] const std::array<hash384, 4>& rtmrs() const noexcept { return rtmrs_; }
  [[nodiscard]] const hash512& report_data() const noexcept { return report_data_; }
  /// TDX 1.5 bodies only.
  [[nodiscard]] const std::optional<tcb_svn>& tee_tcb_svn2() const noexcept { return tee_tcb_svn2_; }
  /// TDX 1.5 bodies only.
  [[nodiscard]] const std::optional<hash384>& mr_service_td() const noexcept { return mr_service_td_; }

  /// The quoting enclave's identity (for a QE identity check against collateral).
  [[nodiscard]] std::uint16_t qe_isv_svn() const noexcept { return qe_isv_svn_; }
  [[nodiscard]] std::uint16_t qe_isv_prod_id() const noexcept { return qe_isv_prod_id_; }
  [[nodiscard]] std::uint32_t qe_misc_select() const noexcept { return qe_misc_select_; }
  [[nodiscard]] const std::array<std::byte, 16>& qe_attributes() const noexcept { return qe_attributes_; }
  [[nodiscard]] const hash256& qe_mr_signer() const noexcept { return qe_mr_signer_; }
  /// From the PCK certificate's SGX extension: the platform's FMSPC, PCE-ID, PCESVN, the 16 SGX
  /// TCB component SVNs and CPUSVN (the inputs of a TCB level match).
  [[nodiscard]] const fmspc& platform_fmspc() const noexcept { return fmspc_; }
  [[nodiscard]] const std::array<std::byte, 2>& pce_id() const noexcept { return pck_.pce_id; }
  [[nodiscard]] std::uint16_t pce_svn() const noexcept { return pck_.pce_svn; }
  [[nodiscard]] const std::array<std::uint8_t, 16>& sgx_tcb_components() const noexcept {
    return pck_.sgx_tcb_components;
  }
  [[nodiscard]] const std::array<std::byte, 16>& cpu_svn() const noexcept { return pck_.cpu_svn; }
  /// SHA-384 of the root's public key point as its certificate encodes it (04 || X || Y): Intel
  /// QVL's `root_key_id`, which COCOON policies list as allowed collateral root hashes.
  [[nodiscard]] const hash384& root_key_id() const noexcept { return root_key_id_; }
  /// True if the PCK chain was also checked against current CRLs (the `pck_crls` overloads).
  [[nodiscard]] bool revocation_checked() const noexcept { return revocation_checked_; }

 private:
  friend cocoon::detail::result<verified_quote> verify_quote_impl(const tdx_quote&, const trust_anchors&,
                                                                  std::chrono::system_clock::time_point,
                                                                  const pck_crls*);
  verified_quote() = default;

  std::uint16_t version_ = 0;
  std::uint16_t body_type_ = 0;
  tcb_svn tee_tcb_svn_;
  hash384 mr_seam_, mr_signer_seam_;
  std::uint64_t seam_attributes_ = 0, td_attributes_ = 0, xfam_ = 0;
  hash384 mr_td_, mr_config_id_, mr_owner_, mr_owner_config_;
  std::array<hash384, 4> rtmrs_{};
  hash512 report_data_;
  std::optional<tcb_svn> tee_tcb_svn2_;
  std::optional<hash384> mr_service_td_;
  std::uint16_t qe_isv_svn_ = 0, qe_isv_prod_id_ = 0;
  std::uint32_t qe_misc_select_ = 0;
  std::array<std::byte, 16> qe_attributes_{};
  hash256 qe_mr_signer_;
  fmspc fmspc_;
  detail::pck_extension pck_;
  hash384 root_key_id_;
  bool revocation_checked_ = false;
};

namespace detail {

/// Loads the three PEM certificates of a PCK chain (leaf, PCK CA, root); only NULs and
/// whitespace may follow the third. The CA and the root, which every quote of a platform family
/// shares, come from the certificate cache; the leaf is decoded each time.
[[nodiscard]] inline cocoon::detail::result<std::array<x509_ptr, 3>> load_pck_chain(byte_view chain) {
  if (chain.size() > INT_MAX) return {errc::pck_chain_malformed, "pck_chain: too long"};
  const bio_ptr bio(BIO_new_mem_buf(chain.data(), static_cast<int>(chain.size())));
  if (!bio) return {errc::crypto_failure, "pck_chain"};
  std::array<x509_ptr, 3> certificates;
  for (std::size_t i = 0; i < certificates.size(); ++i) {
    certificates[i] = read_pem_certificate(bio.get(), i > 0);
    if (!certificates[i]) {
      ERR_clear_error();
      return {errc::pck_chain_malformed, "pck_chain.certificate[" + std::to_string(i) + "]: not a PEM certificate"};
    }
  }
  char* rest = nullptr;
  const long left = BIO_get_mem_data(bio.get(), &rest);
  for (long i = 0; i < left; ++i) {
    const char c = rest[i];
    if (c != '\0' && c != '\n' && c != '\r' && c != ' ') {
      return {errc::pck_chain_malformed, "pck_chain: data after the third certificate"};
    }
  }
  return certificates;
}

[[nodiscard]] inline std::time_t to_time_t(std::chrono::system_clock::time_point now) {
  return std::chrono::system_clock::to_time_t(now);
}

inline void free_crl_stack(STACK_OF(X509_CRL) * stack) noexcept { sk_X509_CRL_pop_free(stack, X509_CRL_free); }
using crl_stack_ptr = openssl_ptr<STACK_OF(X509_CRL), free_crl_stack>;

/// A CRL in DER (exactly) or PEM, pushed onto `crls`.
[[nodiscard]] inline std::optional<cocoon::detail::failure> load_crl(byte_view data, const char* name,
                                                                     STACK_OF(X509_CRL) * crls) {
  if (data.size() > INT_MAX) return cocoon::detail::failure{errc::crl_malformed, std::string(name) + ": too long"};
  const unsigned char* cursor = uchar(data.data());
  X509_CRL* crl = d2i_X509_CRL(nullptr, &cursor, static_cast<long>(data.size()));
  if (crl != nullptr && cursor != uchar(data.data()) + data.size()) {
    X509_CRL_free(crl);
    crl = nullptr;
  }
  if (crl == nullptr) {
    ERR_clear_error();
    const bio_ptr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (bio) crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
    ERR_clear_error();
  }
  if (crl == nullptr) return cocoon::detail::failure{errc::crl_malformed, std::string(name) + ": not DER or PEM"};
  if (sk_X509_CRL_push(crls, crl) <= 0) {
    X509_CRL_free(crl);
    return cocoon::detail::failure{errc::crypto_failure, name};
  }
  return std::nullopt;
}

/// Whether an X509_verify_cert error concerns a CRL (rather than a certificate).
[[nodiscard]] inline bool is_crl_error(int reason) noexcept {
  switch (reason) {
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR: return true;
    default: return false;
  }
}

/// Verifies leaf <- PCK CA <- root with OpenSSL, the root being trusted only because its key is
/// pinned, and every certificate valid at `now`; with `crls`, none revoked.
[[nodiscard]] inline std::optional<cocoon::detail::failure> verify_pck_chain(const std::array<x509_ptr, 3>& chain,
                                                                             const trust_anchors& anchors,
                                                                             std::chrono::system_clock::time_point now,
                                                                             const pck_crls* crls) {
  const auto root_key = spki_der(chain[2].get());
  if (!root_key || !anchors.contains(*root_key)) {
    return cocoon::detail::failure{errc::pck_root_untrusted,
                                   "pck_chain.certificate[2]: public key is not a trust anchor"};
  }
  const x509_store_ptr store(X509_STORE_new());
  const x509_stack_ptr intermediates(sk_X509_new_null());
  const x509_store_ctx_ptr context(X509_STORE_CTX_new());
  if (!store || !intermediates || !context || X509_STORE_add_cert(store.get(), chain[2].get()) != 1 ||
      sk_X509_push(intermediates.get(), chain[1].get()) <= 0 ||
      X509_STORE_CTX_init(context.get(), store.get(), chain[0].get(), intermediates.get()) != 1) {
    return cocoon::detail::failure{errc::crypto_failure, "pck_chain: X509_STORE setup"};
  }
  X509_STORE_CTX_set_verify(context.get(), verify_chain_signatures_and_times);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  // The pinned root's own signature is checked too, so its fields cannot be edited.
  unsigned long flags = X509_V_FLAG_CHECK_SS_SIGNATURE | X509_V_FLAG_X509_STRICT;
  const crl_stack_ptr crl_list(sk_X509_CRL_new_null());
  if (crls != nullptr) {
    if (!crl_list) return cocoon::detail::failure{errc::crypto_failure, "pck_crls"};
    if (auto why = load_crl(crls->pck_ca_crl, "pck_crls.pck_ca_crl", crl_list.get())) return why;
    if (auto why = load_crl(crls->root_ca_crl, "pck_crls.root_ca_crl", crl_list.get())) return why;
    X509_STORE_CTX_set0_crls(context.get(), crl_list.get());
    // Every certificate of the chain, the root included, against its issuer's CRL.
    flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
  }
  X509_VERIFY_PARAM_set_flags(param, flags);
  X509_VERIFY_PARAM_set_time(param, to_time_t(now));
  X509_VERIFY_PARAM_set_depth(param, 2);
  const int verified = X509_verify_cert(context.get());
  if (verified != 1) {
    const int reason = X509_STORE_CTX_get_error(context.get());
    const int depth = X509_STORE_CTX_get_error_depth(context.get());
    ERR_clear_error();
    const std::string where =
        "pck_chain.certificate[" + std::to_string(depth) + "]: " + X509_verify_cert_error_string(reason);
    if (reason == X509_V_ERR_CERT_HAS_EXPIRED || reason == X509_V_ERR_CERT_NOT_YET_VALID) {
      return cocoon::detail::failure{errc::certificate_expired, where};
    }
    if (reason == X509_V_ERR_CERT_REVOKED) return cocoon::detail::failure{errc::certificate_revoked, where};
    if (is_crl_error(reason)) return cocoon::detail::failure{errc::crl_invalid, where};
    return cocoon::detail::failure{errc::pck_chain_invalid, where};
  }
  // Exactly leaf <- CA <- root: OpenSSL may not have used a shorter path through the anchor.
  STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(context.get());
  if (sk_X509_num(built) != 3 || X509_cmp(sk_X509_value(built, 1), chain[1].get()) != 0 ||
      X509_cmp(sk_X509_value(built, 2), chain[2].get()) != 0) {
    return cocoon::detail::failure{errc::pck_chain_invalid, "pck_chain: not leaf, PCK CA, root"};
  }
  if ((X509_get_extension_flags(chain[0].get()) & EXFLAG_CA) != 0) {
    return cocoon::detail::failure{errc::pck_chain_invalid, "pck_chain.certificate[0]: a CA certificate"};
  }
  return std::nullopt;
}

/// SHA-384 of a certificate's public key point; empty if the key has no such encoding.
[[nodiscard]] inline std::optional<hash384> key_id(X509* certificate) {
  EVP_PKEY* key = X509_get0_pubkey(certificate);
  unsigned char point[133];  // the largest uncompressed point OpenSSL's named curves give (P-521)
  std::size_t size = 0;
  std::array<std::byte, 48> digest{};
  unsigned int digest_size = 0;
  if (key == nullptr ||
      EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &size) != 1 ||
      EVP_Digest(point, size, reinterpret_cast<unsigned char*>(digest.data()), &digest_size, EVP_sha384(), nullptr) !=
          1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return hash384(byte_view(digest));
}

/// Intel's TD quoting enclave, as its published TD_QE identity describes it. The PCE certifies
/// the report of any enclave that holds the PROVISION_KEY attribute, so a PCK signature alone does
/// not make an enclave Intel's QE: a host could run its own and have it sign any TD report.
struct td_qe_identity {
  static constexpr std::array<std::uint8_t, 32> mr_signer = {
      0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34, 0xa7, 0xfc, 0x43, 0xed, 0x03,
      0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba, 0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5};
  static constexpr std::uint16_t isv_prod_id = 2;
  static constexpr std::uint32_t misc_select = 0, misc_select_mask = 0xffffffff;
  /// INIT and PROVISION_KEY set; every flag but MODE64BIT (DEBUG included) compared; XFRM not.
  static constexpr std::array<std::uint8_t, 16> attributes = {0x11};
  static constexpr std::array<std::uint8_t, 16> attributes_mask = {0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  static constexpr std::uint8_t debug = 0x02;  // ATTRIBUTES byte 0, bit 1
};

/// Whether the QE report is Intel's TD QE's; the failure names the field that differs.
[[nodiscard]] inline std::optional<cocoon::detail::failure> check_td_qe_identity(const qe_report_view& qe) {
  using id = td_qe_identity;
  const auto refuse = [](const char* where) { return cocoon::detail::failure{errc::qe_identity_untrusted, where}; };
  const auto signer = qe.mr_signer();
  if (!std::equal(signer.begin(), signer.end(), id::mr_signer.begin(),
                  [](std::byte a, std::uint8_t b) { return std::to_integer<std::uint8_t>(a) == b; })) {
    return refuse("qe_report.mr_signer: not Intel's TD QE signer");
  }
  if (qe.isv_prod_id() != id::isv_prod_id) return refuse("qe_report.isv_prod_id: not the TD QE's (2)");
  const auto attributes = qe.attributes();
  if ((std::to_integer<std::uint8_t>(attributes[0]) & id::debug) != 0) return refuse("qe_report.attributes: DEBUG set");
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if ((std::to_integer<std::uint8_t>(attributes[i]) & id::attributes_mask[i]) != id::attributes[i]) {
      return refuse("qe_report.attributes: not the TD QE's");
    }
  }
  if ((qe.misc_select() & id::misc_select_mask) != id::misc_select) {
    return refuse("qe_report.misc_select: not the TD QE's");
  }
  return std::nullopt;
}

}  // namespace detail

/// The checks, in Intel's order: PCK chain to a pinned root at `now`; QE report signed by the PCK
/// leaf key; the QE is Intel's TD QE (`detail::td_qe_identity`), with or without collateral; QE
/// report data = SHA-256(attestation key || QE auth data) followed by 32 zero bytes; quote signed
/// by the attestation key.
inline cocoon::detail::result<verified_quote> verify_quote_impl(const tdx_quote& quote, const trust_anchors& anchors,
                                                                std::chrono::system_clock::time_point now,
                                                                const pck_crls* crls) {
  auto chain = detail::load_pck_chain(quote.pck_chain());
  if (!chain.has_value()) return chain.error();
  if (auto why = detail::verify_pck_chain(chain.value(), anchors, now, crls)) return std::move(*why);
  X509* leaf = chain.value()[0].get();
  const auto root_key_id = detail::key_id(chain.value()[2].get());
  if (!root_key_id) return {errc::pck_chain_invalid, "pck_chain.certificate[2]: no public key point"};
  auto extension = detail::read_pck_extension(leaf);
  if (!extension.has_value()) return extension.error();

  EVP_PKEY* pck_key = X509_get0_pubkey(leaf);
  if (!detail::is_p256(pck_key)) return {errc::pck_chain_invalid, "pck_chain.certificate[0]: not a P-256 key"};
  if (!detail::verify_p256_sha256(pck_key, quote.qe_report_signature(), quote.qe_report().bytes())) {
    ERR_clear_error();
    return {errc::qe_report_signature_invalid, "qe_report_signature"};
  }
  if (auto why = detail::check_td_qe_identity(quote.qe_report())) return std::move(*why);

  // SHA-256(attestation key || QE auth data) must open the QE report data, then zeros.
  unsigned char binding[64] = {};
  const detail::evp_md_ctx_ptr sha(EVP_MD_CTX_new());
  unsigned int digest_size = 0;
  if (!sha || EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(sha.get(), quote.attestation_key().data(), 64) != 1 ||
      EVP_DigestUpdate(sha.get(), quote.qe_auth_data().data(), quote.qe_auth_data().size()) != 1 ||
      EVP_DigestFinal_ex(sha.get(), binding, &digest_size) != 1) {
    return {errc::crypto_failure, "qe_report.report_data"};
  }
  if (CRYPTO_memcmp(binding, quote.qe_report().report_data().data(), sizeof binding) != 0) {
    return {errc::qe_report_binding_mismatch,
            "qe_report.report_data: not SHA-256(attestation key || QE auth data) and 32 zero bytes"};
  }

  const auto attestation_key = detail::p256_public_key(quote.attestation_key());
  if (!attestation_key) {
    ERR_clear_error();
    return {errc::quote_signature_invalid, "attestation_key: not a P-256 point"};
  }
  if (!detail::verify_p256_sha256(attestation_key.get(), quote.signature(), quote.signed_region())) {
    ERR_clear_error();
    return {errc::quote_signature_invalid, "signature"};
  }

  const auto& body = quote.body();
  verified_quote out;
  out.version_ = quote.version();
  out.body_type_ = quote.body_type();
  out.tee_tcb_svn_ = tcb_svn(byte_view(body.tee_tcb_svn()));
  out.mr_seam_ = hash384(byte_view(body.mr_seam()));
  out.mr_signer_seam_ = hash384(byte_view(body.mr_signer_seam()));
  out.seam_attributes_ = attest::detail::load_le64(body.seam_attributes().data());
  out.td_attributes_ = body.td_attributes();
  out.xfam_ = body.xfam();
  out.mr_td_ = hash384(byte_view(body.mr_td()));
  out.mr_config_id_ = hash384(byte_view(body.mr_config_id()));
  out.mr_owner_ = hash384(byte_view(body.mr_owner()));
  out.mr_owner_config_ = hash384(byte_view(body.mr_owner_config()));
  for (std::size_t i = 0; i < 4; ++i) out.rtmrs_[i] = hash384(byte_view(body.rtmr(i)));
  out.report_data_ = hash512(byte_view(body.report_data()));
  if (const auto svn2 = body.tee_tcb_svn2()) out.tee_tcb_svn2_ = tcb_svn(byte_view(*svn2));
  if (const auto service = body.mr_service_td()) out.mr_service_td_ = hash384(byte_view(*service));
  const auto& qe = quote.qe_report();
  out.qe_isv_svn_ = qe.isv_svn();
  out.qe_isv_prod_id_ = qe.isv_prod_id();
  out.qe_misc_select_ = qe.misc_select();
  std::copy(qe.attributes().begin(), qe.attributes().end(), out.qe_attributes_.begin());
  out.qe_mr_signer_ = hash256(byte_view(qe.mr_signer()));
  out.pck_ = extension.value();
  out.fmspc_ = fmspc(byte_view(out.pck_.fmspc));
  out.root_key_id_ = *root_key_id;
  out.revocation_checked_ = crls != nullptr;
  return out;
}

/// Verifies a parsed quote offline against `anchors` at time `now` (no clock is read, nothing
/// is fetched). @throws cocoon::error with one of `errc::pck_chain_malformed`,
/// `pck_chain_invalid`, `pck_root_untrusted`, `certificate_expired`, `pck_extension_malformed`,
/// `qe_report_signature_invalid`, `qe_identity_untrusted`, `qe_report_binding_mismatch`,
/// `quote_signature_invalid`.
[[nodiscard]] inline verified_quote verify_quote(const tdx_quote& quote, const trust_anchors& anchors,
                                                 std::chrono::system_clock::time_point now) {
  return cocoon::detail::value_or_throw(verify_quote_impl(quote, anchors, now, nullptr), "verify TDX quote");
}

/// The same; on failure returns `std::nullopt` with `ec` set.
[[nodiscard]] inline std::optional<verified_quote> verify_quote(const tdx_quote& quote, const trust_anchors& anchors,
                                                                std::chrono::system_clock::time_point now,
                                                                error_code& ec) {
  return cocoon::detail::value_or_code(verify_quote_impl(quote, anchors, now, nullptr), ec);
}

/// `verify_quote`, and no certificate of the PCK chain revoked by `crls` (both current at `now`).
/// @throws cocoon::error: as `verify_quote`, or `errc::certificate_revoked`, `errc::crl_invalid`
/// (a CRL not signed by its CA in the chain, not current, or missing), `errc::crl_malformed`.
[[nodiscard]] inline verified_quote verify_quote(const tdx_quote& quote, const trust_anchors& anchors,
                                                 std::chrono::system_clock::time_point now, const pck_crls& crls) {
  return cocoon::detail::value_or_throw(verify_quote_impl(quote, anchors, now, &crls), "verify TDX quote");
}

/// The same; on failure returns `std::nullopt` with `ec` set.
[[nodiscard]] inline std::optional<verified_quote> verify_quote(const tdx_quote& quote, const trust_anchors& anchors,
                                                                std::chrono::system_clock::time_point now,
                                                                const pck_crls& crls, error_code& ec) {
  return cocoon::detail::value_or_code(verify_quote_impl(quote, anchors, now, &crls), ec);
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
