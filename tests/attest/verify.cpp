#include <cocoon/attest/verify.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

#include "test_pki.hpp"
#include "vectors.hpp"

#include <openssl/sha.h>

#include <chrono>
#include <functional>
#include <type_traits>

using cocoon::attest::tdx_quote;
using cocoon::attest::trust_anchors;
using cocoon::attest::verified_quote;
using cocoon::attest::verify_quote;

static_assert(!std::is_default_constructible_v<verified_quote>, "only the verifier makes a verified_quote");

using attest_test::at;
using attest_test::verify_error;

namespace {

// PCK certificate facts stated by SOURCES.md, and a time inside every certificate's validity.
struct expected_pck {
  const char* path;
  std::chrono::system_clock::time_point now;
  const char* fmspc;
  int pce_svn;                 // -1: not stated
  const char* sgx_components;  // first 8 SVNs as hex; nullptr: not stated
};

}  // namespace

TEST_CASE("every real quote verifies offline to Intel's pinned root", "[attest][verify][vectors]") {
  const expected_pck cases[] = {
      {"tdx/cocoon/quote.dat", at(2025, 11, 20), "90c06f000000", 13, nullptr},
      {"tdx/venice-dstack-2026-06-10/quote.bin", at(2026, 6, 10), "90c06f000000", 13, "0303020204010005"},
      {"tdx/migtd-bundle-2025-11/flashtestations-b0c06f.bin", at(2025, 11, 20), "b0c06f000000", -1, nullptr},
      {"tdx/migtd-bundle-2025-11/teekit-gcp-00806f.json", at(2025, 11, 20), "00806f050000", -1, nullptr},
      {"tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat", at(2025, 11, 20), "50806f000000", -1, nullptr},
      {"tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat", at(2025, 11, 20), "90c06f000000", -1, "0101020203010003"},
      {"tdx/openenclave-v5-eval21/tdx_quote_v5.bin", at(2026, 6, 20), "00806f050000", 11, nullptr},
      {"tdx/edgeless-qpl-2023/quote.bin", at(2023, 3, 1), "00806f050000", -1, nullptr},
      {"tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat", at(2023, 7, 1), "50806f000000", 11, "0303020202010002"},
      {"tdx/go-tdx-guest/quote_v5_sample.dat", at(2026, 6, 20), "90c06f000000", 13, "0404020204010005"},
      {"tdx/dcap-qvl/tdx_quote.bin", at(2025, 7, 1), "b0c06f000000", 11, "0303020204010005"},
  };
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  for (const auto& c : cases) {
    INFO(c.path);
    const auto data = attest_test::read_quote(c.path);
    const auto quote = tdx_quote::parse(data);
    cocoon::error_code ec;
    const auto verified = verify_quote(quote, anchors, c.now, ec);
    REQUIRE(verified);
    CHECK(!ec);
    CHECK(verified->platform_fmspc().to_hex() == c.fmspc);
    CHECK(cocoon::to_hex(cocoon::byte_view(verified->pce_id())) == "0000");
    if (c.pce_svn >= 0) CHECK(verified->pce_svn() == c.pce_svn);
    if (c.sgx_components) {
      std::string first8;
      for (std::size_t i = 0; i < 8; ++i) {
        first8 += cocoon::to_hex(
            cocoon::byte_view(reinterpret_cast<const std::byte*>(&verified->sgx_tcb_components()[i]), 1));
      }
      CHECK(first8 == c.sgx_components);
      for (std::size_t i = 8; i < 16; ++i) CHECK(verified->sgx_tcb_components()[i] == 0);
    }
    // The report carries copies of what the quote says.
    CHECK(verified->mr_td().to_hex() == cocoon::to_hex(quote.body().mr_td()));
    CHECK(verified->report_data().to_hex() == cocoon::to_hex(quote.body().report_data()));
    for (std::size_t i = 0; i < 4; ++i) CHECK(verified->rtmrs()[i].to_hex() == cocoon::to_hex(quote.body().rtmr(i)));
    CHECK(verified->tee_tcb_svn().to_hex() == cocoon::to_hex(quote.body().tee_tcb_svn()));
    CHECK(verified->td_attributes() == quote.body().td_attributes());
    CHECK(verified->qe_isv_svn() == quote.qe_report().isv_svn());
    CHECK(verified->version() == quote.version());
    CHECK(verified->mr_service_td().has_value() == quote.body().is_td15());
    // Intel QVL's root_key_id of the production root, COCOON's default collateral root hash.
    CHECK(verified->root_key_id().to_hex() ==
          "46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993");
  }
}

