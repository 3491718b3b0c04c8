// The local reference network end to end: client -> local proxy -> worker -> test ledger, with
// jobs sealed to the worker's attested key and every answer paid by a proxy-signed charge.
#include <cocoon/local/ledger.hpp>
#include <cocoon/local/proxy.hpp>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

#include <cocoon/job/job_builder.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/payment.hpp>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <thread>

using namespace std::chrono_literals;
using cocoon::nanotons;
namespace asio = boost::asio;
namespace ton = cocoon::ton;
namespace local = cocoon::local;
using local_test::connect;
using local_test::question;
using local_test::reference_answer;

namespace {

/// A client's COCOON wallet, open and funded on the ledger.
struct client_wallet {
  cocoon::ed25519_secret_key key = cocoon::ed25519_secret_key::generate();
  ton::address address{0, cocoon::sha256(cocoon::as_bytes("local client wallet"))};
  ton::address owner{0, cocoon::sha256(cocoon::as_bytes("owner's own TON wallet"))};

  explicit client_wallet(local::ledger& ledger) {
    ledger.open_wallet(address, cocoon::crypto::ed25519_public_key_of(key), nanotons::parse("10"), true);
  }

  /// Signs `owner_client_register(nonce)` to `contract` as the next wallet request and applies it.
  cocoon::error_code register_client(local::ledger& ledger, const ton::address& contract, std::uint64_t nonce) const {
    const auto request =
        ton::payment(ton::cocoon_wallet::deployed(address, cocoon::crypto::ed25519_public_key_of(key), owner))
            .to(contract)
            .query_id(nonce ^ 0x5a5aU)
            .register_client(nonce)
            .seqno(ledger.seqno(address))
            .valid_for(60s)
            .sign(key);
    cocoon::error_code ec;
    (void)ledger.apply_external(ton::serialize_boc(request.to_cell()), std::chrono::system_clock::now(), ec);
    return ec;
  }

  /// Signs `p`'s operations to `contract` as the next wallet request and applies it.
  void pay(local::ledger& ledger, const ton::address& contract, std::uint64_t query_id, nanotons amount) const {
    const auto request =
        ton::payment(ton::cocoon_wallet::deployed(address, cocoon::crypto::ed25519_public_key_of(key), owner))
            .to(contract)
            .query_id(query_id)
            .top_up(amount)
            .seqno(ledger.seqno(address))
            .valid_for(60s)
            .sign(key);
    (void)ledger.apply_external(ton::serialize_boc(request.to_cell()));
  }
};

/// A client of the local network: its wallet, and the root its proxy contracts derive from.
cocoon::net::proxy_options client_options(cocoon::attest::ratls_policy policy, const ton::address& wallet, bool seal,
                                          ton::cocoon_root_contract root = local::local_root()) {
  cocoon::net::session_config session;
  session.owner_address = wallet.to_friendly({.bounceable = false, .testnet = true});
  session.is_test = true;
  session.secret = "local-client-secret";
  session.root = std::move(root);
  cocoon::net::proxy_options options{std::move(policy), std::move(session)};
  options.seal_jobs = seal;
  return options;
}

std::pair<cocoon::error_code, cocoon::openai::answer> query(asio::io_context& io,
                                                            cocoon::net::proxy_connection& connection,
                                                            const cocoon::job& job, std::string* streamed = nullptr) {
  std::optional<cocoon::error_code> result;
  cocoon::openai::answer answer;
  connection.async_query(
      job,
      [&](std::string_view t) {
        if (streamed) *streamed += t;
      },
      [&](cocoon::error_code ec, cocoon::openai::answer a) {
        result = ec;
        answer = std::move(a);
      });
  while (!result) io.run_one_for(50ms);
  return {*result, std::move(answer)};
}

}  // namespace

