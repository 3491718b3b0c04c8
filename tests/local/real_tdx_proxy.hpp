// A local proxy presenting a real TDX RA-TLS certificate (its quote signed by the test PKI), with
// collateral for its platform and a loopback PCCS serving it.
#ifndef COCOON_TESTS_LOCAL_REAL_TDX_PROXY_HPP
#define COCOON_TESTS_LOCAL_REAL_TDX_PROXY_HPP

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "attest/test_collateral.hpp"
#include "attest/test_pcs_server.hpp"
#include "attest/test_pki.hpp"

namespace local_test {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using cocoon::attest::ratls_policy;

/// A local proxy whose certificate carries a test PKI quote over the certificate's own key, and
/// collateral for that quote's platform, current now.
struct real_tdx_proxy {
  attest_test::test_pki pki;
  attest_test::test_collateral collateral{pki, std::chrono::system_clock::now() - 24h};
  cocoon::attest::trust_anchors anchors;
  asio::io_context io;
  std::optional<cocoon::local::proxy> proxy;

  real_tdx_proxy() {
    anchors.add_certificate(cocoon::as_bytes(attest_test::pem(pki.root.get())));
    auto seed = std::make_shared<const cocoon::ed25519_secret_key>(cocoon::ed25519_secret_key::generate());
    const attest_test::pkey key(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed->reveal().data()), seed->size()));
    attest_test::ratls_spec spec;
    spec.key = key.get();
    const auto quote = pki.quote(attest_test::sha512(attest_test::raw_ed25519(key.get())));
    spec.quote.assign(reinterpret_cast<const std::uint8_t*>(quote.data()),
                      reinterpret_cast<const std::uint8_t*>(quote.data()) + quote.size());
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    spec.not_before = now - 3600;
    spec.not_after = now + 86400;
    cocoon::local::proxy_options options;
    options.certificate = cocoon::local::proxy_certificate{
        attest_test::der_of(attest_test::make_ratls_cert(spec).get()), std::move(seed)};
    proxy.emplace(io.get_executor(), std::move(options));
    proxy->start();
  }
  ~real_tdx_proxy() { proxy->stop(); }
  real_tdx_proxy(const real_tdx_proxy&) = delete;
  real_tdx_proxy& operator=(const real_tdx_proxy&) = delete;

  [[nodiscard]] std::string address() const { return "127.0.0.1:" + std::to_string(proxy->port()); }

  [[nodiscard]] static cocoon::net::proxy_options options(ratls_policy policy) {
    cocoon::net::session_config session;
    session.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
    session.is_test = true;
    session.secret = "local-client-secret";
    return {std::move(policy), std::move(session)};
  }

  [[nodiscard]] cocoon::attest::collateral_bundle bundle(const char* status = "UpToDate") const {
    return cocoon::attest::collateral_bundle::from_json(collateral.bundle_json(status));
  }

  cocoon::error_code connect(cocoon::net::proxy_connection& connection) {
    std::optional<cocoon::error_code> result;
    connection.async_connect("127.0.0.1", std::to_string(proxy->port()), [&](cocoon::error_code ec) { result = ec; });
    while (!result) io.run_one_for(50ms);
    for (int i = 0; i < 10; ++i) io.run_one_for(10ms);  // let the proxy see what the client did
    return *result;
  }

  /// Connects under `options`, and checks a refusal with `expected` that sent the proxy no frame,
  /// inside the TLS handshake or (when the collateral had to be fetched) right after it.
  void check_refused(cocoon::net::proxy_options options, cocoon::errc expected, bool after_handshake) {
    const std::size_t handshakes = proxy->counters().handshakes_completed, frames = proxy->counters().frames_received;
    cocoon::net::proxy_connection connection(io.get_executor(), std::move(options));
    const auto result = connect(connection);
    CHECK(result == expected);
    // The proxy ends its side of the handshake on the same loop, maybe behind other handlers.
    const std::size_t expected_handshakes = handshakes + (after_handshake ? 1 : 0);
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (proxy->counters().handshakes_completed < expected_handshakes && std::chrono::steady_clock::now() < give_up) {
      io.run_one_for(10ms);
    }
    CHECK_FALSE(connection.peer());
    CHECK_FALSE(connection.session_info());
    CHECK(proxy->counters().handshakes_completed == expected_handshakes);
    CHECK(proxy->counters().frames_received == frames);
  }
};

/// A PCCS on loopback serving `source`'s collateral with TCB status `status`, or 404 to all.
inline attest_test::test_server pccs(const attest_test::test_collateral& source, const char* status,
                                     bool found = true) {
  const auto tcb_body = source.pcs_body("tcbInfo", source.tcb_info(status));
  const auto qe_body = source.pcs_body("enclaveIdentity", source.qe_identity());
  const auto chain = attest_test::percent_encode(source.chain());
  const auto pck_crl = std::string(cocoon::as_chars(source.pck_crl()));
  const auto root_crl = std::string(cocoon::as_chars(source.root_crl()));
  return attest_test::test_server([=](const std::string& target) -> attest_test::reply {
    if (!found) return {404, "", {}, false};
    if (target == "/tdx/certification/v4/tcb?fmspc=0a0b0c0d0e0f") {
      return {200, tcb_body, {{"TCB-Info-Issuer-Chain", chain}}, false};
    }
    if (target == "/tdx/certification/v4/qe/identity") {
      return {200, qe_body, {{"SGX-Enclave-Identity-Issuer-Chain", chain}}, false};
    }
    if (target == "/sgx/certification/v4/pckcrl?ca=platform&encoding=der") return {200, pck_crl, {}, false};
    if (target == "/IntelSGXRootCA.der") return {200, root_crl, {}, false};
    return {404, "", {}, false};
  });
}

inline std::shared_ptr<cocoon::attest::collateral_cache> cache_of(asio::io_context& io,
                                                                  const attest_test::test_server& server) {
  cocoon::attest::collateral_fetch_options where;
  where.base_url = server.url();
  where.root_ca_crl_url = server.url() + "/IntelSGXRootCA.der";
  where.timeout = 10s;
  return std::make_shared<cocoon::attest::collateral_cache>(io.get_executor(), where);
}

}  // namespace local_test

#endif
