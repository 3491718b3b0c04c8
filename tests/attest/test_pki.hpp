// A throwaway PCK-style PKI made with OpenSSL for the attest tests: a root (by default with the
// same subject as Intel's SGX Root CA but its own key), a PCK CA, a PCK leaf with an SGX
// extension encoded here byte by byte, and quotes signed by them.
#ifndef COCOON_TESTS_ATTEST_TEST_PKI_HPP
#define COCOON_TESTS_ATTEST_TEST_PKI_HPP

#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/error.hpp>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace attest_test {

struct pkey_free {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct x509_free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using pkey = std::unique_ptr<EVP_PKEY, pkey_free>;
using cert = std::unique_ptr<X509, x509_free>;

inline void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

inline pkey new_p256() {
  pkey key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EVP_EC_gen");
  return key;
}

inline std::time_t utc(int year, int month, int day) {
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  return timegm(&t);
}

/// Midnight UTC of a date, as the verifiers take their `now`.
inline std::chrono::system_clock::time_point at(int year, int month, int day) {
  return std::chrono::system_clock::from_time_t(utc(year, month, day));
}

/// The error verifying `data` at `now` gives (none when it verifies), and where it names.
inline cocoon::error_code verify_error(cocoon::byte_view data, const cocoon::attest::trust_anchors& anchors,
                                       std::chrono::system_clock::time_point now, std::string* where = nullptr) {
  cocoon::error_code ec;
  const auto quote = cocoon::attest::tdx_quote::parse(data, ec);
  if (!quote) return ec;
  try {
    (void)cocoon::attest::verify_quote(*quote, anchors, now);
  } catch (const cocoon::error& failure) {
    if (where) *where = failure.where();
    return failure.code();
  }
  return {};
}

// DER: tag, short or long length, content.
inline std::vector<std::uint8_t> der(std::uint8_t tag, const std::vector<std::uint8_t>& content) {
  std::vector<std::uint8_t> out{tag};
  if (content.size() < 128) {
    out.push_back(static_cast<std::uint8_t>(content.size()));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(content.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(content.size()));
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

inline std::vector<std::uint8_t> cat(std::initializer_list<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// 1.2.840.113741.1.13.1 followed by `arcs` (each < 128).
inline std::vector<std::uint8_t> sgx_oid(std::vector<std::uint8_t> arcs) {
  std::vector<std::uint8_t> body{0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};
  body.insert(body.end(), arcs.begin(), arcs.end());
  return der(0x06, body);
}

inline std::vector<std::uint8_t> der_integer(unsigned value) {
  std::vector<std::uint8_t> body;
  if (value > 255) body.push_back(static_cast<std::uint8_t>(value >> 8));
  body.push_back(static_cast<std::uint8_t>(value));
  if (body[0] & 0x80) body.insert(body.begin(), 0);
  return der(0x02, body);
}

/// The content of an SGX extension: PPID, TCB (16 components = 1..16, PCESVN, CPUSVN), PCE-ID, FMSPC.
inline std::vector<std::uint8_t> sgx_extension(unsigned pce_svn, std::vector<std::uint8_t> fmspc) {
  std::vector<std::uint8_t> tcb;
  for (std::uint8_t n = 1; n <= 16; ++n) tcb = cat({tcb, der(0x30, cat({sgx_oid({2, n}), der_integer(n)}))});
  tcb = cat({tcb, der(0x30, cat({sgx_oid({2, 17}), der_integer(pce_svn)}))});
  tcb = cat({tcb, der(0x30, cat({sgx_oid({2, 18}), der(0x04, std::vector<std::uint8_t>(16, 0x42))}))});
  return der(0x30, cat({der(0x30, cat({sgx_oid({1}), der(0x04, std::vector<std::uint8_t>(16, 0x11))})),
                        der(0x30, cat({sgx_oid({2}), der(0x30, tcb)})),
                        der(0x30, cat({sgx_oid({3}), der(0x04, {0x00, 0x01})})),
                        der(0x30, cat({sgx_oid({4}), der(0x04, fmspc)}))}));
}

inline void add_extension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  require(extension != nullptr && X509_add_ext(certificate, extension, -1) == 1, "extension");
  X509_EXTENSION_free(extension);
}

struct cert_spec {
  std::string common_name;
  bool ca = false;
  int path_length = -1;
  std::time_t not_before = utc(2020, 1, 1);
  std::time_t not_after = utc(2040, 1, 1);
  std::vector<std::uint8_t> sgx_extension;  // empty: none
  std::string key_usage;                    // empty: keyCertSign and cRLSign for a CA, else digitalSignature
};

/// A certificate for `key`, signed by `issuer_key` (self-signed when `issuer` is null).
inline cert make_cert(const cert_spec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  static long serial = 1;
  cert certificate(X509_new());
  require(certificate != nullptr, "X509_new");
  X509* c = certificate.get();
  X509_set_version(c, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial++);
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("US"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "ST", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("CA"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "L", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Santa Clara"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Intel Corporation"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
  ASN1_TIME_set(X509_getm_notBefore(c), spec.not_before);
  ASN1_TIME_set(X509_getm_notAfter(c), spec.not_after);
  X509_set_pubkey(c, key);
  X509* signer = issuer ? issuer : c;
  add_extension(c, signer, NID_subject_key_identifier, "hash");
  if (issuer) add_extension(c, signer, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    const std::string constraints =
        "critical,CA:TRUE" + (spec.path_length >= 0 ? ",pathlen:" + std::to_string(spec.path_length) : "");
    add_extension(c, signer, NID_basic_constraints, constraints.c_str());
  } else {
    add_extension(c, signer, NID_basic_constraints, "critical,CA:FALSE");
  }
  const std::string key_usage = !spec.key_usage.empty() ? spec.key_usage
                                : spec.ca               ? "critical,keyCertSign,cRLSign"
                                                        : "critical,digitalSignature,nonRepudiation";
  add_extension(c, signer, NID_key_usage, key_usage.c_str());
  if (!spec.sgx_extension.empty()) {
    ASN1_OBJECT* oid = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
    ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(value, spec.sgx_extension.data(), static_cast<int>(spec.sgx_extension.size()));
    X509_EXTENSION* extension = X509_EXTENSION_create_by_OBJ(nullptr, oid, 0, value);
    require(extension != nullptr && X509_add_ext(c, extension, -1) == 1, "SGX extension");
    X509_EXTENSION_free(extension);
    ASN1_OCTET_STRING_free(value);
    ASN1_OBJECT_free(oid);
  }
  require(X509_sign(c, issuer_key, EVP_sha256()) > 0, "X509_sign");
  return certificate;
}

inline std::string pem(X509* certificate) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, certificate);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

/// Raw r || s of an ECDSA P-256 / SHA-256 signature.
inline std::vector<std::uint8_t> sign_raw(EVP_PKEY* key, const std::uint8_t* data, std::size_t size) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  std::size_t der_size = 0;
  require(EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestSign(context, nullptr, &der_size, data, size) == 1,
          "sign");
  std::vector<std::uint8_t> der_signature(der_size);
  require(EVP_DigestSign(context, der_signature.data(), &der_size, data, size) == 1, "sign");
  EVP_MD_CTX_free(context);
  const unsigned char* cursor = der_signature.data();
  ECDSA_SIG* signature = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_size));
  std::vector<std::uint8_t> raw(64);
  BN_bn2binpad(ECDSA_SIG_get0_r(signature), raw.data(), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(signature), raw.data() + 32, 32);
  ECDSA_SIG_free(signature);
  return raw;
}

/// X || Y of a P-256 key.
inline std::vector<std::uint8_t> raw_public_key(EVP_PKEY* key) {
  std::vector<std::uint8_t> point(65);
  std::size_t size = 0;
  require(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &size) == 1 &&
              size == 65 && point[0] == 4,
          "public key");
  return {point.begin() + 1, point.end()};
}