TEST_CASE("a sealed, paid job runs end to end: client, proxy, worker, ledger", "[local][network]") {
  const bool seal = GENERATE(true, false);
  CAPTURE(seal);
  asio::io_context io;
  auto ledger = std::make_shared<local::ledger>(local::ledger_params{.price_per_token = 1000});
  const client_wallet wallet(*ledger);
  local::proxy proxy(io.get_executor(), {.ledger = ledger});
  proxy.start();
  const auto total = ledger->total();

  cocoon::net::proxy_connection connection(
      io.get_executor(), client_options(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(),
                                        wallet.address, seal, ledger->root()));
  REQUIRE(connect(io, connection, proxy) == cocoon::error_code{});
  // The proxy names its own wallet as owner, its contract and the client contract the ledger
  // deployed, all derived from the ledger's root as on TON.
  const auto& named = *connection.session_info();
  const auto contract = ton::parse_address(named.client_sc_address).address;
  const auto derived =
      ton::cocoon_contracts(ledger->root(), proxy.wallet(), proxy.payment_public_key(), wallet.address);
  CHECK(contract == derived.client);
  CHECK(contract == ledger->client_contract_address(wallet.address, proxy.payment_public_key(), proxy.wallet()));
  CHECK(ton::parse_address(named.proxy.proxy_sc_address).address == derived.proxy);
  CHECK(ton::parse_address(named.proxy.proxy_owner_address).address == proxy.wallet());
  CHECK(connection.session_info()->proxy.proxy_public_key == proxy.payment_public_key());

  // Without funds the proxy refuses the job before running it.
  auto [refused, unpaid] = query(io, connection, question(false));
  CHECK(refused == cocoon::errc::answer_error);
  CHECK(unpaid.error == "error 602: client balance is too low");
  CHECK(proxy.counters().charges == 0);

  wallet.pay(*ledger, contract, 1, nanotons::parse("0.5"));
  REQUIRE(ledger->contract(contract).balance == nanotons::parse("0.5"));

  const std::string expected = reference_answer(proxy.options(), 24);
  REQUIRE(expected.size() == 24);
  std::uint64_t charged = 0;
  std::uint64_t tokens = 0;
  for (const bool stream : {false, true}) {
    const auto before = ledger->contract(contract).balance;
    std::string streamed;
    auto [ec, answer] = query(io, connection, question(stream), &streamed);
    REQUIRE(ec == cocoon::error_code{});
    CHECK(answer.text == expected);
    CHECK(streamed == expected);
    REQUIRE(answer.usage);
    REQUIRE(answer.usage->total_cost);
    // The receipt's cost is exactly what left the client contract.
    const auto after = ledger->contract(contract).balance;
    CHECK(before.count() - after.count() == answer.usage->total_cost->count());
    CHECK(answer.usage->total_cost->count() == answer.usage->total_tokens * 1000U);
    charged += answer.usage->total_cost->count();
    tokens += answer.usage->total_tokens;
  }
  CHECK(ledger->contract(contract).tokens_used == tokens);
  CHECK(ledger->wallet_balance(proxy.wallet()).count() == charged);
  // Each answer's charge came back signed; the client verified it and keeps the highest, which
  // is exactly what the ledger charged.
  std::optional<cocoon::error_code> status;
  connection.async_payment_status([&](cocoon::error_code ec) { status = ec; });
  while (!status) io.run_one_for(50ms);
  REQUIRE(*status == cocoon::error_code{});
  REQUIRE(connection.best_payment());
  CHECK(connection.best_payment()->new_tokens_used == ledger->contract(contract).tokens_used);
  CHECK(connection.best_payment()->client_contract == contract);
  CHECK(ledger->total() == total);
  CHECK(proxy.counters().charges == 2);
  CHECK(proxy.counters().sealed_queries == (seal ? 3U : 0U));
  proxy.stop();
}

TEST_CASE("a sealed job goes only to the key the attestation verified", "[local][network]") {
  asio::io_context io;
  local::proxy proxy(io.get_executor(), {});
  proxy.start();
  const ton::address wallet{0, cocoon::sha256(cocoon::as_bytes("w"))};
  cocoon::net::proxy_connection connection(
      io.get_executor(),
      client_options(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(), wallet, true));
  REQUIRE(connect(io, connection, proxy) == cocoon::error_code{});
  // The attested key is the certificate's Ed25519 key in X25519 form.
  CHECK(connection.peer()->sealing_key().key() == cocoon::crypto::x25519_from_ed25519(connection.peer()->public_key()));
  auto [ec, answer] = query(io, connection, question(true));
  REQUIRE(ec == cocoon::error_code{});
  CHECK(answer.text == reference_answer(proxy.options(), 24));
  CHECK(proxy.counters().sealed_queries == 1);
  proxy.stop();
}

