// Proof of work off the event loop: the p99 round-trip latency of jobs already running on one
// io_context (each sends 64 bytes to a loopback echo server once a millisecond) while proxy
// connections demanding a difficulty-20 proof of work are made on the same io_context, against
// the same jobs with no connection being made, in the same run; and, for contrast, while the same
// search runs on the event loop itself. A latency counts from when the round trip was due, so a
// stalled loop shows in full. The proxy and the echo server run on threads of their own.
// Prints latencies and ratios; asserts nothing about speed.
#include <cocoon/attest/ratls.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include "bench.hpp"

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using asio::redirect_error;
using asio::use_awaitable;

constexpr std::size_t job_count = 8;
constexpr auto job_period = std::chrono::milliseconds(1);

asio::awaitable<void> echo(tcp::socket socket) {
  std::array<char, 64> buffer{};
  for (boost::system::error_code ec; !ec;) {
    const auto n = co_await socket.async_read_some(asio::buffer(buffer), redirect_error(use_awaitable, ec));
    if (!ec) co_await asio::async_write(socket, asio::buffer(buffer, n), redirect_error(use_awaitable, ec));
  }
}

asio::awaitable<void> echo_server(tcp::acceptor& acceptor) {
  for (;;) {
    boost::system::error_code ec;
    auto socket = co_await acceptor.async_accept(redirect_error(use_awaitable, ec));
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), echo(std::move(socket)), asio::detached);
  }
}

/// The jobs already running, and the latencies they see while `recording`.
struct running_jobs {
  std::vector<double> latencies_us;
  bool recording = false;
  bool stopping = false;
  std::size_t ended = 0;

  /// The 99th percentile of what was recorded, in microseconds; clears the record.
  double take_p99() {
    std::sort(latencies_us.begin(), latencies_us.end());
    const auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(latencies_us.size())));
    const double p99 = latencies_us.empty() ? 0 : latencies_us[std::max<std::size_t>(rank, 1) - 1];
    latencies_us.clear();
    return p99;
  }
};

asio::awaitable<void> job(tcp::endpoint echo_at, running_jobs& jobs) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(echo_at, use_awaitable);
  asio::steady_timer timer(socket.get_executor());
  std::array<char, 64> buffer{};
  for (auto due = clock_type::now(); !jobs.stopping; due += job_period) {
    timer.expires_at(due);
    co_await timer.async_wait(use_awaitable);
    co_await asio::async_write(socket, asio::buffer(buffer), use_awaitable);
    co_await asio::async_read(socket, asio::buffer(buffer), use_awaitable);
    if (jobs.recording) {
      jobs.latencies_us.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - due).count());
    }
  }
}

asio::awaitable<void> pause_until(clock_type::time_point when) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(when);
  co_await timer.async_wait(use_awaitable);
}

cocoon::net::proxy_options connection_options() {
  cocoon::net::session_config session;
  session.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
  session.is_test = true;
  session.secret = "local-client-secret";
  session.root = cocoon::local::local_root();
  return {cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(), std::move(session)};
}

struct measurements {
  double idle_p99 = 0;
  double connecting_p99 = 0;
  double handshakes_p99 = 0;
  double on_loop_p99 = 0;
  double connect_seconds = 0;
  int failures = 0;
};

/// The ports of two local proxies alike but for the proof of work they demand.
struct proxies {
  std::uint16_t demanding;
  std::uint16_t easy;
};

asio::awaitable<void> connect_once(std::uint16_t port, int& failures) {
  cocoon::net::proxy_connection connection(co_await asio::this_coro::executor, connection_options());
  boost::system::error_code ec;
  co_await connection.async_connect("127.0.0.1", std::to_string(port), redirect_error(use_awaitable, ec));
  if (ec) ++failures;
  connection.close();
}

