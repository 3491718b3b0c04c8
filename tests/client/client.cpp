#include <cocoon/client/builder.hpp>
#include <cocoon/client/detail/retry.hpp>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "local/real_tdx_proxy.hpp"
#include "runner_server.hpp"

#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/generate.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/net/tls.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>

#include <future>

using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using client_test::address;
using client_test::question;
using client_test::result;
using client_test::run_until;

namespace {

cocoon::attest::ratls_policy test_policy() {
  return cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests();
}

cocoon::net::session_config me(std::string secret = "local-client-secret") {
  cocoon::net::session_config session;
  session.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
  session.is_test = true;
  session.secret = std::move(secret);
  return session;
}

/// The local proxy on `io`, accepting from construction to the end of its scope.
struct running_proxy : cocoon::local::proxy {
  explicit running_proxy(asio::io_context& io) : cocoon::local::proxy(io.get_executor(), {}) { start(); }
  running_proxy(const running_proxy&) = delete;
  running_proxy& operator=(const running_proxy&) = delete;
  ~running_proxy() { stop(); }
};

/// A client of `proxy` under the test policy and identity; tests add their own settings.
cocoon::client::client_builder proxy_client(const cocoon::local::proxy& proxy,
                                            const cocoon::net::session_config& session = me()) {
  auto builder = cocoon::client::builder();
  builder.proxy(address(proxy)).policy(test_policy()).session(session);
  return builder;
}

/// What the reference model writes for the prompt, computed directly on the CPU backend.
std::string reference_answer(const cocoon::local::proxy& proxy, std::size_t max_tokens = 24) {
  cocoon::backend::cpu_backend model(proxy.options().model);
  return cocoon::backend::generate(model, "What is TON?\n", max_tokens, {}).text;
}

/// Submits through the callback form and runs `io` until the job completes.
result submit(asio::io_context& io, cocoon::client::client& client, const cocoon::job& job) {
  result r;
  client.async_submit(
      job,
      [&](std::string_view part) {
        r.parts += part;
        ++r.part_count;
      },
      [&](cocoon::error_code ec, cocoon::openai::answer answer) {
        r.ec = ec;
        r.answer = std::move(answer);
      });
  run_until(io, [&] { return r.ec.has_value(); });
  return r;
}

/// Submits `job`, which must succeed with `expected` as its text.
result submit_ok(asio::io_context& io, cocoon::client::client& client, const cocoon::job& job,
                 const std::string& expected) {
  auto r = submit(io, client, job);
  REQUIRE(r.ec);
  CHECK_FALSE(*r.ec);
  CHECK(r.answer.text == expected);
  return r;
}

struct slow_read {
  std::string text;
  std::vector<std::string> parts;
  std::optional<cocoon::error_code> end;
  std::string whole;
  std::size_t most_buffered = 0;
};

/// Reads `answer` to its end, waiting `pause` after each part: a reader slower than the sender.
asio::awaitable<void> read_slowly(cocoon::client::answer_stream answer, std::chrono::milliseconds pause, slow_read& r) {
  asio::steady_timer wait(co_await asio::this_coro::executor);
  for (;;) {
    cocoon::error_code ec;
    auto part = co_await answer.async_read_part(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      r.end = ec;
      break;
    }
    r.text += part;
    r.parts.push_back(std::move(part));
    wait.expires_after(pause);
    co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  r.whole = answer.answer().text;
  r.most_buffered = answer.most_buffered();
}

/// A loopback port with nothing listening on it.
std::string closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return std::to_string(port);
}

/// A server that speaks COCOON's proof of work and TLS but whose certificate carries no
/// attestation: the stand-in for a proxy that is not what it claims. Counts what it receives.
class unattested_proxy {
 public:
  explicit unattested_proxy(asio::any_io_executor executor)
      : executor_(std::move(executor)),
        acceptor_(executor_, {asio::ip::make_address("127.0.0.1"), 0}),
        tls_(asio::ssl::context::tls_server) {
    cocoon::net::apply_cocoon_tls_settings(
        tls_, cocoon::net::make_ed25519_certificate(cocoon::ed25519_secret_key::generate(), {}));
    asio::co_spawn(executor_, accept_loop(), asio::detached);
  }
  void stop() { acceptor_.close(); }
  [[nodiscard]] std::string address() const { return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> handshakes_completed{0};
  std::atomic<std::size_t> handshakes_failed{0};
  std::atomic<std::size_t> application_bytes{0};

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      cocoon::error_code ec;
      auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++connections;
      asio::co_spawn(executor_, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    using asio::redirect_error;
    using asio::use_awaitable;
    cocoon::error_code ec;
    cocoon::net::pow_challenge challenge;
    challenge.difficulty = 1;
    const auto challenge_bytes = challenge.serialize();
    co_await asio::async_write(socket, asio::buffer(challenge_bytes), redirect_error(use_awaitable, ec));
    std::array<std::byte, 12> response{};
    if (!ec) co_await asio::async_read(socket, asio::buffer(response), redirect_error(use_awaitable, ec));
    if (ec) co_return;
    asio::ssl::stream<tcp::socket> stream(std::move(socket), tls_);
    co_await stream.async_handshake(asio::ssl::stream_base::server, redirect_error(use_awaitable, ec));
    if (ec) {
      ++handshakes_failed;
      co_return;
    }
    ++handshakes_completed;
    std::array<std::byte, 4096> buffer{};
    for (;;) {
      const auto n = co_await stream.async_read_some(asio::buffer(buffer), redirect_error(use_awaitable, ec));
      if (ec) co_return;
      application_bytes += n;
    }
  }

  asio::any_io_executor executor_;
  tcp::acceptor acceptor_;
  asio::ssl::context tls_;
};

/// Accepts TCP connections and never says anything.
struct silent_server {
  explicit silent_server(asio::io_context& io) : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    acceptor.async_accept([this](cocoon::error_code ec, tcp::socket s) {
      if (!ec) held = std::move(s);
    });
  }
  [[nodiscard]] std::string address() const { return "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()); }
  tcp::acceptor acceptor;
  std::optional<tcp::socket> held;
};

}  // namespace

TEST_CASE("proxy addresses parse as host:port", "[client]") {
  const auto plain = cocoon::client::proxy_address::parse("91.108.4.1:8888");
  CHECK(plain.host == "91.108.4.1");
  CHECK(plain.port == "8888");
  const auto v6 = cocoon::client::proxy_address::parse("[::1]:443");
  CHECK(v6.host == "::1");
  CHECK(v6.port == "443");
  for (const auto* bad : {"host", "host:", ":80", "host:123456", "host:8x", "a/b:80", "[::1]", "u@h:1"}) {
    INFO(bad);
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::client::proxy_address::parse(bad, ec));
    CHECK(ec == cocoon::errc::invalid_url);
    CHECK_THROWS_AS(cocoon::client::proxy_address::parse(bad), cocoon::error);
  }
}