TEST_CASE("the COCOON quote's verified measurements", "[attest][verify][vectors]") {
  const auto data = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto verified = verify_quote(tdx_quote::parse(data), trust_anchors::intel_sgx_root_ca(), at(2025, 11, 20));
  CHECK(verified.mr_td() ==
        cocoon::hash384::from_hex(
            "7357a10d2e2724dffe68813e3cc4cfcde6814d749f2fb62e3953e54f6e0b50a219786afe2cd478f684b52c61837e1114"));
  CHECK(verified.mr_seam().to_hex() ==
        "49b66faa451d19ebbdbe89371b8daf2b65aa3984ec90110343e9e2eec116af08850fa20e3b1aa9a874d77a65380ee7e6");
  CHECK(verified.td_attributes() == cocoon::attest::td_attribute::sept_ve_disable);
  CHECK(verified.xfam() == 0x602e7u);
  CHECK(verified.seam_attributes() == 0);
  CHECK(verified.body_type() == 2);
}

TEST_CASE("the pinned anchor is the key of Intel's published root certificate", "[attest][verify][vectors]") {
  const auto pinned = trust_anchors::intel_sgx_root_ca();
  REQUIRE(pinned.keys().size() == 1);
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>(pinned.keys()[0].data()), pinned.keys()[0].size(), digest);
  CHECK(cocoon::to_hex(cocoon::byte_view(reinterpret_cast<const std::byte*>(digest), 32)) ==
        "a0af031289f5d5d4132f9186068a7fc13628633ba235777472e29b6b6c67a49e");
  for (const char* file :
       {"trust-anchors/Intel_SGX_Provisioning_Certification_RootCA.der",
        "trust-anchors/Intel_SGX_Provisioning_Certification_RootCA.pem", "tdx/intel-sgx-root-ca.pem"}) {
    INFO(file);
    trust_anchors loaded;
    loaded.add_certificate(attest_test::read_file(file));
    REQUIRE(loaded.keys().size() == 1);
    CHECK(loaded.keys()[0] == pinned.keys()[0]);
  }
  trust_anchors empty;
  cocoon::error_code ec;
  CHECK(!empty.add_certificate(cocoon::as_bytes("not a certificate"), ec));
  CHECK(ec == cocoon::errc::pck_chain_malformed);
  CHECK(empty.keys().empty());
}

TEST_CASE("every bit flip in a signed region fails with the check that covers it", "[attest][verify][vectors]") {
  const auto original = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  const auto now = at(2025, 11, 20);
  REQUIRE(!verify_error(original, anchors, now));
  const auto quote = tdx_quote::parse(original);
  const auto offset_of = [&](cocoon::byte_view part) {
    return static_cast<std::size_t>(part.data() - original.data());
  };

  const struct {
    const char* region;
    std::size_t offset, size;
    cocoon::errc code;
  } regions[] = {
      {"header and body", 0, quote.signed_region().size(), cocoon::errc::quote_signature_invalid},
      {"quote signature", offset_of(quote.signature()), 64, cocoon::errc::quote_signature_invalid},
      {"attestation key", offset_of(quote.attestation_key()), 64, cocoon::errc::qe_report_binding_mismatch},
      {"QE report", offset_of(quote.qe_report().bytes()), 384, cocoon::errc::qe_report_signature_invalid},
      {"QE report signature", offset_of(quote.qe_report_signature()), 64, cocoon::errc::qe_report_signature_invalid},
      {"QE auth data", offset_of(quote.qe_auth_data()), 32, cocoon::errc::qe_report_binding_mismatch},
  };
  for (const auto& region : regions) {
    INFO(region.region);
    std::size_t as_expected = 0, refused_by_header = 0;
    auto copy = original;
    for (std::size_t byte = region.offset; byte < region.offset + region.size; ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        copy[byte] ^= std::byte{static_cast<unsigned char>(1u << bit)};
        const auto ec = verify_error(copy, anchors, now);
        copy[byte] ^= std::byte{static_cast<unsigned char>(1u << bit)};
        if (ec == region.code) {
          ++as_expected;
        } else if (byte < 28 && ec == cocoon::errc::quote_unsupported) {
          ++refused_by_header;  // version, key type, TEE type, QE vendor: refused before any signature
        } else {
          FAIL_CHECK("byte " << byte << " bit " << bit << ": " << ec.message());
        }
      }
    }
    CHECK(as_expected + refused_by_header == region.size * 8);
    if (region.offset == 0) CHECK(refused_by_header == (8 + 16) * 8);
  }
}

