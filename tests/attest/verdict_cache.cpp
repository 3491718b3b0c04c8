#include <cocoon/attest/verdict_cache.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "test_pki.hpp"
#include "vectors.hpp"

using cocoon::attest::make_verdict_key;
using cocoon::attest::quote_verdict;
using cocoon::attest::tcb_status;
using cocoon::attest::tdx_collateral;
using cocoon::attest::trust_anchors;
using cocoon::attest::verdict_cache;
using cocoon::attest::verdict_key;
using cocoon::attest::verify_cached;
using std::chrono::seconds;
using time_point = std::chrono::system_clock::time_point;

using attest_test::at;

namespace {

verdict_key key_of(int i) {
  const std::string text = "quote " + std::to_string(i);
  return make_verdict_key(cocoon::as_bytes(text), cocoon::hash256{});
}

cocoon::attest::collateral_bundle dcap_qvl_collateral() {
  return cocoon::attest::collateral_bundle::from_json(attest_test::text("tdx/dcap-qvl/tdx_quote_collateral.json"));
}

}  // namespace

TEST_CASE("verdict cache: find, insert, replace, clear", "[attest][cache]") {
  verdict_cache<int> cache;
  const auto now = at(2025, 1, 1);
  CHECK(!cache.find(key_of(1), now));
  cache.insert(key_of(1), 11, now + seconds(100), now);
  const auto hit = cache.find(key_of(1), now);
  REQUIRE(hit);
  REQUIRE(hit->ok());
  CHECK(*hit->value == 11);
  CHECK(!cache.find(key_of(2), now));

  // Same quote hash, another context (collateral version): a miss.
  const auto other_context = make_verdict_key(cocoon::as_bytes(std::string("quote 1")), cocoon::sha256({}));
  CHECK(key_of(1).quote == other_context.quote);
  CHECK(!cache.find(other_context, now));

  cache.insert(key_of(1), 12, now + seconds(100), now);
  CHECK(*cache.find(key_of(1), now)->value == 12);
  CHECK(cache.size() == 1);
  // A verdict already past its bound is not stored.
  cache.insert(key_of(3), 3, now, now);
  CHECK(!cache.find(key_of(3), now));
  cache.clear();
  CHECK(cache.size() == 0);
  CHECK(!cache.find(key_of(1), now));
}

TEST_CASE("verdict cache: positive entries expire at their bound or max_ttl, negative ones sooner", "[attest][cache]") {
  verdict_cache<int> cache({16, seconds(3600), seconds(30)});
  const auto now = at(2025, 1, 1);
  cache.insert(key_of(1), 1, now + seconds(600), now);    // its own bound first
  cache.insert(key_of(2), 2, now + seconds(86400), now);  // max_ttl first
  cache.insert_failure(key_of(3), cocoon::errc::quote_signature_invalid, "signature", now);

  CHECK(cache.find(key_of(1), now + seconds(599)));
  CHECK(!cache.find(key_of(1), now + seconds(600)));
  CHECK(cache.find(key_of(2), now + seconds(3599)));
  CHECK(!cache.find(key_of(2), now + seconds(3600)));

  const auto negative = cache.find(key_of(3), now + seconds(29));
  REQUIRE(negative);
  CHECK(!negative->ok());
  CHECK(negative->error == cocoon::errc::quote_signature_invalid);
  CHECK(negative->where == "signature");
  CHECK(!cache.find(key_of(3), now + seconds(30)));
  // Expired entries are dropped when found.
  CHECK(cache.size() == 0);

  // A clock that went back before the insertion does not see the entry.
  cache.insert(key_of(4), 4, now + seconds(600), now);
  CHECK(!cache.find(key_of(4), now - seconds(1)));
}