TEST_CASE("a client needs an endpoint, and a policy for its proxies", "[client]") {
  asio::io_context io;
  const auto code_of = [&](const cocoon::client::client_builder& b) {
    try {
      (void)b.build(io);
    } catch (const cocoon::error& e) {
      return e.code();
    }
    return std::error_code{};
  };
  CHECK(code_of(cocoon::client::builder()) == cocoon::errc::client_misconfigured);
  CHECK(code_of(cocoon::client::builder().proxy("127.0.0.1:1")) == cocoon::errc::client_misconfigured);
  // The error-code form says the same without throwing, and builds what the throwing form builds.
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::client::builder().proxy("127.0.0.1:1").build(io.get_executor(), ec));
  CHECK(ec == cocoon::errc::client_misconfigured);
  const auto built = cocoon::client::builder().http("http://127.0.0.1:1").build(io.get_executor(), ec);
  REQUIRE(built);
  CHECK_FALSE(ec);
  CHECK(built->options().runners.size() == 1);
  CHECK(code_of(cocoon::client::builder().http("http://127.0.0.1:1").connections_per_proxy(0)) ==
        cocoon::errc::client_misconfigured);
  CHECK(code_of(cocoon::client::builder().http("http://127.0.0.1:1").stream_buffer(0)) ==
        cocoon::errc::client_misconfigured);
  CHECK(cocoon::client::builder().options().stream_buffer == 64);
  CHECK_FALSE(code_of(cocoon::client::builder().proxy("127.0.0.1:1").policy(test_policy())));
  CHECK_FALSE(code_of(cocoon::client::builder().http("http://127.0.0.1:1")));
  CHECK_THROWS_AS(cocoon::client::builder().http("https://x"), cocoon::error);

  cocoon::ton::cocoon_root_config root;
  root.proxies = {{1, "10.0.0.1:5222 10.0.0.1:8888"}, {2, "10.0.0.2:8888"}};
  auto b = cocoon::client::builder();
  const auto& from_root = b.proxies(root).options().proxies;
  REQUIRE(from_root.size() == 2);
  CHECK(from_root[0].host == "10.0.0.1");
  CHECK(from_root[0].port == "8888");
  CHECK(from_root[1].host == "10.0.0.2");
}

TEST_CASE("retries only what provably did not run, after a bounded random backoff", "[client]") {
  using cocoon::client::detail::attempt_stage;
  using cocoon::client::detail::may_retry;
  const cocoon::error_code refused = asio::error::connection_refused;
  const cocoon::error_code attestation = cocoon::errc::fake_tdx_refused;
  const cocoon::error_code reset = asio::error::connection_reset;
  CHECK(may_retry(refused, attempt_stage::connecting, false, false, false));
  CHECK(may_retry(attestation, attempt_stage::connecting, false, false, false));
  CHECK_FALSE(may_retry(reset, attempt_stage::querying, false, false, false));
  CHECK(may_retry(reset, attempt_stage::querying, true, false, false));
  CHECK_FALSE(may_retry(reset, attempt_stage::querying, true, true, false));       // parts already shown
  CHECK_FALSE(may_retry(refused, attempt_stage::connecting, false, false, true));  // stopped
  CHECK_FALSE(may_retry(asio::error::operation_aborted, attempt_stage::connecting, true, false, false));
  CHECK_FALSE(may_retry({}, attempt_stage::connecting, true, false, false));
  CHECK(cocoon::client::detail::is_connect_failure(refused));
  CHECK_FALSE(cocoon::client::detail::is_connect_failure(reset));

  using cocoon::client::detail::backoff_delay;
  CHECK(backoff_delay(0, 100ms, 2s) == 0ms);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    const auto first = backoff_delay(1, 100ms, 2s);
    CHECK(first <= 100ms);
    const auto late = backoff_delay(30, 100ms, 2s);
    CHECK(late <= 2s);
    seen.insert(backoff_delay(3, 100ms, 2s).count());
    CHECK(*seen.rbegin() <= 400);
  }
  CHECK(seen.size() > 50);  // jittered, not a fixed wait
}

