// A local proxy presenting a real TDX RA-TLS certificate (its quote signed by the test PKI): the
// client judges its TCB status from collateral given or fetched, before any frame is sent.
#include "local/real_tdx_proxy.hpp"

#include <catch2/catch.hpp>

using cocoon::attest::ratls_policy;
using local_test::cache_of;
using local_test::pccs;
using local_test::real_tdx_proxy;

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
