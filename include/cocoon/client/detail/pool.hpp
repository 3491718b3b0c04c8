// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_POOL_HPP
#define COCOON_CLIENT_DETAIL_POOL_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/client/detail/state.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/ton/cocoon_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

namespace asio = boost::asio;

// Each endpoint's attested connections: taken by a job, returned to the pool (kept alive there)
// or discarded, and at most `connections_per_proxy` open at once.

/// Keeps the endpoint's highest verified charge from a connection about to be pooled or closed.
inline void note_payment(endpoint& e, const net::proxy_connection& connection) {
  if (const auto& best = connection.best_payment()) ton::cocoon_client::keep_highest_charge(e.best_payment, *best);
}

inline void wake_waiters(state& s) {
  for (auto* waiter : s.waiters) waiter->cancel();
}

/// Owns a closed connection until its keepalive (if any) and its own coroutines have ended.
inline asio::awaitable<void> dispose(std::unique_ptr<net::proxy_connection> connection) {
  error_code ignored;
  co_await connection->async_stop_keepalive(asio::redirect_error(asio::use_awaitable, ignored));
}

/// Closes a connection that cannot serve another job; it is destroyed later, once its keepalive
/// and its own coroutines have ended (never inside this handler).
inline void discard(state& s, endpoint& e, std::unique_ptr<net::proxy_connection> connection) {
  note_payment(e, *connection);
  --e.open;
  connection->close();
  asio::co_spawn(s.executor, dispose(std::move(connection)), asio::detached);
  wake_waiters(s);
}

/// Back to the pool, kept alive there for `idle_timeout`; once the client is closed, closed.
inline void release(state& s, endpoint& e, std::unique_ptr<net::proxy_connection> connection) {
  if (s.closed || !connection->usable()) return discard(s, e, std::move(connection));
  note_payment(e, *connection);
  connection->keep_alive(s.options.idle_timeout);
  e.idle.push_back(std::move(connection));
  wake_waiters(s);
}

/// Closes the idle connections whose keepalive has failed or expired.
inline void drop_failed(state& s, endpoint& e) {
  for (std::size_t i = 0; i < e.idle.size();) {
    if (!e.idle[i]->usable()) {
      auto connection = std::move(e.idle[i]);
      e.idle.erase(e.idle.begin() + static_cast<std::ptrdiff_t>(i));
      ++s.stats.idle_dropped;
      discard(s, e, std::move(connection));
    } else {
      ++i;
    }
  }
}

inline void close_idle(state& s) {
  for (auto& e : s.endpoints) {
    while (!e.idle.empty()) {
      auto connection = std::move(e.idle.back());
      e.idle.pop_back();
      discard(s, e, std::move(connection));
    }
  }
  // Ended jobs leave the shared timer waiting for their deadline: with no job left, that wait alone
  // would keep `io_context::run()` going until it fires.
  const std::lock_guard lock(s.deadline_mutex);
  if (s.deadlines.empty()) {
    s.deadline_armed = state::clock::time_point::max();
    s.deadline_timer.cancel();
  }
}

inline net::proxy_options connection_options(const state& s) {
  net::proxy_options options{*s.options.policy, s.options.session};
  options.collateral = s.options.collateral;
  options.collateral_cache = s.collateral_cache;
  options.connect_timeout = s.options.timeout;
  options.max_pow_difficulty = s.options.max_pow_difficulty;
  options.pow_executor = s.options.pow_executor;
  options.seal_jobs = s.options.seal_jobs;
  if (s.registrar) {
    options.register_client = [registrar = s.registrar](const net::registration_request& request,
                                                        std::function<void(error_code)> done) {
      registrar->submit(request, std::move(done));
    };
  }
  return options;
}

// The coroutines below take references only, to objects their caller keeps alive, and are
// awaited at once: no temporaries cross a co_await (g++ 12 mishandles those).

/// Takes an idle connection of `e` or opens one (or waits for one to come free); none, with
/// `failed` set, when opening one failed or `stopped` was set first.
inline asio::awaitable<std::unique_ptr<net::proxy_connection>> take_connection(state& s, endpoint& e,
                                                                               const std::atomic<bool>& stopped,
                                                                               error_code& failed) {
  using asio::redirect_error;
  using asio::use_awaitable;
  std::unique_ptr<net::proxy_connection> connection;
  bool reused = false;
  while (!connection) {
    if (stopped) {
      failed = asio::error::operation_aborted;
      co_return nullptr;
    }
    drop_failed(s, e);
    if (!e.idle.empty()) {
      connection = std::move(e.idle.back());
      e.idle.pop_back();
      // Its keepalive stops first; a connection that failed meanwhile is dropped for another.
      error_code ec;
      co_await connection->async_stop_keepalive(redirect_error(use_awaitable, ec));
      if (ec) {
        ++s.stats.idle_dropped;
        discard(s, e, std::move(connection));
        continue;
      }
      reused = true;
    } else if (e.open < s.options.connections_per_proxy) {
      ++e.open;
      connection = std::make_unique<net::proxy_connection>(s.executor, connection_options(s));
      error_code ec;
      co_await connection->async_connect(e.proxy->host, e.proxy->port, redirect_error(use_awaitable, ec));
      if (ec) {
        ++s.stats.connect_failures;
        discard(s, e, std::move(connection));
        failed = ec;
        co_return nullptr;
      }
      ++s.stats.connects;
    } else {
      asio::steady_timer wake(s.executor, asio::steady_timer::time_point::max());
      const auto waiting = s.waiters.insert(s.waiters.end(), &wake);
      error_code ignored;
      co_await wake.async_wait(redirect_error(use_awaitable, ignored));
      s.waiters.erase(waiting);
    }
  }
  if (reused) ++s.stats.reuses;
  co_return connection;
}

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
