// A local proxy presenting a real TDX RA-TLS certificate (its quote signed by the test PKI): the
// client judges its TCB status from collateral given or fetched, before any frame is sent.
#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include "attest/test_collateral.hpp"
#include "attest/test_pcs_server.hpp"
#include "attest/test_pki.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
using cocoon::attest::ratls_policy;

namespace {

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
    CHECK_FALSE(connection.peer());
    CHECK_FALSE(connection.session_info());
    CHECK(proxy->counters().handshakes_completed == handshakes + (after_handshake ? 1 : 0));
    CHECK(proxy->counters().frames_received == frames);
  }
};

/// A PCCS on loopback serving `source`'s collateral with TCB status `status`, or 404 to all.
attest_test::test_server pccs(const attest_test::test_collateral& source, const char* status, bool found = true) {
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

std::shared_ptr<cocoon::attest::collateral_cache> cache_of(asio::io_context& io,
                                                           const attest_test::test_server& server) {
  cocoon::attest::collateral_fetch_options where;
  where.base_url = server.url();
  where.root_ca_crl_url = server.url() + "/IntelSGXRootCA.der";
  where.timeout = 10s;
  return std::make_shared<cocoon::attest::collateral_cache>(io.get_executor(), where);
}

}  // namespace

TEST_CASE("a real TDX proxy without collateral is refused in the handshake by default", "[local][real_tdx]") {
  real_tdx_proxy network;
  network.check_refused(real_tdx_proxy::options(ratls_policy::tdx(network.anchors)), cocoon::errc::collateral_required,
                        false);
  // The test policy judges a real quote in full too.
  network.check_refused(real_tdx_proxy::options(ratls_policy::insecure_accept_fake_tdx_for_tests(network.anchors)),
                        cocoon::errc::collateral_required, false);
  // Collateral for another platform is none for this one.
  auto options = real_tdx_proxy::options(ratls_policy::tdx(network.anchors));
  auto other = network.collateral.bundle_json();
  other.replace(other.find("0A0B0C0D0E0F"), 12, "00806F050000");
  options.collateral.push_back(cocoon::attest::collateral_bundle::from_json(other));
  network.check_refused(std::move(options), cocoon::errc::collateral_required, false);
}

TEST_CASE("a real TDX proxy is judged with the collateral given for its platform", "[local][real_tdx]") {
  real_tdx_proxy network;
  auto options = real_tdx_proxy::options(ratls_policy::tdx(network.anchors));
  options.collateral.push_back(network.bundle());
  cocoon::net::proxy_connection connection(network.io.get_executor(), options);
  REQUIRE(network.connect(connection) == cocoon::error_code{});
  REQUIRE(connection.peer());
  REQUIRE(connection.peer()->tcb());
  CHECK(connection.peer()->tcb()->status() == cocoon::attest::tcb_status::up_to_date);
  CHECK(connection.peer()->quote()->revocation_checked());
  CHECK(connection.session_info());
  connection.close();

  // OutOfDate: refused inside the handshake.
  options.collateral = {network.bundle("OutOfDate")};
  network.check_refused(std::move(options), cocoon::errc::tcb_status_refused, false);
}

TEST_CASE("a real TDX proxy's collateral is fetched after the handshake, before any frame, and kept",
          "[local][real_tdx]") {
  real_tdx_proxy network;
  const auto server = pccs(network.collateral, "UpToDate");
  auto options = real_tdx_proxy::options(ratls_policy::tdx(network.anchors));
  options.collateral_cache = cache_of(network.io, server);
  {
    cocoon::net::proxy_connection connection(network.io.get_executor(), options);
    REQUIRE(network.connect(connection) == cocoon::error_code{});
    REQUIRE(connection.peer());
    REQUIRE(connection.peer()->tcb());
    CHECK(connection.peer()->tcb()->status() == cocoon::attest::tcb_status::up_to_date);
    CHECK(connection.peer()->quote()->revocation_checked());
    connection.close();
  }
  CHECK(server.targets().size() == 4);
  CHECK(server.targets()[2] == "/sgx/certification/v4/pckcrl?ca=platform&encoding=der");
  // The second connection takes it from the cache, and is judged inside its handshake.
  cocoon::net::proxy_connection second(network.io.get_executor(), options);
  REQUIRE(network.connect(second) == cocoon::error_code{});
  CHECK(second.peer()->tcb());
  CHECK(server.targets().size() == 4);
}

TEST_CASE("a real TDX proxy whose collateral cannot be fetched, or is OutOfDate, is refused before any frame",
          "[local][real_tdx]") {
  real_tdx_proxy network;
  {
    const auto server = pccs(network.collateral, "UpToDate", false);
    auto options = real_tdx_proxy::options(ratls_policy::tdx(network.anchors));
    options.collateral_cache = cache_of(network.io, server);
    network.check_refused(std::move(options), cocoon::errc::collateral_fetch_failed, true);
    CHECK(server.targets().size() == 1);
  }
  const auto server = pccs(network.collateral, "OutOfDate");
  auto options = real_tdx_proxy::options(ratls_policy::tdx(network.anchors));
  options.collateral_cache = cache_of(network.io, server);
  network.check_refused(std::move(options), cocoon::errc::tcb_status_refused, true);
}

TEST_CASE("the explicit opt-out accepts a real TDX proxy with its TCB status not evaluated", "[local][real_tdx]") {
  real_tdx_proxy network;
  cocoon::net::proxy_connection connection(
      network.io.get_executor(),
      real_tdx_proxy::options(ratls_policy::tdx(network.anchors).allow_unknown_tcb_insecure()));
  REQUIRE(network.connect(connection) == cocoon::error_code{});
  REQUIRE(connection.peer());
  CHECK_FALSE(connection.peer()->tcb());
  CHECK(connection.peer()->report().find("policy.min_tcb")->reason.starts_with("TCB status not evaluated"));
  CHECK(connection.session_info());
  connection.close();
}
