#include <cocoon/local/proxy.hpp>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

#include <cocoon/job/job_builder.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

using namespace std::chrono_literals;
namespace asio = boost::asio;
using local_test::connect;
using local_test::question;
using local_test::reference_answer;

namespace {

cocoon::net::proxy_options client_options(cocoon::attest::ratls_policy policy,
                                          std::string secret = "local-client-secret") {
  cocoon::net::session_config session;
  session.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
  session.is_test = true;
  session.secret = std::move(secret);
  session.root = cocoon::local::local_root();  // the local proxy's contracts are checked as real ones
  return {std::move(policy), std::move(session)};
}

/// Runs `io` until `future` is ready.
template <class T>
T wait(asio::io_context& io, std::future<T>& future) {
  while (future.wait_for(0s) != std::future_status::ready) {
    io.run_one_for(50ms);
  }
  return future.get();
}

}  // namespace

TEST_CASE("a client reaches the local proxy through proof of work, RA-TLS and the protocol", "[local][proxy]") {
  asio::io_context io;
  cocoon::local::proxy proxy(io.get_executor(), {});
  proxy.start();
  cocoon::net::proxy_connection connection(
      io.get_executor(), client_options(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests()));
  auto connected = connection.async_connect("127.0.0.1", std::to_string(proxy.port()), asio::use_future);
  wait(io, connected);
  REQUIRE(connection.peer());
  CHECK(connection.peer()->is_fake_tdx());
  REQUIRE(connection.session_info());
  CHECK(connection.session_info()->proxy.is_test == true);

  const std::string expected = reference_answer(proxy.options(), 24);
  REQUIRE(!expected.empty());
  for (const bool stream : {false, true}) {
    std::string streamed;
    auto answered = connection.async_query(
        question(stream), [&](std::string_view t) { streamed += t; }, asio::use_future);
    const auto answer = wait(io, answered);
    CHECK(answer.text == expected);
    CHECK(streamed == expected);
    REQUIRE(answer.usage);
    CHECK(answer.usage->completion_tokens == expected.size());
    CHECK(answer.usage->total_cost == cocoon::nanotons{(answer.usage->total_tokens) * 1000U});
  }
  CHECK(proxy.counters().queries == 2);

  // A model the worker does not serve: the proxy's error reaches the caller with its message.
  cocoon::error_code result;
  cocoon::openai::answer failed;
  connection.async_query(question(false, "some/other-model"), {}, [&](cocoon::error_code ec, cocoon::openai::answer a) {
    result = ec;
    failed = std::move(a);
  });
  while (!result) io.run_one_for(50ms);
  CHECK(result == cocoon::errc::answer_error);
  CHECK(failed.error == "error 651: no ready workers for model some/other-model");
  proxy.stop();
}

TEST_CASE("a proxy whose attestation fails the policy gets no request byte", "[local][proxy]") {
  asio::io_context io;
  cocoon::local::proxy proxy(io.get_executor(), {});
  proxy.start();
  // The default real-TDX policy refuses the local proxy's fake quote during the TLS handshake.
  cocoon::net::proxy_connection connection(io.get_executor(), client_options(cocoon::attest::ratls_policy::tdx()));
  const auto result = connect(io, connection, proxy);
  CHECK(result == cocoon::errc::fake_tdx_refused);
  CHECK(result == cocoon::condition::attestation_rejected);
  CHECK_FALSE(connection.peer());
  for (int i = 0; i < 10; ++i) io.run_one_for(10ms);  // let the proxy see the aborted handshake
  CHECK(proxy.counters().connections == 1);
  CHECK(proxy.counters().handshakes_completed == 0);
  CHECK(proxy.counters().frames_received == 0);
  proxy.stop();
}

TEST_CASE("a wrong client secret is refused by the proxy", "[local][proxy]") {
  asio::io_context io;
  cocoon::local::proxy proxy(io.get_executor(), {});
  proxy.start();
  // The proxy asks for short authorisation with the hash of its own secret; ours differs, so the
  // session asks for on-chain registration instead of sending the secret.
  cocoon::net::proxy_connection connection(
      io.get_executor(),
      client_options(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(), "another secret"));
  const auto result = connect(io, connection, proxy);
  CHECK(result == cocoon::errc::proxy_registration_needed);
  proxy.stop();
}

TEST_CASE("the local proxy lists its one model with its worker's coefficient and load", "[local][proxy][models]") {
  asio::io_context io;
  cocoon::local::proxy proxy(io.get_executor(), {.model_name = "local/listed-model"});
  proxy.start();
  cocoon::net::proxy_connection connection(
      io.get_executor(), client_options(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests()));
  REQUIRE_FALSE(connect(io, connection, proxy));
  auto listed = connection.async_models(asio::use_future);
  const auto models = wait(io, listed);
  REQUIRE(models.size() == 1);
  CHECK(models[0].name == "local/listed-model");
  CHECK(models[0].workers == std::vector<cocoon::net::model_worker>{{1000, 0, 1}});
  CHECK_FALSE(models[0].summary);
  CHECK(connection.usable());  // the connection serves a job after it
  auto answered = connection.async_query(question(false, "local/listed-model"), {}, asio::use_future);
  CHECK_FALSE(wait(io, answered).text.empty());
  proxy.stop();
}