TEST_CASE("a v5 quote's signature covers its body descriptor", "[attest][verify][vectors]") {
  auto data = attest_test::read_quote("tdx/go-tdx-guest/quote_v5_sample.dat");
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  const auto now = at(2026, 6, 20);
  REQUIRE(!verify_error(data, anchors, now));
  REQUIRE(tdx_quote::parse(data).signed_region().size() == 702);
  std::size_t signature = 0, refused_by_parser = 0;
  for (std::size_t byte = 0; byte < 702; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      data[byte] ^= std::byte{static_cast<unsigned char>(1u << bit)};
      const auto ec = verify_error(data, anchors, now);
      data[byte] ^= std::byte{static_cast<unsigned char>(1u << bit)};
      const bool header = byte < 8 || (byte >= 12 && byte < 28);
      const bool descriptor = byte >= 48 && byte < 54;
      if (ec == cocoon::errc::quote_signature_invalid) {
        ++signature;
      } else if ((header && ec == cocoon::errc::quote_unsupported) ||
                 (byte == 0 && ec == cocoon::errc::quote_malformed) ||  // version 4: the v4 layout does not fit
                 (descriptor && (ec == cocoon::errc::quote_unsupported || ec == cocoon::errc::quote_malformed))) {
        ++refused_by_parser;
      } else {
        FAIL_CHECK("byte " << byte << " bit " << bit << ": " << ec.message());
      }
    }
  }
  CHECK(refused_by_parser == (8 + 16 + 6) * 8);
  CHECK(signature == (702 - 8 - 16 - 6) * 8);
}

TEST_CASE("a root with Intel's name but another key is not trusted", "[attest][verify][vectors]") {
  const attest_test::test_pki pki;
  trust_anchors look_alike;
  look_alike.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto real = attest_test::read_quote("tdx/cocoon/quote.dat");
  std::string where;
  CHECK(verify_error(real, look_alike, at(2025, 11, 20), &where) == cocoon::errc::pck_root_untrusted);
  CHECK(where == "pck_chain.certificate[2]: public key is not a trust anchor");
  CHECK(verify_error(real, trust_anchors{}, at(2025, 11, 20)) == cocoon::errc::pck_root_untrusted);

  // A whole quote issued under the look-alike root: its subject is Intel's, and that is not enough.
  const auto fake = pki.quote();
  CHECK(verify_error(fake, trust_anchors::intel_sgx_root_ca(), at(2025, 1, 1)) == cocoon::errc::pck_root_untrusted);
  CHECK(!verify_error(fake, look_alike, at(2025, 1, 1)));
  trust_anchors both = trust_anchors::intel_sgx_root_ca();
  both.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  CHECK(!verify_error(real, both, at(2025, 11, 20)));
  CHECK(!verify_error(fake, both, at(2025, 1, 1)));
}

