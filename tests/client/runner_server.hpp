// A local imitation of the COCOON client runner's OpenAI-compatible HTTP API, for the client
// tests and benchmarks: POST /v1/chat/completions answers with Server-Sent Events (streamed jobs)
// or one JSON body, optionally pausing between parts; GET /v1/models answers the runner's model list. It runs on the
// caller's io_context and counts what it saw, so tests can check the server side of cancellations and retries.
#ifndef COCOON_TESTS_CLIENT_RUNNER_SERVER_HPP
#define COCOON_TESTS_CLIENT_RUNNER_SERVER_HPP

#include <cocoon/local/proxy.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace test {

class runner_server {
 public:
  struct settings {
    std::vector<std::string> parts{"TON ", "is ", "fast."};
    std::chrono::milliseconds pause{0};  ///< before each part
    unsigned status = 200;               ///< anything else answers {"error": ...} with this status
    cocoon::local::stream_cut cut = cocoon::local::stream_cut::none;  ///< streams cut short, as the local proxy's
    /// The GET /v1/models body, as the runner writes it at protocol 1 and 2 (its "object" key twice).
    std::string models =
        R"({"object":"list","data":[{"id":"Qwen/Qwen3-8B","object":"model","created":0,"owned_by":"?",)"
        R"("workers":[{"coefficient":1000,"running_requests":1,"max_running_requests":8},)"
        R"({"coefficient":1500,"running_requests":0,"max_running_requests":4}]}],"object":"list"})";
  };

  runner_server(boost::asio::any_io_executor executor, settings s)
      : executor_(std::move(executor)),
        settings_(std::move(s)),
        acceptor_(executor_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    boost::asio::co_spawn(executor_, accept_loop(), boost::asio::detached);
  }

  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  [[nodiscard]] std::string text() const {
    std::string all;
    for (const auto& part : settings_.parts) all += part;
    return all;
  }

  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> requests{0};
  std::atomic<std::size_t> completed{0};  ///< answers written to the end
  std::atomic<std::size_t> abandoned{0};  ///< answers the client left before their end

 private:
  using tcp = boost::asio::ip::tcp;

  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      auto socket = co_await acceptor_.async_accept(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return;
      ++connections;
      boost::asio::co_spawn(executor_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  static std::string event(const nlohmann::json& data) { return "data: " + data.dump() + "\n\n"; }

  boost::asio::awaitable<void> serve(tcp::socket socket) {
    namespace http = boost::beast::http;
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    boost::beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      http::request<http::string_body> request;
      co_await http::async_read(socket, buffer, request, redirect_error(use_awaitable, ec));
      if (ec) co_return;
      ++requests;
      if (request.method() == http::verb::get && request.target() == "/v1/models") {
        http::response<http::string_body> response{static_cast<http::status>(settings_.status), request.version()};
        response.set(http::field::content_type, "application/json");
        response.keep_alive(request.keep_alive());
        response.body() = settings_.status == 200 ? settings_.models : R"({"error":"no working proxy connections"})";
        response.prepare_payload();
        co_await http::async_write(socket, response, redirect_error(use_awaitable, ec));
        if (ec || !request.keep_alive()) co_return;
        continue;
      }
      const auto body = nlohmann::json::parse(request.body(), nullptr, false);
      const bool stream = body.is_object() && body.value("stream", false);
      const nlohmann::json usage{{"prompt_tokens", 9},
                                 {"completion_tokens", settings_.parts.size()},
                                 {"total_tokens", 9 + settings_.parts.size()},
                                 {"total_cost", 1000}};
      if (settings_.status != 200 || !stream) {
        http::response<http::string_body> response{static_cast<http::status>(settings_.status), request.version()};
        response.set(http::field::content_type, "application/json");
        response.keep_alive(request.keep_alive());
        if (settings_.status != 200) {
          response.body() = R"({"error":"no workers"})";
        } else {
          response.body() = nlohmann::json{
              {"choices", {{{"index", 0}, {"finish_reason", "stop"}, {"message", {{"content", text()}}}}}},
              {"model", "m"},
              {"usage", usage}}.dump();
        }
        response.prepare_payload();
        co_await http::async_write(socket, response, redirect_error(use_awaitable, ec));
        if (ec) co_return;
        ++completed;
        if (!request.keep_alive()) co_return;
        continue;
      }
      http::response<http::empty_body> head{http::status::ok, request.version()};
      head.set(http::field::content_type, "text/event-stream");
      head.chunked(true);
      http::response_serializer<http::empty_body> serializer{head};
      co_await http::async_write_header(socket, serializer, redirect_error(use_awaitable, ec));
      std::vector<std::string> events;
      for (const auto& part : settings_.parts) {
        events.push_back(event({{"choices", {{{"index", 0}, {"delta", {{"content", part}}}}}}}));
      }
      const auto final_event =
          event({{"choices", {{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", "stop"}}}},
                 {"usage", usage}});
      switch (settings_.cut) {
        case cocoon::local::stream_cut::none: events.push_back(final_event + "data: [DONE]\n\n"); break;
        case cocoon::local::stream_cut::before_done: events.push_back(final_event); break;
        case cocoon::local::stream_cut::mid_event:
          events.push_back(final_event.substr(0, final_event.size() / 2));
          break;
        case cocoon::local::stream_cut::before_usage: break;
      }
      boost::asio::steady_timer pause(executor_);
      for (const auto& data : events) {
        if (ec) break;
        if (settings_.pause.count() > 0) {
          pause.expires_after(settings_.pause);
          co_await pause.async_wait(redirect_error(use_awaitable, ec));
        }
        const auto chunk = http::make_chunk(boost::asio::buffer(data));
        co_await boost::asio::async_write(socket, chunk, redirect_error(use_awaitable, ec));
      }
      const auto last = http::make_chunk_last();
      if (!ec) co_await boost::asio::async_write(socket, last, redirect_error(use_awaitable, ec));
      if (ec) {
        ++abandoned;
        co_return;
      }
      ++completed;
      if (!request.keep_alive()) co_return;
    }
  }

  boost::asio::any_io_executor executor_;
  settings settings_;
  tcp::acceptor acceptor_;
};

}  // namespace test

#endif
