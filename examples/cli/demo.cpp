// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon demo: a confidential job end to end on the local reference network. A COCOON proxy and
// worker start on loopback; the client solves the proxy's proof of work, verifies its RA-TLS
// attestation (COCOON's fake TDX, accepted only under the explicit test policy), authorises,
// builds the client-contract payment messages it would send on TON, streams the worker's answer
// and prints a receipt. Progress goes to the terminal as it happens; --json prints one object.
#include "command.hpp"

#include <cocoon/cocoon.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>
#include <sstream>

namespace {

/// Prints a step as it happens (not with --json) and keeps it for the text output's log.
class progress {
 public:
  void step(const std::string& line) {
    if (!cli::json_output) std::cout << line << '\n' << std::flush;
  }
  void partial(std::string_view text) {
    if (!cli::json_output) std::cout << text << std::flush;
  }
};

/// Runs `io` until `done` says the operation completed.
template <class Done>
void run_until(boost::asio::io_context& io, Done done) {
  while (!done()) io.run_one_for(std::chrono::milliseconds{50});
}

cli::output demo(cli::arguments args) {
  cli::no_more_than(args, 0);
  progress out;
  nlohmann::json json = {{"sdk", cocoon::version()}};
  boost::asio::io_context io;

  out.step("[1/5] Starting the local reference network");
  cocoon::local::proxy proxy(io.get_executor(), {});
  proxy.start();
  const auto& options = proxy.options();
  out.step("      proxy + worker on 127.0.0.1:" + std::to_string(proxy.port()) + ", model " + options.model_name +
           " (seeded reference transformer on the CPU), proof-of-work difficulty " +
           std::to_string(options.pow_difficulty));

  out.step("[2/5] Connecting: proof of work, RA-TLS handshake with attestation, authorisation");
  const auto wallet = cocoon::ton::address(
      0, cocoon::hash256::from_hex("9d8f8ddb043c9e2657dee85552a562dfb03329e181db9b3e6571ae7eb4dcfe7f"));
  cocoon::net::session_config session;
  session.owner_address = wallet.to_friendly({.bounceable = false, .testnet = true});
  session.is_test = true;
  session.secret = options.client_secret;
  cocoon::net::proxy_connection connection(
      io.get_executor(), {cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(), session});
  std::optional<cocoon::error_code> connected;
  connection.async_connect("127.0.0.1", std::to_string(proxy.port()), [&](cocoon::error_code ec) { connected = ec; });
  run_until(io, [&] { return connected.has_value(); });
  if (*connected) throw cocoon::error(*connected, "connect to the local proxy");
  const auto& peer = *connection.peer();
  out.step(
      "      attestation verified under the test policy: fake TDX (proves nothing; a real proxy must pass "
      "ratls_policy::tdx())");
  out.step("      proxy TLS key " + peer.public_key().to_hex() +
           "\n      REPORTDATA = SHA-512(key): ok\n      image hash " + peer.image_hash().to_hex());
  json["attestation"] = {{"verdict", "ok"},
                         {"policy", "insecure_accept_fake_tdx_for_tests"},
                         {"fake_tdx", peer.is_fake_tdx()},
                         {"public_key", peer.public_key().to_hex()},
                         {"report_data", peer.report_data().to_hex()},
                         {"image_hash", peer.image_hash().to_hex()}};
  out.step("      authorised with the client secret (short authorisation); client contract: " +
           connection.session_info()->client_sc_address);

  out.step("[3/5] Payment messages for the client contract (bags of cells, as a wallet sends them)");
  namespace client = cocoon::ton::cocoon_client;
  const std::pair<const char*, cocoon::ton::cell> messages[] = {
      {"owner_client_register", client::register_client(1, 42, wallet)},
      {"owner_client_change_secret_hash",
       client::change_secret_hash(2, client::secret_hash(options.client_secret), wallet)},
      {"ext_client_top_up", client::top_up(3, cocoon::nanotons::parse("0.5"), wallet)},
  };
  json["messages"] = nlohmann::json::array();
  for (const auto& [name, body] : messages) {
    const auto boc = cocoon::ton::serialize_boc_base64(body);
    out.step("      " + std::string(name) + ": " + boc);
    json["messages"].push_back({{"type", name}, {"boc", boc}, {"hash", body.hash().to_hex()}});
  }

  out.step("[4/5] The job, built with the fluent API and streamed back token by token");
  const auto job = cocoon::job_builder()
                       .model(options.model_name)
                       .system("You are a helpful assistant.")
                       .user("What is the Confidential Compute Open Network?")
                       .max_tokens(48)
                       .temperature(0.8)  // seeded sampling on the worker: readable variety
                       .stream()
                       .build();
  out.step("      job hash " + job.hash().to_hex());
  out.partial("      answer: ");
  std::optional<cocoon::error_code> answered;
  cocoon::openai::answer answer;
  connection.async_query(
      job, [&](std::string_view token) { out.partial(token); },
      [&](cocoon::error_code ec, cocoon::openai::answer a) {
        answered = ec;
        answer = std::move(a);
      });
  run_until(io, [&] { return answered.has_value(); });
  out.step("");
  if (*answered) throw cocoon::error(*answered, "query the local worker", answer.error);
  connection.close();
  proxy.stop();

  out.step("[5/5] Receipt");
  const auto& usage = answer.usage.value_or(cocoon::openai::usage{});
  const auto charged = usage.total_cost.value_or(cocoon::nanotons{0U});
  std::ostringstream receipt;
  receipt << "      tokens: prompt " << usage.prompt_tokens << ", completion " << usage.completion_tokens
          << "\n      charged: " << charged << " (" << charged.count() << " nanotons)";
  out.step(receipt.str());
  json["answer"] = answer.text;
  json["model"] = answer.model;
  json["tokens"] = {{"prompt", usage.prompt_tokens}, {"completion", usage.completion_tokens}};
  json["charged_nanotons"] = std::to_string(charged.count());
  return {"done.\n", json};
}

}  // namespace

std::vector<cli::command> cli::demo_commands() {
  return {{"demo", "a confidential job end to end on the local reference network", demo}};
}
