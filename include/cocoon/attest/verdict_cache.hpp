// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_VERDICT_CACHE_HPP
#define COCOON_ATTEST_VERDICT_CACHE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/trust_anchors.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// What verifying one quote produced: the verified quote and, when collateral was given, its
/// TCB evaluation.
struct quote_verdict {
  verified_quote quote;
  std::optional<tcb_report> tcb;
};

/// Identifies one verification question: the quote bytes, and everything else the answer
/// depends on (trust anchors, collateral, CRLs). Two keys are equal only if both hashes are.
struct verdict_key {
  hash256 quote;    ///< SHA-256 of the quote buffer as given (length-prefixed, tagged)
  hash256 context;  ///< SHA-256 over the trust anchor keys, the collateral and the CRLs

  friend bool operator==(const verdict_key& a, const verdict_key& b) noexcept {
    return a.quote == b.quote && a.context == b.context;
  }
};

namespace detail {

/// Feeds length-prefixed fields to SHA-256 (OpenSSL's, which uses the CPU's SHA extensions where
/// present), so that moving bytes between fields changes the hash.
class field_hasher {
 public:
  field_hasher() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) fail();
  }
  void add(std::string_view tag, byte_view data) {
    add_raw(as_bytes(tag));
    add_raw(data);
  }
  [[nodiscard]] hash256 finish() {
    std::array<std::byte, 32> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_.get(), reinterpret_cast<unsigned char*>(digest.data()), &size) != 1) fail();
    return hash256(digest);
  }

 private:
  [[noreturn]] static void fail() {
    ERR_clear_error();
    cocoon::detail::throw_error(errc::crypto_failure, "verdict cache key", "SHA-256");
  }
  void add_raw(byte_view data) {
    std::array<unsigned char, 8> size{};
    for (std::size_t i = 0; i < size.size(); ++i) size[i] = static_cast<unsigned char>(data.size() >> (8 * i));
    if (EVP_DigestUpdate(context_.get(), size.data(), size.size()) != 1 ||
        EVP_DigestUpdate(context_.get(), data.data(), data.size()) != 1) {
      fail();
    }
  }

  evp_md_ctx_ptr context_;
};

struct verdict_key_hash {
  std::size_t operator()(const verdict_key& key) const noexcept {
    // The key is already uniformly distributed: fold a few bytes of each digest.
    std::size_t a = 0, b = 0;
    std::memcpy(&a, key.quote.data(), sizeof a);
    std::memcpy(&b, key.context.data(), sizeof b);
    return a ^ (b * 0x9e3779b97f4a7c15ULL);
  }
};

inline void free_pem_part(char* p) noexcept { OPENSSL_free(p); }
inline void free_pem_data(unsigned char* p) noexcept { OPENSSL_free(p); }
using asn1_time_ptr = openssl_ptr<ASN1_TIME, ASN1_TIME_free>;

/// A bounded walk over DER TLVs with OpenSSL's `ASN1_get_object`.
struct der_cursor {
  const unsigned char* at;
  long left;

  /// The next element: its tag, class, and contents (`inner`); false if it does not fit.
  bool next(int& tag, int& type_class, der_cursor& inner, const unsigned char*& start) {
    start = at;
    long length = 0;
    if (left <= 0 || (ASN1_get_object(&at, &length, &tag, &type_class, left) & 0x80) != 0) return false;
    left -= at - start;
    if (length < 0 || length > left) return false;
    inner = der_cursor{at, length};
    at += length;
    left -= length;
    return true;
  }
};