namespace {

/// Connects under `policy` to a proxy with `options` and checks that the client refused it in the
/// handshake: the proxy saw no frame, so no job byte, and the ledger applied no payment.
void check_refused(cocoon::attest::ratls_policy policy, local::proxy_options options, cocoon::errc expected) {
  asio::io_context io;
  auto ledger = std::make_shared<local::ledger>();
  const client_wallet wallet(*ledger);
  options.ledger = ledger;
  local::proxy proxy(io.get_executor(), std::move(options));
  proxy.start();
  const auto total = ledger->total();

  cocoon::net::proxy_connection connection(io.get_executor(),
                                           client_options(std::move(policy), wallet.address, true, ledger->root()));
  const auto result = connect(io, connection, proxy);
  CHECK(result == expected);
  CHECK(result == cocoon::condition::attestation_rejected);
  CHECK_FALSE(connection.peer());
  CHECK_FALSE(connection.session_info());
  // A query on the refused connection sends nothing either.
  auto [ec, answer] = query(io, connection, question(false));
  CHECK(ec == cocoon::errc::session_not_ready);
  for (int i = 0; i < 10; ++i) io.run_one_for(10ms);  // let the proxy see the aborted handshake
  CHECK(proxy.counters().connections == 1);
  CHECK(proxy.counters().handshakes_completed == 0);
  CHECK(proxy.counters().frames_received == 0);
  CHECK(proxy.counters().queries == 0);
  CHECK(proxy.counters().charges == 0);
  CHECK(ledger->wallet_balance(wallet.address) == nanotons::parse("10"));
  CHECK(ledger->seqno(wallet.address) == 1);
  CHECK(ledger->wallet_balance(proxy.wallet()) == nanotons{0U});
  CHECK(ledger->total() == total);
  proxy.stop();
}

}  // namespace

TEST_CASE("a worker with another image hash or MRTD is refused before any job byte or payment", "[local][network]") {
  const auto other_image = cocoon::sha256(cocoon::as_bytes("another image"));
  check_refused(
      cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(
          cocoon::attest::trust_anchors::intel_sgx_root_ca(), cocoon::attest::policy().allow_image_hash(other_image)),
      {}, cocoon::errc::measurement_not_allowed);
  std::array<std::byte, 48> mr_td{};
  mr_td.fill(std::byte{0x5a});
  check_refused(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(
                    cocoon::attest::trust_anchors::intel_sgx_root_ca(),
                    cocoon::attest::policy().allow_mr_td(cocoon::hash384(cocoon::byte_view(mr_td)))),
                {}, cocoon::errc::measurement_not_allowed);
}

TEST_CASE("an expired proxy certificate is refused before any job byte or payment", "[local][network]") {
  local::proxy_options options;
  options.certificate_time = std::chrono::system_clock::now() - 48h;  // valid for 24 hours from then
  check_refused(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(), std::move(options),
                cocoon::errc::certificate_expired);
}

TEST_CASE("without the test policy the fake TDX proxy is refused before any job byte or payment", "[local][network]") {
  check_refused(cocoon::attest::ratls_policy::tdx(), {}, cocoon::errc::fake_tdx_refused);
}

namespace {

/// A registrar that signs `owner_client_register` from `wallet` and applies it to the ledger (the
/// chain), registering the nonce `adjust` turns the asked one into.
cocoon::net::registrar ledger_registrar(std::shared_ptr<local::ledger> ledger, const client_wallet& wallet,
                                        std::vector<std::int64_t>& asked,
                                        std::function<std::uint64_t(std::uint64_t)> adjust = {}) {
  return [ledger, &wallet, &asked, adjust](const cocoon::net::registration_request& request,
                                           std::function<void(cocoon::error_code)> done) {
    asked.push_back(request.nonce);
    auto nonce = static_cast<std::uint64_t>(request.nonce);
    if (adjust) nonce = adjust(nonce);
    done(wallet.register_client(*ledger, request.client_contract, nonce));
  };
}

/// A funded client wallet on the ledger and a local proxy with `options` that asks for long
/// authorisation.
struct long_auth_network {
  asio::io_context io;
  std::shared_ptr<local::ledger> ledger = std::make_shared<local::ledger>();
  client_wallet wallet{*ledger};
  local::proxy proxy;
  ton::address contract = ledger->client_contract_address(wallet.address, proxy.payment_public_key(), proxy.wallet());
  std::vector<std::int64_t> asked;  ///< the nonces the proxy asked the client to register

