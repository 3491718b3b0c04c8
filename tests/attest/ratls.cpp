#include <cocoon/attest/ratls.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job_builder.hpp>

#include "test_collateral.hpp"
#include "test_pki.hpp"
#include "vectors.hpp"

#include <type_traits>

using cocoon::attest::ratls_peer;
using cocoon::attest::ratls_policy;
using cocoon::attest::trust_anchors;
using cocoon::attest::verify_ratls_certificate;

static_assert(!std::is_default_constructible_v<ratls_peer>, "only the verifier makes a ratls_peer");
static_assert(!std::is_default_constructible_v<ratls_policy>, "a policy is always chosen explicitly");

using attest_test::at;

namespace {

const auto verification_time = at(2025, 11, 20);

std::vector<std::uint8_t> u8(const cocoon::bytes& data) {
  return {reinterpret_cast<const std::uint8_t*>(data.data()),
          reinterpret_cast<const std::uint8_t*>(data.data()) + data.size()};
}

attest_test::pkey rfc8032_key() {
  const auto secret = cocoon::from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  attest_test::pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                     reinterpret_cast<const unsigned char*>(secret.data()), 32));
  attest_test::require(key != nullptr, "Ed25519 key");
  return key;
}

attest_test::pkey new_ed25519() {
  attest_test::pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  attest_test::require(key != nullptr, "Ed25519 keygen");
  return key;
}

// research/cocoon-protocol.md 1.2: REPORTDATA for the RFC 8032 test-1 key.
const char* const rfc8032_report_data =
    "0e02a50225b4baaa18a0470ed9bfc7dc032f1724e819e47a23c4f2c32f7506094709688293c479c0534defd3a98b4302187806511b83f12a"
    "b575d4144770a9c3";

cocoon::error_code ratls_error(const cocoon::bytes& certificate, const ratls_policy& policy,
                               std::chrono::system_clock::time_point when = verification_time,
                               std::string* where = nullptr) {
  try {
    (void)verify_ratls_certificate(certificate, policy, when);
  } catch (const cocoon::error& failure) {
    if (where) *where = failure.where();
    return failure.code();
  }
  return {};
}

/// COCOON's fake TDX certificate for `key`, which must be the RFC 8032 test key: its quote
/// extension is the REPORTDATA alone.
attest_test::ratls_spec fake_tdx_spec(EVP_PKEY* key) {
  attest_test::ratls_spec spec;
  spec.key = key;
  spec.quote = u8(cocoon::from_hex(rfc8032_report_data));
  return spec;
}

}  // namespace