asio::awaitable<void> measure(tcp::endpoint echo_at, proxies ports, std::int32_t difficulty, int connections,
                              measurements& out) {
  const auto executor = co_await asio::this_coro::executor;
  running_jobs jobs;
  for (std::size_t i = 0; i < job_count; ++i) {
    asio::co_spawn(executor, job(echo_at, jobs), [&jobs](std::exception_ptr) { ++jobs.ended; });
  }
  co_await pause_until(clock_type::now() + std::chrono::milliseconds(100));  // connected and in step

  jobs.recording = true;
  co_await pause_until(clock_type::now() +
                       std::chrono::milliseconds(std::max(100, static_cast<int>(bench::budget_seconds * 1000))));
  out.idle_p99 = jobs.take_p99();

  const auto started = clock_type::now();
  for (int i = 0; i < connections; ++i) co_await connect_once(ports.demanding, out.failures);
  const auto window = clock_type::now() - started;
  out.connect_seconds = std::chrono::duration<double>(window).count();
  out.connecting_p99 = jobs.take_p99();

  // The same handshakes with no search worth the name, spread over the same time: what the rest
  // of connecting (TLS, attestation, the protocol) costs the loop on this host.
  const auto handshakes_started = clock_type::now();
  for (int i = 1; i <= connections; ++i) {
    co_await connect_once(ports.easy, out.failures);
    co_await pause_until(handshakes_started + window * i / connections);
  }
  out.handshakes_p99 = jobs.take_p99();

  // The search on the loop itself, as a connection would do it without a pool; the jobs then
  // catch up with their due round trips, which count too.
  cocoon::net::pow_challenge challenge;
  challenge.difficulty = difficulty;
  for (int i = 0; i < connections; ++i) {
    challenge.salt[0] = static_cast<std::byte>(i + 1);
    if (!challenge.solve()) ++out.failures;
    co_await pause_until(clock_type::now() + std::chrono::milliseconds(20));
  }
  out.on_loop_p99 = jobs.take_p99();

  jobs.recording = false;
  jobs.stopping = true;
  while (jobs.ended < job_count) co_await pause_until(clock_type::now() + job_period);
}

}  // namespace

int main(int argc, char** argv) {
  bench::parse_args(argc, argv);
  const bool quick = bench::budget_seconds < 0.1;
  const std::int32_t difficulty = quick ? 8 : 20;
  const int connections = quick ? 1 : 3;

  asio::io_context remote;  // the proxies' side
  auto remote_work = asio::make_work_guard(remote);
  cocoon::local::proxy_options options;
  options.pow_difficulty = difficulty;
  cocoon::local::proxy demanding(remote.get_executor(), options);
  options.pow_difficulty = 1;
  cocoon::local::proxy easy(remote.get_executor(), options);
  demanding.start();
  easy.start();
  std::thread remote_thread([&] { remote.run(); });
  asio::io_context echoes;  // on a thread of its own: the proxy's work delays no round trip
  tcp::acceptor echo_acceptor(echoes, {asio::ip::make_address("127.0.0.1"), 0});
  asio::co_spawn(echoes, echo_server(echo_acceptor), asio::detached);
  std::thread echo_thread([&] { echoes.run(); });

  asio::io_context io;  // the client's: the jobs and the connections share it
  measurements result;
  std::exception_ptr failure;
  asio::co_spawn(
      io, measure(echo_acceptor.local_endpoint(), {demanding.port(), easy.port()}, difficulty, connections, result),
      [&](std::exception_ptr e) { failure = e; });
  io.run();

  asio::post(remote, [&] {
    demanding.stop();
    easy.stop();
  });
  asio::post(echoes, [&] { echo_acceptor.close(); });
  remote_work.reset();
  remote_thread.join();
  echo_thread.join();
  if (failure) std::rethrow_exception(failure);

  std::printf("%zu jobs, one 64-byte round trip each per ms; %d connection(s) at difficulty %d took %.2f s\n",
              job_count, connections, difficulty, result.connect_seconds);
  const auto row = [&](const char* name, double p99) {
    bench::report(name, p99, "us", result.idle_p99, "nothing else on the loop");
  };
  row("p99 latency, nothing else on the loop", result.idle_p99);
  row("p99 latency, connections being made", result.connecting_p99);
  row("p99 latency, the same handshakes, no search", result.handshakes_p99);
  row("p99 latency, the search on the loop itself", result.on_loop_p99);
  if (result.failures != 0) {
    std::fprintf(stderr, "%d connection(s) or searches failed\n", result.failures);
    return 1;
  }
  return 0;
}
