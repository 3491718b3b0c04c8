// The client facade's cost per job, without cryptography: jobs through `cocoon::client` in HTTP
// mode against a local imitation of the client runner's API, against the same request made with
// Beast directly (connect, POST, read the whole streamed answer, close) on the same server and
// io_context. The baseline connects to the address as the SDK does for a numeric host; a second
// raw variant resolves the host first, as the SDK does for a host name. Then jobs per second with
// 1, 8 and 64 jobs in flight on one io_context.
// Prints rates and ratios; asserts nothing about speed.
#include <cocoon/client.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/net/http_api.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "../client/runner_server.hpp"
#include "bench.hpp"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

/// The baseline: one chat completion by hand with Beast, the same bytes on the wire as the SDK's.
/// With `resolve`, it first resolves the host and port as text, as the SDK does for a host name.
/// With `parse`, it also takes the text out of the events with nlohmann_json, as the SDK does.
asio::awaitable<void> raw_job(const tcp::endpoint& where, bool resolve, bool parse, const std::string& body,
                              std::size_t& done, std::size_t& failed) {
  using asio::redirect_error;
  using asio::use_awaitable;
  boost::system::error_code ec;
  boost::beast::tcp_stream stream(co_await asio::this_coro::executor);
  if (resolve) {
    tcp::resolver resolver(co_await asio::this_coro::executor);
    const auto port = std::to_string(where.port());
    const auto found = co_await resolver.async_resolve("127.0.0.1", port, redirect_error(use_awaitable, ec));
    if (!ec) co_await stream.async_connect(found, redirect_error(use_awaitable, ec));
  } else {
    co_await stream.async_connect(where, redirect_error(use_awaitable, ec));
  }
  http::request<http::string_body> request{http::verb::post, "/v1/chat/completions", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "text/event-stream");
  request.body() = body;
  request.prepare_payload();
  if (!ec) co_await http::async_write(stream, request, redirect_error(use_awaitable, ec));
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  if (!ec) co_await http::async_read(stream, buffer, response, redirect_error(use_awaitable, ec));
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  std::string text;
  if (parse) {
    std::string_view events = response.body();
    for (std::size_t end; (end = events.find("\n\n")) != std::string_view::npos; events.remove_prefix(end + 2)) {
      const auto data = events.substr(6, end - 6);  // after "data: "
      if (data == "[DONE]") break;
      const auto event = nlohmann::json::parse(data);
      const auto& delta = event["choices"][0]["delta"];
      if (delta.contains("content")) text += delta["content"].get<std::string>();
    }
  }
  ++(response.body().empty() || (parse && text.empty()) ? failed : done);
}

/// Runs `total` jobs keeping `in_flight` of them running, until all have completed.
template <class Start>
void run_jobs(asio::io_context& io, std::size_t total, std::size_t in_flight, std::size_t& done, Start start) {
  done = 0;
  std::size_t started = 0;
  while (done < total) {
    while (started < total && started - done < in_flight) {
      start();
      ++started;
    }
    io.run_one();
  }
}

}  // namespace