/// The notAfter of each certificate in a PEM chain, read from the DER without parsing the whole
/// certificate: OpenSSL 3.0 decodes a certificate's public key on parse, which costs more than a
/// signature verification, and only the date is needed here. Empty if any certificate is unreadable.
[[nodiscard]] inline std::vector<std::chrono::system_clock::time_point> not_after_dates(byte_view pem_chain) {
  std::vector<std::chrono::system_clock::time_point> dates;
  if (pem_chain.size() > INT_MAX) return {};
  const bio_ptr bio(BIO_new_mem_buf(pem_chain.data(), static_cast<int>(pem_chain.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* der = nullptr;
  long size = 0;
  while (bio && PEM_read_bio(bio.get(), &name, &header, &der, &size) == 1) {
    const openssl_ptr<char, free_pem_part> owned_name(name), owned_header(header);
    const openssl_ptr<unsigned char, free_pem_data> owned_der(der);
    // Other PEM blocks are skipped, as OpenSSL's certificate reader skips them.
    if (std::strcmp(name, PEM_STRING_X509) != 0 && std::strcmp(name, PEM_STRING_X509_OLD) != 0) continue;
    // Certificate { tbsCertificate { [0] version?, serial, signature, issuer, validity { notBefore, notAfter } ...
    der_cursor cursor{der, size}, certificate{}, tbs{}, skipped{}, validity{};
    int tag = 0, type_class = 0;
    const unsigned char* start = nullptr;
    // The next element of `from` must be the universal type `expected`.
    const auto take = [&](der_cursor& from, int expected, der_cursor& into) {
      return from.next(tag, type_class, into, start) && type_class == V_ASN1_UNIVERSAL && tag == expected;
    };
    bool ok = take(cursor, V_ASN1_SEQUENCE, certificate) && take(certificate, V_ASN1_SEQUENCE, tbs);
    if (ok) {
      der_cursor first = tbs;
      ok = first.next(tag, type_class, skipped, start);
      if (ok && type_class == V_ASN1_CONTEXT_SPECIFIC && tag == 0) tbs = first;  // explicit version
    }
    ok = ok && take(tbs, V_ASN1_INTEGER, skipped) && take(tbs, V_ASN1_SEQUENCE, skipped) &&
         take(tbs, V_ASN1_SEQUENCE, skipped) && take(tbs, V_ASN1_SEQUENCE, validity) &&
         validity.next(tag, type_class, skipped, start) && validity.next(tag, type_class, skipped, start);
    if (!ok) return {};
    const unsigned char* element = start;
    const asn1_time_ptr time(d2i_ASN1_TIME(nullptr, &element, skipped.at + skipped.left - start));
    if (!time) {
      ERR_clear_error();
      return {};
    }
    dates.push_back(from_asn1_time(time.get()));
  }
  ERR_clear_error();
  return dates;
}

}  // namespace detail

/// The context part of a `verdict_key`: a hash of the trust anchors, the collateral (null: none)
/// and the CRLs (null: none). New collateral or CRLs give a new context, so a cached verdict is
/// never served for collateral it was not computed with.
[[nodiscard]] inline hash256 verdict_context(const trust_anchors& anchors, const tdx_collateral* collateral,
                                             const pck_crls* crls) {
  detail::field_hasher hasher;
  for (const auto& key : anchors.keys()) hasher.add("anchor", key);
  if (collateral != nullptr) {
    hasher.add("tcb_info", as_bytes(collateral->tcb_info));
    hasher.add("tcb_info_issuer_chain", as_bytes(collateral->tcb_info_issuer_chain));
    hasher.add("qe_identity", as_bytes(collateral->qe_identity));
    hasher.add("qe_identity_issuer_chain", as_bytes(collateral->qe_identity_issuer_chain));
  }
  if (crls != nullptr) {
    hasher.add("pck_ca_crl", crls->pck_ca_crl);
    hasher.add("root_ca_crl", crls->root_ca_crl);
  }
  return hasher.finish();
}

/// The key for `quote` (the whole buffer, trailing bytes included) in `context`.
[[nodiscard]] inline verdict_key make_verdict_key(byte_view quote, const hash256& context) {
  detail::field_hasher hasher;
  hasher.add("quote", quote);
  return verdict_key{hasher.finish(), context};
}

/// The last moment a verdict computed from these inputs stays true: the earliest notAfter of
/// the PCK chain, with `tcb` the end of its collateral (`tcb_report::valid_until`: nextUpdate and
/// the signing chains' notAfter), and the CRLs' nextUpdate (with `crls`). A chain or CRL that
/// cannot be read gives the earliest possible time.
[[nodiscard]] inline std::chrono::system_clock::time_point verdict_valid_until(const tdx_quote& quote,
                                                                               const tcb_report* tcb,
                                                                               const pck_crls* crls) {
  auto until = std::chrono::system_clock::time_point::max();
  const auto dates = detail::not_after_dates(quote.pck_chain());
  if (dates.size() != 3) return std::chrono::system_clock::time_point::min();
  for (const auto date : dates) until = std::min(until, date);
  if (tcb != nullptr) until = std::min(until, tcb->valid_until());
  if (crls != nullptr) {
    for (const byte_view crl : {crls->pck_ca_crl, crls->root_ca_crl}) {
      const detail::crl_stack_ptr list(sk_X509_CRL_new_null());
      if (!list || detail::load_crl(crl, "crl", list.get())) return std::chrono::system_clock::time_point::min();
      until = std::min(until, detail::from_asn1_time(X509_CRL_get0_nextUpdate(sk_X509_CRL_value(list.get(), 0))));
    }
  }
  return until;
}

/// What a cache lookup found: a verdict (`ok()`), or the failure that was cached for a short time.
template <class Value>
struct cached_verdict {
  std::shared_ptr<const Value> value;  ///< null for a cached failure
  error_code error;                    ///< why verification failed (negative entries)
  std::string where;                   ///< where it failed, as the verifier said

  [[nodiscard]] bool ok() const noexcept { return value != nullptr; }
};

/// A thread-safe, bounded cache of verification verdicts, keyed by `verdict_key`.
///
/// Positive entries live until the earlier of `expires` (the verdict's own bound, see
/// `verdict_valid_until`) and insertion time + `max_ttl`; negative entries (failures) for
/// `negative_ttl`, so a peer that was refused is re-checked soon, but a flood of bad quotes is
/// not verified again and again. Time is always passed in (`now`); nothing reads a clock. When
/// full, the least recently used entry is evicted. `Value` is what the verifier returns
/// (`quote_verdict` by default).
template <class Value = quote_verdict>
class verdict_cache {
 public:
  using time_point = std::chrono::system_clock::time_point;

  struct limits {
    std::size_t capacity = 1024;            ///< entries kept at most (0: nothing is cached)
    std::chrono::seconds max_ttl{3600};     ///< longest life of a positive entry
    std::chrono::seconds negative_ttl{60};  ///< life of a negative entry
  };

  verdict_cache() = default;
  explicit verdict_cache(limits settings) : limits_(settings) {}
  verdict_cache(const verdict_cache&) = delete;
  verdict_cache& operator=(const verdict_cache&) = delete;

  /// The entry for `key` if it is still live at `now` (and marks it recently used); an expired
  /// entry is removed.
  [[nodiscard]] std::optional<cached_verdict<Value>> find(const verdict_key& key, time_point now) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto found = index_.find(key);
    if (found == index_.end()) return std::nullopt;
    const auto slot = found->second;
    if (now >= slot->expires || now < slot->inserted) {
      // Expired, or `now` went backwards past the insertion: the entry proves nothing then.
      index_.erase(found);
      entries_.erase(slot);
      return std::nullopt;
    }
    entries_.splice(entries_.begin(), entries_, slot);
    return slot->verdict;
  }

  /// Stores a verdict valid until `expires` (capped at `now + max_ttl`); nothing is stored if
  /// that is not after `now`.
  void insert(const verdict_key& key, Value value, time_point expires, time_point now) {
    insert(key, std::make_shared<const Value>(std::move(value)), expires, now);
  }

  /// The same, sharing `value` with the caller.
  void insert(const verdict_key& key, std::shared_ptr<const Value> value, time_point expires, time_point now) {
    const auto until = cap(expires, now, limits_.max_ttl);
    if (until <= now || value == nullptr) return;
    put(key, cached_verdict<Value>{std::move(value), {}, {}}, now, until);
  }

  /// Stores a failure for `negative_ttl`.
  void insert_failure(const verdict_key& key, error_code why, std::string where, time_point now) {
    const auto until = cap(time_point::max(), now, limits_.negative_ttl);
    if (until <= now) return;
    put(key, cached_verdict<Value>{nullptr, why, std::move(where)}, now, until);
  }

  /// Entries held (live or not yet found expired).
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

  void clear() {
    const std::lock_guard<std::mutex> lock(mutex_);
    index_.clear();
    entries_.clear();
  }

  [[nodiscard]] const limits& settings() const noexcept { return limits_; }

 private:
  struct entry {
    verdict_key key;
    cached_verdict<Value> verdict;
    time_point inserted;
    time_point expires;
  };
  using list = std::list<entry>;

  [[nodiscard]] static time_point cap(time_point expires, time_point now, std::chrono::seconds ttl) {
    // now + ttl without overflowing at the far end of the clock.
    const auto room = time_point::max() - now;
    const auto limit = room > ttl ? now + ttl : time_point::max();
    return std::min(expires, limit);
  }

  void put(const verdict_key& key, cached_verdict<Value> verdict, time_point now, time_point expires) {
    if (limits_.capacity == 0) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    if (const auto found = index_.find(key); found != index_.end()) {
      entries_.erase(found->second);
      index_.erase(found);
    }
    entries_.push_front(entry{key, std::move(verdict), now, expires});
    index_.emplace(key, entries_.begin());
    while (entries_.size() > limits_.capacity) {
      index_.erase(entries_.back().key);
      entries_.pop_back();
    }
  }

  limits limits_;
  mutable std::mutex mutex_;
  list entries_;  // most recently used first
  std::unordered_map<verdict_key, typename list::iterator, detail::verdict_key_hash> index_;
};

namespace detail {

/// Whether a failure says something about the quote (worth caching), rather than about this
/// process (out of memory).
[[nodiscard]] inline bool cacheable(const error_code& code) noexcept { return code != errc::crypto_failure; }

}  // namespace detail

/// `verify_quote` (with `crls` when given) and, with `collateral`, `evaluate_tcb`, answered from
/// `cache` when it holds a live verdict for the same quote bytes, anchors, collateral and CRLs.
/// Fresh outcomes are stored: a verdict until `verdict_valid_until`, a failure for the cache's
/// negative TTL.
inline cocoon::detail::result<std::shared_ptr<const quote_verdict>> verify_cached_impl(
    verdict_cache<quote_verdict>& cache, byte_view quote_bytes, const trust_anchors& anchors,
    std::chrono::system_clock::time_point now, const tdx_collateral* collateral, const pck_crls* crls) {
  const auto key = make_verdict_key(quote_bytes, verdict_context(anchors, collateral, crls));
  if (auto hit = cache.find(key, now)) {
    if (hit->ok()) return std::move(hit->value);
    return cocoon::detail::failure{hit->error, std::move(hit->where)};
  }
  const auto fail = [&](cocoon::detail::failure why) -> cocoon::detail::result<std::shared_ptr<const quote_verdict>> {
    if (detail::cacheable(why.code)) cache.insert_failure(key, why.code, why.where, now);
    return why;
  };
  auto parsed = detail::parse_tdx_quote(quote_bytes);
  if (!parsed.has_value()) return fail(parsed.error());
  auto verified = verify_quote_impl(parsed.value(), anchors, now, crls);
  if (!verified.has_value()) return fail(verified.error());
  std::optional<tcb_report> tcb;
  if (collateral != nullptr) {
    auto evaluated = evaluate_tcb_impl(verified.value(), *collateral, anchors, now);
    if (!evaluated.has_value()) return fail(evaluated.error());
    tcb = std::move(evaluated).value();
  }
  const auto until = verdict_valid_until(parsed.value(), tcb ? &*tcb : nullptr, crls);
  auto verdict = std::make_shared<const quote_verdict>(quote_verdict{std::move(verified).value(), std::move(tcb)});
  cache.insert(key, verdict, until, now);
  return verdict;
}

/// Verifies a quote (and its TCB with `collateral`; its PCK chain against `crls`), or returns
/// the cached outcome. @throws cocoon::error as `verify_quote` and `evaluate_tcb` do (a cached
/// failure is thrown again with the same code).
[[nodiscard]] inline std::shared_ptr<const quote_verdict> verify_cached(verdict_cache<quote_verdict>& cache,
                                                                        byte_view quote, const trust_anchors& anchors,
                                                                        std::chrono::system_clock::time_point now,
                                                                        const tdx_collateral* collateral = nullptr,
                                                                        const pck_crls* crls = nullptr) {
  return cocoon::detail::value_or_throw(verify_cached_impl(cache, quote, anchors, now, collateral, crls),
                                        "verify TDX quote (cached)");
}

/// The same; on failure returns null with `ec` set.
[[nodiscard]] inline std::shared_ptr<const quote_verdict> verify_cached(verdict_cache<quote_verdict>& cache,
                                                                        byte_view quote, const trust_anchors& anchors,
                                                                        std::chrono::system_clock::time_point now,
                                                                        const tdx_collateral* collateral,
                                                                        const pck_crls* crls, error_code& ec) {
  auto found = cocoon::detail::value_or_code(verify_cached_impl(cache, quote, anchors, now, collateral, crls), ec);
  return found ? std::move(*found) : nullptr;
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
