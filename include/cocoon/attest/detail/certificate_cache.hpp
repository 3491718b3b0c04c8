// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_DETAIL_CERTIFICATE_CACHE_HPP
#define COCOON_ATTEST_DETAIL_CERTIFICATE_CACHE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/core/bytes.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <deque>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest::detail {

/// Decoded certificates that every quote shares (the Intel root, the PCK Platform and Processor
/// CAs, the TCB Signing certificate), and which certificate-by-issuer signatures among them have
/// verified. OpenSSL 3.0 decodes a certificate's key through its provider decoders, which costs
/// more than verifying a signature, and every quote's chains repeat the same few certificates.
///
/// Only what is a pure function of the bytes is kept: the decoded object of an exact DER
/// encoding (found by its SHA-256, then compared in full), and "this certificate's signature
/// verifies under that one's key, which may sign certificates" for two such objects. Validity
/// dates, CRLs, pinning and every other chain check still run on each verification. Process-wide,
/// thread-safe, bounded (the oldest entry goes first); the objects are shared read-only.
class certificate_cache {
 public:
  static constexpr std::size_t capacity = 32;

  [[nodiscard]] static certificate_cache& instance() {
    // Never destroyed: its objects must not be freed after OpenSSL's own exit-time cleanup.
    static certificate_cache* const cache = new certificate_cache;
    return *cache;
  }

  /// The certificate of exactly `der` (d2i_X509 of those bytes, as PEM_read_bio_X509 decodes
  /// them: trailing bytes after the certificate are not an error here either), shared with the
  /// cache; empty if it does not decode.
  [[nodiscard]] x509_ptr decode(byte_view der) {
    if (der.size() > LONG_MAX) return {};
    const auto digest = sha256_of(der);
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      const auto found = entries_.find(digest);
      if (found != entries_.end() && equal(found->second.der, der)) return shared(found->second.certificate.get());
    }
    const unsigned char* cursor = uchar(der.data());
    x509_ptr decoded(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!decoded) return {};
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto found = entries_.find(digest);
    if (found != entries_.end()) {
      // Another thread decoded it meanwhile (or, never seen, a SHA-256 collision: keep ours unshared).
      if (equal(found->second.der, der)) return shared(found->second.certificate.get());
      return decoded;
    }
    if (entries_.size() >= capacity) evict_oldest();
    entry& added = entries_[digest];
    added.der.assign(der.begin(), der.end());
    added.certificate = shared(decoded.get());
    added.id = next_id_++;
    order_.push_back(digest);
    return decoded;
  }

  /// True if `subject`'s signature was verified under `issuer`'s key, both being cached objects.
  [[nodiscard]] bool link_verified(const X509* subject, const X509* issuer) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto s = id_of(subject), i = id_of(issuer);
    return s && i && links_.count({*s, *i}) != 0;
  }

  /// Records that `subject`'s signature verified under `issuer`'s key; ignored unless both are cached.
  void add_link(const X509* subject, const X509* issuer) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto s = id_of(subject), i = id_of(issuer);
    if (!s || !i) return;
    if (links_.size() >= capacity * 4) links_.clear();
    links_.insert({*s, *i});
  }

  /// Forgets everything (tests).
  void clear() {
    const std::lock_guard<std::mutex> lock(mutex_);
    entries_.clear();
    order_.clear();
    links_.clear();
  }

  [[nodiscard]] std::size_t size() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

 private:
  using sha256_digest = std::array<unsigned char, 32>;
  struct entry {
    bytes der;
    x509_ptr certificate;
    // Never reused, so a link cannot name a later object that happens to take a freed address.
    std::uint64_t id = 0;
  };

  certificate_cache() = default;

  [[nodiscard]] static sha256_digest sha256_of(byte_view data) {
    sha256_digest out{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr) != 1) ERR_clear_error();
    return out;
  }

  [[nodiscard]] static bool equal(const bytes& a, byte_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }

  [[nodiscard]] static x509_ptr shared(X509* certificate) {
    X509_up_ref(certificate);
    return x509_ptr(certificate);
  }

  [[nodiscard]] std::optional<std::uint64_t> id_of(const X509* certificate) const {
    // A cached object stays alive while it is cached, so its address names it uniquely.
    for (const auto& [key, cached] : entries_) {
      if (cached.certificate.get() == certificate) return cached.id;
    }
    return std::nullopt;
  }

  void evict_oldest() {
    const auto found = entries_.find(order_.front());
    if (found != entries_.end()) {
      const std::uint64_t id = found->second.id;
      for (auto link = links_.begin(); link != links_.end();) {
        link = link->first == id || link->second == id ? links_.erase(link) : std::next(link);
      }
      entries_.erase(found);
    }
    order_.pop_front();
  }

  std::mutex mutex_;
  std::map<sha256_digest, entry> entries_;
  std::deque<sha256_digest> order_;
  std::set<std::pair<std::uint64_t, std::uint64_t>> links_;
  std::uint64_t next_id_ = 1;
};