inline std::vector<std::uint8_t> sha256(const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> digest(32);
  unsigned size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

inline void le(std::vector<std::uint8_t>& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

/// A PCK-style PKI: a root named like Intel's SGX Root CA, a PCK Platform CA, a PCK leaf, and a
/// TCB Signing certificate (an end-entity under the root) for collateral.
struct test_pki {
  pkey root_key = new_p256(), ca_key = new_p256(), leaf_key = new_p256(), attestation_key = new_p256(),
       tcb_signing_key = new_p256();
  cert root, ca, leaf, tcb_signing;
  std::uint64_t td_attributes = 0x10000000;           // SEPT_VE_DISABLE only
  std::array<std::uint8_t, 16> tee_tcb_svn{5, 1, 3};  // module 1.x, SVN 5; component 2 = 3
  /// 0: a v4 quote; 2 or 3: a v5 quote with that body type (3: TDX 1.5, with `tee_tcb_svn2`).
  std::uint16_t v5_body_type = 0;
  std::array<std::uint8_t, 16> tee_tcb_svn2{};
  /// The QE report's identity: Intel's TD QE unless a test changes it.
  std::array<std::uint8_t, 32> qe_mr_signer = cocoon::attest::detail::td_qe_identity::mr_signer;
  std::uint16_t qe_isv_prod_id = 2;
  std::array<std::uint8_t, 16> qe_attributes{0x11};  // INIT | PROVISION_KEY
  std::uint32_t qe_misc_select = 0;

  explicit test_pki(cert_spec leaf_spec = {"Intel SGX PCK Certificate",
                                           false,
                                           -1,
                                           utc(2020, 1, 1),
                                           utc(2040, 1, 1),
                                           sgx_extension(300, {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}),
                                           {}},
                    cert_spec tcb_signing_spec = {
                        "Intel SGX TCB Signing", false, -1, utc(2020, 1, 1), utc(2040, 1, 1), {}, {}}) {
    cert_spec root_spec, ca_spec;
    root_spec.common_name = "Intel SGX Root CA";
    root_spec.ca = true;
    root_spec.path_length = 1;
    ca_spec.common_name = "Intel SGX PCK Platform CA";
    ca_spec.ca = true;
    ca_spec.path_length = 0;
    root = make_cert(root_spec, root_key.get(), nullptr, root_key.get());
    ca = make_cert(ca_spec, ca_key.get(), root.get(), root_key.get());
    leaf = make_cert(leaf_spec, leaf_key.get(), ca.get(), ca_key.get());
    tcb_signing = make_cert(tcb_signing_spec, tcb_signing_key.get(), root.get(), root_key.get());
  }

  std::string chain_pem() const { return pem(leaf.get()) + pem(ca.get()) + pem(root.get()); }

  /// A v4 (or, with `v5_body_type`, v5) quote over a patterned body, signed through this PKI,
  /// with `chain` as its PCK data.
  cocoon::bytes quote(const std::string& chain, const std::vector<std::uint8_t>& report_data = {}) const {
    std::vector<std::uint8_t> q;
    le(q, v5_body_type == 0 ? 4 : 5, 2);
    le(q, 2, 2);
    le(q, 0x81, 4);
    le(q, 0, 4);
    for (const int b : {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07})
      q.push_back(static_cast<std::uint8_t>(b));
    q.resize(48);
    const int body_size = v5_body_type == 3 ? 648 : 584;
    if (v5_body_type != 0) {
      le(q, v5_body_type, 2);
      le(q, static_cast<std::uint64_t>(body_size), 4);
    }
    const auto body = static_cast<std::ptrdiff_t>(q.size());
    for (int i = 0; i < body_size; ++i) q.push_back(static_cast<std::uint8_t>(i * 13));
    std::copy(tee_tcb_svn.begin(), tee_tcb_svn.end(), q.begin() + body);
    std::fill(q.begin() + body + 64, q.begin() + body + 120, 0);  // MRSIGNERSEAM (Intel's: zero), SEAM attributes
    for (std::size_t i = 0; i < 8; ++i)
      q[static_cast<std::size_t>(body) + 120 + i] = static_cast<std::uint8_t>(td_attributes >> (8 * i));
    if (!report_data.empty()) std::copy(report_data.begin(), report_data.end(), q.begin() + body + 520);
    if (v5_body_type == 3) {
      std::copy(tee_tcb_svn2.begin(), tee_tcb_svn2.end(), q.begin() + body + 584);
      std::fill(q.begin() + body + 600, q.begin() + body + 648, 0);  // MRSERVICETD: no service TD
    }
    const auto signature = sign_raw(attestation_key.get(), q.data(), q.size());
    const auto key = raw_public_key(attestation_key.get());
    std::vector<std::uint8_t> auth(32);
    for (int i = 0; i < 32; ++i) auth[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    std::vector<std::uint8_t> qe_report;
    qe_report.resize(16);
    le(qe_report, qe_misc_select, 4);
    qe_report.resize(48);
    qe_report.insert(qe_report.end(), qe_attributes.begin(), qe_attributes.end());
    qe_report.resize(128);
    qe_report.insert(qe_report.end(), qe_mr_signer.begin(), qe_mr_signer.end());
    qe_report.resize(256);
    le(qe_report, qe_isv_prod_id, 2);
    qe_report.resize(384);
    const auto binding = sha256(cat({key, auth}));
    std::copy(binding.begin(), binding.end(), qe_report.begin() + 320);
    const auto qe_signature = sign_raw(leaf_key.get(), qe_report.data(), qe_report.size());

    std::vector<std::uint8_t> inner;
    le(inner, 5, 2);
    le(inner, chain.size(), 4);
    inner.insert(inner.end(), chain.begin(), chain.end());
    std::vector<std::uint8_t> outer = cat({qe_report, qe_signature});
    le(outer, auth.size(), 2);
    outer = cat({outer, auth, inner});
    std::vector<std::uint8_t> signature_data = cat({signature, key});
    le(signature_data, 6, 2);
    le(signature_data, outer.size(), 4);
    signature_data = cat({signature_data, outer});
    le(q, signature_data.size(), 4);
    q = cat({q, signature_data});
    return {reinterpret_cast<const std::byte*>(q.data()), reinterpret_cast<const std::byte*>(q.data()) + q.size()};
  }

  cocoon::bytes quote(const std::vector<std::uint8_t>& report_data = {}) const {
    return quote(chain_pem() + std::string(1, '\0'), report_data);
  }
};

/// Collateral documents signed under a test PKI, as Intel's TCB Signing certificate signs them.
struct synthetic_collateral {
  EVP_PKEY* key;
  std::string chain;

  explicit synthetic_collateral(const test_pki& pki)
      : key(pki.tcb_signing_key.get()), chain(pem(pki.tcb_signing.get()) + pem(pki.root.get())) {}
  synthetic_collateral(EVP_PKEY* signer_key, X509* signer, X509* root)
      : key(signer_key), chain(pem(signer) + pem(root)) {}

  /// `{"<member>":<object>,"signature":"<r || s over object>"}`.
  std::string sign(const char* member, const std::string& object) const {
    const auto signature = sign_raw(key, reinterpret_cast<const std::uint8_t*>(object.data()), object.size());
    return std::string("{\"") + member + "\":" + object + ",\"signature\":\"" +
           cocoon::to_hex(cocoon::byte_view(reinterpret_cast<const std::byte*>(signature.data()), 64)) + "\"}";
  }
};

/// 16 TCB components: the ones in `first` (JSON objects, comma-separated), then `{"svn":rest}`.
inline std::string components(const std::string& first, int rest) {
  std::string out = "[" + first;
  for (int i = first.empty() ? 0 : static_cast<int>(std::count(first.begin(), first.end(), ',')) + 1; i < 16; ++i) {
    out += std::string(i == 0 ? "" : ",") + "{\"svn\":" + std::to_string(rest) + "}";
  }
  return out + "]";
}

inline std::string level(int sgx_svn, int pcesvn, const std::string& tdx_first, const char* status, const char* date,
                         const char* advisory = nullptr) {
  return "{\"tcb\":{\"sgxtcbcomponents\":" + components("", sgx_svn) + ",\"pcesvn\":" + std::to_string(pcesvn) +
         ",\"tdxtcbcomponents\":" + components(tdx_first, 0) + "},\"tcbDate\":\"" + date + "\",\"tcbStatus\":\"" +
         status + "\"" + (advisory ? std::string(",\"advisoryIDs\":[\"") + advisory + "\"]" : std::string()) + "}";
}

/// A TDX TCB Info for the test PKI's platform (FMSPC 0a0b0c0d0e0f, PCE-ID 0001), current from
/// 2024-12-01 to 2025-02-01 unless `next_update` says otherwise.
inline std::string tcb_info(const std::string& levels, const std::string& module_levels,
                            const char* module_id = "TDX_01", const char* next_update = "2025-02-01T00:00:00Z") {
  const std::string zero48(96, '0');
  return "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"2024-12-01T00:00:00Z\",\"nextUpdate\":\"" +
         std::string(next_update) +
         "\",\"fmspc\":\"0A0B0C0D0E0F\",\"pceId\":\"0001\",\"tcbType\":0,\"tcbEvaluationDataNumber\":17,"
         "\"tdxModule\":{\"mrsigner\":\"" +
         zero48 + "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"}," +
         "\"tdxModuleIdentities\":[{\"id\":\"" + module_id + "\",\"mrsigner\":\"" + zero48 +
         "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":[" +
         module_levels + "]}],\"tcbLevels\":[" + levels + "]}";
}

/// A TD QE identity with Intel's values (as the test PKI's quotes carry them) unless `mrsigner`
/// differs; current as `tcb_info`'s default.
inline std::string qe_identity(
    const char* status,
    const std::string& mrsigner = "DC9E2A7C6F948F17474E34A7FC43ED030F7C1563F1BABDDF6340C82E0E54A8C5",
    const char* next_update = "2025-02-01T00:00:00Z") {
  return "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"2024-12-01T00:00:00Z\",\"nextUpdate\":\"" +
         std::string(next_update) +
         "\",\"tcbEvaluationDataNumber\":16,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
         "\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":"
         "\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\"" +
         mrsigner + "\",\"isvprodid\":2,\"tcbLevels\":[{\"tcb\":{\"isvsvn\":0},\"tcbDate\":\"2024-01-01T00:00:00Z\"," +
         "\"tcbStatus\":\"" + status + "\"}]}";
}

inline const std::string module_up_to_date =
    "{\"tcb\":{\"isvsvn\":5},\"tcbDate\":\"2024-01-01T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}";

/// An UpToDate TCB Info for the test PKI's quotes (SGX components 1..16, PCESVN 300, module
/// TDX_01 SVN 5).
inline std::string up_to_date_tcb_info(const char* next_update = "2025-02-01T00:00:00Z") {
  return tcb_info(level(1, 300, "", "UpToDate", "2024-11-01T00:00:00Z"), module_up_to_date, "TDX_01", next_update);
}

/// A DER CRL issued by `issuer` (signed with `key`) listing `revoked`.
inline cocoon::bytes make_crl(X509* issuer, EVP_PKEY* key, const std::vector<X509*>& revoked, std::time_t last_update,
                              std::time_t next_update) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);  // v2
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer));
  ASN1_TIME* last = ASN1_TIME_set(nullptr, last_update);
  ASN1_TIME* next = ASN1_TIME_set(nullptr, next_update);
  X509_CRL_set1_lastUpdate(crl, last);
  X509_CRL_set1_nextUpdate(crl, next);
  for (X509* certificate : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(entry, const_cast<ASN1_INTEGER*>(X509_get0_serialNumber(certificate)));
    X509_REVOKED_set_revocationDate(entry, last);
    X509_CRL_add0_revoked(crl, entry);
  }
  X509_CRL_sort(crl);
  require(X509_CRL_sign(crl, key, EVP_sha256()) > 0, "X509_CRL_sign");
  unsigned char* der = nullptr;
  const int size = i2d_X509_CRL(crl, &der);
  cocoon::bytes out(reinterpret_cast<const std::byte*>(der), reinterpret_cast<const std::byte*>(der) + size);
  OPENSSL_free(der);
  ASN1_TIME_free(last);
  ASN1_TIME_free(next);
  X509_CRL_free(crl);
  return out;
}