TEST_CASE("streamed answers over one reused attested connection", "[client][local]") {
  asio::io_context io;
  running_proxy proxy(io);
  auto client = proxy_client(proxy).build(io);
  const auto expected = reference_answer(proxy);
  REQUIRE(!expected.empty());
  for (int i = 0; i < 4; ++i) {
    const auto r = submit_ok(io, client, question(i % 2 == 0), expected);
    CHECK(r.parts == expected);
    if (i % 2 == 0) CHECK(r.part_count > 1);  // streamed: several parts
  }
  CHECK(proxy.counters().connections == 1);
  CHECK(proxy.counters().handshakes_completed == 1);
  CHECK(proxy.counters().queries == 4);
  CHECK(proxy.counters().sealed_queries == 0);
  CHECK(client.stats().connects == 1);
  CHECK(client.stats().reuses == 3);
  CHECK(client.stats().retries == 0);

  // Sealed to the proxy's attested key: the same answer, and the proxy saw envelopes.
  auto sealing = proxy_client(proxy).seal_jobs().build(io);
  for (int i = 0; i < 2; ++i) {
    const auto r = submit(io, sealing, question());
    REQUIRE(r.ec);
    CHECK_FALSE(*r.ec);
    CHECK(r.parts == expected);
  }
  CHECK(proxy.counters().sealed_queries == 2);
  CHECK(proxy.counters().handshakes_completed == 2);
}

TEST_CASE("concurrent jobs share a small pool of connections", "[client][local]") {
  asio::io_context io;
  running_proxy proxy(io);
  auto client = proxy_client(proxy).connections_per_proxy(2).build(io);
  const auto expected = reference_answer(proxy, 8);
  std::vector<result> results(8);
  for (auto& r : results) {
    client.async_submit(
        question(true, 8), [&r](std::string_view part) { r.parts += part; },
        [&r](cocoon::error_code ec, cocoon::openai::answer answer) {
          r.ec = ec;
          r.answer = std::move(answer);
        });
  }
  run_until(io, [&] {
    return std::all_of(results.begin(), results.end(), [](const result& r) { return r.ec.has_value(); });
  });
  for (const auto& r : results) {
    REQUIRE(r.ec);
    CHECK_FALSE(*r.ec);
    CHECK(r.parts == expected);
  }
  CHECK(proxy.counters().handshakes_completed == 2);
  CHECK(proxy.counters().queries == 8);
  CHECK(client.stats().connects == 2);
  CHECK(client.stats().reuses == 6);
}

TEST_CASE("callback, use_future and use_awaitable all complete a job", "[client][local]") {
  asio::io_context io;
  running_proxy proxy(io);
  test::runner_server runner(io.get_executor(), {});
  const auto expected = reference_answer(proxy);
  for (const bool through_proxy : {true, false}) {
    INFO((through_proxy ? "proxy" : "runner"));
    auto b = cocoon::client::builder();
    if (through_proxy) {
      b = proxy_client(proxy);
    } else {
      b.http(runner.url());
    }
    auto client = b.build(io);
    const auto& text = through_proxy ? expected : runner.text();

    submit_ok(io, client, question(), text);

    std::string parts;
    auto future = client.async_submit(
        question(), [&](std::string_view part) { parts += part; }, asio::use_future);
    run_until(io, [&] { return future.wait_for(0s) == std::future_status::ready; });
    CHECK(future.get().text == text);
    CHECK(parts == text);

    std::optional<std::string> awaited;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          const auto answer = co_await client.async_submit(question(false), asio::use_awaitable);
          awaited = answer.text;
        },
        asio::detached);
    run_until(io, [&] { return awaited.has_value(); });
    CHECK(awaited == text);

    // Without a token the operation is deferred: nothing runs until it is awaited or given a
    // handler, and the part handler still sees every part.
    std::optional<std::string> deferred;
    std::string deferred_parts;
    auto pending = client.async_submit(question(), [&](std::string_view part) { deferred_parts += part; });
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          const auto [ec, answer] = co_await client.async_submit(question(false))(asio::as_tuple(asio::use_awaitable));
          CHECK_FALSE(ec);
          deferred = answer.text;
        },
        asio::detached);
    run_until(io, [&] { return deferred.has_value(); });
    CHECK(deferred == text);
    CHECK(deferred_parts.empty());
    std::optional<cocoon::error_code> launched;
    std::move(pending)([&](cocoon::error_code ec, cocoon::openai::answer answer) {
      launched = ec;
      CHECK(answer.text == text);
    });
    run_until(io, [&] { return launched.has_value(); });
    CHECK_FALSE(*launched);
    CHECK(deferred_parts == text);
  }
  CHECK(runner.requests == 5);
  CHECK(proxy.counters().queries == 5);
  runner.stop();
}