TEST_CASE("certificate validity is judged at the given time", "[attest][verify][vectors]") {
  const auto real = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  std::string where;
  // The PCK leaf is valid 2025-07-20 .. 2032-07-20, the PCK CA until 2033-05-21.
  CHECK(verify_error(real, anchors, at(2025, 7, 19), &where) == cocoon::errc::certificate_expired);
  CHECK(where == "pck_chain.certificate[0]: certificate is not yet valid");
  CHECK(verify_error(real, anchors, at(2025, 7, 21)) == cocoon::error_code{});
  CHECK(verify_error(real, anchors, at(2032, 7, 19)) == cocoon::error_code{});
  CHECK(verify_error(real, anchors, at(2032, 7, 21), &where) == cocoon::errc::certificate_expired);
  CHECK(where == "pck_chain.certificate[0]: certificate has expired");
  CHECK(verify_error(real, anchors, at(2040, 1, 1)) == cocoon::errc::certificate_expired);
  const cocoon::error_code expired = cocoon::errc::certificate_expired;
  CHECK(expired == cocoon::condition::attestation_rejected);
}

TEST_CASE("the SGX extension of the PCK leaf is read from its DER", "[attest][verify]") {
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto data = pki.quote();
  const auto verified = verify_quote(tdx_quote::parse(data), anchors, at(2025, 1, 1));
  CHECK(verified.platform_fmspc().to_hex() == "0a0b0c0d0e0f");
  CHECK(verified.pce_svn() == 300);
  CHECK(cocoon::to_hex(cocoon::byte_view(verified.pce_id())) == "0001");
  for (std::size_t i = 0; i < 16; ++i) CHECK(verified.sgx_tcb_components()[i] == i + 1);
  CHECK(cocoon::to_hex(cocoon::byte_view(verified.cpu_svn())) == "42424242424242424242424242424242");
  auto point = attest_test::raw_public_key(pki.root_key.get());
  point.insert(point.begin(), 0x04);
  std::vector<std::uint8_t> key_id(48);
  unsigned size = 0;
  EVP_Digest(point.data(), point.size(), key_id.data(), &size, EVP_sha384(), nullptr);
  CHECK(verified.root_key_id().to_hex() ==
        cocoon::to_hex(cocoon::byte_view(reinterpret_cast<const std::byte*>(key_id.data()), key_id.size())));
}

TEST_CASE("malformed or misissued PCK chains are refused", "[attest][verify]") {
  const auto now = at(2025, 1, 1);
  std::string where;
  {
    const attest_test::test_pki pki;
    trust_anchors anchors;
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    // Two certificates, or three in the wrong order, or something after them.
    const auto leaf = attest_test::pem(pki.leaf.get()), ca = attest_test::pem(pki.ca.get()),
               root = attest_test::pem(pki.root.get());
    CHECK(verify_error(pki.quote(leaf + ca), anchors, now, &where) == cocoon::errc::pck_chain_malformed);
    CHECK(where == "pck_chain.certificate[2]: not a PEM certificate");
    CHECK(verify_error(pki.quote(root + ca + leaf), anchors, now) == cocoon::errc::pck_root_untrusted);
    CHECK(verify_error(pki.quote(leaf + ca + root + "x"), anchors, now, &where) == cocoon::errc::pck_chain_malformed);
    CHECK(where == "pck_chain: data after the third certificate");
    CHECK(!verify_error(pki.quote(leaf + ca + root + "\n\n"), anchors, now));
    // A leaf signed by the root directly, with the CA beside it: not leaf <- CA <- root.
    const auto direct = attest_test::make_cert({"Intel SGX PCK Certificate",
                                                false,
                                                -1,
                                                attest_test::utc(2020, 1, 1),
                                                attest_test::utc(2040, 1, 1),
                                                attest_test::sgx_extension(1, {1, 2, 3, 4, 5, 6}),
                                                {}},
                                               pki.leaf_key.get(), pki.root.get(), pki.root_key.get());
    CHECK(verify_error(pki.quote(attest_test::pem(direct.get()) + ca + root), anchors, now) ==
          cocoon::errc::pck_chain_invalid);
    // A CA under a different root that carries the same name.
    const attest_test::test_pki other;
    CHECK(verify_error(pki.quote(leaf + attest_test::pem(other.ca.get()) + root), anchors, now) ==
          cocoon::errc::pck_chain_invalid);
  }
  {
    // A leaf without the SGX extension.
    const attest_test::test_pki pki(
        {"Intel SGX PCK Certificate", false, -1, attest_test::utc(2020, 1, 1), attest_test::utc(2040, 1, 1), {}, {}});
    trust_anchors anchors;
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    CHECK(verify_error(pki.quote(), anchors, now, &where) == cocoon::errc::pck_extension_malformed);
    CHECK(where == "pck_chain.certificate[0]: no SGX extension");
  }
  {
    // A leaf that is itself a CA.
    const attest_test::test_pki pki({"Intel SGX PCK Certificate",
                                     true,
                                     0,
                                     attest_test::utc(2020, 1, 1),
                                     attest_test::utc(2040, 1, 1),
                                     attest_test::sgx_extension(1, {1, 2, 3, 4, 5, 6}),
                                     {}});
    trust_anchors anchors;
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    CHECK(verify_error(pki.quote(), anchors, now) == cocoon::errc::pck_chain_invalid);
  }
  {
    // A leaf that expired before `now`.
    const attest_test::test_pki pki({"Intel SGX PCK Certificate",
                                     false,
                                     -1,
                                     attest_test::utc(2020, 1, 1),
                                     attest_test::utc(2024, 1, 1),
                                     attest_test::sgx_extension(1, {1, 2, 3, 4, 5, 6}),
                                     {}});
    trust_anchors anchors;
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    CHECK(verify_error(pki.quote(), anchors, now) == cocoon::errc::certificate_expired);
    CHECK(!verify_error(pki.quote(), anchors, at(2023, 1, 1)));
  }
}

