// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon demo: a confidential job end to end on the local reference network. A COCOON proxy and
// worker start on loopback; the client solves the proxy's proof of work, verifies its RA-TLS
// attestation (COCOON's fake TDX, accepted only under the explicit test policy), authorises,
// pays into its client contract with a signed wallet request that the test ledger applies, seals
// the job to the attested key, streams the worker's sealed answer, and prints the ledger's charge
// and a receipt. Progress goes to the terminal as it happens; --json prints one object.
#include "command.hpp"

#include <cocoon/attest/ratls.hpp>
#include <cocoon/core.hpp>
#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job.hpp>
#include <cocoon/local.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/ton.hpp>
#include <cocoon/version.hpp>

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

/// The three balances the demo follows on the test ledger.
nlohmann::json balances(const cocoon::local::ledger& ledger, const cocoon::ton::address& wallet,
                        const cocoon::ton::address& contract, const cocoon::ton::address& proxy_wallet) {
  const auto c = ledger.contract(contract);
  return {{"wallet", std::to_string(ledger.wallet_balance(wallet).count())},
          {"client_contract", std::to_string(c.balance.count())},
          {"tokens_used", c.tokens_used},
          {"proxy", std::to_string(ledger.wallet_balance(proxy_wallet).count())}};
}

std::string show(const nlohmann::json& b) {
  const auto ton = [](const nlohmann::json& v) {
    std::ostringstream out;
    out << cocoon::nanotons{std::stoull(v.get<std::string>())};
    return out.str();
  };
  return "wallet " + ton(b["wallet"]) + ", client contract " + ton(b["client_contract"]) + " (" +
         std::to_string(b["tokens_used"].get<std::uint64_t>()) + " tokens charged), proxy " + ton(b["proxy"]);
}

