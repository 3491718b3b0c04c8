// Long authorisation and signed payments through the client facade, against the local proxy and
// its test ledger (standing in for TON): the client's COCOON wallet signs owner_client_register,
// the user's broadcaster sends it, the proxy checks the nonce on the ledger.
#include <cocoon/client/builder.hpp>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/generate.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/local/ledger.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/payment.hpp>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <set>

using namespace std::chrono_literals;
using cocoon::nanotons;
namespace asio = boost::asio;
namespace ton = cocoon::ton;
namespace local = cocoon::local;
using client_test::address;
using client_test::question;
using client_test::result;
using client_test::run_until;

namespace {

/// A COCOON wallet open on the ledger, with the chain access a user gives the SDK: a seqno reader
/// and a broadcaster, both backed by the ledger, counting what they were asked.
struct chain {
  std::shared_ptr<local::ledger> ledger = std::make_shared<local::ledger>();
  std::shared_ptr<const cocoon::ed25519_secret_key> key =
      std::make_shared<const cocoon::ed25519_secret_key>(cocoon::ed25519_secret_key::generate());
  ton::address owner{0, cocoon::sha256(cocoon::as_bytes("owner's own TON wallet"))};
  ton::cocoon_wallet wallet = ton::cocoon_wallet::deployed(ton::address(0, cocoon::sha256(cocoon::as_bytes("w"))),
                                                           cocoon::crypto::ed25519_public_key_of(*key), owner);
  std::vector<cocoon::bytes> broadcast;  ///< every BoC the SDK handed over
  std::size_t seqno_reads = 0;           ///< how often the SDK asked for the seqno
  std::set<std::uint32_t> seqnos;        ///< the seqno of each applied wallet request
  cocoon::error_code broadcast_error{};  ///< what the broadcaster answers instead of sending
  cocoon::error_code seqno_error{};

  chain() { ledger->open_wallet(wallet.address(), wallet.public_key(), nanotons::parse("10"), true); }

  cocoon::client::wallet_options options() {
    return {wallet, key,
            [this](std::function<void(cocoon::error_code, std::uint32_t)> done) {
              ++seqno_reads;
              done(seqno_error, ledger->seqno(wallet.address()));
            },
            [this](cocoon::bytes boc, std::function<void(cocoon::error_code)> done) {
              if (broadcast_error) return done(broadcast_error);
              broadcast.push_back(boc);
              const auto seqno = ledger->seqno(wallet.address());
              cocoon::error_code ec;
              if (ledger->apply_external(boc, std::chrono::system_clock::now(), ec)) seqnos.insert(seqno);
              done(ec);
            }};
  }

  /// Opens the client contract the proxy will use and tops it up from the wallet.
  ton::address fund(const local::proxy& proxy) {
    const auto contract = ledger->open_client_contract(wallet.address(), proxy.payment_public_key(), proxy.wallet());
    const auto request = ton::payment(wallet)
                             .to(contract)
                             .query_id(1)
                             .top_up(nanotons::parse("1"))
                             .seqno(ledger->seqno(wallet.address()))
                             .valid_for(60s)
                             .sign(*key);
    (void)ledger->apply_external(ton::serialize_boc(request.to_cell()));
    return contract;
  }
};

cocoon::net::session_config test_session() {
  cocoon::net::session_config session;
  session.is_test = true;  // owner_address comes from the wallet
  return session;
}

}  // namespace