TEST_CASE("verdict cache: least recently used entries are evicted at capacity", "[attest][cache]") {
  verdict_cache<int> cache({3, seconds(3600), seconds(60)});
  const auto now = at(2025, 1, 1);
  for (int i = 1; i <= 3; ++i) cache.insert(key_of(i), i, now + seconds(600), now);
  CHECK(cache.find(key_of(1), now));  // 1 is now the most recent; 2 the least
  cache.insert(key_of(4), 4, now + seconds(600), now);
  CHECK(cache.size() == 3);
  CHECK(!cache.find(key_of(2), now));
  CHECK(cache.find(key_of(1), now));
  CHECK(cache.find(key_of(3), now));
  CHECK(cache.find(key_of(4), now));
  // Failures take room too.
  cache.insert_failure(key_of(5), cocoon::errc::quote_malformed, "header", now);
  CHECK(cache.size() == 3);
  CHECK(!cache.find(key_of(1), now));

  verdict_cache<int> none({0, seconds(3600), seconds(60)});
  none.insert(key_of(1), 1, now + seconds(600), now);
  CHECK(!none.find(key_of(1), now));
}

TEST_CASE("verdict cache: concurrent finds and inserts from several threads", "[attest][cache]") {
  // Values are derived from the key, so any torn or misplaced entry shows as a wrong value.
  verdict_cache<int> cache({32, seconds(3600), seconds(60)});
  const auto now = at(2025, 1, 1);
  std::vector<verdict_key> keys;
  for (int i = 0; i < 128; ++i) keys.push_back(key_of(i));
  std::atomic<int> wrong{0}, hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 4000; ++n) {
        const int i = (n * 7 + t * 13) % 128;
        if (const auto hit = cache.find(keys[static_cast<std::size_t>(i)], now)) {
          ++hits;
          if (i % 5 == 0 ? hit->ok() || hit->error != cocoon::errc::quote_malformed : !hit->ok() || *hit->value != i) {
            ++wrong;
          }
        } else if (i % 5 == 0) {
          cache.insert_failure(keys[static_cast<std::size_t>(i)], cocoon::errc::quote_malformed, "x", now);
        } else {
          cache.insert(keys[static_cast<std::size_t>(i)], i, now + seconds(600), now);
        }
        if (n % 1000 == 999 && t == 0) cache.clear();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(hits > 0);
  CHECK(cache.size() <= 32);
}

TEST_CASE("verify_cached: a real quote and its collateral, hit until the collateral's nextUpdate",
          "[attest][cache][vectors]") {
  const auto data = attest_test::read_quote("tdx/dcap-qvl/tdx_quote.bin");
  const auto bundle = dcap_qvl_collateral();
  const auto collateral = bundle.tdx();
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  verdict_cache<> cache({16, seconds(365 * 86400), seconds(60)});
  const auto now = at(2025, 7, 1);

  const auto first = verify_cached(cache, data, anchors, now, &collateral);
  REQUIRE(first->tcb);
  CHECK(first->tcb->status() == tcb_status::up_to_date);
  CHECK(first->quote.platform_fmspc().to_hex() == "b0c06f000000");
  // A hit is the very same verdict object.
  CHECK(verify_cached(cache, data, anchors, now + seconds(3600), &collateral) == first);

  // Without collateral, or with other anchors, the question differs: verified afresh.
  const auto offline = verify_cached(cache, data, anchors, now);
  CHECK(offline != first);
  CHECK(!offline->tcb);
  CHECK(cache.size() == 2);

  // Another collateral version (here: the same documents with a different issuer chain text).
  const std::string chain_copy = std::string(collateral.tcb_info_issuer_chain) + "\n";
  const tdx_collateral reissued{collateral.tcb_info, chain_copy, collateral.qe_identity,
                                collateral.qe_identity_issuer_chain};
  const auto again = verify_cached(cache, data, anchors, now, &reissued);
  CHECK(again != first);
  CHECK(again->tcb->status() == tcb_status::up_to_date);

  // TCB Info nextUpdate (2025-07-19T10:16:03Z) bounds the entry; the QE identity's is later.
  const auto next_update = at(2025, 7, 19) + std::chrono::hours(10) + std::chrono::minutes(16) + seconds(3);
  CHECK(first->tcb->next_update() == next_update);
  const auto key = make_verdict_key(data, cocoon::attest::verdict_context(anchors, &collateral, nullptr));
  CHECK(cache.find(key, next_update - seconds(1)));
  CHECK(!cache.find(key, next_update));
}