TEST_CASE("the models on offer, from the local proxy and from a runner's /v1/models", "[client][models]") {
  asio::io_context io;
  running_proxy proxy(io);
  test::runner_server runner(io.get_executor(), {});
  {
    // The local proxy's one model: one worker at the base price, idle between jobs.
    auto client = proxy_client(proxy).build(io);
    auto first = client.async_models(asio::use_future);
    run_until(io, [&] { return first.wait_for(0s) == std::future_status::ready; });
    const std::vector<cocoon::net::model_info> local{{"cocoon/reference-byte-lm", {{1000, 0, 1}}, std::nullopt}};
    CHECK(first.get() == local);
    // The connection went back to the pool: a job and the next list reuse it.
    submit_ok(io, client, question(), reference_answer(proxy));
    std::optional<cocoon::error_code> ec;
    std::vector<cocoon::net::model_info> again;
    client.async_models([&](cocoon::error_code e, std::vector<cocoon::net::model_info> models) {
      ec = e;
      again = std::move(models);
    });
    run_until(io, [&] { return ec.has_value(); });
    CHECK(ec == cocoon::error_code{});
    CHECK(again == local);
    CHECK(client.stats().connects == 1);
    CHECK(client.stats().reuses == 2);
  }
  {
    auto client = cocoon::client::builder().http(runner.url()).build(io);
    auto listed = client.async_models(asio::use_future);
    run_until(io, [&] { return listed.wait_for(0s) == std::future_status::ready; });
    const std::vector<cocoon::net::model_info> expected{{"Qwen/Qwen3-8B", {{1000, 1, 8}, {1500, 0, 4}}, std::nullopt}};
    CHECK(listed.get() == expected);
  }
  {
    // A runner that speaks protocol 0 to its proxy lists names only; one without a proxy fails.
    test::runner_server old(io.get_executor(),
                            {.models = R"({"object":"list","data":[{"id":"a","object":"model","created":0,)"
                                       R"("owned_by":"?"}],"object":"list"})"});
    test::runner_server lost(io.get_executor(), {.status = 502});
    auto client = cocoon::client::builder().http(old.url()).build(io);
    auto listed = client.async_models(asio::use_future);
    run_until(io, [&] { return listed.wait_for(0s) == std::future_status::ready; });
    CHECK(listed.get() == std::vector<cocoon::net::model_info>{{"a", {}, std::nullopt}});
    auto failing = cocoon::client::builder().http(lost.url()).build(io);
    std::optional<cocoon::error_code> ec;
    failing.async_models([&](cocoon::error_code e, std::vector<cocoon::net::model_info>) { ec = e; });
    run_until(io, [&] { return ec.has_value(); });
    CHECK(ec == cocoon::errc::answer_error);
    old.stop();
    lost.stop();
  }
  CHECK(runner.requests == 1);
  runner.stop();
}

TEST_CASE("errors arrive as codes, exceptions and thrown errors by token style", "[client]") {
  asio::io_context io;
  test::runner_server failing(io.get_executor(), {.status = 503});
  auto client = cocoon::client::builder().http(failing.url()).retries(3).build(io);
  auto future = client.async_submit(question(), asio::use_future);
  run_until(io, [&] { return future.wait_for(0s) == std::future_status::ready; });
  try {
    (void)future.get();
    FAIL("no exception");
  } catch (const boost::system::system_error& e) {
    CHECK(e.code() == cocoon::errc::answer_error);
  }
  // The runner accepted the job, so it may have run: no retry without an idempotency key.
  CHECK(failing.requests == 1);

  bool thrown = false;
  const auto keyed = cocoon::job_builder().model("m").user("x").idempotency_key("job-42").build();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        try {
          (void)co_await client.async_submit(keyed, asio::use_awaitable);
        } catch (const boost::system::system_error& e) {
          thrown = e.code() == cocoon::errc::answer_error;
        }
      },
      asio::detached);
  run_until(io, [&] { return thrown; });
  CHECK(thrown);
  // With an idempotency key the job is repeated: 1 + 3 retries.
  CHECK(failing.requests == 1 + 4);
  CHECK(client.stats().retries == 3);
  failing.stop();
}

TEST_CASE("cancelling mid-stream stops the parts and frees the connection", "[client]") {
  asio::io_context io;
  SECTION("runner: the HTTP connection is closed and the server sees the answer abandoned") {
    test::runner_server runner(io.get_executor(),
                               {.parts = std::vector<std::string>(20, "word "), .pause = 30ms, .status = 200});
    auto client = cocoon::client::builder().http(runner.url()).build(io);
    asio::cancellation_signal cancel;
    result r;
    client.async_submit(
        question(),
        [&](std::string_view part) {
          r.parts += part;
          if (++r.part_count == 2) cancel.emit(asio::cancellation_type::terminal);
        },
        asio::bind_cancellation_slot(cancel.slot(), [&](cocoon::error_code ec, cocoon::openai::answer) { r.ec = ec; }));
    run_until(io, [&] { return r.ec.has_value() && runner.abandoned == 1; });
    CHECK(r.ec == asio::error::operation_aborted);
    CHECK(r.part_count == 2);
    CHECK(runner.abandoned == 1);
    CHECK(runner.completed == 0);
    runner.stop();
  }
  SECTION("proxy: no part after the cancellation, and the next job runs") {
    running_proxy proxy(io);
    auto client = proxy_client(proxy).build(io);
    asio::cancellation_signal cancel;
    result r;
    client.async_submit(
        question(true, 64),
        [&](std::string_view part) {
          r.parts += part;
          if (++r.part_count == 1) cancel.emit(asio::cancellation_type::terminal);
        },
        asio::bind_cancellation_slot(cancel.slot(), [&](cocoon::error_code ec, cocoon::openai::answer) { r.ec = ec; }));
    run_until(io, [&] { return r.ec.has_value(); });
    CHECK(r.ec == asio::error::operation_aborted);
    CHECK(r.part_count == 1);

    submit_ok(io, client, question(), reference_answer(proxy));
    CHECK(proxy.counters().queries == 2);
  }
}

