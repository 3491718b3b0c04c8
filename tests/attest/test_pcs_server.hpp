// A small HTTP/1.1 server standing in for Intel's PCS or a PCCS in tests.
#ifndef COCOON_TESTS_ATTEST_TEST_PCS_SERVER_HPP
#define COCOON_TESTS_ATTEST_TEST_PCS_SERVER_HPP

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace attest_test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

/// How the PCS sends issuer chains in its headers: every byte but letters and digits as %XX.
inline std::string percent_encode(const std::string& in) {
  std::string out;
  for (const char c : in) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      out += escaped;
    }
  }
  return out;
}

struct reply {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool silent = false;  // read the request, never answer
};

/// An HTTP/1.1 server on 127.0.0.1 (an ephemeral port) on its own thread, answering each request
/// by `route(target)` and recording the targets it was asked for.
class test_server {
 public:
  explicit test_server(std::function<reply(const std::string&)> route)
      : route_(std::move(route)), acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~test_server() {
    io_.stop();
    thread_.join();
  }
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  [[nodiscard]] std::vector<std::string> targets() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return targets_;
  }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      auto [read_error, read] = co_await http::async_read(socket, buffer, request, asio::as_tuple(asio::use_awaitable));
      if (read_error) co_return;
      const std::string target(request.target());
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        targets_.push_back(target);
      }
      const reply answer = route_(target);
      if (answer.silent) {
        asio::steady_timer forever(io_, std::chrono::hours(1));
        co_await forever.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return;
      }
      http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
      for (const auto& [name, value] : answer.headers) response.set(name, value);
      response.body() = answer.body;
      response.prepare_payload();
      auto [write_error, written] = co_await http::async_write(socket, response, asio::as_tuple(asio::use_awaitable));
      if (write_error) co_return;
    }
  }

  std::function<reply(const std::string&)> route_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
};

}  // namespace attest_test

#endif
