// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_HTTP_API_HPP
#define COCOON_NET_HTTP_API_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/detail/answer_pipeline.hpp>
#include <cocoon/net/http_endpoint.hpp>
#include <cocoon/net/models.hpp>
#include <cocoon/net/read_gate.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// What each completion may take and which fields its request carries.
struct http_api_options {
  /// The whole exchange: connect, send, and receive the complete answer. Zero: no deadline of
  /// the client's own (its caller keeps one, as `cocoon::client` does, and cancels on expiry).
  std::chrono::milliseconds timeout{std::chrono::seconds{120}};
  /// The largest answer body accepted.
  std::size_t max_body = std::size_t{64} << 20;
  openai::request_options request{};
};

namespace detail {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

/// What every completion of one client shares, worked out once: the endpoint, the options, the
/// request target, and the address when the host is a numeric one (no resolver round trip then).
struct http_api_target {
  http_api_target(http_endpoint where, http_api_options opts)
      : endpoint(std::move(where)), options(std::move(opts)), path(endpoint.path_prefix + "/v1/chat/completions") {
    error_code ec;
    const auto ip = boost::asio::ip::make_address(endpoint.host, ec);
    std::uint16_t port = 0;
    const auto* const end = endpoint.port.data() + endpoint.port.size();
    const auto [stop, why] = std::from_chars(endpoint.port.data(), end, port);
    // Anything else (a service name, say) is left to the resolver.
    if (!ec && why == std::errc{} && stop == end) address = tcp::endpoint(ip, port);
  }

  http_endpoint endpoint;
  http_api_options options;
  std::string path;
  std::optional<tcp::endpoint> address;  ///< set when `endpoint.host` is an IP address
};

/// The state of one completion, kept alive across its asynchronous steps.
struct completion_state {
  completion_state(const boost::asio::any_io_executor& executor, std::shared_ptr<const http_api_target> where,
                   token_handler tokens, std::shared_ptr<read_gate> read_gate)
      : socket(executor),
        target(std::move(where)),
        gate(std::move(read_gate)),
        answer(std::move(tokens), std::nullopt, target->options.max_body) {}

  tcp::socket socket;
  std::optional<tcp::resolver> resolver;           ///< only for a host name
  std::optional<boost::asio::steady_timer> timer;  ///< the whole exchange's deadline, if it has one
  bool expired = false;
  std::shared_ptr<const http_api_target> target;
  std::shared_ptr<read_gate> gate;  ///< may be null: never paused
  http::request<http::string_body> request;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  answer_pipeline answer;
};

/// The `async_compose` state machine of `http_api_client::async_complete`.
struct complete_op {
  std::shared_ptr<completion_state> state;
  enum class step { start, connect, write, read_header, read_body, hand_on } next = step::start;

  template <class Self>
  void operator()(Self& self, error_code ec = {}) {
    if (ec) return fail(self, ec);
    completion_state& s = *state;
    switch (next) {
      case step::start: {
        if (s.target->options.timeout > std::chrono::milliseconds::zero()) {
          // One timer for the whole exchange: when it fires, the socket closes under whichever
          // step runs, and that step's error reads as a timeout.
          s.timer.emplace(s.socket.get_executor(), s.target->options.timeout);
          s.timer->async_wait([weak = std::weak_ptr<completion_state>(state)](error_code e) {
            const auto alive = weak.lock();
            if (e || !alive) return;
            alive->expired = true;
            error_code ignored;
            alive->socket.close(ignored);
            if (alive->resolver) alive->resolver->cancel();
          });
        }
        next = step::connect;
        if (s.target->address) return s.socket.async_connect(*s.target->address, std::move(self));
        s.resolver.emplace(s.socket.get_executor());
        return s.resolver->async_resolve(s.target->endpoint.host, s.target->endpoint.port, std::move(self));
      }
      case step::connect: next = step::write; return http::async_write(s.socket, s.request, std::move(self));
      case step::hand_on: return hand_on(self);
      default: return;
    }
  }

  template <class Self>
  void operator()(Self& self, error_code ec, const tcp::resolver::results_type& endpoints) {
    if (ec) return fail(self, ec);
    auto& socket = state->socket;  // taken first: moving `self` moves `state`
    boost::asio::async_connect(socket, endpoints,
                               [self = std::move(self)](error_code e, const tcp::endpoint&) mutable { self(e); });
  }

