#include <cocoon/attest/detail/certificate_cache.hpp>

#include <catch2/catch.hpp>

#include <cocoon/attest/verify.hpp>

#include "test_pki.hpp"
#include "vectors.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using cocoon::attest::tdx_quote;
using cocoon::attest::trust_anchors;
using cocoon::attest::verify_quote;
using cocoon::attest::detail::certificate_cache;

using attest_test::at;
using attest_test::verify_error;

namespace {

std::vector<unsigned char> der_of(X509* certificate) {
  unsigned char* der = nullptr;
  const int size = i2d_X509(certificate, &der);
  attest_test::require(size > 0, "i2d_X509");
  std::vector<unsigned char> out(der, der + size);
  OPENSSL_free(der);
  return out;
}

/// The certificate with one bit of its serial number flipped and its signature left as it was:
/// same subject, issuer and key, so only the signature check can tell.
attest_test::cert tampered(X509* certificate) {
  auto der = der_of(certificate);
  // SEQUENCE { SEQUENCE (TBS) { [0] version, INTEGER serial ... } }, both with two-byte lengths.
  attest_test::require(
      der[0] == 0x30 && der[1] == 0x82 && der[4] == 0x30 && der[5] == 0x82 && der[8] == 0xa0 && der[13] == 0x02,
      "certificate layout");
  der[14 + static_cast<std::size_t>(der[14])] ^= 0x01;  // the serial's last byte
  const unsigned char* cursor = der.data();
  attest_test::cert out(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  attest_test::require(out != nullptr, "d2i_X509");
  return out;
}

/// A copy of a self-signed root with every field kept (subject, serial, key identifiers) but
/// another key, signed by that key: only the CA's signature check tells it from the real one.
attest_test::cert forged_root(X509* root) {
  const auto key = attest_test::new_p256();
  attest_test::cert out(X509_dup(root));
  attest_test::require(
      out != nullptr && X509_set_pubkey(out.get(), key.get()) == 1 && X509_sign(out.get(), key.get(), EVP_sha256()) > 0,
      "forged root");
  return out;
}

trust_anchors anchors_of(std::initializer_list<X509*> roots) {
  trust_anchors anchors;
  for (X509* root : roots) anchors.add_certificate(cocoon::as_bytes(attest_test::pem(root)));
  return anchors;
}

}  // namespace

TEST_CASE("the certificate cache shares one decoded object per exact DER", "[attest][cache]") {
  auto& cache = certificate_cache::instance();
  const attest_test::test_pki pki;
  const auto root = der_of(pki.root.get());
  const auto view = [](const std::vector<unsigned char>& der) {
    return cocoon::byte_view(reinterpret_cast<const std::byte*>(der.data()), der.size());
  };
  const auto first = cache.decode(view(root));
  const auto second = cache.decode(view(root));
  REQUIRE(first);
  CHECK(first.get() == second.get());
  CHECK(X509_cmp(first.get(), pki.root.get()) == 0);
  // Another certificate with the same subject, or the same one tampered: other objects.
  const attest_test::test_pki other;
  const auto look_alike = cache.decode(view(der_of(other.root.get())));
  const auto changed = tampered(pki.root.get());
  const auto tampered_object = cache.decode(view(der_of(changed.get())));
  REQUIRE(look_alike);
  REQUIRE(tampered_object);
  CHECK(look_alike.get() != first.get());
  CHECK(tampered_object.get() != first.get());
  CHECK(!cache.decode(cocoon::byte_view(view(root).data(), 100)));

  // Bounded: many distinct certificates keep it at its capacity, and old objects stay usable.
  std::vector<cocoon::attest::detail::x509_ptr> held;
  for (std::size_t i = 0; i < certificate_cache::capacity + 5; ++i) {
    const auto key = attest_test::new_p256();
    const auto certificate = attest_test::make_cert({"cache filler " + std::to_string(i),
                                                     true,
                                                     0,
                                                     attest_test::utc(2020, 1, 1),
                                                     attest_test::utc(2040, 1, 1),
                                                     {},
                                                     {}},
                                                    key.get(), nullptr, key.get());
    held.push_back(cache.decode(view(der_of(certificate.get()))));
    REQUIRE(held.back());
  }
  CHECK(cache.size() == certificate_cache::capacity);
  CHECK(X509_cmp(first.get(), pki.root.get()) == 0);
  CHECK(cache.decode(view(root)).get() != first.get());  // evicted, decoded anew
}

TEST_CASE("a cached chain never changes a verdict", "[attest][cache][verify]") {
  const auto now = at(2025, 1, 1);
  const attest_test::test_pki pki;
  const attest_test::test_pki look_alike;  // a root with the same subject and another key
  const auto forged = forged_root(pki.root.get());
  const auto anchors = anchors_of({pki.root.get(), look_alike.root.get(), forged.get()});
  const auto leaf = attest_test::pem(pki.leaf.get()), ca = attest_test::pem(pki.ca.get()),
             root = attest_test::pem(pki.root.get());
  std::string where;
  for (int round = 0; round < 2; ++round) {
    // The real chain verifies (and, the first time, fills the cache).
    CHECK(!verify_error(pki.quote(leaf + ca + root), anchors, now));
    // The look-alike roots, pinned too, did not sign the CA: one with another key identifier
    // (no chain is built), and one with the real root's subject, serial and key identifier.
    CHECK(verify_error(pki.quote(leaf + ca + attest_test::pem(look_alike.root.get())), anchors, now, &where) ==
          cocoon::errc::pck_chain_invalid);
    CHECK(verify_error(pki.quote(leaf + ca + attest_test::pem(forged.get())), anchors, now, &where) ==
          cocoon::errc::pck_chain_invalid);
    CHECK(where == "pck_chain.certificate[1]: certificate signature failure");
    // A tampered CA with the CA's subject and key: its signature no longer verifies.
    CHECK(verify_error(pki.quote(leaf + attest_test::pem(tampered(pki.ca.get()).get()) + root), anchors, now, &where) ==
          cocoon::errc::pck_chain_invalid);
    CHECK(where == "pck_chain.certificate[1]: certificate signature failure");
    // A tampered root keeps its pinned key, but its own signature fails.
    CHECK(verify_error(pki.quote(leaf + ca + attest_test::pem(tampered(pki.root.get()).get())), anchors, now, &where) ==
          cocoon::errc::pck_chain_invalid);
    CHECK(where == "pck_chain.certificate[2]: certificate signature failure");
    // The look-alike's own CA under the real root.
    CHECK(verify_error(pki.quote(leaf + attest_test::pem(look_alike.ca.get()) + root), anchors, now) ==
          cocoon::errc::pck_chain_invalid);
  }
}

TEST_CASE("validity dates are judged at each verification's time, cached or not", "[attest][cache][verify]") {
  const attest_test::test_pki pki;
  const auto anchors = anchors_of({pki.root.get()});
  // A CA (same subject and key as the PKI's) that expires at the start of 2024.
  const auto short_ca = attest_test::make_cert(
      {"Intel SGX PCK Platform CA", true, 0, attest_test::utc(2020, 1, 1), attest_test::utc(2024, 1, 1), {}, {}},
      pki.ca_key.get(), pki.root.get(), pki.root_key.get());
  const auto chain =
      attest_test::pem(pki.leaf.get()) + attest_test::pem(short_ca.get()) + attest_test::pem(pki.root.get());
  std::string where;
  CHECK(!verify_error(pki.quote(chain), anchors, at(2023, 1, 1)));
  CHECK(verify_error(pki.quote(chain), anchors, at(2025, 1, 1), &where) == cocoon::errc::certificate_expired);
  CHECK(where == "pck_chain.certificate[1]: certificate has expired");
  CHECK(verify_error(pki.quote(chain), anchors, at(2019, 6, 1), &where) == cocoon::errc::certificate_expired);
  CHECK(where == "pck_chain.certificate[2]: certificate is not yet valid");
  CHECK(!verify_error(pki.quote(chain), anchors, at(2023, 6, 1)));

  // Intel's real chain, warm: the leaf's dates still decide.
  const auto real = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto intel = trust_anchors::intel_sgx_root_ca();
  CHECK(!verify_error(real, intel, at(2025, 11, 20)));
  CHECK(verify_error(real, intel, at(2032, 7, 21), &where) == cocoon::errc::certificate_expired);
  CHECK(where == "pck_chain.certificate[0]: certificate has expired");
  CHECK(verify_error(real, intel, at(2025, 7, 19)) == cocoon::errc::certificate_expired);
  CHECK(!verify_error(real, intel, at(2025, 11, 20)));
}

TEST_CASE("concurrent verifications through the shared cache agree", "[attest][cache][verify]") {
  const auto real = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto intel = trust_anchors::intel_sgx_root_ca();
  const attest_test::test_pki pki;
  const auto anchors = anchors_of({pki.root.get()});
  const auto good = pki.quote();
  const auto bad = pki.quote(attest_test::pem(pki.leaf.get()) + attest_test::pem(tampered(pki.ca.get()).get()) +
                             attest_test::pem(pki.root.get()));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (verify_error(real, intel, at(2025, 11, 20))) ++wrong;
        if (verify_error(good, anchors, at(2025, 1, 1))) ++wrong;
        if (verify_error(bad, anchors, at(2025, 1, 1)) != cocoon::errc::pck_chain_invalid) ++wrong;
        if (verify_error(real, intel, at(2040, 1, 1)) != cocoon::errc::certificate_expired) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
}