TEST_CASE("a client with a wallet registers for long authorisation, and its jobs are answered and paid",
          "[client][local][auth]") {
  asio::io_context io;
  chain net;
  local::proxy proxy(io.get_executor(), {.ledger = net.ledger, .long_authorization = true});
  proxy.start();
  const auto contract = net.fund(proxy);
  auto client = cocoon::client::builder()
                    .proxy(address(proxy))
                    .policy(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests())
                    .root(net.ledger->root())
                    .session(test_session())
                    .wallet(net.options())
                    .connections_per_proxy(3)
                    .retries(0)
                    .build(io);
  CHECK(client.options().session.owner_address ==
        net.wallet.address().to_friendly({.bounceable = false, .testnet = true}));

  // Three jobs at once: three connections, each registered on chain with its own nonce, one
  // wallet request after another (distinct seqnos).
  std::vector<result> results(3);
  for (auto& r : results) {
    client.async_submit(question(false, 16), [&r](cocoon::error_code ec, cocoon::openai::answer a) {
      r.ec = ec;
      r.answer = std::move(a);
    });
  }
  run_until(io, [&] { return std::all_of(results.begin(), results.end(), [](const auto& r) { return r.ec; }); });
  cocoon::backend::cpu_backend model(proxy.options().model);
  const auto expected = cocoon::backend::generate(model, "What is TON?\n", 16, {}).text;
  for (const auto& r : results) {
    REQUIRE(r.ec);
    CHECK_FALSE(*r.ec);
    CHECK(r.answer.text == expected);
  }
  CHECK(client.stats().connects == 3);
  REQUIRE(net.broadcast.size() == 3);
  CHECK(net.seqnos.size() == 3);
  const auto info = net.ledger->contract(contract);
  CHECK(info.registered_nonces.size() == 3);
  CHECK(proxy.counters().charges == 3);

  // Each broadcast BoC is a COCOON wallet request carrying owner_client_register(nonce), 1 TON.
  const auto message = ton::detail::parse_single(net.broadcast[0]).value();
  ton::slice m(message);
  CHECK(m.load_uint(2) == 0b10);  // ext_in_msg_info
  (void)m.load_uint(2);
  CHECK(m.load_address() == net.wallet.address());

  // The proxies' signed charges, verified, one per proxy: never above what the ledger charged.
  run_until(io, [&] { return !client.payments().empty(); });
  const auto payments = client.payments();
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].proxy.port == std::to_string(proxy.port()));
  CHECK(payments[0].payment.client_contract == contract);
  CHECK(payments[0].payment.new_tokens_used > 0);
  CHECK(payments[0].payment.new_tokens_used <= info.tokens_used);
  proxy.stop();
}

TEST_CASE("long authorisation without a wallet, or whose registration fails, is refused clearly",
          "[client][local][auth]") {
  asio::io_context io;
  chain net;
  local::proxy proxy(io.get_executor(), {.ledger = net.ledger, .long_authorization = true});
  proxy.start();
  const auto policy = cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests();
  const auto run = [&](cocoon::client::client& client) {
    result r;
    client.async_submit(question(false, 16), [&r](cocoon::error_code ec, cocoon::openai::answer) { r.ec = ec; });
    run_until(io, [&] { return r.ec.has_value(); });
    REQUIRE(r.ec);
    return *r.ec;
  };

  auto session = test_session();
  session.owner_address = net.wallet.address().to_friendly({.bounceable = false, .testnet = true});
  auto builder = cocoon::client::builder().proxy(address(proxy)).policy(policy).session(session).retries(0);
  auto unchecked = builder.build(io);  // no wallet and no root: nothing could pay, nothing is checked
  CHECK(run(unchecked) == cocoon::errc::proxy_registration_needed);
  auto without = builder.root(net.ledger->root()).build(io);
  CHECK(run(without) == cocoon::errc::proxy_registration_needed);

  net.broadcast_error = boost::asio::error::connection_refused;
  auto failing = cocoon::client::builder()
                     .proxy(address(proxy))
                     .policy(policy)
                     .session(test_session())
                     .root(net.ledger->root())
                     .wallet(net.options());
  auto client = failing.retries(0).build(io);
  CHECK(run(client) == cocoon::errc::proxy_registration_failed);
  net.broadcast_error = {};
  net.seqno_error = boost::asio::error::timed_out;
  CHECK(run(client) == cocoon::errc::proxy_registration_failed);
  CHECK(net.broadcast.empty());
  CHECK(net.ledger
            ->contract(
                net.ledger->client_contract_address(net.wallet.address(), proxy.payment_public_key(), proxy.wallet()))
            .registered_nonces.empty());
  CHECK(proxy.counters().queries == 0);
  proxy.stop();
}