TEST_CASE("a job past its deadline completes with deadline_exceeded", "[client]") {
  asio::io_context io;
  SECTION("runner answering too slowly") {
    test::runner_server slow(io.get_executor(), {.parts = {"a", "b", "c"}, .pause = 400ms, .status = 200});
    auto client = cocoon::client::builder().http(slow.url()).timeout(250ms).build(io);
    const auto started = std::chrono::steady_clock::now();
    const auto r = submit(io, client, question());
    CHECK(r.ec == cocoon::errc::deadline_exceeded);
    CHECK(*r.ec == cocoon::condition::service_error);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(r.part_count == 0);
    slow.stop();
  }
  SECTION("the job's own shorter timeout") {
    test::runner_server slow(io.get_executor(), {.parts = {"a", "b", "c"}, .pause = 400ms, .status = 200});
    auto client = cocoon::client::builder().http(slow.url()).timeout(30s).build(io);
    const auto job = cocoon::job_builder().model("m").user("x").stream().timeout(250ms).build();
    const auto r = submit(io, client, job);
    CHECK(r.ec == cocoon::errc::deadline_exceeded);
    slow.stop();
  }
  SECTION("a proxy that never answers the connection") {
    silent_server silent(io);
    auto client =
        cocoon::client::builder().proxy(silent.address()).policy(test_policy()).session(me()).timeout(300ms).build(io);
    const auto r = submit(io, client, question());
    CHECK(r.ec == cocoon::errc::deadline_exceeded);
  }
}

TEST_CASE("jobs' deadlines share a timer: a shorter one submitted later still expires in time", "[client]") {
  asio::io_context io;
  test::runner_server slow(io.get_executor(), {.parts = {"a", "b", "c"}, .pause = 150ms, .status = 200});
  auto client = cocoon::client::builder().http(slow.url()).timeout(30s).build(io);
  const auto hasty = cocoon::job_builder().model("m").user("x").stream().timeout(200ms).build();
  std::optional<cocoon::error_code> long_end;
  std::string long_text;
  client.async_submit(question(), [&](cocoon::error_code ec, cocoon::openai::answer answer) {
    long_end = ec;
    long_text = answer.text;
  });
  // The timer waits for the first job's 30 s deadline; each of these comes earlier.
  for (int round = 0; round < 2; ++round) {
    const auto started = std::chrono::steady_clock::now();
    const auto r = submit(io, client, hasty);
    CHECK(r.ec == cocoon::errc::deadline_exceeded);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
  }
  run_until(io, [&] { return long_end.has_value(); });
  REQUIRE(long_end);
  CHECK_FALSE(*long_end);
  CHECK(long_text == "abc");
  // A job that ended in time leaves no deadline behind to stop a later one.
  const auto quick = submit(io, client, cocoon::job_builder().model("m").user("x").stream().timeout(1s).build());
  CHECK_FALSE(*quick.ec);
  slow.stop();
}

TEST_CASE("failover: a proxy that is down or unattested is passed over for the next", "[client][local]") {
  asio::io_context io;
  running_proxy proxy(io);
  const auto expected = reference_answer(proxy);
  SECTION("the first proxy is down") {
    auto client = cocoon::client::builder()
                      .proxy("127.0.0.1:" + closed_port())
                      .proxy(address(proxy))
                      .policy(test_policy())
                      .session(me())
                      .backoff(1ms, 5ms)
                      .build(io);
    for (int i = 0; i < 3; ++i) {
      submit_ok(io, client, question(), expected);
    }
    // Only the first job met the dead proxy; the others went straight to the one that worked.
    CHECK(client.stats().connect_failures == 1);
    CHECK(client.stats().failovers == 1);
    CHECK(client.stats().retries == 1);
    CHECK(client.stats().attempts == 4);
    CHECK(proxy.counters().handshakes_completed == 1);
    CHECK(proxy.counters().queries == 3);
  }
  SECTION("the first proxy fails attestation: its handshake is aborted before any request byte") {
    unattested_proxy impostor(io.get_executor());
    auto client = cocoon::client::builder()
                      .proxy(impostor.address())
                      .proxy(address(proxy))
                      .policy(test_policy())
                      .session(me())
                      .backoff(1ms, 5ms)
                      .build(io);
    submit_ok(io, client, question(), expected);
    run_until(io, [&] { return impostor.handshakes_failed == 1; });
    CHECK(impostor.connections == 1);
    CHECK(impostor.handshakes_completed == 0);
    CHECK(impostor.handshakes_failed == 1);
    CHECK(impostor.application_bytes == 0);
    CHECK(client.stats().connect_failures == 1);
    CHECK(client.stats().failovers == 1);
    CHECK(proxy.counters().queries == 1);
    impostor.stop();
  }
  SECTION("the runner's HTTP API as the fallback of a dead one") {
    test::runner_server runner(io.get_executor(), {});
    auto client = cocoon::client::builder()
                      .http("http://127.0.0.1:" + closed_port())
                      .http(runner.url())
                      .backoff(1ms, 5ms)
                      .build(io);
    submit_ok(io, client, question(), runner.text());
    CHECK(client.stats().failovers == 1);
    CHECK(runner.requests == 1);
    runner.stop();
  }
}