  template <class Self>
  void operator()(Self& self, error_code ec, std::size_t) {
    if (ec) return fail(self, ec);
    completion_state& s = *state;
    switch (next) {
      case step::write:
        next = step::read_header;
        s.parser.body_limit(s.target->options.max_body);
        return http::async_read_header(s.socket, s.buffer, s.parser, std::move(self));
      case step::read_header: {
        const auto& head = s.parser.get();
        if (auto why = s.answer.on_head(head.result_int(), head[http::field::content_type], {})) {
          return finish_with(self, why, {});
        }
        [[fallthrough]];
      }
      case step::read_body: {
        auto& body = s.parser.get().body();
        const auto why = s.answer.on_body(std::string_view(body));
        body.clear();
        if (why) return finish_with(self, why, {});
        return hand_on(self);
      }
      default: return;
    }
  }

  /// Hands the text read so far on as the gate allows, then reads on or completes.
  template <class Self>
  void hand_on(Self& self) {
    completion_state& s = *state;
    if (!s.answer.hand_on(s.gate.get())) {
      next = step::hand_on;
      return s.gate->async_wait_open(std::move(self));
    }
    if (s.parser.is_done()) {
      auto [ec, answer] = s.answer.finish();
      return finish_with(self, ec, std::move(answer));
    }
    next = step::read_body;
    http::async_read_some(s.socket, s.buffer, s.parser, std::move(self));
  }

  template <class Self>
  void fail(Self& self, error_code ec) {
    // A deadline that expired reads as a timeout, whichever step it interrupted.
    if (state->expired) ec = errc::timed_out;
    finish_with(self, ec, {});
  }

  template <class Self>
  void finish_with(Self& self, error_code ec, openai::answer answer) {
    completion_state& s = *state;
    if (s.timer) s.timer->cancel();
    error_code ignored;
    s.socket.shutdown(tcp::socket::shutdown_both, ignored);
    s.socket.close(ignored);
    self.complete(ec, std::move(answer));
  }
};

/// `GET /v1/models` of a client runner, under the options' timeout.
inline boost::asio::awaitable<std::pair<error_code, std::vector<model_info>>> fetch_models(
    std::shared_ptr<const http_api_target> target) {
  using boost::asio::redirect_error;
  using boost::asio::use_awaitable;
  const auto failed = [](error_code ec) {
    if (ec == beast::error::timeout) ec = errc::timed_out;
    return std::pair{ec, std::vector<model_info>{}};
  };
  const auto executor = co_await boost::asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  if (target->options.timeout > std::chrono::milliseconds::zero()) stream.expires_after(target->options.timeout);
  error_code ec;
  if (target->address) {
    co_await stream.async_connect(*target->address, redirect_error(use_awaitable, ec));
  } else {
    tcp::resolver resolver(stream.get_executor());
    const auto endpoints = co_await resolver.async_resolve(target->endpoint.host, target->endpoint.port,
                                                           redirect_error(use_awaitable, ec));
    if (!ec) co_await stream.async_connect(endpoints, redirect_error(use_awaitable, ec));
  }
  if (ec) co_return failed(ec);
  http::request<http::empty_body> request{http::verb::get, target->endpoint.path_prefix + "/v1/models", 11};
  request.set(http::field::host, target->endpoint.host);
  request.set(http::field::accept, "application/json");
  co_await http::async_write(stream, request, redirect_error(use_awaitable, ec));
  if (ec) co_return failed(ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(target->options.max_body);
  co_await http::async_read(stream, buffer, parser, redirect_error(use_awaitable, ec));
  if (ec) co_return failed(ec);
  error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (parser.get().result() != http::status::ok) co_return failed(errc::answer_error);
  auto models = net::parse_models_json(parser.get().body(), ec);
  if (!models) co_return failed(ec);
  co_return std::pair{error_code{}, std::move(*models)};
}

}  // namespace detail

/// A client of an OpenAI-compatible HTTP API, first of all the COCOON client runner's local one:
/// the runner (or gocoon) holds the wallet and the attested proxy connection, and this client
/// hands it jobs and streams the answers back. A numeric host (`127.0.0.1`, `[::1]`) is connected
/// to directly; a host name is resolved for each completion.
///
/// Thread safety: a client may run several completions at once; each uses its own connection.
/// Keep the client alive until they complete.
class http_api_client {
 public:
  http_api_client(boost::asio::any_io_executor executor, http_endpoint endpoint, http_api_options options = {})
      : executor_(std::move(executor)),
        target_(std::make_shared<const detail::http_api_target>(std::move(endpoint), std::move(options))) {}