TEST_CASE("an attestation key that is not a P-256 point is refused", "[attest][verify]") {
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  auto data = pki.quote();
  const auto quote = tdx_quote::parse(data);
  // Replace the key with (1, 1), not on the curve, and re-commit to it in a re-signed QE report.
  const auto key_at = static_cast<std::size_t>(quote.attestation_key().data() - data.data());
  const auto report_at = static_cast<std::size_t>(quote.qe_report().bytes().data() - data.data());
  const auto auth_at = static_cast<std::size_t>(quote.qe_auth_data().data() - data.data());
  std::vector<std::uint8_t> key(64, 0);
  key[31] = 1;
  key[63] = 1;
  std::vector<std::uint8_t> auth(32);
  for (std::size_t i = 0; i < 32; ++i) auth[i] = static_cast<std::uint8_t>(data[auth_at + i]);
  const auto binding = attest_test::sha256(attest_test::cat({key, auth}));
  for (std::size_t i = 0; i < 64; ++i) data[key_at + i] = std::byte{key[i]};
  for (std::size_t i = 0; i < 32; ++i) data[report_at + 320 + i] = std::byte{binding[i]};
  std::vector<std::uint8_t> report(384);
  for (std::size_t i = 0; i < 384; ++i) report[i] = static_cast<std::uint8_t>(data[report_at + i]);
  const auto qe_signature = attest_test::sign_raw(pki.leaf_key.get(), report.data(), report.size());
  for (std::size_t i = 0; i < 64; ++i) data[report_at + 384 + i] = std::byte{qe_signature[i]};
  std::string where;
  CHECK(verify_error(data, anchors, at(2025, 1, 1), &where) == cocoon::errc::quote_signature_invalid);
  CHECK(where == "attestation_key: not a P-256 point");
}