TEST_CASE("a refused attestation sends the proxy no request byte, on every attempt", "[client][local]") {
  asio::io_context io;
  running_proxy proxy(io);
  // The real-TDX policy refuses the local proxy's fake quote inside the TLS handshake.
  auto client = cocoon::client::builder()
                    .proxy(address(proxy))
                    .policy(cocoon::attest::ratls_policy::tdx())
                    .session(me())
                    .retries(1)
                    .backoff(1ms, 5ms)
                    .build(io);
  const auto r = submit(io, client, question());
  CHECK(r.ec == cocoon::errc::fake_tdx_refused);
  CHECK(*r.ec == cocoon::condition::attestation_rejected);
  CHECK(r.part_count == 0);
  for (int i = 0; i < 10; ++i) io.run_one_for(10ms);  // let the proxy see the aborted handshakes
  CHECK(proxy.counters().connections == 2);
  CHECK(proxy.counters().handshakes_completed == 0);
  CHECK(proxy.counters().frames_received == 0);
  CHECK(proxy.counters().queries == 0);
  CHECK(client.stats().connect_failures == 2);
  CHECK(client.stats().connects == 0);
}

TEST_CASE("the builder's collateral judges a real TDX proxy; fetched collateral serves the client's connections",
          "[client][local]") {
  local_test::real_tdx_proxy network;
  auto& io = network.io;
  const auto policy = cocoon::attest::ratls_policy::tdx(network.anchors);
  const auto base = [&] {
    return cocoon::client::builder().proxy(network.address()).policy(policy).session(me()).retries(0);
  };
  // No collateral: refused before any frame.
  auto refused = base().build(io);
  CHECK(submit(io, refused, question()).ec == cocoon::errc::collateral_required);
  CHECK(network.proxy->counters().frames_received == 0);

  auto offline = base().collateral(network.bundle()).build(io);
  CHECK(submit(io, offline, question()).ec == cocoon::error_code{});

  const auto server = local_test::pccs(network.collateral, "UpToDate");
  auto fetching =
      base()
          .fetch_collateral({.base_url = server.url(), .root_ca_crl_url = server.url() + "/IntelSGXRootCA.der"})
          .build(io);
  CHECK(submit(io, fetching, question()).ec == cocoon::error_code{});
  fetching.close_idle();
  CHECK(submit(io, fetching, question()).ec == cocoon::error_code{});
  CHECK(fetching.stats().connects == 2);
  CHECK(server.targets().size() == 4);  // one fetch for both connections
}

TEST_CASE("an answer read as a stream of parts", "[client][local]") {
  asio::io_context io;
  running_proxy proxy(io);
  test::runner_server slow(io.get_executor(),
                           {.parts = std::vector<std::string>(20, "word "), .pause = 30ms, .status = 200});
  auto client = proxy_client(proxy).build(io);
  const auto expected = reference_answer(proxy);

  std::string text;
  std::size_t parts = 0;
  cocoon::error_code end;
  std::string whole;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto answer = client.stream(question());
        for (;;) {
          cocoon::error_code ec;
          const auto part = co_await answer.async_read_part(asio::redirect_error(asio::use_awaitable, ec));
          if (ec) {
            end = ec;
            break;
          }
          text += part;
          ++parts;
        }
        whole = answer.answer().text;
      },
      asio::detached);
  run_until(io, [&] { return end.failed(); });
  CHECK(end == asio::error::eof);
  CHECK(text == expected);
  CHECK(whole == expected);
  CHECK(parts > 1);

  // Cancelled after its first part: what was not read yet is dropped, the read ends in an abort.
  auto runner = cocoon::client::builder().http(slow.url()).build(io);
  auto answer = runner.stream(question());
  std::optional<cocoon::error_code> first;
  answer.async_read_part([&](cocoon::error_code ec, std::string) {
    first = ec;
    answer.cancel();
  });
  run_until(io, [&] { return first.has_value(); });
  CHECK(first == cocoon::error_code{});
  std::vector<cocoon::error_code> later;
  std::function<void(cocoon::error_code, std::string)> read_on = [&](cocoon::error_code ec, std::string) {
    later.push_back(ec);
    if (!ec) answer.async_read_part(read_on);
  };
  answer.async_read_part(read_on);
  run_until(io, [&] { return !later.empty() && later.back().failed(); });
  REQUIRE(!later.empty());
  CHECK(later.back() == asio::error::operation_aborted);
  CHECK(later.size() == 1);
  run_until(io, [&] { return slow.abandoned == 1; });
  CHECK(slow.abandoned == 1);
  slow.stop();
}