TEST_CASE("verify_cached: the PCK chain's notAfter and the CRLs' nextUpdate bound an entry", "[attest][cache]") {
  attest_test::cert_spec leaf{"Intel SGX PCK Certificate",
                              false,
                              -1,
                              attest_test::utc(2020, 1, 1),
                              attest_test::utc(2025, 6, 1),
                              attest_test::sgx_extension(300, {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}),
                              {}};
  const attest_test::test_pki pki(leaf);
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto data = pki.quote();
  verdict_cache<> cache({16, seconds(365 * 86400), seconds(60)});
  const auto now = at(2025, 5, 1);

  SECTION("leaf notAfter") {
    const auto verdict = verify_cached(cache, data, anchors, now);
    const auto key = make_verdict_key(data, cocoon::attest::verdict_context(anchors, nullptr, nullptr));
    CHECK(cache.find(key, at(2025, 6, 1) - seconds(1))->value == verdict);
    CHECK(!cache.find(key, at(2025, 6, 1)));
  }
  SECTION("CRL nextUpdate") {
    const auto ca_crl = attest_test::make_crl(pki.ca.get(), pki.ca_key.get(), {}, attest_test::utc(2025, 4, 1),
                                              attest_test::utc(2025, 5, 10));
    const auto root_crl = attest_test::make_crl(pki.root.get(), pki.root_key.get(), {}, attest_test::utc(2025, 4, 1),
                                                attest_test::utc(2025, 5, 20));
    const cocoon::attest::pck_crls crls{ca_crl, root_crl};
    const auto verdict = verify_cached(cache, data, anchors, now, nullptr, &crls);
    CHECK(verdict->quote.revocation_checked());
    const auto key = make_verdict_key(data, cocoon::attest::verdict_context(anchors, nullptr, &crls));
    CHECK(cache.find(key, at(2025, 5, 10) - seconds(1)));
    CHECK(!cache.find(key, at(2025, 5, 10)));
  }
}

TEST_CASE("verify_cached: the collateral signer's notAfter bounds an entry before the nextUpdate", "[attest][cache]") {
  // The TCB Signing certificate expires 2025-01-15; the TCB Info and QE identity are current
  // until 2025-02-01.
  const attest_test::test_pki pki(
      {"Intel SGX PCK Certificate",
       false,
       -1,
       attest_test::utc(2020, 1, 1),
       attest_test::utc(2040, 1, 1),
       attest_test::sgx_extension(300, {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}),
       {}},
      {"Intel SGX TCB Signing", false, -1, attest_test::utc(2020, 1, 1), attest_test::utc(2025, 1, 15), {}, {}});
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const attest_test::synthetic_collateral sign(pki);
  const auto tcb_body = sign.sign("tcbInfo", attest_test::up_to_date_tcb_info());
  const auto qe_body = sign.sign("enclaveIdentity", attest_test::qe_identity("UpToDate"));
  const tdx_collateral collateral{tcb_body, sign.chain, qe_body, sign.chain};
  const auto data = pki.quote();
  verdict_cache<> cache({16, seconds(365 * 86400), seconds(60)});
  const auto now = at(2025, 1, 1);

  const auto verdict = verify_cached(cache, data, anchors, now, &collateral);
  REQUIRE(verdict->tcb);
  CHECK(verdict->tcb->next_update() == at(2025, 2, 1));
  CHECK(verdict->tcb->valid_until() == at(2025, 1, 15));
  const auto key = make_verdict_key(data, cocoon::attest::verdict_context(anchors, &collateral, nullptr));
  CHECK(cache.find(key, at(2025, 1, 15) - seconds(1))->value == verdict);
  CHECK(!cache.find(key, at(2025, 1, 15)));
  // Verified afresh after it, the same collateral is refused.
  cocoon::error_code ec;
  CHECK(verify_cached(cache, data, anchors, at(2025, 1, 20), &collateral, nullptr, ec) == nullptr);
  CHECK(ec == cocoon::errc::collateral_expired);
}

