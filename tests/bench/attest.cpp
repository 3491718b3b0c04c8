// What verifying a real TDX quote costs, as ratios against baselines run in the same process:
// - full verification (parse, PCK chain with both CRLs, QE report, quote signature, then TCB Info
//   and QE identity chains and signatures, and the TCB level match) against the sum of the same
//   13 ECDSA P-256 verifications done directly with OpenSSL (X509_verify, X509_CRL_verify,
//   EVP_DigestVerify on pre-parsed keys), and against that sum plus decoding the certificates,
//   CRLs and key they need;
// - a cached verdict (`verify_cached` hit, and a bare `verdict_cache::find`), and a miss (which
//   also hashes the inputs and reads the verdict's time bounds) against full verification.
// Input: the dcap-qvl sample quote and its QuoteCollateralV3 bundle from the vectors, or
// `<quote> <collateral json> <unix seconds>`. `--json` prints one JSON line instead (for
// tests/bench/attest_dcap_qvl.mjs, which runs @phala/dcap-qvl on the same input); `--quick` is a
// smoke run for ctest.
#include <cocoon/attest.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "attest/collateral_v3.hpp"
#include "bench.hpp"

namespace {

namespace attest = cocoon::attest;
using cocoon::attest::detail::x509_ptr;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<x509_ptr> pem_certificates(std::string_view pem) {
  std::vector<x509_ptr> out;
  const cocoon::attest::detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(certificate);
  ERR_clear_error();
  return out;
}

struct crl_free {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
using crl_ptr = std::unique_ptr<X509_CRL, crl_free>;

crl_ptr der_crl(const cocoon::bytes& der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  return crl_ptr(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der.size())));
}

/// DER ECDSA-Sig-Value of a raw r || s.
std::vector<unsigned char> der_signature(cocoon::byte_view raw) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig, &der);
  std::vector<unsigned char> out(der, der + size);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

/// One signature over a message, verified with EVP_DigestVerify (SHA-256 included).
struct message_signature {
  EVP_PKEY* key;
  std::vector<unsigned char> signature;
  cocoon::byte_view message;

  [[nodiscard]] bool verify() const {
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(context, signature.data(), signature.size(),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
    EVP_MD_CTX_free(context);
    return ok;
  }
};

std::string signed_member(const std::string& body, const char* member) {
  return std::string(*attest::detail::raw_member(body, member));
}

}  // namespace