  explicit long_auth_network(local::proxy_options options = {}) : proxy(io.get_executor(), asking(options, ledger)) {
    proxy.start();
  }
  ~long_auth_network() { proxy.stop(); }
  long_auth_network(const long_auth_network&) = delete;
  long_auth_network& operator=(const long_auth_network&) = delete;

  /// The client's options, with the ledger's root and without a registrar.
  [[nodiscard]] cocoon::net::proxy_options options() const {
    return client_options(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(), wallet.address, false,
                          ledger->root());
  }

 private:
  static local::proxy_options asking(local::proxy_options options, std::shared_ptr<local::ledger> ledger) {
    options.ledger = std::move(ledger);
    options.long_authorization = true;
    return options;
  }
};

}  // namespace

TEST_CASE("long authorisation: the client registers the proxy's nonce on the ledger, then is served",
          "[local][network][auth]") {
  long_auth_network network;
  auto options = network.options();
  options.register_client = ledger_registrar(network.ledger, network.wallet, network.asked);
  cocoon::net::proxy_connection connection(network.io.get_executor(), options);
  REQUIRE(connect(network.io, connection, network.proxy) == cocoon::error_code{});
  REQUIRE(network.asked.size() == 1);
  CHECK(network.ledger->contract(network.contract).registered_nonce == static_cast<std::uint64_t>(network.asked[0]));
  CHECK(network.ledger->seqno(network.wallet.address) == 2);  // the register request was applied

  network.wallet.pay(*network.ledger, network.contract, 1, nanotons::parse("0.5"));
  auto [ec, answer] = query(network.io, connection, question(false));
  REQUIRE(ec == cocoon::error_code{});
  CHECK(answer.text == reference_answer(network.proxy.options(), 24));
  std::optional<cocoon::error_code> status;
  connection.async_payment_status([&](cocoon::error_code e) { status = e; });
  while (!status) network.io.run_one_for(50ms);
  REQUIRE(*status == cocoon::error_code{});
  REQUIRE(connection.best_payment());
  CHECK(connection.best_payment()->new_tokens_used == network.ledger->contract(network.contract).tokens_used);

  // A second connection gets a fresh nonce and registers again.
  cocoon::net::proxy_connection again(network.io.get_executor(), options);
  REQUIRE(connect(network.io, again, network.proxy) == cocoon::error_code{});
  REQUIRE(network.asked.size() == 2);
  CHECK(network.asked[1] != network.asked[0]);
  CHECK(network.ledger->contract(network.contract).registered_nonce == static_cast<std::uint64_t>(network.asked[1]));
  CHECK(network.ledger->contract(network.contract).registered_nonces ==
        std::set<std::uint64_t>{static_cast<std::uint64_t>(network.asked[0]),
                                static_cast<std::uint64_t>(network.asked[1])});
  // The proxy hands a reconnecting client its latest charge in the handshake.
  REQUIRE(again.best_payment());
  CHECK(again.best_payment()->new_tokens_used == network.ledger->contract(network.contract).tokens_used);
}

TEST_CASE("long authorisation fails clearly: no registrar, a failed or a wrong registration",
          "[local][network][auth]") {
  long_auth_network network;

  {  // No registrar: the caller learns that an on-chain registration is needed.
    cocoon::net::proxy_connection connection(network.io.get_executor(), network.options());
    const auto result = connect(network.io, connection, network.proxy);
    CHECK(result == cocoon::errc::proxy_registration_needed);
    CHECK(result.message() == "the client must register with the proxy on chain first");
  }
  {  // The registrar could not send the message.
    auto options = network.options();
    options.register_client = [&](const cocoon::net::registration_request& request,
                                  std::function<void(cocoon::error_code)> done) {
      network.asked.push_back(request.nonce);
      done(boost::asio::error::connection_refused);
    };
    cocoon::net::proxy_connection connection(network.io.get_executor(), options);
    const auto result = connect(network.io, connection, network.proxy);
    CHECK(result == cocoon::errc::proxy_registration_failed);
    CHECK_FALSE(connection.session_info());
  }
  {  // A registration with another nonce: the proxy refuses the authorisation.
    auto options = network.options();
    options.register_client =
        ledger_registrar(network.ledger, network.wallet, network.asked, [](std::uint64_t n) { return n + 1; });
    cocoon::net::proxy_connection connection(network.io.get_executor(), options);
    const auto result = connect(network.io, connection, network.proxy);
    CHECK(result == cocoon::errc::proxy_rejected);
    CHECK_FALSE(connection.session_info());
    CHECK(network.ledger->contract(network.contract).registered_nonce ==
          static_cast<std::uint64_t>(network.asked.back()) + 1);
  }
  CHECK(network.proxy.counters().queries == 0);
}