/// What goes into a COCOON-style RA-TLS certificate.
struct ratls_spec {
  EVP_PKEY* key = nullptr;     // the certificate key (Ed25519 in COCOON)
  EVP_PKEY* signer = nullptr;  // null: self-signed with `key`
  bool has_quote = true;
  std::vector<std::uint8_t> quote;  // the raw bytes of extension 1.3.6.1.4.1.12345.1
  bool has_claims = true;
  std::vector<std::uint8_t> claims;  // empty with has_claims: the key's 32 raw bytes
  bool cocoon_critical = true;
  bool duplicate_quote = false;
  const char* extra_critical_oid = nullptr;  // an extension OpenSSL does not know
  bool extra_is_critical = true;
  bool v3 = false;  // COCOON never sets the version: OpenSSL 3.0 writes v1 with extensions
  std::time_t not_before = utc(2025, 11, 19);
  std::time_t not_after = utc(2025, 11, 20) + 86400;
};

inline void add_raw_extension(X509* certificate, const char* oid_text, const std::vector<std::uint8_t>& data,
                              bool critical) {
  ASN1_OBJECT* oid = OBJ_txt2obj(oid_text, 1);
  ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
  ASN1_OCTET_STRING_set(value, data.data(), static_cast<int>(data.size()));
  X509_EXTENSION* extension = X509_EXTENSION_create_by_OBJ(nullptr, oid, critical ? 1 : 0, value);
  require(extension != nullptr && X509_add_ext(certificate, extension, -1) == 1, "raw extension");
  X509_EXTENSION_free(extension);
  ASN1_OCTET_STRING_free(value);
  ASN1_OBJECT_free(oid);
}