TEST_CASE("fake TDX certificates pass only under the explicit test policy", "[attest][ratls]") {
  const auto key = rfc8032_key();
  auto spec = fake_tdx_spec(key.get());
  const auto der = attest_test::der_of(attest_test::make_ratls_cert(spec).get());

  const auto peer =
      verify_ratls_certificate(der, ratls_policy::insecure_accept_fake_tdx_for_tests(), verification_time);
  CHECK(peer.is_fake_tdx());
  CHECK(!peer.quote());
  CHECK(peer.public_key().to_hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  CHECK(peer.report_data().to_hex() == rfc8032_report_data);
  CHECK(peer.image_hash().to_hex() == "5c55c8f4db4010ba9203d83536d0609856af8c847ac039e37e7dde8fbd574b61");

  std::string where;
  CHECK(ratls_error(der, ratls_policy::tdx(), verification_time, &where) == cocoon::errc::fake_tdx_refused);
  CHECK(where == "certificate.tdx_quote: fake TDX quote (64 bytes)");

  // A fake quote that is not SHA-512 of the key.
  spec.quote[63] ^= 1;
  const auto wrong = attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  CHECK(ratls_error(wrong, ratls_policy::insecure_accept_fake_tdx_for_tests()) == cocoon::errc::report_data_mismatch);
}

TEST_CASE("a real TDX quote in a certificate is verified and bound to its key", "[attest][ratls]") {
  const auto key = new_ed25519();
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  const auto quote = pki.quote(attest_test::sha512(attest_test::raw_ed25519(key.get())));
  attest_test::ratls_spec spec;
  spec.key = key.get();
  spec.quote = u8(quote);
  const auto certificate = attest_test::make_ratls_cert(spec);
  const auto pem = cocoon::to_bytes(attest_test::pem(certificate.get()));

  // Genuine, bound to its key; its TCB status is another test's (no collateral here).
  const auto peer =
      verify_ratls_certificate(pem, ratls_policy::tdx(anchors).allow_unknown_tcb_insecure(), verification_time);
  CHECK(!peer.is_fake_tdx());
  REQUIRE(peer.quote());
  const auto raw_key = attest_test::raw_ed25519(key.get());
  CHECK(peer.public_key().to_hex() ==
        cocoon::to_hex(cocoon::byte_view(reinterpret_cast<const std::byte*>(raw_key.data()), raw_key.size())));
  // MRTD .. RTMR3 lie back to back at 184..568 of a v4 quote; the hash appends 64 zero bytes.
  const auto quote_bytes = u8(quote);
  std::vector<std::uint8_t> serialized(quote_bytes.begin() + 184, quote_bytes.begin() + 568);
  serialized.resize(serialized.size() + 64, 0);
  const auto expected_hash = attest_test::sha256(serialized);
  CHECK(peer.image_hash().to_hex() ==
        cocoon::to_hex(cocoon::byte_view(reinterpret_cast<const std::byte*>(expected_hash.data()), 32)));
  CHECK(peer.quote_bytes() == quote);
  // Also under the test policy: a real quote is still verified in full, its TCB status required.
  CHECK(ratls_error(pem, ratls_policy::insecure_accept_fake_tdx_for_tests(anchors)) ==
        cocoon::errc::collateral_required);
  CHECK(!verify_ratls_certificate(
             pem, ratls_policy::insecure_accept_fake_tdx_for_tests(anchors).allow_unknown_tcb_insecure(),
             verification_time)
             .is_fake_tdx());
  // Intel's root is not this PKI's.
  CHECK(ratls_error(pem, ratls_policy::tdx()) == cocoon::errc::pck_root_untrusted);

  // The same quote in a certificate for another key.
  const auto other = new_ed25519();
  spec.key = other.get();
  CHECK(ratls_error(attest_test::der_of(attest_test::make_ratls_cert(spec).get()), ratls_policy::tdx(anchors)) ==
        cocoon::errc::report_data_mismatch);
}

TEST_CASE("COCOON's real test quote verifies inside a certificate, whose key it does not commit to",
          "[attest][ratls][vectors]") {
  const auto key = new_ed25519();
  attest_test::ratls_spec spec;
  spec.key = key.get();
  spec.quote = u8(attest_test::read_quote("tdx/cocoon/quote.dat"));
  const auto der = attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  std::string where;
  CHECK(ratls_error(der, ratls_policy::tdx(), verification_time, &where) == cocoon::errc::report_data_mismatch);
  CHECK(where == "quote.report_data: not SHA-512 of the certificate's user claims");
  // The quote is verified before the binding: flip a bit of its body and the signature fails first.
  spec.quote[600] ^= 1;
  CHECK(ratls_error(attest_test::der_of(attest_test::make_ratls_cert(spec).get()), ratls_policy::tdx()) ==
        cocoon::errc::quote_signature_invalid);
}

TEST_CASE("a rogue QE's quote inside a certificate is refused, even with its image hash pinned", "[attest][ratls]") {
  const auto key = new_ed25519();
  attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  attest_test::ratls_spec spec;
  spec.key = key.get();
  const auto certificate = [&] {
    spec.quote = u8(pki.quote(attest_test::sha512(attest_test::raw_ed25519(key.get()))));
    return attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  };
  const auto genuine = verify_ratls_certificate(certificate(), ratls_policy::tdx(anchors).allow_unknown_tcb_insecure(),
                                                verification_time);
  // The rogue QE signs the TD report the pinned image would give: only the QE identity differs.
  const auto pinned = ratls_policy::tdx(anchors, cocoon::attest::policy().allow_image_hash(genuine.image_hash()))
                          .allow_unknown_tcb_insecure();
  CHECK(!ratls_error(certificate(), pinned));
  pki.qe_attributes[0] |= 0x02;  // DEBUG
  pki.qe_mr_signer.fill(0x42);
  pki.qe_isv_prod_id = 0x1337;
  std::string where;
  CHECK(ratls_error(certificate(), pinned, verification_time, &where) == cocoon::errc::qe_identity_untrusted);
  CHECK(where == "qe_report.mr_signer: not Intel's TD QE signer");
  cocoon::attest::verification_report report;
  cocoon::error_code ec;
  CHECK(!verify_ratls_certificate(certificate(), pinned, verification_time, std::nullopt, std::nullopt, report, ec));
  CHECK(report.first_failure()->name == "qe.identity");
  CHECK(report.find("ratls.key_binding")->reason == "not reached: qe.identity failed");
}

TEST_CASE("an RA-TLS policy asking for a TCB status needs CRLs as well as collateral", "[attest][ratls]") {
  const auto key = new_ed25519();
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  attest_test::ratls_spec spec;
  spec.key = key.get();
  spec.quote = u8(pki.quote(attest_test::sha512(attest_test::raw_ed25519(key.get()))));
  const auto der = attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  const auto strict =
      ratls_policy::tdx(anchors, cocoon::attest::policy().min_tcb(cocoon::attest::tcb_status::up_to_date));
  std::string where;
  CHECK(ratls_error(der, strict, verification_time, &where) == cocoon::errc::revocation_required);
  CHECK(where == "pck_crls: none given, and the policy requires them");
  CHECK(ratls_error(der, ratls_policy::tdx(anchors, cocoon::attest::policy().require_revocation(true))) ==
        cocoon::errc::revocation_required);
  CHECK(!ratls_error(der, ratls_policy::tdx(anchors).allow_unknown_tcb_insecure()));
}

TEST_CASE("RA-TLS certificate shape is enforced", "[attest][ratls]") {
  const auto key = rfc8032_key();
  const auto fake = ratls_policy::insecure_accept_fake_tdx_for_tests();
  const auto make = [&](auto&& edit) {
    attest_test::ratls_spec spec;
    spec.key = key.get();
    spec.quote = u8(cocoon::from_hex(rfc8032_report_data));
    edit(spec);
    return attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  };
  std::string where;

  CHECK(!ratls_error(make([](auto&) {}), fake));
  CHECK(!ratls_error(make([](auto& s) { s.v3 = true; }), fake));
  CHECK(!ratls_error(make([](auto& s) { s.has_claims = false; }), fake));

  CHECK(ratls_error(make([](auto& s) { s.extra_critical_oid = "1.3.6.1.4.1.12345.3"; }), fake, verification_time,
                    &where) == cocoon::errc::ratls_unknown_critical_extension);
  CHECK(where.rfind("certificate.extensions[", 0) == 0);
  CHECK(!ratls_error(make([](auto& s) {
                       s.extra_critical_oid = "1.3.6.1.4.1.12345.3";
                       s.extra_is_critical = false;
                     }),
                     fake));
  CHECK(ratls_error(make([](auto& s) { s.cocoon_critical = false; }), fake) == cocoon::errc::ratls_certificate_invalid);
  CHECK(ratls_error(make([](auto& s) { s.duplicate_quote = true; }), fake) == cocoon::errc::ratls_certificate_invalid);
  CHECK(ratls_error(make([](auto& s) { s.claims = std::vector<std::uint8_t>(32, 7); }), fake, verification_time,
                    &where) == cocoon::errc::ratls_certificate_invalid);
  CHECK(where == "certificate.user_claims: not the certificate key");
  CHECK(ratls_error(make([](auto& s) { s.has_quote = false; }), fake) == cocoon::errc::ratls_quote_missing);
  CHECK(ratls_error(make([](auto& s) { s.quote = std::vector<std::uint8_t>(32 * 1024 + 1, 0); }), fake) ==
        cocoon::errc::quote_malformed);
  CHECK(ratls_error(make([](auto& s) { s.quote = std::vector<std::uint8_t>(100, 0); }), fake) ==
        cocoon::errc::quote_unsupported);
  CHECK(ratls_error(make([](auto& s) { s.quote = std::vector<std::uint8_t>(40, 0); }), fake) ==
        cocoon::errc::quote_malformed);

  // Validity at the given time only.
  const auto certificate = make([](auto&) {});
  CHECK(ratls_error(certificate, fake, at(2025, 11, 18), &where) == cocoon::errc::certificate_expired);
  CHECK(where == "certificate.not_before: later than now");
  CHECK(ratls_error(certificate, fake, at(2025, 11, 22), &where) == cocoon::errc::certificate_expired);
  CHECK(where == "certificate.not_after: earlier than now");

  // Signed by another key under the same name: not self-signed.
  const auto intruder = new_ed25519();
  CHECK(ratls_error(make([&](auto& s) { s.signer = intruder.get(); }), fake, verification_time, &where) ==
        cocoon::errc::ratls_certificate_invalid);
  CHECK(where == "certificate.signature: not self-signed by its key");

  // A P-256 key instead of Ed25519.
  const auto p256 = attest_test::new_p256();
  attest_test::ratls_spec spec;
  spec.key = p256.get();
  spec.quote = u8(cocoon::from_hex(rfc8032_report_data));
  spec.claims = std::vector<std::uint8_t>(32, 0);
  CHECK(ratls_error(attest_test::der_of(attest_test::make_ratls_cert(spec).get()), fake, verification_time, &where) ==
        cocoon::errc::ratls_certificate_invalid);
  CHECK(where == "certificate.subject_public_key: not Ed25519");
}

TEST_CASE("RA-TLS certificate bytes: DER, PEM, nothing else", "[attest][ratls]") {
  const auto key = rfc8032_key();
  auto spec = fake_tdx_spec(key.get());
  const auto certificate = attest_test::make_ratls_cert(spec);
  const auto fake = ratls_policy::insecure_accept_fake_tdx_for_tests();
  auto der = attest_test::der_of(certificate.get());
  CHECK(!ratls_error(der, fake));
  CHECK(!ratls_error(cocoon::to_bytes(attest_test::pem(certificate.get())), fake));
  der.push_back(std::byte{0});
  CHECK(ratls_error(der, fake) == cocoon::errc::ratls_certificate_malformed);
  der.resize(der.size() - 2);
  CHECK(ratls_error(der, fake) == cocoon::errc::ratls_certificate_malformed);
  cocoon::error_code ec;
  CHECK(!verify_ratls_certificate(cocoon::as_bytes("garbage"), fake, verification_time, ec));
  CHECK(ec == cocoon::errc::ratls_certificate_malformed);
  CHECK(ec == cocoon::condition::invalid_input);
}

TEST_CASE("the RA-TLS policy applies its TD policy after the key binding", "[attest][ratls]") {
  // A fake TDX peer has all-zero measurements: COCOON's fake image hash.
  const auto key = rfc8032_key();
  auto spec = fake_tdx_spec(key.get());
  const auto fake_cert = attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  const auto fake_image = cocoon::hash256::from_hex("5c55c8f4db4010ba9203d83536d0609856af8c847ac039e37e7dde8fbd574b61");
  const auto real_image = cocoon::hash256::from_hex("04b3afd931d28680af91a15b09d672c40ad6b141f7f9089a8d67d595220f7436");
  CHECK(!ratls_error(fake_cert,
                     ratls_policy::insecure_accept_fake_tdx_for_tests(
                         trust_anchors::intel_sgx_root_ca(), cocoon::attest::policy{}.allow_image_hash(fake_image))));
  std::string where;
  CHECK(ratls_error(fake_cert,
                    ratls_policy::insecure_accept_fake_tdx_for_tests(
                        trust_anchors::intel_sgx_root_ca(), cocoon::attest::policy{}.allow_image_hash(real_image)),
                    verification_time, &where) == cocoon::errc::measurement_not_allowed);
  CHECK(where == "image_hash: not in the policy's list");

  // A real (test PKI) quote of a debug TD.
  const auto ed = new_ed25519();
  attest_test::test_pki pki;
  pki.td_attributes = 0x10000001;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  attest_test::ratls_spec debug_spec;
  debug_spec.key = ed.get();
  debug_spec.quote = u8(pki.quote(attest_test::sha512(attest_test::raw_ed25519(ed.get()))));
  const auto debug_cert = attest_test::der_of(attest_test::make_ratls_cert(debug_spec).get());
  CHECK(ratls_error(debug_cert, ratls_policy::tdx(anchors), verification_time, &where) ==
        cocoon::errc::td_attributes_refused);
  CHECK(where == "td_attributes: DEBUG");
  const auto peer = verify_ratls_certificate(
      debug_cert,
      ratls_policy::tdx(anchors, cocoon::attest::policy{}.allow_debug_td_insecure()).allow_unknown_tcb_insecure(),
      verification_time);
  REQUIRE(peer.quote());
  CHECK(peer.quote()->td_attributes() == 0x10000001u);
}

TEST_CASE("a verified peer's sealing key is its certificate key, so only that TD opens sealed jobs",
          "[attest][ratls]") {
  const auto key = rfc8032_key();
  auto spec = fake_tdx_spec(key.get());
  const auto der = attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  const auto peer =
      verify_ratls_certificate(der, ratls_policy::insecure_accept_fake_tdx_for_tests(), verification_time);
  const auto sealing = peer.sealing_key();
  CHECK(sealing.image_hash() == peer.image_hash());

  // The worker holds the certificate's Ed25519 seed (RFC 8032 test 1) and opens with its X25519 form.
  const auto seed =
      cocoon::ed25519_secret_key::from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  auto worker_key = cocoon::crypto::x25519_from_ed25519(seed);
  CHECK(cocoon::crypto::public_key_of(worker_key) == sealing.key());
  const auto job = cocoon::job_builder().model("m").user("sealed to an attested TD").build();
  const auto sealed = cocoon::seal(job, sealing);
  cocoon::envelope::envelope_recipient recipient(std::move(worker_key));
  cocoon::envelope::replay_guard guard;
  CHECK(recipient.open(sealed.bytes_to_send(), std::chrono::system_clock::now(), guard).job() == job);
}

namespace {

// The report of an RA-TLS verification, whichever way it ended.
cocoon::attest::verification_report ratls_report(const cocoon::bytes& certificate, const ratls_policy& policy,
                                                 cocoon::error_code& ec) {
  cocoon::attest::verification_report report;
  const auto peer =
      verify_ratls_certificate(certificate, policy, verification_time, std::nullopt, std::nullopt, report, ec);
  CHECK(peer.has_value() == !ec);
  CHECK(report.ok() == !ec);
  if (peer) CHECK(peer->report().to_json() == report.to_json());
  try {
    (void)verify_ratls_certificate(certificate, policy, verification_time);
  } catch (const cocoon::attest::attestation_error& error) {
    CHECK(error.code() == ec);
    CHECK(error.report().to_json() == report.to_json());
  }
  // The RA-TLS checks, the quote's, the key binding, the collateral's and the policy's.
  const char* const order[] = {"ratls.certificate",
                               "ratls.fake_tdx",
                               "quote.parse",
                               "pck.chain",
                               "pck.crl",
                               "pck.extension",
                               "qe.signature",
                               "qe.identity",
                               "qe.report_binding",
                               "quote.signature",
                               "ratls.key_binding",
                               "collateral.tcb_info",
                               "collateral.qe_identity",
                               "tcb.status",
                               "policy.debug"};
  REQUIRE(report.checks().size() == std::size(order) + 10);
  for (std::size_t i = 0; i < std::size(order); ++i) CHECK(report.checks()[i].name == order[i]);
  for (const auto& c : report.checks()) CHECK(!c.reason.empty());
  return report;
}

}  // namespace

TEST_CASE("RA-TLS verification records its checks, the failing one named", "[attest][ratls][vectors]") {
  using cocoon::attest::check_result;
  cocoon::error_code ec;
  // Fake TDX: passes only under the test policy, every quote check skipped.
  const auto key = rfc8032_key();
  const auto fake = attest_test::der_of(attest_test::make_ratls_cert(fake_tdx_spec(key.get())).get());
  auto report = ratls_report(fake, ratls_policy::insecure_accept_fake_tdx_for_tests(), ec);
  CHECK(!ec);
  CHECK(report.find("ratls.fake_tdx")->result == check_result::pass);
  CHECK(report.find("quote.signature")->result == check_result::skip);
  CHECK(report.find("ratls.key_binding")->result == check_result::pass);
  CHECK(report.find("policy.debug")->result == check_result::skip);
  report = ratls_report(fake, ratls_policy::tdx(), ec);
  CHECK(ec == cocoon::errc::fake_tdx_refused);
  CHECK(report.first_failure()->name == "ratls.fake_tdx");
  CHECK(report.find("ratls.key_binding")->reason == "not reached: ratls.fake_tdx failed");

  // COCOON's real quote under a key it does not commit to: genuine, not bound.
  const auto other = new_ed25519();
  attest_test::ratls_spec spec;
  spec.key = other.get();
  spec.quote = u8(attest_test::read_quote("tdx/cocoon/quote.dat"));
  report = ratls_report(attest_test::der_of(attest_test::make_ratls_cert(spec).get()), ratls_policy::tdx(), ec);
  CHECK(ec == cocoon::errc::report_data_mismatch);
  CHECK(report.first_failure()->name == "ratls.key_binding");
  CHECK(report.find("quote.signature")->result == check_result::pass);
  CHECK(report.find("ratls.fake_tdx")->result == check_result::skip);
  // A flipped body byte fails the quote signature first.
  spec.quote[600] ^= 1;
  report = ratls_report(attest_test::der_of(attest_test::make_ratls_cert(spec).get()), ratls_policy::tdx(), ec);
  CHECK(report.first_failure()->name == "quote.signature");
  // A certificate that is not one.
  report = ratls_report(cocoon::to_bytes(std::string("not a certificate")), ratls_policy::tdx(), ec);
  CHECK(ec == cocoon::errc::ratls_certificate_malformed);
  CHECK(report.first_failure()->name == "ratls.certificate");
  // A policy needing collateral, with none given.
  report = ratls_report(
      fake,
      ratls_policy::insecure_accept_fake_tdx_for_tests(
          trust_anchors::intel_sgx_root_ca(), cocoon::attest::policy().min_tcb(cocoon::attest::tcb_status::up_to_date)),
      ec);
  CHECK(ec == cocoon::errc::collateral_required);
  CHECK(report.first_failure()->name == "policy.min_tcb");
}

TEST_CASE("RA-TLS verification evaluates collateral when given", "[attest][ratls][vectors]") {
  const auto key = new_ed25519();
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  attest_test::ratls_spec spec;
  spec.key = key.get();
  spec.quote = u8(pki.quote(attest_test::sha512(attest_test::raw_ed25519(key.get()))));
  const auto der = attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  attest_test::migtd_bundle bundle;
  const auto collateral = bundle.for_fmspc("90c06f000000");
  cocoon::error_code ec;
  cocoon::attest::verification_report report;

  // Intel signs the collateral, and Intel's root is not among these anchors.
  CHECK(!verify_ratls_certificate(der, ratls_policy::tdx(anchors), verification_time, collateral, std::nullopt, report,
                                  ec));
  CHECK(ec == cocoon::errc::collateral_invalid);
  CHECK(report.first_failure()->name == "collateral.tcb_info");
  CHECK(report.find("ratls.key_binding")->result == cocoon::attest::check_result::pass);

  // With Intel's root too, the collateral verifies but is for another platform than the test PCK's.
  anchors.add_certificate(attest_test::read_file("tdx/intel-sgx-root-ca.pem"));
  CHECK(!verify_ratls_certificate(der, ratls_policy::tdx(anchors), verification_time, collateral, std::nullopt, report,
                                  ec));
  CHECK(ec == cocoon::errc::collateral_mismatch);
  CHECK(report.first_failure()->name == "tcb.status");
  CHECK(report.find("collateral.tcb_info")->result == cocoon::attest::check_result::pass);

  // Without collateral the same certificate passes only with the opt-out, its TCB unknown.
  CHECK(!verify_ratls_certificate(der, ratls_policy::tdx(anchors), verification_time, std::nullopt, std::nullopt,
                                  report, ec));
  CHECK(ec == cocoon::errc::collateral_required);
  const auto peer = verify_ratls_certificate(der, ratls_policy::tdx(anchors).allow_unknown_tcb_insecure(),
                                             verification_time, std::nullopt, std::nullopt, report, ec);
  REQUIRE(peer);
  CHECK(!peer->tcb());
  CHECK(peer->report().find("tcb.status")->result == cocoon::attest::check_result::skip);
}

TEST_CASE("the production RA-TLS policy judges the TCB status: UpToDate unless the caller opts out",
          "[attest][ratls]") {
  using cocoon::attest::tcb_status;
  const auto key = new_ed25519();
  const attest_test::test_pki pki;
  trust_anchors anchors;
  anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
  attest_test::ratls_spec spec;
  spec.key = key.get();
  spec.quote = u8(pki.quote(attest_test::sha512(attest_test::raw_ed25519(key.get()))));
  const auto der = attest_test::der_of(attest_test::make_ratls_cert(spec).get());
  const attest_test::test_collateral signer(pki, verification_time - std::chrono::hours(24));
  const auto up_to_date = cocoon::attest::collateral_bundle::from_json(signer.bundle_json());
  const auto out_of_date = cocoon::attest::collateral_bundle::from_json(signer.bundle_json("OutOfDate"));
  cocoon::attest::verification_report report;
  cocoon::error_code ec;
  const auto verify = [&](const ratls_policy& policy, const cocoon::attest::collateral_bundle* bundle) {
    return verify_ratls_certificate(der, policy, verification_time,
                                    bundle ? std::optional(bundle->tdx()) : std::nullopt,
                                    bundle ? bundle->crls() : std::nullopt, report, ec);
  };

  // No collateral: refused, by the policy's TCB check; the checks before it passed.
  CHECK(ratls_policy::tdx(anchors).tcb_required());
  CHECK(ratls_policy::tdx(anchors).needs_collateral());
  CHECK(!verify(ratls_policy::tdx(anchors), nullptr));
  CHECK(ec == cocoon::errc::collateral_required);
  CHECK(report.first_failure()->name == "policy.min_tcb");
  CHECK(report.find("ratls.key_binding")->result == cocoon::attest::check_result::pass);

  // UpToDate collateral with its CRLs: accepted, revocation checked.
  auto peer = verify(ratls_policy::tdx(anchors), &up_to_date);
  REQUIRE(peer);
  REQUIRE(peer->tcb());
  CHECK(peer->tcb()->status() == tcb_status::up_to_date);
  CHECK(peer->quote()->revocation_checked());
  CHECK(report.find("policy.min_tcb")->result == cocoon::attest::check_result::pass);

  // UpToDate collateral without its CRLs: the default UpToDate rule requires revocation too.
  CHECK(!verify_ratls_certificate(der, ratls_policy::tdx(anchors), verification_time, up_to_date.tdx(), std::nullopt,
                                  report, ec));
  CHECK(ec == cocoon::errc::revocation_required);
  CHECK(report.first_failure()->name == "pck.crl");

  // OutOfDate: refused by default, accepted by a TD policy that names OutOfDate itself.
  CHECK(!verify(ratls_policy::tdx(anchors), &out_of_date));
  CHECK(ec == cocoon::errc::tcb_status_refused);
  CHECK(verify(ratls_policy::tdx(anchors, cocoon::attest::policy().min_tcb(tcb_status::out_of_date)), &out_of_date));

  // The opt-out accepts an unknown status, visibly, and only that.
  const auto opted_out = ratls_policy::tdx(anchors).allow_unknown_tcb_insecure();
  CHECK(!opted_out.tcb_required());
  CHECK(!opted_out.needs_collateral());
  peer = verify(opted_out, nullptr);
  REQUIRE(peer);
  CHECK(!peer->tcb());
  CHECK(peer->report().find("policy.min_tcb")->reason.starts_with("TCB status not evaluated"));
  CHECK(!verify(opted_out, &out_of_date));
  CHECK(ec == cocoon::errc::tcb_status_refused);
  CHECK(!verify(
      ratls_policy::tdx(anchors, cocoon::attest::policy().min_tcb(tcb_status::up_to_date)).allow_unknown_tcb_insecure(),
      nullptr));
  CHECK(ec == cocoon::errc::revocation_required);  // an explicit minimum asks for CRLs first

  // Genuineness alone (what a TLS handshake can check before collateral is fetched).
  auto genuine = cocoon::attest::detail::verify_ratls_genuine(der, ratls_policy::tdx(anchors), verification_time);
  REQUIRE(genuine.has_value());
  CHECK(!genuine.value().tcb());
  CHECK(genuine.value().report().find("policy.min_tcb")->reason.starts_with("pending"));
  const auto untrusted = cocoon::attest::detail::verify_ratls_genuine(der, ratls_policy::tdx(), verification_time);
  REQUIRE_FALSE(untrusted.has_value());
  CHECK(untrusted.error().code == cocoon::errc::pck_root_untrusted);
}
