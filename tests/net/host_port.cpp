#include <cocoon/net/host_port.hpp>

#include <catch2/catch.hpp>

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/net/http_api.hpp>

#include <string>

using cocoon::net::host_port;

TEST_CASE("host:port parses names, IPv4 and bracketed IPv6", "[net][host_port]") {
  const auto name = host_port::parse("proxy-1.cocoon_net.example:8888");
  CHECK(name.host == "proxy-1.cocoon_net.example");
  CHECK(name.port == "8888");
  CHECK(host_port::parse("91.108.4.1:1").port == "1");
  CHECK(host_port::parse("h:65535").port == "65535");
  const auto v6 = host_port::parse("[2001:db8::1]:443");
  CHECK(v6.host == "2001:db8::1");
  CHECK(v6.port == "443");
  // Without a port, a URL's scheme gives one.
  auto defaulted = host_port::parse_result("[::1]", "80");
  REQUIRE(defaulted.has_value());
  CHECK(defaulted.value().host == "::1");
  CHECK(defaulted.value().port == "80");
}

TEST_CASE("host:port refuses what is not an endpoint, saying which part", "[net][host_port]") {
  for (const auto& [text, where] : {
           std::pair{"host", "port: missing"},
           std::pair{"[::1]", "port: missing"},
           std::pair{"host:", "port"},
           std::pair{"host:0", "port"},
           std::pair{"host:65536", "port"},
           std::pair{"host:123456", "port"},
           std::pair{"host:8x", "port"},
           std::pair{"host:-1", "port"},
           std::pair{"host:+80", "port"},
           std::pair{":80", "host"},
           std::pair{"a/b:80", "host"},
           std::pair{"u@h:1", "host"},
           std::pair{"h h:1", "host"},
           std::pair{"::1:80", "host"},  // IPv6 without brackets
           std::pair{"[::1:80", "host: not an IPv6 address in brackets"},
           std::pair{"[]:80", "host: not an IPv6 address in brackets"},
           std::pair{"[example.com]:80", "host: not an IPv6 address in brackets"},
           std::pair{"[::1]x:80", "host: not an IPv6 address in brackets"},
       }) {
    INFO(text);
    auto parsed = host_port::parse_result(text);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == cocoon::errc::invalid_url);
    CHECK(parsed.error().where == where);
    cocoon::error_code ec;
    CHECK_FALSE(host_port::parse(text, ec));
    CHECK(ec == cocoon::errc::invalid_url);
    CHECK_THROWS_AS(host_port::parse(text), cocoon::error);
  }
}

TEST_CASE("every endpoint the SDK takes follows the same rules", "[net][host_port]") {
  // The runner's URL and the PCS URL take their authority through the same parser, with their
  // scheme's default port.
  CHECK(cocoon::net::http_endpoint::parse("http://runner_1").port == "80");
  CHECK(cocoon::net::http_endpoint::parse("http://[::1]:8080").host == "::1");
  auto pcs = cocoon::attest::detail::parse_collateral_url("https://api.trustedservices.intel.com/sgx", false);
  REQUIRE(pcs.has_value());
  CHECK(pcs.value().port == "443");
  for (const auto* authority : {"host:0", "host:65536", "[::1:80", "::1:80", "a b"}) {
    INFO(authority);
    CHECK_THROWS_AS(cocoon::net::http_endpoint::parse(std::string("http://") + authority), cocoon::error);
    CHECK_FALSE(cocoon::attest::detail::parse_collateral_url(std::string("https://") + authority, false).has_value());
  }
}
