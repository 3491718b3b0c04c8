// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_ATTEMPTS_HPP
#define COCOON_CLIENT_DETAIL_ATTEMPTS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/client/detail/pool.hpp>
#include <cocoon/client/detail/retry.hpp>
#include <cocoon/client/detail/state.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/http_api.hpp>
#include <cocoon/net/models.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

namespace asio = boost::asio;

// A job's attempts, one endpoint after another, with backoff between them; and the models list,
// asked of the endpoints in turn.

struct outcome {
  error_code ec;
  openai::answer answer;
};

struct attempt_result {
  error_code ec;
  openai::answer answer;
  attempt_stage stage = attempt_stage::connecting;
};

/// One attempt on a proxy: a connection from `take_connection`, then the job on it.
inline asio::awaitable<attempt_result> attempt_proxy(state& s, endpoint& e, const job& job, part_sink& sink,
                                                     const net::token_handler& on_token) {
  using asio::redirect_error;
  using asio::use_awaitable;
  attempt_result result;
  auto connection = co_await take_connection(s, e, sink.stopped, result.ec);
  if (!connection) co_return result;
  result.stage = attempt_stage::querying;
  error_code ec;
  result.answer = co_await connection->async_query(job, on_token, sink.gate, redirect_error(use_awaitable, ec));
  result.ec = ec;
  // The request ended cleanly (an answer, or the proxy's final error for it): the connection
  // can serve the next job. After anything else its state is unknown, so it is closed; closing
  // also tells the proxy to stop a job that was cancelled mid-stream.
  if (!ec || ec == errc::answer_error) {
    release(s, e, std::move(connection));
  } else {
    discard(s, e, std::move(connection));
  }
  co_return result;
}

inline asio::awaitable<attempt_result> attempt_http(endpoint& e, const job& job, part_sink& sink,
                                                    const net::token_handler& on_token) {
  attempt_result result;
  result.stage = attempt_stage::querying;
  error_code ec;
  result.answer =
      co_await e.http->async_complete(job, on_token, sink.gate, asio::redirect_error(asio::use_awaitable, ec));
  result.ec = ec;
  if (is_connect_failure(ec)) result.stage = attempt_stage::connecting;
  co_return result;
}

inline asio::awaitable<outcome> run_job(std::shared_ptr<state> shared, job job, std::shared_ptr<part_sink> sink) {
  // Cancellation arrives as error codes, so that every path below returns its connection.
  co_await asio::this_coro::throw_if_cancelled(false);
  state& s = *shared;
  const net::token_handler on_token = [sink](std::string_view text) {
    if (sink->stopped) return;
    ++sink->delivered;
    if (sink->on_part) sink->on_part(text);
  };
  ++s.stats.jobs;
  const std::size_t count = s.endpoints.size();
  std::size_t index = s.preferred;
  for (unsigned attempt = 0;; ++attempt) {
    if (attempt > 0) {
      asio::steady_timer pause(s.executor, backoff_delay(attempt, s.options.backoff, s.options.max_backoff));
      error_code ignored;
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      if (sink->stopped) co_return outcome{asio::error::operation_aborted, {}};
    }
    ++s.stats.attempts;
    endpoint& e = s.endpoints[index % count];
    attempt_result result;
    if (e.proxy) {
      result = co_await attempt_proxy(s, e, job, *sink, on_token);
    } else {
      result = co_await attempt_http(e, job, *sink, on_token);
    }
    if (!result.ec) {
      s.preferred = index % count;
      co_return outcome{{}, std::move(result.answer)};
    }
    const bool again =
        attempt < s.options.retries &&
        may_retry(result.ec, result.stage, job.idempotency_key().has_value(), sink->delivered > 0, sink->stopped);
    if (!again) co_return outcome{result.ec, std::move(result.answer)};
    ++s.stats.retries;
    if (count > 1) {
      ++index;
      ++s.stats.failovers;
      s.preferred = index % count;
    }
  }
}

using models_result = std::pair<error_code, std::vector<net::model_info>>;

/// The models one endpoint offers: a proxy asked on a pooled connection, a runner by its HTTP API.
inline asio::awaitable<models_result> models_of(state& s, endpoint& e) {
  using asio::redirect_error;
  using asio::use_awaitable;
  error_code ec;
  if (e.http) {
    // The jobs' transport has no timer of its own (their deadlines stop it): this one has.
    net::http_api_client http(s.executor.get_inner_executor(), e.http->endpoint(), {.timeout = s.options.timeout});
    auto models = co_await http.async_models(redirect_error(use_awaitable, ec));
    co_return models_result{ec, std::move(models)};
  }
  const std::atomic<bool> never_stopped{false};
  auto connection = co_await take_connection(s, e, never_stopped, ec);
  if (!connection) co_return models_result{ec, {}};
  auto models = co_await connection->async_models(redirect_error(use_awaitable, ec));
  if (ec) {
    discard(s, e, std::move(connection));
  } else {
    release(s, e, std::move(connection));
  }
  co_return models_result{ec, std::move(models)};
}

/// The first endpoint's answer that comes, from the one that last worked on; else the last error.
inline asio::awaitable<models_result> run_models(std::shared_ptr<state> shared) {
  state& s = *shared;
  models_result result;
  for (std::size_t i = 0; i < s.endpoints.size(); ++i) {
    result = co_await models_of(s, s.endpoints[(s.preferred + i) % s.endpoints.size()]);
    if (!result.first) break;
  }
  co_return result;
}

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