cli::output demo(cli::arguments args) {
  cli::no_more_than(args, 0);
  progress out;
  nlohmann::json json = {{"sdk", cocoon::version()}};
  boost::asio::io_context io;
  namespace ton = cocoon::ton;

  out.step("[1/6] Starting the local reference network and the test ledger");
  // The test ledger stands in for TON: it holds the client's COCOON wallet (funded with 10 TON)
  // and applies the real messages below, checking their signatures.
  auto ledger = std::make_shared<cocoon::local::ledger>();
  const auto wallet_key = cocoon::ed25519_secret_key::generate();
  const auto wallet_public_key = cocoon::crypto::ed25519_public_key_of(wallet_key);
  const ton::address wallet(0, cocoon::sha256(wallet_public_key.view()));
  const ton::address owner(0, cocoon::sha256(cocoon::as_bytes("the owner's own TON wallet")));
  ledger->open_wallet(wallet, wallet_public_key, cocoon::nanotons::parse("10"), true);
  cocoon::local::proxy proxy(io.get_executor(), {.ledger = ledger});
  proxy.start();
  const auto& options = proxy.options();
  out.step("      proxy + worker on 127.0.0.1:" + std::to_string(proxy.port()) + ", model " + options.model_name +
           " (seeded reference transformer on the CPU), proof-of-work difficulty " +
           std::to_string(options.pow_difficulty));
  out.step("      ledger: price " + std::to_string(options.price_per_token) + " nanotons per token; COCOON wallet " +
           wallet.to_friendly({.bounceable = false, .testnet = true}) + " holds 10 TON");

  out.step("[2/6] Connecting: proof of work, RA-TLS handshake with attestation, authorisation");
  cocoon::net::session_config session;
  session.owner_address = wallet.to_friendly({.bounceable = false, .testnet = true});
  session.is_test = true;
  session.secret = options.client_secret;
  cocoon::net::proxy_options client_options{cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(),
                                            session};
  client_options.seal_jobs = true;  // the local worker takes job envelopes
  cocoon::net::proxy_connection connection(io.get_executor(), client_options);
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
  const auto contract = ton::parse_address(connection.session_info()->client_sc_address).address;
  out.step("      authorised with the client secret (short authorisation); client contract: " +
           connection.session_info()->client_sc_address);

  out.step("[3/6] Paying in: one wallet request to the client contract (bags of cells), applied by the ledger");
  namespace client = ton::cocoon_client;
  auto payment = ton::payment(ton::cocoon_wallet::deployed(wallet, wallet_public_key, owner));
  payment.to(contract)
      .query_id(1)
      .register_client(42)
      .change_secret_hash(client::secret_hash(options.client_secret))
      .top_up(cocoon::nanotons::parse("0.5"))
      .seqno(ledger->seqno(wallet))
      .valid_for(std::chrono::seconds(60));
  const char* names[] = {"owner_client_register", "owner_client_change_secret_hash", "ext_client_top_up"};
  json["messages"] = nlohmann::json::array();
  for (std::size_t i = 0; i < payment.messages().size(); ++i) {
    const auto& body = *payment.messages()[i].body;
    const auto boc = ton::serialize_boc_base64(body);
    out.step("      " + std::string(names[i]) + ": " + boc);
    json["messages"].push_back({{"type", names[i]}, {"boc", boc}, {"hash", body.hash().to_hex()}});
  }
  const auto request = payment.sign(wallet_key);
  const auto request_boc = ton::serialize_boc(request.to_cell());
  out.step("      signed wallet request (external message, seqno " + std::to_string(ledger->seqno(wallet)) +
           "): " + cocoon::to_base64(request_boc));
  json["messages"].push_back({{"type", "wallet_request"},
                              {"boc", cocoon::to_base64(request_boc)},
                              {"hash", request.to_cell().hash().to_hex()}});
  const auto paid_in = ledger->apply_external(request_boc);
  std::string applied;
  for (const auto& op : paid_in.operations) applied += (applied.empty() ? "" : ", ") + op;
  out.step("      applied: " + applied);
  const auto before = balances(*ledger, wallet, contract, proxy.wallet());
  out.step("      balances: " + show(before));

  out.step("[4/6] The job, built with the fluent API, sealed to the attested key, streamed back sealed");
  const auto job = cocoon::job_builder()
                       .model(options.model_name)
                       .system("You are a helpful assistant.")
                       .user("What is the Confidential Compute Open Network?")
                       .max_tokens(48)
                       .temperature(0.8)  // seeded sampling on the worker: readable variety
                       .stream()
                       .build();
  out.step("      job hash " + job.hash().to_hex() + "\n      sealed to X25519 key " +
           peer.sealing_key().key().to_hex() + " (the certificate's key)");
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

  out.step("[5/6] Charged: the proxy signed a charge for the tokens and the ledger applied it");
  const auto after = balances(*ledger, wallet, contract, proxy.wallet());
  out.step("      balances: " + show(after));
  const auto usage = answer.usage.value_or(cocoon::openai::usage{});
  const std::uint64_t charged = std::stoull(before["client_contract"].get<std::string>()) -
                                std::stoull(after["client_contract"].get<std::string>());
  if (charged != usage.total_cost.value_or(cocoon::nanotons{0U}).count()) {
    throw cocoon::error(cocoon::errc::ledger_operation_refused, "demo", "the ledger's charge differs from the receipt");
  }
  json["ledger"] = {{"price_per_token", options.price_per_token},
                    {"client_contract", contract.to_raw()},
                    {"before", before},
                    {"after", after}};

  out.step("[6/6] Receipt");
  std::ostringstream receipt;
  receipt << "      tokens: prompt " << usage.prompt_tokens << ", completion " << usage.completion_tokens
          << "\n      charged: " << cocoon::nanotons{charged} << " (" << charged
          << " nanotons, the client contract's balance difference)";
  out.step(receipt.str());
  json["answer"] = answer.text;
  json["model"] = answer.model;
  json["tokens"] = {{"prompt", usage.prompt_tokens}, {"completion", usage.completion_tokens}};
  json["charged_nanotons"] = std::to_string(charged);
  return {"done.\n", json};
}

}  // namespace

std::vector<cli::command> cli::demo_commands() {
  return {{"demo", "a confidential job end to end on the local reference network", demo}};
}