TEST_CASE("a registrar may complete on another thread, and only its first completion counts",
          "[local][network][auth]") {
  long_auth_network network;
  auto registers = ledger_registrar(network.ledger, network.wallet, network.asked);
  std::thread worker;
  auto options = network.options();
  options.register_client = [&](const cocoon::net::registration_request& request,
                                std::function<void(cocoon::error_code)> done) {
    worker = std::thread([&registers, request, done] {
      registers(request, done);
      done(cocoon::errc::proxy_registration_failed);  // a second call: ignored
    });
  };
  cocoon::net::proxy_connection connection(network.io.get_executor(), options);
  CHECK(connect(network.io, connection, network.proxy) == cocoon::error_code{});
  worker.join();
  REQUIRE(network.asked.size() == 1);
  CHECK(connection.session_info());
}

TEST_CASE("a proxy that names another client or proxy contract is refused before anything is signed",
          "[local][network][auth][contracts]") {
  // A wallet of the proxy's operator on the ledger: a registration sent there would pay it.
  const ton::address thief(0, cocoon::sha256(cocoon::as_bytes("the proxy operator's wallet")));
  const ton::address stranger(0, cocoon::sha256(cocoon::as_bytes("another client's wallet")));
  struct redirect {
    const char* what;
    local::proxy_options options;
    cocoon::errc expected;
  };
  const auto stranger_contract =
      ton::cocoon_contracts(local::local_root(), thief,
                            cocoon::crypto::ed25519_public_key_of(cocoon::ed25519_secret_key::generate()), stranger);
  const std::vector<redirect> redirects = {
      {"client contract: the operator's wallet",
       {.announced_client_contract = thief},
       cocoon::errc::client_contract_mismatch},
      {"client contract: another client's, under the same root",
       {.announced_client_contract = stranger_contract.client},
       cocoon::errc::client_contract_mismatch},
      {"proxy contract: another proxy's",
       {.announced_proxy_contract = stranger_contract.proxy},
       cocoon::errc::proxy_contract_mismatch},
  };
  for (const auto& r : redirects) {
    CAPTURE(r.what);
    long_auth_network network(r.options);
    network.ledger->open_wallet(thief, cocoon::crypto::ed25519_public_key_of(cocoon::ed25519_secret_key::generate()),
                                nanotons{0U}, true);
    const auto total = network.ledger->total();
    auto options = network.options();
    options.register_client = ledger_registrar(network.ledger, network.wallet, network.asked);
    cocoon::net::proxy_connection connection(network.io.get_executor(), options);
    CHECK(connect(network.io, connection, network.proxy) == r.expected);
    CHECK_FALSE(connection.session_info());
    CHECK(network.asked.empty());  // the registrar was never called: nothing signed
    CHECK(network.ledger->seqno(network.wallet.address) == 1);
    CHECK(network.ledger->wallet_balance(network.wallet.address) == nanotons::parse("10"));
    CHECK(network.ledger->wallet_balance(thief) == nanotons{0U});
    CHECK(network.ledger->contract(network.contract).registered_nonces.empty());
    CHECK(network.ledger->total() == total);
  }
}

TEST_CASE("without a root contract long authorisation is refused before the registrar is called",
          "[local][network][auth][contracts]") {
  long_auth_network network;
  auto options = network.options();
  options.session.root.reset();
  options.register_client = ledger_registrar(network.ledger, network.wallet, network.asked);
  cocoon::net::proxy_connection connection(network.io.get_executor(), options);
  CHECK(connect(network.io, connection, network.proxy) == cocoon::errc::proxy_registration_unverified);
  CHECK(network.asked.empty());
  CHECK(network.ledger->seqno(network.wallet.address) == 1);
  CHECK(network.ledger->contract(network.contract).registered_nonces.empty());
}