int main(int argc, char** argv) {
  bench::parse_args(argc, argv);
  bool as_json = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      as_json = true;
    } else if (arg != "--quick") {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    const std::string dir = std::string(COCOON_VECTORS_DIR) + "/tdx/dcap-qvl/";
    files = {dir + "tdx_quote.bin", dir + "tdx_quote_collateral.json", "1751328000"};  // 2025-07-01
  }
  if (files.size() != 3) {
    std::cerr << "usage: bench_attest [--quick] [--json] [<quote> <collateral json> <unix seconds>]\n";
    return 2;
  }
  const auto quote_bytes = cocoon::to_bytes(read(files[0]));
  const attest_test::collateral_v3 bundle(nlohmann::json::parse(read(files[1])));
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(std::stoll(files[2])));
  const auto collateral = bundle.collateral();
  const auto crls = bundle.crls();
  if (!crls) {
    std::cerr << "the collateral has no CRLs\n";
    return 2;
  }
  const auto anchors = attest::trust_anchors::intel_sgx_root_ca();

  const auto full = [&] {
    const auto quote = attest::tdx_quote::parse(quote_bytes);
    const auto verified = attest::verify_quote(quote, anchors, now, *crls);
    return attest::evaluate_tcb(verified, collateral, anchors, now);
  };
  const auto report = full();

  // The same 13 ECDSA verifications, on objects parsed beforehand.
  const auto quote = attest::tdx_quote::parse(quote_bytes);
  const auto pck = pem_certificates(cocoon::as_chars(quote.pck_chain()));
  const auto tcb_chain = pem_certificates(bundle.tcb_chain);
  const auto qe_chain = pem_certificates(bundle.qe_chain);
  const auto pck_crl = der_crl(bundle.pck_crl), root_crl = der_crl(bundle.root_crl);
  if (pck.size() != 3 || tcb_chain.size() != 2 || qe_chain.size() != 2 || !pck_crl || !root_crl) {
    std::cerr << "unexpected collateral shape\n";
    return 1;
  }
  EVP_PKEY* root_key = X509_get0_pubkey(pck[2].get());
  EVP_PKEY* ca_key = X509_get0_pubkey(pck[1].get());
  const auto attestation_key = attest::detail::p256_public_key(quote.attestation_key());
  const std::string tcb_text = signed_member(bundle.tcb_info, "tcbInfo");
  const std::string qe_text = signed_member(bundle.qe_identity, "enclaveIdentity");
  const auto tcb_signature = nlohmann::json::parse(bundle.tcb_info).at("signature").get<std::string>();
  const auto qe_signature = nlohmann::json::parse(bundle.qe_identity).at("signature").get<std::string>();
  const std::vector<message_signature> messages{
      {X509_get0_pubkey(pck[0].get()), der_signature(quote.qe_report_signature()), quote.qe_report().bytes()},
      {attestation_key.get(), der_signature(quote.signature()), quote.signed_region()},
      {X509_get0_pubkey(tcb_chain[0].get()), der_signature(cocoon::from_hex(tcb_signature)),
       cocoon::as_bytes(tcb_text)},
      {X509_get0_pubkey(qe_chain[0].get()), der_signature(cocoon::from_hex(qe_signature)), cocoon::as_bytes(qe_text)},
  };
  const auto baseline = [&] {
    bool ok = X509_verify(pck[0].get(), ca_key) == 1 && X509_verify(pck[1].get(), root_key) == 1 &&
              X509_verify(pck[2].get(), root_key) == 1 && X509_CRL_verify(pck_crl.get(), ca_key) == 1 &&
              X509_CRL_verify(root_crl.get(), root_key) == 1;
    for (const auto& chain : {&tcb_chain, &qe_chain}) {
      ok &= X509_verify((*chain)[0].get(), root_key) == 1 && X509_verify((*chain)[1].get(), root_key) == 1;
    }
    for (const auto& m : messages) ok &= m.verify();
    return ok;
  };
  if (!baseline()) {
    std::cerr << "a baseline verification failed\n";
    return 1;
  }

  // Decoding what those verifications need: OpenSSL 3.0 decodes each certificate's public key
  // through its provider decoders, which costs more than one verification.
  const auto decoding = [&] {
    std::size_t decoded = pem_certificates(cocoon::as_chars(quote.pck_chain())).size() +
                          pem_certificates(bundle.tcb_chain).size() + pem_certificates(bundle.qe_chain).size();
    decoded += der_crl(bundle.pck_crl) && der_crl(bundle.root_crl) ? 2U : 0U;
    decoded += attest::detail::p256_public_key(quote.attestation_key()) ? 1U : 0U;
    return decoded;
  };
  if (decoding() != 10) {
    std::cerr << "unexpected decoding result\n";
    return 1;
  }

  attest::verdict_cache<> cache;
  const auto first = attest::verify_cached(cache, quote_bytes, anchors, now, &collateral, &*crls);
  const auto key = attest::make_verdict_key(quote_bytes, attest::verdict_context(anchors, &collateral, &*crls));
  if (attest::verify_cached(cache, quote_bytes, anchors, now, &collateral, &*crls) != first || !cache.find(key, now)) {
    std::cerr << "no cache hit\n";
    return 1;
  }

  const double full_rate = bench::rate(1, [&] { (void)full(); });
  const double ecdsa_rate = bench::rate(1, [&] { (void)baseline(); });
  const double decoding_rate = bench::rate(1, [&] { (void)decoding(); });
  const double ecdsa_and_decoding = 1 / (1 / ecdsa_rate + 1 / decoding_rate);
  const double cached_rate =
      bench::rate(1, [&] { (void)attest::verify_cached(cache, quote_bytes, anchors, now, &collateral, &*crls); });
  const double find_rate = bench::rate(1, [&] { (void)cache.find(key, now); });
  attest::verdict_cache<> keeps_nothing({.capacity = 0});
  const double miss_rate = bench::rate(
      1, [&] { (void)attest::verify_cached(keeps_nothing, quote_bytes, anchors, now, &collateral, &*crls); });

  if (as_json) {
    std::cout << nlohmann::json{{"status", attest::to_string(report.status())},
                                {"full_per_second", full_rate},
                                {"ecdsa_per_second", ecdsa_rate},
                                {"ecdsa_and_decoding_per_second", ecdsa_and_decoding},
                                {"cached_per_second", cached_rate},
                                {"find_per_second", find_rate},
                                {"miss_per_second", miss_rate}}
                     .dump()
              << '\n';
    return 0;
  }
  std::printf("TDX quote + collateral (%s), %zu bytes; ratio = time / baseline time\n",
              attest::to_string(report.status()), quote_bytes.size());
  std::printf("%-44s %12.1f us\n", "13 ECDSA P-256 verifications, OpenSSL direct", 1e6 / ecdsa_rate);
  std::printf("%-44s %12.1f us  x%.2f of the ECDSA sum (goal <= 1.25)\n", "full verification + TCB evaluation",
              1e6 / full_rate, ecdsa_rate / full_rate);
  std::printf("%-44s %12.1f us\n", "decoding its 7 certificates, 2 CRLs, 1 key", 1e6 / decoding_rate);
  std::printf("%-44s %12.1f us  x%.2f of ECDSA + decoding\n", "full verification + TCB evaluation", 1e6 / full_rate,
              ecdsa_and_decoding / full_rate);
  std::printf("%-44s %12.1f us  x%.2f of full verification\n", "verify_cached, miss (verifies, keys, bounds)",
              1e6 / miss_rate, full_rate / miss_rate);
  std::printf("%-44s %12.2f us  x%.4f of full verification\n", "verify_cached, hit (hashes quote + inputs)",
              1e6 / cached_rate, full_rate / cached_rate);
  std::printf("%-44s %12.3f us  x%.5f of full verification\n", "verdict_cache::find, precomputed key", 1e6 / find_rate,
              full_rate / find_rate);
  return 0;
}