inline std::vector<std::uint8_t> raw_ed25519(EVP_PKEY* key) {
  std::vector<std::uint8_t> raw(32);
  std::size_t size = raw.size();
  require(EVP_PKEY_get_raw_public_key(key, raw.data(), &size) == 1 && size == 32, "Ed25519 raw key");
  return raw;
}

/// A self-signed certificate shaped like COCOON's generate_tdx_self_signed_cert.
inline cert make_ratls_cert(const ratls_spec& spec) {
  cert certificate(X509_new());
  X509* c = certificate.get();
  if (spec.v3) X509_set_version(c, X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(c), 12345);
  X509_NAME* name = X509_get_subject_name(c);
  for (const auto& [field, value] : {std::pair<const char*, const char*>{"C", "AE"},
                                     {"ST", "DUBAI"},
                                     {"O", "TDLib Development"},
                                     {"OU", "Security"},
                                     {"CN", "localhost"}}) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC, reinterpret_cast<const unsigned char*>(value), -1, -1, 0);
  }
  X509_set_issuer_name(c, name);
  ASN1_TIME_set(X509_getm_notBefore(c), spec.not_before);
  ASN1_TIME_set(X509_getm_notAfter(c), spec.not_after);
  X509_set_pubkey(c, spec.key);
  if (spec.has_quote) {
    add_raw_extension(c, "1.3.6.1.4.1.12345.1", spec.quote, spec.cocoon_critical);
    if (spec.duplicate_quote) add_raw_extension(c, "1.3.6.1.4.1.12345.1", spec.quote, spec.cocoon_critical);
  }
  if (spec.has_claims) {
    add_raw_extension(c, "1.3.6.1.4.1.12345.2", spec.claims.empty() ? raw_ed25519(spec.key) : spec.claims,
                      spec.cocoon_critical);
  }
  add_extension(c, c, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(c, c, NID_key_usage, "critical,digitalSignature");
  add_extension(c, c, NID_ext_key_usage, "critical,serverAuth,clientAuth");
  add_extension(c, c, NID_subject_key_identifier, "hash");
  add_extension(c, c, NID_subject_alt_name, "DNS:localhost,DNS:127.0.0.1,IP:::1");
  if (spec.extra_critical_oid) add_raw_extension(c, spec.extra_critical_oid, {0x05, 0x00}, spec.extra_is_critical);
  EVP_PKEY* signer = spec.signer ? spec.signer : spec.key;
  // Ed25519 signs without a separate digest; other keys (negative tests) use SHA-256.
  require(X509_sign(c, signer, EVP_PKEY_get_id(signer) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256()) > 0, "X509_sign");
  return certificate;
}

inline cocoon::bytes der_of(X509* certificate) {
  unsigned char* data = nullptr;
  const int size = i2d_X509(certificate, &data);
  require(size > 0, "i2d_X509");
  cocoon::bytes out(reinterpret_cast<const std::byte*>(data), reinterpret_cast<const std::byte*>(data) + size);
  OPENSSL_free(data);
  return out;
}

inline std::vector<std::uint8_t> sha512(const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> digest(64);
  unsigned size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha512(), nullptr);
  return digest;
}

}  // namespace attest_test

#endif