/// The next PEM certificate ("CERTIFICATE" or the old "X509 CERTIFICATE", as PEM_read_bio_X509
/// reads) from `bio`, decoded through the cache when `cached`; empty at the end or on an error.
[[nodiscard]] inline x509_ptr read_pem_certificate(BIO* bio, bool cached) {
  unsigned char* data = nullptr;
  long size = 0;
  char* name = nullptr;
  if (PEM_bytes_read_bio(&data, &size, &name, PEM_STRING_X509, bio, nullptr, nullptr) != 1) return {};
  x509_ptr out;
  if (cached) {
    out = certificate_cache::instance().decode(
        byte_view(reinterpret_cast<const std::byte*>(data), static_cast<std::size_t>(size)));
  } else {
    const unsigned char* cursor = data;
    out.reset(d2i_X509(nullptr, &cursor, size));
  }
  OPENSSL_free(data);
  OPENSSL_free(name);
  return out;
}

/// OpenSSL 3.0's last chain step (each certificate's signature by its issuer, the top one's own
/// when X509_V_FLAG_CHECK_SS_SIGNATURE is set, and each certificate's validity at the verification
/// time), skipping the signature only for a link the certificate cache has seen verify. For
/// X509_STORE_CTX_set_verify, with the flags this SDK uses (no partial chains, no DANE).
inline int verify_chain_signatures_and_times(X509_STORE_CTX* context) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(context);
  const X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context);
  const auto callback = X509_STORE_CTX_get_verify_cb(context);
  const auto fail = [&](X509* certificate, int depth, int error) {
    X509_STORE_CTX_set_current_cert(context, certificate);
    X509_STORE_CTX_set_error_depth(context, depth);
    X509_STORE_CTX_set_error(context, error);
    return callback(0, context) != 0;
  };
  int n = sk_X509_num(chain) - 1;
  if (n < 0) return 0;
  X509* issuer = sk_X509_value(chain, n);
  X509* subject = issuer;
  const bool self_issued = X509_STORE_CTX_get_check_issued(context)(context, issuer, issuer) != 0;
  bool check_signature = true;
  if (!self_issued) {
    if (n == 0) {
      if (!fail(issuer, 0, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE)) return 0;
      check_signature = false;
    } else {
      subject = sk_X509_value(chain, --n);
    }
  }
  const bool check_self = (X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_CHECK_SS_SIGNATURE) != 0;
  const bool use_time = (X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_USE_CHECK_TIME) != 0;
  std::time_t at = X509_VERIFY_PARAM_get_time(param);
  auto& cache = certificate_cache::instance();
  while (n >= 0) {
    if (check_signature && (subject != issuer || (check_self && (X509_get_extension_flags(issuer) & EXFLAG_SS) != 0))) {
      const int issuer_depth = n + (subject == issuer ? 0 : 1);
      if (!cache.link_verified(subject, issuer)) {
        // RFC 5280 6.1.4 (n): a CA's key usage must allow certificate signing, and the signature
        // algorithm must suit the issuer's key; a self-issued end-entity certificate at the top
        // is exempt (RFC 6818 section 2). As OpenSSL 3.0 checks before each signature.
        const bool exempt = subject == issuer && (X509_get_extension_flags(issuer) & EXFLAG_CA) == 0;
        EVP_PKEY* key = X509_get0_pubkey(issuer);
        int signature_nid = 0;
        const bool may_sign = exempt || (X509_get_key_usage(issuer) & KU_KEY_CERT_SIGN) != 0;
        const bool algorithm_matches =
            exempt ||
            (key != nullptr &&
             OBJ_find_sigid_algs(OBJ_obj2nid(X509_get0_tbs_sigalg(subject)->algorithm), nullptr, &signature_nid) == 1 &&
             EVP_PKEY_is_a(key, OBJ_nid2sn(signature_nid)) == 1);
        if (!may_sign) {
          if (!fail(issuer, issuer_depth, X509_V_ERR_KEYUSAGE_NO_CERTSIGN)) return 0;
        } else if (!algorithm_matches) {
          if (!fail(issuer, issuer_depth, X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH)) return 0;
        } else if (key == nullptr) {
          if (!fail(issuer, issuer_depth, X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY)) return 0;
        } else if (X509_verify(subject, key) <= 0) {
          if (!fail(subject, n, X509_V_ERR_CERT_SIGNATURE_FAILURE)) return 0;
        } else {
          cache.add_link(subject, issuer);
        }
      }
    }
    check_signature = true;
    // Validity at the verification time, every time (RFC 5280 6.1.3 (a)(2), the anchor included).
    if (use_time || (X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_NO_CHECK_TIME) == 0) {
      std::time_t* when = use_time ? &at : nullptr;
      const int before = X509_cmp_time(X509_get0_notBefore(subject), when);
      if (before == 0 && !fail(subject, n, X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD)) return 0;
      if (before > 0 && !fail(subject, n, X509_V_ERR_CERT_NOT_YET_VALID)) return 0;
      const int after = X509_cmp_time(X509_get0_notAfter(subject), when);
      if (after == 0 && !fail(subject, n, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD)) return 0;
      if (after < 0 && !fail(subject, n, X509_V_ERR_CERT_HAS_EXPIRED)) return 0;
    }
    X509_STORE_CTX_set_current_cert(context, subject);
    X509_STORE_CTX_set_error_depth(context, n);
    if (callback(1, context) == 0) return 0;
    if (--n >= 0) {
      issuer = subject;
      subject = sk_X509_value(chain, n);
    }
  }
  return 1;
}

}  // namespace attest::detail
COCOON_SDK_NAMESPACE_END

#endif
