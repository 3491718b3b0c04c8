#include <cocoon/attest/attestation.hpp>
#include <cocoon/attest/collateral_fetcher.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include "test_pcs_server.hpp"
#include "test_pki.hpp"
#include "vectors.hpp"

using cocoon::attest::collateral_fetch_options;
using cocoon::attest::collateral_fetcher;
using cocoon::attest::fetched_collateral;
using cocoon::attest::pck_ca;
using cocoon::attest::tcb_status;
using cocoon::attest::trust_anchors;

namespace {

namespace asio = boost::asio;
using attest_test::reply;
using attest_test::test_server;

collateral_fetch_options local(const test_server& server) {
  collateral_fetch_options options;
  options.base_url = server.url();
  options.root_ca_crl_url = server.url() + "/IntelSGXRootCA.der";
  options.timeout = std::chrono::seconds(10);
  return options;
}

const auto venice_fmspc = cocoon::attest::fmspc::from_hex("90c06f000000");

std::pair<cocoon::error_code, fetched_collateral> fetch(const collateral_fetch_options& options,
                                                        const cocoon::attest::fmspc& platform = venice_fmspc) {
  asio::io_context io;
  collateral_fetcher fetcher(io.get_executor(), options);
  std::optional<std::pair<cocoon::error_code, fetched_collateral>> got;
  fetcher.async_fetch(platform, pck_ca::platform,
                      [&](cocoon::error_code ec, fetched_collateral result) { got.emplace(ec, std::move(result)); });
  io.run();
  REQUIRE(got);
  return std::move(*got);
}

// The recorded PCS response: its body and its headers exactly as Intel sent them.
reply recorded(const std::string& body_file, const char* header = nullptr) {
  const auto dir = std::string("tdx/venice-dstack-2026-06-10/");
  reply out;
  out.body = attest_test::text(dir + body_file);
  if (header != nullptr) {
    const auto meta_file = body_file.substr(0, body_file.rfind('.')) + ".meta.json";
    const auto meta = nlohmann::json::parse(attest_test::text(dir + meta_file));
    out.headers.emplace_back(header, meta.at("headers").at(header).at(0).get<std::string>());
  }
  return out;
}

std::chrono::system_clock::time_point venice_now() {
  return std::chrono::system_clock::from_time_t(attest_test::utc(2026, 6, 10)) + std::chrono::hours(1) +
         std::chrono::minutes(47);
}

}  // namespace

TEST_CASE("fetched venice collateral from a local PCCS evaluates UpToDate", "[attest][collateral_fetcher][vectors]") {
  const std::map<std::string, reply> routes = {
      {"/tdx/certification/v4/tcb?fmspc=90c06f000000", recorded("pcs_tcb_info.json", "Tcb-Info-Issuer-Chain")},
      {"/tdx/certification/v4/qe/identity", recorded("pcs_qe_identity.json", "Sgx-Enclave-Identity-Issuer-Chain")},
      {"/sgx/certification/v4/pckcrl?ca=platform&encoding=der", recorded("pcs_pckcrl.der", "Sgx-Pck-Crl-Issuer-Chain")},
      {"/IntelSGXRootCA.der", recorded("intel_root_ca_crl.der")},
  };
  test_server server([&](const std::string& target) {
    const auto found = routes.find(target);
    return found == routes.end() ? reply{404, "not found", {}, false} : found->second;
  });

  const auto quote_bytes = attest_test::read_quote("tdx/venice-dstack-2026-06-10/quote.bin");
  const auto now = venice_now();
  const auto anchors = trust_anchors::intel_sgx_root_ca();
  const auto quote = cocoon::attest::verify_quote(cocoon::attest::tdx_quote::parse(quote_bytes), anchors, now);

  // The request is built from the verified quote's FMSPC.
  auto [ec, fetched] = fetch(local(server), quote.platform_fmspc());
  INFO(fetched.failure);
  REQUIRE(!ec);
  REQUIRE(fetched.collateral);
  CHECK(server.targets() ==
        std::vector<std::string>{"/tdx/certification/v4/tcb?fmspc=90c06f000000", "/tdx/certification/v4/qe/identity",
                                 "/sgx/certification/v4/pckcrl?ca=platform&encoding=der", "/IntelSGXRootCA.der"});

  const auto report = cocoon::attest::evaluate_tcb(quote, fetched.collateral->tdx(), anchors, now);
  CHECK(report.status() == tcb_status::up_to_date);
  CHECK(report.tcb_evaluation_data_number() == 19);

  // The same bytes through the whole verifier, CRLs included.
  REQUIRE(fetched.collateral->crls());
  cocoon::attest::verify_options options;
  options.now = now;
  options.collateral = fetched.collateral->tdx();
  options.crls = fetched.collateral->crls();
  const auto verdict = cocoon::attest::verify_attestation(quote_bytes, options);
  REQUIRE(verdict.tcb());
  CHECK(verdict.tcb()->status() == tcb_status::up_to_date);
  CHECK(verdict.quote().revocation_checked());

  // Outside the collateral's window the fetched bytes are refused like any other.
  cocoon::error_code late;
  CHECK(!cocoon::attest::evaluate_tcb(quote, fetched.collateral->tdx(), anchors, now + std::chrono::hours(24 * 40),
                                      late));
  CHECK(late == cocoon::errc::collateral_expired);

  // use_future completes the same way.
  asio::io_context io;
  collateral_fetcher fetcher(io.get_executor(), local(server));
  auto future = fetcher.async_fetch(quote.platform_fmspc(), pck_ca::platform, asio::use_future);
  io.run();
  const auto again = future.get();
  REQUIRE(again.collateral);
  CHECK(cocoon::attest::evaluate_tcb(quote, again.collateral->tdx(), anchors, now).status() == tcb_status::up_to_date);
}