TEST_CASE("a QE report signed by the PCK but not from Intel's TD QE is refused", "[attest][verify]") {
  // Intel's PCE certifies any enclave with PROVISION_KEY: a host's own "QE" gets a genuine PCK
  // signature over its report, and could sign any TD report with its attestation key.
  const auto now = at(2025, 1, 1);
  struct rogue_qe {
    const char* what;
    std::function<void(attest_test::test_pki&)> change;
    const char* where;
  };
  const rogue_qe cases[] = {
      {"DEBUG set", [](auto& pki) { pki.qe_attributes[0] |= 0x02; }, "qe_report.attributes: DEBUG set"},
      {"foreign MRSIGNER", [](auto& pki) { pki.qe_mr_signer.fill(0x42); },
       "qe_report.mr_signer: not Intel's TD QE signer"},
      {"ISVPRODID 0x1337", [](auto& pki) { pki.qe_isv_prod_id = 0x1337; },
       "qe_report.isv_prod_id: not the TD QE's (2)"},
      {"all three",
       [](auto& pki) {
         pki.qe_attributes[0] |= 0x02;
         pki.qe_mr_signer.fill(0x42);
         pki.qe_isv_prod_id = 0x1337;
       },
       "qe_report.mr_signer: not Intel's TD QE signer"},
      {"PROVISION_KEY clear", [](auto& pki) { pki.qe_attributes[0] = 0x01; }, "qe_report.attributes: not the TD QE's"},
      {"KSS set", [](auto& pki) { pki.qe_attributes[0] |= 0x80; }, "qe_report.attributes: not the TD QE's"},
      {"a MISCSELECT bit", [](auto& pki) { pki.qe_misc_select = 1; }, "qe_report.misc_select: not the TD QE's"},
  };
  for (const auto& rogue : cases) {
    INFO(rogue.what);
    attest_test::test_pki pki;
    trust_anchors anchors;
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    REQUIRE(!verify_error(pki.quote(), anchors, now));
    rogue.change(pki);
    std::string where;
    CHECK(verify_error(pki.quote(), anchors, now, &where) == cocoon::errc::qe_identity_untrusted);
    CHECK(where == rogue.where);
    cocoon::error_code ec;
    const auto data = pki.quote();
    CHECK(!verify_quote(tdx_quote::parse(data), anchors, now, ec));
    CHECK(ec == cocoon::errc::qe_identity_untrusted);
  }
  // Bits the TD QE identity masks out (MODE64BIT, XFRM) do not matter, as on real QEs.
  attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  pki.qe_attributes = {0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0x02, 0x06};
  CHECK(!verify_error(pki.quote(), anchors, now));
}

namespace {
std::chrono::system_clock::time_point at_time(int year, int month, int day, int hour, int minute) {
  return at(year, month, day) + std::chrono::hours(hour) + std::chrono::minutes(minute);
}
}  // namespace