TEST_CASE("verify_cached: a failure is cached for the negative TTL only", "[attest][cache]") {
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  auto data = pki.quote();
  data[48 + 200] ^= std::byte{1};  // a body byte: the quote signature no longer verifies
  verdict_cache<> cache({16, seconds(3600), seconds(30)});
  const auto now = at(2025, 5, 1);

  cocoon::error_code ec;
  CHECK(verify_cached(cache, data, anchors, now, nullptr, nullptr, ec) == nullptr);
  CHECK(ec == cocoon::errc::quote_signature_invalid);
  const auto key = make_verdict_key(data, cocoon::attest::verdict_context(anchors, nullptr, nullptr));
  const auto cached = cache.find(key, now + seconds(29));
  REQUIRE(cached);
  CHECK(cached->error == cocoon::errc::quote_signature_invalid);
  // Served from the cache: the same code, thrown.
  CHECK_THROWS_AS(verify_cached(cache, data, anchors, now + seconds(10)), cocoon::error);
  CHECK(!cache.find(key, now + seconds(30)));

  // The untampered quote is a different key and verifies.
  const auto good = pki.quote();
  CHECK(verify_cached(cache, good, anchors, now) != nullptr);
  // Malformed bytes are cached as failures too.
  const auto truncated = cocoon::bytes(good.begin(), good.begin() + 100);
  CHECK(verify_cached(cache, truncated, anchors, now, nullptr, nullptr, ec) == nullptr);
  CHECK(ec == cocoon::errc::quote_malformed);
  CHECK(cache.find(make_verdict_key(truncated, cocoon::attest::verdict_context(anchors, nullptr, nullptr)), now));
}

TEST_CASE("PCK chain notAfter dates read without parsing the certificates match OpenSSL's full parse",
          "[attest][cache][vectors]") {
  for (const char* path : attest_test::all_quotes) {
    INFO(path);
    const auto data = attest_test::read_quote(path);
    const auto quote = cocoon::attest::tdx_quote::parse(data);
    const auto dates = cocoon::attest::detail::not_after_dates(quote.pck_chain());
    auto chain = cocoon::attest::detail::load_pck_chain(quote.pck_chain());
    REQUIRE(chain.has_value());
    REQUIRE(dates.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      int days = 0, seconds_left = 0;
      const auto expected = X509_get0_notAfter(chain.value()[i].get());
      const std::time_t when = std::chrono::system_clock::to_time_t(dates[i]);
      const cocoon::attest::detail::asn1_time_ptr ours(ASN1_TIME_set(nullptr, when));
      REQUIRE(ASN1_TIME_diff(&days, &seconds_left, ours.get(), expected) == 1);
      CHECK(days == 0);
      CHECK(seconds_left == 0);
    }
  }
  // Unreadable: truncated, or not a certificate.
  const auto data = attest_test::read_quote("tdx/dcap-qvl/tdx_quote.bin");
  const auto chain = cocoon::attest::tdx_quote::parse(data).pck_chain();
  CHECK(cocoon::attest::detail::not_after_dates(chain.first(chain.size() / 2)).size() == 1);
  const std::string not_a_certificate = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";
  CHECK(cocoon::attest::detail::not_after_dates(cocoon::as_bytes(not_a_certificate)).empty());
}

TEST_CASE("certificate dates outside the clock's range saturate instead of overflowing", "[attest][cache]") {
  const auto read_time = [](const char* text) {
    const cocoon::attest::detail::asn1_time_ptr time(ASN1_TIME_new());
    REQUIRE(ASN1_TIME_set_string(time.get(), text) == 1);
    return cocoon::attest::detail::from_asn1_time(time.get());
  };
  CHECK(read_time("99991231235959Z") == time_point::max());  // GeneralizedTime allows any four-digit year
  CHECK(read_time("24540101000000Z") == time_point::max());
  CHECK(read_time("16000101000000Z") == time_point::min());
  CHECK(read_time("20400101000000Z") == std::chrono::sys_days{std::chrono::year{2040} / 1 / 1});
  CHECK(read_time("491231235959Z") ==
        std::chrono::sys_days{std::chrono::year{2049} / 12 / 31} + std::chrono::seconds{86399});
}