TEST_CASE("backpressure: a slow reader gets the whole answer in order, never more than the bound buffered",
          "[client][local]") {
  asio::io_context io;
  SECTION("proxy") {
    running_proxy proxy(io);
    auto client = proxy_client(proxy).stream_buffer(2).build(io);
    const auto expected = reference_answer(proxy, 64);
    REQUIRE(expected.size() > 8);
    slow_read r;
    asio::co_spawn(io, read_slowly(client.stream(question(true, 64)), 15ms, r), asio::detached);
    run_until(io, [&] { return r.end.has_value(); });
    CHECK(r.end == asio::error::eof);
    CHECK(r.text == expected);
    CHECK(r.whole == expected);
    CHECK(r.parts.size() > 8);
    // The bound was reached (the reader was slower) and never passed.
    CHECK(r.most_buffered == 2);
  }
  SECTION("runner") {
    std::vector<std::string> words;
    for (int i = 0; i < 40; ++i) words.push_back("w" + std::to_string(i) + " ");
    test::runner_server runner(io.get_executor(), {.parts = words, .pause = 0ms, .status = 200});
    auto client = cocoon::client::builder().http(runner.url()).stream_buffer(3).build(io);
    slow_read r;
    asio::co_spawn(io, read_slowly(client.stream(question()), 3ms, r), asio::detached);
    run_until(io, [&] { return r.end.has_value(); });
    CHECK(r.end == asio::error::eof);
    CHECK(r.parts == words);  // every part, each once, in order
    CHECK(r.whole == runner.text());
    CHECK(r.most_buffered == 3);
    run_until(io, [&] { return runner.completed == 1; });
    CHECK(runner.completed == 1);
    runner.stop();
  }
}

TEST_CASE("backpressure: a stream cancelled while its reads are paused aborts and frees the connection",
          "[client][local]") {
  asio::io_context io;
  running_proxy proxy(io);
  auto client = proxy_client(proxy).connections_per_proxy(1).stream_buffer(1).build(io);
  auto answer = client.stream(question(true, 64));
  // Nobody reads: one part waits, and the stream stays at its bound.
  run_until(io, [&] { return answer.most_buffered() == 1; });
  io.run_for(100ms);
  CHECK(answer.most_buffered() == 1);
  answer.cancel();
  std::optional<cocoon::error_code> read;
  answer.async_read_part([&](cocoon::error_code ec, std::string) { read = ec; });
  run_until(io, [&] { return read.has_value(); });
  CHECK(read == asio::error::operation_aborted);

  // The only connection was given back: the next job runs and is answered in full.
  submit_ok(io, client, question(), reference_answer(proxy));
  CHECK(proxy.counters().queries == 2);
}

namespace {

/// Keepalive on a short clock: a ping after 100 ms of silence, given up after 300 ms.
cocoon::net::session_config quick_keepalive() {
  auto session = me();
  session.ping_after = 100ms;
  session.give_up_after = 300ms;
  return session;
}

}  // namespace

TEST_CASE("an idle pooled connection is kept alive with pings and reused", "[client][local][keepalive]") {
  asio::io_context io;
  running_proxy proxy(io);
  auto client = proxy_client(proxy, quick_keepalive()).build(io);
  const auto expected = reference_answer(proxy);
  submit_ok(io, client, question(), expected);

  // Idle for four give_up_after periods: the connection lives only if our pings are answered.
  io.run_for(1200ms);
  CHECK(proxy.counters().pings >= 4);
  submit_ok(io, client, question(), expected);
  CHECK(proxy.counters().handshakes_completed == 1);
  CHECK(client.stats().connects == 1);
  CHECK(client.stats().reuses == 1);
  CHECK(client.stats().idle_dropped == 0);
}

TEST_CASE("an idle connection that fails is dropped, and the next job opens a fresh one",
          "[client][local][keepalive]") {
  asio::io_context io;
  running_proxy proxy(io);
  const auto expected = reference_answer(proxy);
  // The failed connection is never handed to the second job: it opens a new one, without a retry.
  const auto second_job_reconnects = [&](cocoon::client::client& client) {
    submit_ok(io, client, question(), expected);
    CHECK(proxy.counters().handshakes_completed == 2);
    CHECK(client.stats().connects == 2);
    CHECK(client.stats().reuses == 0);
    CHECK(client.stats().idle_dropped == 1);
    CHECK(client.stats().retries == 0);
  };
  SECTION("the proxy stops answering") {
    auto client = proxy_client(proxy, quick_keepalive()).build(io);
    submit_ok(io, client, question(), expected);
    proxy.set_silent(true);
    io.run_for(600ms);  // twice give_up_after without a pong
    CHECK(proxy.counters().pings >= 1);
    proxy.set_silent(false);
    second_job_reconnects(client);
  }
  SECTION("the connection stays idle longer than idle_timeout") {
    auto client = proxy_client(proxy, quick_keepalive()).idle_timeout(200ms).build(io);
    submit_ok(io, client, question(), expected);
    io.run_for(400ms);
    CHECK(proxy.counters().pings >= 1);  // kept alive until the idle limit ended it
    second_job_reconnects(client);
  }
}