TEST_CASE("Intel's CRLs: nothing revoked in the vectors, and only current CRLs count", "[attest][verify][vectors]") {
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  {
    // The venice capture: PCK CRL 2026-06-10T01:24:13Z .. 2026-07-10, root CRL .. 2027-02-26.
    const auto data = attest_test::read_quote("tdx/venice-dstack-2026-06-10/quote.bin");
    const auto quote = tdx_quote::parse(data);
    const auto pck_crl = attest_test::read_file("tdx/venice-dstack-2026-06-10/pcs_pckcrl.der");
    const auto root_crl = attest_test::read_file("tdx/venice-dstack-2026-06-10/intel_root_ca_crl.der");
    const cocoon::attest::pck_crls crls{pck_crl, root_crl};
    const auto verified = verify_quote(quote, anchors, at_time(2026, 6, 10, 1, 47), crls);
    CHECK(verified.revocation_checked());
    CHECK(!verify_quote(quote, anchors, at_time(2026, 6, 10, 1, 47)).revocation_checked());

    cocoon::error_code ec;
    CHECK(!verify_quote(quote, anchors, at(2026, 7, 11), crls, ec));
    CHECK(ec == cocoon::errc::crl_invalid);
    CHECK(!verify_quote(quote, anchors, at_time(2026, 6, 10, 1, 0), crls, ec));
    CHECK(ec == cocoon::errc::crl_invalid);
    // The root CRL twice: no CRL from the PCK CA.
    CHECK(!verify_quote(quote, anchors, at_time(2026, 6, 10, 1, 47), {root_crl, root_crl}, ec));
    CHECK(ec == cocoon::errc::crl_invalid);
    // A 2023 PCK CRL is long stale.
    const auto old_pck_crl = attest_test::read_file("tdx/go-tdx-guest/pckcrl.der");
    CHECK(!verify_quote(quote, anchors, at_time(2026, 6, 10, 1, 47), {old_pck_crl, root_crl}, ec));
    CHECK(ec == cocoon::errc::crl_invalid);
    CHECK(!verify_quote(quote, anchors, at_time(2026, 6, 10, 1, 47), {cocoon::as_bytes("junk"), root_crl}, ec));
    CHECK(ec == cocoon::errc::crl_malformed);
    CHECK(ec == cocoon::condition::invalid_input);
  }
  {
    // The MigTD bundle's PEM CRLs at 2025-11-20, for the quotes SOURCES.md judges with it.
    const auto bundle = nlohmann::json::parse(
        cocoon::as_chars(attest_test::read_file("tdx/migtd-bundle-2025-11/collateral_production_fmspc.json")));
    const auto pck_crl = bundle.at("pckCrl").get<std::string>();
    const auto root_crl = bundle.at("rootCaCrl").get<std::string>();
    const cocoon::attest::pck_crls crls{cocoon::as_bytes(pck_crl), cocoon::as_bytes(root_crl)};
    for (const char* path :
         {"tdx/migtd-bundle-2025-11/flashtestations-b0c06f.bin", "tdx/migtd-bundle-2025-11/teekit-gcp-00806f.json",
          "tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat", "tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat",
          "tdx/cocoon/quote.dat", "tdx/edgeless-qpl-2023/quote.bin"}) {
      INFO(path);
      const auto data = attest_test::read_quote(path);
      cocoon::error_code ec;
      const auto verified = verify_quote(tdx_quote::parse(data), anchors, at(2025, 11, 20), crls, ec);
      CHECK(!ec);
      CHECK((verified && verified->revocation_checked()));
    }
  }
}

TEST_CASE("revoked PCK certificates and foreign CRLs are refused", "[attest][verify]") {
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto data = pki.quote();
  const auto quote = tdx_quote::parse(data);
  const auto now = at(2025, 1, 1);
  const auto last = attest_test::utc(2024, 12, 1), next = attest_test::utc(2025, 2, 1);
  const auto clean_pck = attest_test::make_crl(pki.ca.get(), pki.ca_key.get(), {}, last, next);
  const auto clean_root = attest_test::make_crl(pki.root.get(), pki.root_key.get(), {}, last, next);
  CHECK(verify_quote(quote, anchors, now, {clean_pck, clean_root}).revocation_checked());

  std::string where;
  const auto error_of = [&](const cocoon::bytes& pck, const cocoon::bytes& root) -> cocoon::error_code {
    try {
      (void)verify_quote(quote, anchors, now, {pck, root});
    } catch (const cocoon::error& failure) {
      where = failure.where();
      return failure.code();
    }
    return cocoon::error_code{};
  };
  const auto leaf_revoked = attest_test::make_crl(pki.ca.get(), pki.ca_key.get(), {pki.leaf.get()}, last, next);
  CHECK(error_of(leaf_revoked, clean_root) == cocoon::errc::certificate_revoked);
  CHECK(where == "pck_chain.certificate[0]: certificate revoked");
  const auto ca_revoked = attest_test::make_crl(pki.root.get(), pki.root_key.get(), {pki.ca.get()}, last, next);
  CHECK(error_of(clean_pck, ca_revoked) == cocoon::errc::certificate_revoked);
  CHECK(where == "pck_chain.certificate[1]: certificate revoked");
  // Same issuer name, another key.
  const attest_test::test_pki other;
  const auto forged = attest_test::make_crl(pki.ca.get(), other.ca_key.get(), {}, last, next);
  CHECK(error_of(forged, clean_root) == cocoon::errc::crl_invalid);
  const cocoon::error_code revoked = cocoon::errc::certificate_revoked;
  CHECK(revoked == cocoon::condition::attestation_rejected);
}
