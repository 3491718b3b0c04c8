// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon proxy info HOST:PORT [--insecure-test-policy] [--secret S] [--testnet] [--collateral FILE]
//                  [--pccs URL] [--allow-unknown-tcb]
//
// Connects to a COCOON proxy (proof of work, RA-TLS, the protocol handshake) and prints what its
// attestation proved. The default policy demands a real TDX quote verified to Intel's root whose
// TCB status is UpToDate by Intel's collateral: --collateral's bundle for its platform, or fetched
// from --pccs (Intel's PCS: https://api.trustedservices.intel.com); --allow-unknown-tcb accepts
// one without collateral. --insecure-test-policy also accepts COCOON's fake TDX (the local
// reference network).
#include "command.hpp"
#include "proxy_options.hpp"

#include <cocoon/attest.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <boost/asio/io_context.hpp>

namespace cli {

cocoon::net::host_port split_host_port(const std::string& text) {
  cocoon::error_code ec;
  auto where = cocoon::net::host_port::parse(text, ec);
  if (!where) throw usage_error("expected HOST:PORT, got '" + text + "'");
  return std::move(*where);
}

std::unique_ptr<cocoon::net::proxy_connection> connect_to_proxy(boost::asio::io_context& io, const proxy_flags& flags,
                                                                bool attested_is_enough) {
  cocoon::net::session_config session;
  session.owner_address = flags.owner_address;
  session.is_test = flags.testnet;
  if (!flags.secret.empty()) session.secret = flags.secret;
  cocoon::net::proxy_options options{flags.policy(), std::move(session)};
  options.collateral = flags.collateral();
  if (const auto where = flags.collateral_fetch()) {
    options.collateral_cache = std::make_shared<cocoon::attest::collateral_cache>(io.get_executor(), *where);
  }
  auto connection = std::make_unique<cocoon::net::proxy_connection>(io.get_executor(), std::move(options));
  std::optional<cocoon::error_code> result;
  const auto [host, port] = split_host_port(flags.endpoint);
  connection->async_connect(host, port, [&](cocoon::error_code ec) { result = ec; });
  while (!result) io.run_one();
  if (*result && !(attested_is_enough && *result == cocoon::errc::proxy_registration_needed)) {
    throw cocoon::error(*result, "connect to " + flags.endpoint);
  }
  return connection;
}

}  // namespace cli

namespace {

cli::output info(cli::arguments args) {
  const auto flags = cli::parse_proxy_flags(args, true);
  boost::asio::io_context io;
  auto connection = cli::connect_to_proxy(io, flags, true);
  const auto& peer = *connection->peer();
  nlohmann::json json{{"verdict", "ok"},
                      {"tee_type", peer.is_fake_tdx() ? "fake-tdx" : "tdx"},
                      {"public_key", peer.public_key().to_hex()},
                      {"report_data", peer.report_data().to_hex()},
                      {"image_hash", peer.image_hash().to_hex()},
                      {"authorized", connection->session_info().has_value()}};
  // A real quote's TCB status, or that it was not evaluated (--allow-unknown-tcb).
  const std::string tcb = peer.tcb() ? cocoon::attest::to_string(peer.tcb()->status()) : "not evaluated";
  std::string text = "verdict        ok (" +
                     std::string(peer.is_fake_tdx() ? "fake TDX under the test policy" : "TDX") + ")\nTLS key        " +
                     peer.public_key().to_hex() + "\nREPORTDATA     " + peer.report_data().to_hex() +
                     "\nimage hash     " + peer.image_hash().to_hex() + "\n";
  if (const auto& quote = peer.quote()) {
    json["tcb_status"] = tcb;
    text += "TCB status     " + tcb + "\n";
    json["version"] = quote->version();
    json["mr_td"] = quote->mr_td().to_hex();
    json["mr_seam"] = quote->mr_seam().to_hex();
    json["td_attributes"] = quote->td_attributes();
    json["xfam"] = quote->xfam();
    json["rtmr"] = nlohmann::json::array();
    for (const auto& rtmr : quote->rtmrs()) json["rtmr"].push_back(rtmr.to_hex());
    text += "MRTD           " + quote->mr_td().to_hex() + "\n";
    for (std::size_t i = 0; i < 4; ++i)
      text += "RTMR" + std::to_string(i) + "          " + quote->rtmrs()[i].to_hex() + "\n";
  }
  if (const auto& session = connection->session_info()) {
    json["proxy_sc_address"] = session->proxy.proxy_sc_address;
    json["proxy_owner_address"] = session->proxy.proxy_owner_address;
    json["client_sc_address"] = session->client_sc_address;
    json["proto_version"] = session->proxy.proto_version.value_or(0);
    text +=
        "proxy contract " + session->proxy.proxy_sc_address + "\nclient contract " + session->client_sc_address + "\n";
  } else {
    text += "authorised     no: the proxy asks this client to register on chain first (--secret for short auth)\n";
  }
  connection->close();
  return {text, json};
}

}  // namespace

std::vector<cli::command> cli::proxy_commands() {
  return {{"proxy info",
           "HOST:PORT [--insecure-test-policy] [--secret S] [--owner ADDRESS] [--testnet] [--collateral FILE] "
           "[--pccs URL] [--allow-unknown-tcb]: verify a proxy's attestation and show it",
           info}};
}