  /// Sends `job` as a chat completion and completes with the answer. For streamed jobs
  /// (`job.stream()`), `on_token` sees each piece of text as it arrives; otherwise it sees the
  /// whole text once. Completion signature: `void(cocoon::error_code, cocoon::openai::answer)`.
  ///
  /// Errors: `errc::timed_out` (the options' timeout), `errc::answer_error` (the API answered
  /// with an error status), `errc::answer_malformed`, `errc::job_unsupported`, or the network's
  /// own codes. Cancellation: the token's cancellation slot (terminal) aborts the exchange and
  /// completes with `boost::asio::error::operation_aborted`. The job is copied; `on_token` runs
  /// on the client's executor.
  template <class CompletionToken = boost::asio::default_completion_token_t<boost::asio::any_io_executor>>
  auto async_complete(const job& job, token_handler on_token, CompletionToken&& token = {}) {
    return async_complete(job, std::move(on_token), std::shared_ptr<read_gate>{}, std::forward<CompletionToken>(token));
  }

  /// `async_complete` whose reads `gate` can hold back (see `read_gate`): while it is paused, no
  /// piece reaches `on_token` and the response body is not read further. The timeout keeps running.
  template <class CompletionToken>
  auto async_complete(const job& job, token_handler on_token, std::shared_ptr<read_gate> gate,
                      CompletionToken&& token) {
    auto state = std::make_shared<detail::completion_state>(executor_, target_, std::move(on_token), std::move(gate));
    error_code request_error;
    auto body = openai::chat_request_body(job, target_->options.request, request_error);
    if (body) {
      auto& request = state->request;
      request.method(boost::beast::http::verb::post);
      request.target(target_->path);
      request.version(11);
      request.set(boost::beast::http::field::host, target_->endpoint.host);
      request.set(boost::beast::http::field::content_type, "application/json");
      request.set(boost::beast::http::field::accept, job.stream() ? "text/event-stream" : "application/json");
      request.body() = std::move(*body);
      request.prepare_payload();
    }
    return boost::asio::async_compose<CompletionToken, void(error_code, openai::answer)>(
        [op = detail::complete_op{std::move(state)}, request_error, started = false](auto& self, error_code ec = {},
                                                                                     auto&&... results) mutable {
          if (!started) {
            started = true;
            if (request_error) {
              // Complete through the executor, never inline from the initiating call. (The
              // executor is taken first: moving `self` moves this lambda, `op` included.)
              auto executor = op.state->socket.get_executor();
              return boost::asio::post(executor, [self = std::move(self), request_error]() mutable {
                self.complete(request_error, openai::answer{});
              });
            }
          }
          op(self, ec, std::forward<decltype(results)>(results)...);
        },
        token, executor_);
  }

  /// The models a client runner offers, from its `GET /v1/models` (the runner asks its proxy).
  /// Completion signature: `void(cocoon::error_code, std::vector<cocoon::net::model_info>)`.
  /// Errors: `errc::timed_out` (the options' timeout), `errc::answer_error` (an error status),
  /// `errc::answer_malformed`, or the network's own codes.
  template <class CompletionToken = boost::asio::default_completion_token_t<boost::asio::any_io_executor>>
  auto async_models(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, std::vector<model_info>)>(
        [](auto handler, boost::asio::any_io_executor executor, std::shared_ptr<const detail::http_api_target> target) {
          boost::asio::co_spawn(
              executor, detail::fetch_models(std::move(target)),
              [handler = std::move(handler)](std::exception_ptr failure,
                                             std::pair<error_code, std::vector<model_info>> result) mutable {
                if (failure) result.first = boost::asio::error::fault;
                std::move(handler)(result.first, std::move(result.second));
              });
        },
        token, executor_, target_);
  }

  [[nodiscard]] const http_endpoint& endpoint() const noexcept { return target_->endpoint; }

 private:
  boost::asio::any_io_executor executor_;
  std::shared_ptr<const detail::http_api_target> target_;
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