TEST_CASE("a wallet must be complete, match the session's owner address and have a root", "[client][auth]") {
  asio::io_context io;
  chain net;
  const auto build = [&](cocoon::client::wallet_options w, cocoon::net::session_config session) {
    if (!session.root) session.root = net.ledger->root();
    return cocoon::client::builder()
        .proxy("127.0.0.1:1")
        .policy(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests())
        .session(std::move(session))
        .wallet(std::move(w))
        .build(io);
  };
  const auto misconfigured = Catch::Matchers::Predicate<cocoon::error>(
      [](const cocoon::error& e) { return e.code() == cocoon::errc::client_misconfigured; });
  // Without a root, or one whose params cannot derive a client contract, the wallet would never pay.
  CHECK_THROWS_MATCHES(cocoon::client::builder()
                           .proxy("127.0.0.1:1")
                           .policy(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests())
                           .session(test_session())
                           .wallet(net.options())
                           .build(io),
                       cocoon::error, misconfigured);
  auto codeless = test_session();
  codeless.root = net.ledger->root();
  codeless.root->params.client_code.reset();
  CHECK_THROWS_MATCHES(build(net.options(), codeless), cocoon::error, misconfigured);
  // root() and session() may come in either order.
  CHECK(cocoon::client::builder().root(net.ledger->root()).session(test_session()).options().session.root);
  CHECK(cocoon::client::builder().session(test_session()).root(net.ledger->root()).options().session.root);
  auto other = test_session();
  other.owner_address = ton::address(0, cocoon::sha256(cocoon::as_bytes("other"))).to_friendly();
  CHECK_THROWS_MATCHES(build(net.options(), other), cocoon::error, misconfigured);
  auto same = test_session();
  same.owner_address = net.wallet.address().to_raw();  // any form of the same address
  CHECK_NOTHROW(build(net.options(), same));
  auto no_broadcaster = net.options();
  no_broadcaster.broadcast = nullptr;
  CHECK_THROWS_AS(build(no_broadcaster, test_session()), cocoon::error);
}

TEST_CASE("a client never pays a client contract the proxy redirects, or under a proxy contract not its own",
          "[client][local][auth][contracts]") {
  for (const bool redirect_client : {true, false}) {
    CAPTURE(redirect_client);
    asio::io_context io;
    chain net;
    // The proxy operator's wallet on the ledger: where a redirected registration would pay.
    const ton::address thief(0, cocoon::sha256(cocoon::as_bytes("the proxy operator's wallet")));
    net.ledger->open_wallet(thief, cocoon::crypto::ed25519_public_key_of(cocoon::ed25519_secret_key::generate()),
                            nanotons{0U}, true);
    local::proxy_options options{.ledger = net.ledger, .long_authorization = true};
    (redirect_client ? options.announced_client_contract : options.announced_proxy_contract) = thief;
    local::proxy proxy(io.get_executor(), options);
    proxy.start();
    const auto contract = net.fund(proxy);
    const auto balance = net.ledger->wallet_balance(net.wallet.address());
    auto client = cocoon::client::builder()
                      .proxy(address(proxy))
                      .policy(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests())
                      .root(net.ledger->root())
                      .session(test_session())
                      .wallet(net.options())
                      .retries(1)
                      .build(io);
    result r;
    client.async_submit(question(false, 16), [&r](cocoon::error_code ec, cocoon::openai::answer) { r.ec = ec; });
    run_until(io, [&] { return r.ec.has_value(); });
    REQUIRE(r.ec);
    CHECK(*r.ec == (redirect_client ? cocoon::errc::client_contract_mismatch : cocoon::errc::proxy_contract_mismatch));
    CHECK(client.stats().connect_failures == 2);  // the retry is refused alike
    // The registrar never ran: no seqno read, nothing signed or broadcast, no value moved.
    CHECK(net.seqno_reads == 0);
    CHECK(net.broadcast.empty());
    CHECK(net.ledger->wallet_balance(net.wallet.address()) == balance);
    CHECK(net.ledger->wallet_balance(thief) == nanotons{0U});
    CHECK(net.ledger->contract(contract).registered_nonces.empty());
    CHECK(proxy.counters().queries == 0);
    proxy.stop();
  }
}