int main(int argc, char** argv) {
  bench::parse_args(argc, argv);
  asio::io_context io;
  test::runner_server server(io.get_executor(), {});
  const auto job = cocoon::job_builder().model("m").user("What is TON?").max_tokens(16).stream().build();
  const auto body = cocoon::openai::chat_request_body(job, {});
  const tcp::endpoint where(asio::ip::make_address("127.0.0.1"),
                            static_cast<std::uint16_t>(std::stoi(server.url().substr(server.url().rfind(':') + 1))));
  auto client = cocoon::client::builder().http(server.url()).build(io);

  std::size_t done = 0;
  std::size_t failed = 0;
  const auto raw = [&] { asio::co_spawn(io, raw_job(where, true, false, body, done, failed), asio::detached); };
  const auto raw_connect = [&] {
    asio::co_spawn(io, raw_job(where, false, false, body, done, failed), asio::detached);
  };
  const auto raw_parse = [&] { asio::co_spawn(io, raw_job(where, false, true, body, done, failed), asio::detached); };
  const auto sdk = [&] {
    client.async_submit(
        job, [](std::string_view) {}, [&](cocoon::error_code ec, cocoon::openai::answer) { ++(ec ? failed : done); });
  };

  cocoon::net::http_api_client transport(io.get_executor(), cocoon::net::http_endpoint::parse(server.url()));
  const auto direct = [&] {
    transport.async_complete(
        job, [](std::string_view) {}, [&](cocoon::error_code ec, cocoon::openai::answer) { ++(ec ? failed : done); });
  };

  constexpr std::size_t batch = 50;
  std::printf("per job, one at a time (HTTP mode, local server, %zu-part streamed answer)\n", std::size_t{3});
  // Rounds interleave the variants, so that load from elsewhere on the machine hits them alike;
  // each keeps its best rate.
  double raw_rate = 0;
  double connect_rate = 0;
  double parse_rate = 0;
  double direct_rate = 0;
  double sdk_rate = 0;
  for (int round = 0; round < 3; ++round) {
    raw_rate = std::max(raw_rate, bench::rate(batch, [&] { run_jobs(io, batch, 1, done, raw); }));
    connect_rate = std::max(connect_rate, bench::rate(batch, [&] { run_jobs(io, batch, 1, done, raw_connect); }));
    parse_rate = std::max(parse_rate, bench::rate(batch, [&] { run_jobs(io, batch, 1, done, raw_parse); }));
    direct_rate = std::max(direct_rate, bench::rate(batch, [&] { run_jobs(io, batch, 1, done, direct); }));
    sdk_rate = std::max(sdk_rate, bench::rate(batch, [&] { run_jobs(io, batch, 1, done, sdk); }));
  }
  bench::report("raw Beast: connect, POST, read, close", connect_rate, "jobs/s", connect_rate, "raw Beast");
  bench::report("raw Beast request, resolving the host first", raw_rate, "jobs/s", connect_rate, "raw Beast");
  bench::report("raw Beast request + event parsing", parse_rate, "jobs/s", connect_rate, "raw Beast");
  bench::report("net::http_api_client (the transport alone)", direct_rate, "jobs/s", connect_rate, "raw Beast");
  bench::report("cocoon::client::submit", sdk_rate, "jobs/s", connect_rate, "raw Beast");
  std::printf(
      "SDK time per job / raw request: %.2fx (goal <= 1.10x); / raw request resolving its host: %.2fx; "
      "/ raw request + event parsing: %.2fx; / the transport alone: %.2fx\n",
      connect_rate / sdk_rate, raw_rate / sdk_rate, parse_rate / sdk_rate, direct_rate / sdk_rate);

  std::printf("jobs in flight on one io_context\n");
  for (const std::size_t in_flight : {std::size_t{1}, std::size_t{8}, std::size_t{64}}) {
    const std::size_t total = std::max<std::size_t>(batch, in_flight * 4);
    const double raw_parallel =
        bench::rate(static_cast<double>(total), [&] { run_jobs(io, total, in_flight, done, raw_connect); });
    const double sdk_parallel =
        bench::rate(static_cast<double>(total), [&] { run_jobs(io, total, in_flight, done, sdk); });
    const std::string raw_name = "raw Beast, " + std::to_string(in_flight) + " in flight";
    const std::string sdk_name = "cocoon::client, " + std::to_string(in_flight) + " in flight";
    bench::report(raw_name.c_str(), raw_parallel, "jobs/s", raw_parallel, "raw Beast");
    bench::report(sdk_name.c_str(), sdk_parallel, "jobs/s", raw_parallel, "raw Beast");
  }
  server.stop();
  if (failed != 0) {
    std::fprintf(stderr, "%zu jobs failed\n", failed);
    return 1;
  }
  return 0;
}