TEST_CASE("collateral fetch failures name the request", "[attest][collateral_fetcher]") {
  const std::string tcb_body = R"({"tcbInfo":{"id":"TDX"},"signature":")" + std::string(128, '0') + "\"}";

  SECTION("HTTP 404") {
    test_server server([](const std::string&) { return reply{404, "no such FMSPC", {}, false}; });
    const auto [ec, fetched] = fetch(local(server));
    CHECK(ec == cocoon::errc::collateral_fetch_failed);
    CHECK(!fetched.collateral);
    CHECK(fetched.failure.find("TCB Info") != std::string::npos);
    CHECK(fetched.failure.find("fmspc=90c06f000000") != std::string::npos);
    CHECK(fetched.failure.find("HTTP 404") != std::string::npos);
  }

  SECTION("a 404 on a later request names that request") {
    test_server server([&](const std::string& target) {
      if (target.starts_with("/tdx/certification/v4/tcb"))
        return reply{200, tcb_body, {{"TCB-Info-Issuer-Chain", "x"}}, false};
      return reply{404, "", {}, false};
    });
    const auto [ec, fetched] = fetch(local(server));
    CHECK(ec == cocoon::errc::collateral_fetch_failed);
    CHECK(fetched.failure.find("QE identity") != std::string::npos);
    CHECK(fetched.failure.find("HTTP 404") != std::string::npos);
  }

  SECTION("no issuer chain header") {
    test_server server([&](const std::string&) { return reply{200, tcb_body, {}, false}; });
    const auto [ec, fetched] = fetch(local(server));
    CHECK(ec == cocoon::errc::collateral_fetch_failed);
    CHECK(fetched.failure.find("TCB Info") != std::string::npos);
    CHECK(fetched.failure.find("TCB-Info-Issuer-Chain") != std::string::npos);
  }

  SECTION("a body over the limit") {
    test_server server([](const std::string&) {
      return reply{200, std::string(5000, ' '), {{"TCB-Info-Issuer-Chain", "x"}}, false};
    });
    auto options = local(server);
    options.max_body = 1000;
    const auto [ec, fetched] = fetch(options);
    CHECK(ec == cocoon::errc::collateral_fetch_failed);
    CHECK(fetched.failure.find("over 1000 bytes") != std::string::npos);
  }

  SECTION("a server that never answers") {
    test_server server([](const std::string&) { return reply{200, "", {}, true}; });
    auto options = local(server);
    options.timeout = std::chrono::milliseconds(200);
    const auto started = std::chrono::steady_clock::now();
    const auto [ec, fetched] = fetch(options);
    CHECK(ec == cocoon::errc::timed_out);
    CHECK(fetched.failure.find("TCB Info") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  }

  SECTION("bodies that are not PCS JSON") {
    test_server server([](const std::string& target) {
      if (target.starts_with("/tdx/certification/v4/tcb")) {
        return reply{200, "{\"signature\":\"00\"}", {{"TCB-Info-Issuer-Chain", "x"}}, false};
      }
      return reply{200, "{}", {{"SGX-Enclave-Identity-Issuer-Chain", "x"}}, false};
    });
    const auto [ec, fetched] = fetch(local(server));
    CHECK(ec == cocoon::errc::collateral_malformed);
    CHECK(fetched.failure.find("TCB Info") != std::string::npos);
  }

  SECTION("plain http to a host that is not loopback") {
    collateral_fetch_options options;
    options.base_url = "http://192.0.2.1:8081";
    const auto [ec, fetched] = fetch(options);
    CHECK(ec == cocoon::errc::invalid_url);
    CHECK(fetched.failure.find("loopback") != std::string::npos);
  }
}

TEST_CASE("collateral fetcher URLs", "[attest][collateral_fetcher]") {
  asio::io_context io;
  const auto refused = [&](const std::string& base) {
    collateral_fetch_options options;
    options.base_url = base;
    try {
      collateral_fetcher fetcher(io.get_executor(), options);
    } catch (const cocoon::error& e) {
      return e.code() == cocoon::errc::invalid_url;
    }
    return false;
  };
  CHECK(refused("ftp://api.trustedservices.intel.com"));
  CHECK(refused("api.trustedservices.intel.com"));
  CHECK(refused("https://"));
  CHECK(refused("https://user@pccs.example"));
  CHECK(refused("https://pccs.example:99999"));
  CHECK(refused("https://pccs.example:0"));
  CHECK(refused("https://pccs.example:80x"));
  CHECK(refused("https://pccs example"));
  CHECK(refused("https://pccs.example/sgx?x=1"));
  CHECK(refused("https://pccs.example/#frag"));
  CHECK(refused("https://::1"));
  CHECK(refused("https://[pccs.example]"));
  CHECK(!refused("https://api.trustedservices.intel.com"));
  CHECK(!refused("https://pccs.example:8081/"));
  CHECK(!refused("http://[::1]:8081/prefix"));

  collateral_fetch_options options;
  options.root_ca_crl_url = "file:///etc/crl.der";
  CHECK_THROWS_AS(collateral_fetcher(io.get_executor(), options), cocoon::error);
}