TEST_CASE("a client closed with idle connections or a job in flight lets io.run() return",
          "[client][local][keepalive]") {
  asio::io_context io;
  running_proxy proxy(io);
  const auto expected = reference_answer(proxy);
  // Kept alive: close_idle() alone must leave nothing pending, the job's deadline timer included.
  std::optional<cocoon::client::client> kept;
  SECTION("close_idle() on a client still held") {
    kept.emplace(proxy_client(proxy, quick_keepalive()).timeout(60s).build(io));
    result r;
    kept->async_submit(question(), [&](cocoon::error_code ec, cocoon::openai::answer answer) {
      r.ec = ec;
      r.answer = std::move(answer);
      kept->close_idle();
    });
    run_until(io, [&] { return r.ec.has_value(); });
    CHECK(r.answer.text == expected);
  }
  SECTION("idle connections") {
    auto client = proxy_client(proxy, quick_keepalive()).connections_per_proxy(2).build(io);
    std::vector<result> results(2);
    for (auto& r : results) {
      client.async_submit(question(), [&r](cocoon::error_code ec, cocoon::openai::answer answer) {
        r.ec = ec;
        r.answer = std::move(answer);
      });
    }
    run_until(io, [&] { return results[0].ec && results[1].ec; });
    for (const auto& r : results) CHECK(r.answer.text == expected);
    CHECK(client.stats().connects == 2);
  }
  SECTION("a job still in flight when the last handle goes") {
    std::optional<cocoon::client::client> client;
    client.emplace(proxy_client(proxy, quick_keepalive()).build(io));
    result r;
    client->async_submit(
        question(true, 64), [&](std::string_view part) { r.parts += part; },
        [&](cocoon::error_code ec, cocoon::openai::answer answer) {
          r.ec = ec;
          r.answer = std::move(answer);
        });
    run_until(io, [&] { return !r.parts.empty(); });
    client.reset();
    run_until(io, [&] { return r.ec.has_value(); });
    REQUIRE(r.ec);
    CHECK_FALSE(*r.ec);
    CHECK(r.answer.text == reference_answer(proxy, 64));
  }
  // The client is gone or idle: its connections close, the proxy ends their sessions, nothing is
  // left (the client's timeout is longer than the wait).
  proxy.stop();
  io.run_for(10s);
  CHECK(io.stopped());
}

TEST_CASE("proxy_connection: the keepalive runs between queries, a query stops it, a silent proxy ends it",
          "[net][local][keepalive]") {
  asio::io_context io;
  running_proxy proxy(io);
  cocoon::net::proxy_connection connection(io.get_executor(), {test_policy(), quick_keepalive()});
  std::optional<cocoon::error_code> connected;
  connection.async_connect("127.0.0.1", std::to_string(proxy.port()), [&](cocoon::error_code ec) { connected = ec; });
  run_until(io, [&] { return connected.has_value(); });
  REQUIRE(connected == cocoon::error_code{});
  const auto query = [&] {
    result r;
    connection.async_query(
        question(), [&](std::string_view part) { r.parts += part; },
        [&](cocoon::error_code ec, cocoon::openai::answer answer) {
          r.ec = ec;
          r.answer = std::move(answer);
        });
    run_until(io, [&] { return r.ec.has_value(); });
    return r;
  };

  connection.keep_alive(10s);
  io.run_for(500ms);
  CHECK(proxy.counters().pings >= 2);
  CHECK(connection.usable());
  // The query stops the keepalive itself; its answer arrives whole, frames neither lost nor repeated.
  const auto answered = query();
  CHECK(answered.ec == cocoon::error_code{});
  CHECK(answered.answer.text == reference_answer(proxy));
  CHECK(answered.parts == reference_answer(proxy));

  connection.keep_alive(10s);
  proxy.set_silent(true);
  io.run_for(500ms);  // past give_up_after without a pong
  CHECK_FALSE(connection.usable());
  std::optional<cocoon::error_code> stopped;
  connection.async_stop_keepalive([&](cocoon::error_code ec) { stopped = ec; });
  run_until(io, [&] { return stopped.has_value(); });
  CHECK(stopped == cocoon::errc::timed_out);
  // A query on the failed connection fails at once with the same reason; nothing is sent.
  const auto queries = proxy.counters().queries.load();
  proxy.set_silent(false);
  CHECK(query().ec == cocoon::errc::timed_out);
  CHECK(proxy.counters().queries == queries);
}

TEST_CASE("a stream cut short fails the job on both transports, sealed or plain, wherever it is cut",
          "[client][local]") {
  using cocoon::local::stream_cut;
  for (const auto cut : {stream_cut::before_done, stream_cut::mid_event, stream_cut::before_usage}) {
    INFO("cut " << static_cast<int>(cut));
    asio::io_context io;
    cocoon::local::proxy proxy(io.get_executor(), {.cut_streams = cut});
    proxy.start();
    test::runner_server runner(io.get_executor(), {.cut = cut});
    for (const auto* transport : {"proxy", "sealed proxy", "runner"}) {
      INFO(transport);
      const bool through_proxy = transport != std::string_view("runner");
      auto b = cocoon::client::builder();
      if (through_proxy) {
        b = proxy_client(proxy);
        if (transport == std::string_view("sealed proxy")) b.seal_jobs();
      } else {
        b.http(runner.url());
      }
      auto client = b.retries(0).build(io);
      const auto text = through_proxy ? reference_answer(proxy) : runner.text();
      const auto r = submit(io, client, question());
      REQUIRE(r.ec);
      CHECK(*r.ec == cocoon::errc::answer_malformed);
      // Every text event arrived and reached the caller, but the answer is not a success.
      CHECK(r.parts == text);
      // A whole (non-streamed) answer from the same server is unaffected.
      submit_ok(io, client, question(false), text);
    }
    runner.stop();
    proxy.stop();
  }
}
