// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_CLIENT_HPP
#define COCOON_CLIENT_CLIENT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/attest/ratls.hpp>
#include <cocoon/client/detail/retry.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/client_session.hpp>
#include <cocoon/net/host_port.hpp>
#include <cocoon/net/http_api.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_root.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/payment.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
/// The SDK's client facade: jobs in, streamed answers out, over attested proxy connections (or a
/// client runner's HTTP API), with connection reuse, deadlines, cancellation, retries and failover.
namespace client {

/// A COCOON proxy's client port: `host:port` (an IPv6 host in brackets), parsed by the SDK's one
/// endpoint parser.
using proxy_address = net::host_port;

/// The client's COCOON wallet, for long authorisation: when a proxy asks for it, the SDK signs
/// `owner_client_register(nonce)` to the client contract (1 TON attached) as a wallet request and
/// hands its BoC to `broadcast`. The SDK has no chain access: `seqno` and `broadcast` are the
/// user's TON API (e.g. a get-method call and `sendBoc`).
struct wallet_options {
  /// The COCOON wallet; its address is the client's identity towards proxies.
  ton::cocoon_wallet wallet;
  /// The wallet's key (the runner's `node_wallet_key`).
  std::shared_ptr<const ed25519_secret_key> key;
  /// Reads the wallet's current seqno from the chain and calls `done(ec, seqno)`.
  std::function<void(std::function<void(error_code, std::uint32_t)> done)> seqno;
  /// Sends the BoC of a signed external message and calls `done` once it is accepted.
  std::function<void(bytes boc, std::function<void(error_code)> done)> broadcast;
  /// How long a signed request stays valid.
  std::chrono::seconds valid_for{std::chrono::seconds{60}};
};

/// The highest charge a proxy has signed for this client, verified (see `client::payments`).
struct proxy_payment {
  proxy_address proxy;
  ton::cocoon_client::signed_payment payment;
};

/// Everything a client is built from (see `client_builder`).
struct client_options {
  /// Proxies, tried in order; a failed connection moves on to the next.
  std::vector<proxy_address> proxies;
  /// OpenAI-compatible HTTP APIs (the COCOON client runner's), after the proxies.
  std::vector<net::http_endpoint> runners;
  /// What each proxy's RA-TLS certificate must prove; required when there are proxies.
  std::optional<attest::ratls_policy> policy;
  /// Intel collateral at hand for the proxies' platforms (`net::proxy_options::collateral`).
  std::vector<attest::collateral_bundle> collateral;
  /// Where to fetch the collateral of platforms `collateral` has no bundle for (Intel's PCS or a
  /// PCCS); what is fetched is kept until its nextUpdate, for all of the client's connections.
  std::optional<attest::collateral_fetch_options> collateral_fetch;
  /// The client's identity towards proxies (wallet address, network, secret) and the root
  /// contract their contracts are checked against (`net::session_config::root`).
  net::session_config session;
  /// The COCOON wallet that registers the client for long authorisation, paying only client
  /// contracts checked against `session.root` (required with a wallet); without one, a proxy that
  /// asks for it is refused with `errc::proxy_registration_needed`.
  std::optional<wallet_options> wallet;
  /// Each job's deadline, from submission to the last byte of its answer, retries included.
  /// A job whose own `timeout()` is shorter keeps that.
  std::chrono::milliseconds timeout{std::chrono::seconds{30}};
  /// Further attempts after the first, when retrying is safe (see `submit`).
  unsigned retries = 2;
  /// Backoff before retry k: a random wait up to min(max_backoff, backoff * 2^(k-1)).
  std::chrono::milliseconds backoff{std::chrono::milliseconds{100}};
  std::chrono::milliseconds max_backoff{std::chrono::seconds{2}};
  /// Attested connections kept per proxy; jobs beyond wait for one to come free.
  std::size_t connections_per_proxy = 4;
  /// How long a connection is kept idle in the pool at all. While idle it is kept alive (the
  /// proxy's pings answered, ours sent after `session.ping_after` of silence); one that fails
  /// meanwhile is dropped, never handed to a job.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes{5}};
  /// The highest proof-of-work difficulty accepted from a proxy.
  std::int32_t max_pow_difficulty = net::pow_challenge::max_difficulty;
  /// Where proofs of work are solved, away from the client's executor
  /// (`net::proxy_options::pow_executor`); empty: the SDK's own pool.
  boost::asio::any_io_executor pow_executor{};
  /// Seal each job to the proxy's attested key (`net::proxy_options::seal_jobs`); only the local
  /// reference network takes sealed jobs.
  bool seal_jobs = false;
  /// The parts an `answer_stream` keeps unread: once this many wait, the SDK reads no further from
  /// the job's connection until the reader takes one (TCP flow control then slows the sender).
  std::size_t stream_buffer = 64;
};

/// What a client has done so far (read on its executor, or once the `io_context` has stopped).
struct client_stats {
  std::size_t jobs = 0;              ///< jobs submitted
  std::size_t attempts = 0;          ///< attempts made: first tries and retries
  std::size_t retries = 0;           ///< attempts repeated after a failure
  std::size_t failovers = 0;         ///< retries that moved to another endpoint
  std::size_t connects = 0;          ///< attested proxy connections established
  std::size_t connect_failures = 0;  ///< proxy connections that failed (network, attestation, authorisation)
  std::size_t reuses = 0;            ///< jobs (and model lists) sent over a connection that had served before
  std::size_t idle_dropped = 0;      ///< idle connections found failed or expired, and closed
};

/// Called with each piece of decrypted answer text as it arrives.
using part_handler = std::function<void(std::string_view)>;

namespace detail {

namespace asio = boost::asio;
using executor_type = asio::strand<asio::any_io_executor>;

/// One endpoint: a proxy with its pool of attested connections, or a runner's HTTP API.
struct endpoint {
  std::optional<proxy_address> proxy;
  std::unique_ptr<net::http_api_client> http;
  std::vector<std::unique_ptr<net::proxy_connection>> idle;        ///< each kept alive (`keep_alive`)
  std::size_t open = 0;                                            ///< connections idle, in use or connecting
  std::optional<ton::cocoon_client::signed_payment> best_payment;  ///< over all its connections
};

/// Registers for long authorisation one connection at a time, with a seqno not used within the
/// request's validity (the chain's seqno only moves once a request is included).
struct wallet_registrar : std::enable_shared_from_this<wallet_registrar> {
  using done_type = std::function<void(error_code)>;

  wallet_registrar(executor_type ex, wallet_options w) : executor(std::move(ex)), wallet(std::move(w)) {}

  void submit(const net::registration_request& request, done_type done) {
    asio::post(executor, [self = shared_from_this(), request, done = std::move(done)]() mutable {
      self->queue.emplace_back(std::move(request), std::move(done));
      self->next();
    });
  }

  executor_type executor;
  wallet_options wallet;
  bool busy = false;
  std::deque<std::pair<net::registration_request, done_type>> queue;
  std::optional<std::uint32_t> last_seqno;
  std::chrono::steady_clock::time_point last_used{};

 private:
  void next() {
    if (busy || queue.empty()) return;
    busy = true;
    auto [request, done] = std::move(queue.front());
    queue.pop_front();
    wallet.seqno([self = shared_from_this(), nonce = static_cast<std::uint64_t>(request.nonce),
                  contract = request.client_contract,
                  done = std::move(done)](error_code read, std::uint32_t seqno) mutable {
      asio::post(self->executor, [self, nonce, contract, done = std::move(done), read, seqno]() mutable {
        self->sign_and_send(nonce, contract, std::move(done), read, seqno);
      });
    });
  }

  void sign_and_send(std::uint64_t nonce, const ton::address& contract, done_type done, error_code ec,
                     std::uint32_t seqno) {
    if (ec) return finish(std::move(done), ec, std::nullopt);
    if (last_seqno && std::chrono::steady_clock::now() - last_used < wallet.valid_for) {
      seqno = std::max(seqno, *last_seqno + 1);
    }
    std::uint64_t query_id = 0;
    cocoon::detail::ensure_sodium();
    randombytes_buf(&query_id, sizeof query_id);
    const auto request = ton::payment(wallet.wallet)
                             .to(contract)
                             .query_id(query_id)
                             .register_client(nonce)
                             .seqno(seqno)
                             .valid_for(wallet.valid_for)
                             .sign(*wallet.key, ec);
    if (!request) return finish(std::move(done), ec, std::nullopt);
    wallet.broadcast(ton::serialize_boc(request->to_cell()),
                     [self = shared_from_this(), done = std::move(done), seqno](error_code sent) mutable {
                       asio::post(self->executor, [self, done = std::move(done), sent, seqno]() mutable {
                         self->finish(std::move(done), sent, sent ? std::nullopt : std::optional{seqno});
                       });
                     });
  }

  void finish(done_type done, error_code ec, std::optional<std::uint32_t> used) {
    if (used) {
      last_seqno = used;
      last_used = std::chrono::steady_clock::now();
    }
    busy = false;
    done(ec);
    next();
  }
};

struct job_op;

struct state {
  state(executor_type ex, client_options opts)
      : executor(std::move(ex)), options(std::move(opts)), deadline_timer(executor) {}

  executor_type executor;
  client_options options;
  std::vector<endpoint> endpoints;
  std::size_t preferred = 0;               ///< the endpoint that last worked
  std::list<asio::steady_timer*> waiters;  ///< jobs waiting for a connection to come free
  client_stats stats;
  std::shared_ptr<wallet_registrar> registrar;                 ///< set when the options have a wallet
  std::shared_ptr<attest::collateral_cache> collateral_cache;  ///< set when the options fetch collateral
  bool closed = false;  ///< the last `client` handle is gone: connections are no longer pooled

  // The jobs' deadlines share one timer, which waits for the earliest (see `add_deadline`).
  // Guarded by `deadline_mutex`: jobs are submitted from any thread.
  using clock = std::chrono::steady_clock;
  std::mutex deadline_mutex;
  std::multimap<clock::time_point, std::weak_ptr<job_op>> deadlines;
  asio::steady_timer deadline_timer;
  clock::time_point deadline_armed = clock::time_point::max();  ///< when the timer fires; max: idle
};

/// Keeps the endpoint's highest verified charge from a connection about to be pooled or closed.
inline void note_payment(endpoint& e, const net::proxy_connection& connection) {
  if (const auto& best = connection.best_payment()) ton::cocoon_client::keep_highest_charge(e.best_payment, *best);
}

/// The caller's view of one job's answer: parts stop the moment the job is cancelled or expires.
struct part_sink {
  part_handler on_part;
  std::shared_ptr<net::read_gate> gate;  ///< an `answer_stream`'s backpressure; null for `submit`
  std::atomic<bool> stopped{false};
  std::size_t delivered = 0;
};

struct outcome {
  error_code ec;
  openai::answer answer;
};

struct attempt_result {
  error_code ec;
  openai::answer answer;
  attempt_stage stage = attempt_stage::connecting;
};

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

/// One submitted job: its deadline, and the signal that stops it (the caller's cancellation and
/// the deadline both end up there).
struct job_op {
  asio::cancellation_signal stop;
  std::shared_ptr<part_sink> sink = std::make_shared<part_sink>();
  bool expired = false;
  bool waiting = false;  ///< `deadline` is in `state::deadlines` (under `state::deadline_mutex`)
  std::multimap<state::clock::time_point, std::weak_ptr<job_op>>::iterator deadline;
};

inline void on_deadline(const std::weak_ptr<state>& weak, error_code ec);

/// Re-arms the deadline timer when the earliest deadline comes before the one it waits for.
/// Call with `deadline_mutex` held.
inline void arm_deadlines(const std::shared_ptr<state>& shared) {
  state& s = *shared;
  if (s.deadlines.empty() || s.deadlines.begin()->first >= s.deadline_armed) return;
  s.deadline_armed = s.deadlines.begin()->first;
  s.deadline_timer.expires_at(s.deadline_armed);  // a wait for a later time completes as aborted
  s.deadline_timer.async_wait([weak = std::weak_ptr<state>(shared)](error_code ec) { on_deadline(weak, ec); });
}

/// Adds a job's deadline. One timer for all jobs: with a timer per job, each job cost a timer
/// queue update, a system call to re-arm the reactor's timer and a cancelled wait to complete.
/// Jobs that end in time take their deadline out (`remove_deadline`) without touching the timer,
/// which, when it fires, expires what is due and waits for the next.
inline void add_deadline(const std::shared_ptr<state>& shared, const std::shared_ptr<job_op>& op,
                         state::clock::time_point due) {
  const std::lock_guard lock(shared->deadline_mutex);
  op->deadline = shared->deadlines.emplace(due, op);
  op->waiting = true;
  arm_deadlines(shared);
}

inline void remove_deadline(state& s, job_op& op) {
  const std::lock_guard lock(s.deadline_mutex);
  if (!op.waiting) return;
  s.deadlines.erase(op.deadline);
  op.waiting = false;
}

/// The deadline timer fired (on the client's strand): stops the jobs whose deadline has passed.
inline void on_deadline(const std::weak_ptr<state>& weak, error_code ec) {
  const auto shared = weak.lock();
  if (ec || !shared) return;
  state& s = *shared;
  std::vector<std::shared_ptr<job_op>> due;
  {
    const std::lock_guard lock(s.deadline_mutex);
    s.deadline_armed = state::clock::time_point::max();
    const auto now = state::clock::now();
    while (!s.deadlines.empty() && s.deadlines.begin()->first <= now) {
      if (auto op = s.deadlines.begin()->second.lock()) {
        op->waiting = false;
        due.push_back(std::move(op));
      }
      s.deadlines.erase(s.deadlines.begin());
    }
    arm_deadlines(shared);
  }
  for (const auto& op : due) {
    op->expired = true;
    op->sink->stopped = true;
    op->stop.emit(asio::cancellation_type::terminal);
  }
}

[[nodiscard]] inline error_code code_of(std::exception_ptr failure) {
  try {
    std::rethrow_exception(std::move(failure));
  } catch (const boost::system::system_error& e) {
    return e.code();
  } catch (const cocoon::error& e) {
    return static_cast<errc>(e.code().value());
  } catch (...) {
    return asio::error::fault;
  }
}

struct initiate_submit {
  std::shared_ptr<state> shared;

  template <class Handler>
  void operator()(Handler handler, job job, part_handler on_part, std::shared_ptr<net::read_gate> gate) const {
    const executor_type executor = shared->executor;
    auto op = std::make_shared<job_op>();
    op->sink->on_part = std::move(on_part);
    op->sink->gate = std::move(gate);
    auto slot = asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) {
      // Any cancellation type stops the job: a half-streamed answer cannot be resumed. Parts stop
      // at once; the I/O is cancelled on the client's strand.
      slot.assign([op, executor](asio::cancellation_type) {
        op->sink->stopped = true;
        asio::post(executor, [op] { op->stop.emit(asio::cancellation_type::terminal); });
      });
    }
    const auto now = state::clock::now();
    const auto room = std::chrono::duration_cast<std::chrono::milliseconds>(state::clock::time_point::max() - now);
    add_deadline(shared, op, now + std::min({shared->options.timeout, job.timeout(), room}));
    auto sink = op->sink;
    asio::co_spawn(
        executor, run_job(shared, std::move(job), std::move(sink)),
        asio::bind_cancellation_slot(op->stop.slot(), [shared = shared, op, executor, handler = std::move(handler)](
                                                          std::exception_ptr failure, outcome result) mutable {
          remove_deadline(*shared, *op);
          auto caller_slot = asio::get_associated_cancellation_slot(handler);
          if (caller_slot.is_connected()) caller_slot.clear();
          if (failure) result = outcome{code_of(failure), {}};
          // Once stopped, the job reports why, whatever the last attempt looked like.
          if (op->expired) {
            result.ec = errc::deadline_exceeded;
          } else if (op->sink->stopped) {
            result.ec = asio::error::operation_aborted;
          }
          auto target = asio::get_associated_executor(handler, executor);
          asio::dispatch(target, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(result.ec, std::move(result.answer));
          });
        }));
  }
};

/// What an `answer_stream` shares with its job: parts not yet read, the end, one waiting reader.
/// Touched only on the client's strand.
struct stream_state {
  /// The waiting reader's handler, type-erased (handlers may be move-only).
  struct reader_base {
    virtual ~reader_base() = default;
    virtual void complete(error_code ec, std::string part) = 0;
  };
  template <class Function>
  struct reader_of final : reader_base {
    explicit reader_of(Function f) : function(std::move(f)) {}
    void complete(error_code ec, std::string part) override { std::move(function)(ec, std::move(part)); }
    Function function;
  };

  stream_state(executor_type ex, std::size_t bound)
      : executor(std::move(ex)), limit(bound), gate(std::make_shared<net::read_gate>(executor)) {}

  executor_type executor;
  std::size_t limit;                     ///< `client_options::stream_buffer`
  std::size_t most_buffered = 0;         ///< the most parts that waited unread at once
  std::shared_ptr<net::read_gate> gate;  ///< paused while `limit` parts wait
  std::deque<std::string> parts;
  std::optional<error_code> end;
  openai::answer answer;
  std::unique_ptr<reader_base> reader;
  asio::cancellation_signal stop;

  /// A part from the job: kept, handed to a waiting reader, and reads pause once `limit` wait.
  void push(std::string_view part) {
    parts.emplace_back(part);
    most_buffered = std::max(most_buffered, parts.size());
    deliver();
    if (parts.size() >= limit) gate->pause();
  }

  void deliver() {
    if (!reader) return;
    if (!parts.empty()) {
      auto part = std::move(parts.front());
      parts.pop_front();
      if (parts.size() < limit && gate->paused()) gate->resume();
      complete(error_code{}, std::move(part));
    } else if (end) {
      complete(*end ? *end : error_code(asio::error::eof), {});
    }
  }

  void complete(error_code ec, std::string part) {
    const auto handler = std::move(reader);
    handler->complete(ec, std::move(part));
  }
};

}  // namespace detail

/// A job's answer read part by part (`client::stream`): each `async_read_part` completes with the
/// next piece of decrypted text, `boost::asio::error::eof` after the last one (then `answer()`
/// holds the whole answer and its usage), or the job's error. Parts that arrive before they are
/// read are kept in order, at most `client_options::stream_buffer` of them: while that many wait,
/// the job's connection is not read further (backpressure; the job's deadline keeps running).
/// One read at a time.
class answer_stream {
 public:
  explicit answer_stream(std::shared_ptr<detail::stream_state> state) : state_(std::move(state)) {}

  /// Completion: `void(cocoon::error_code, std::string)`.
  template <class CompletionToken>
  auto async_read_part(CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, std::string)>(
        [](auto handler, std::shared_ptr<detail::stream_state> state) {
          auto executor = state->executor;
          auto target = boost::asio::get_associated_executor(handler, executor);
          boost::asio::dispatch(executor, [state = std::move(state), target, handler = std::move(handler)]() mutable {
            // Kept type-erased; completes through the reader's own executor, never inline.
            auto complete = [target, handler = std::move(handler)](error_code ec, std::string part) mutable {
              boost::asio::post(target, [handler = std::move(handler), ec, part = std::move(part)]() mutable {
                std::move(handler)(ec, std::move(part));
              });
            };
            state->reader = std::make_unique<detail::stream_state::reader_of<decltype(complete)>>(std::move(complete));
            state->deliver();
          });
        },
        token, state_);
  }

  /// The most parts that have waited unread at once so far (never above `stream_buffer`). Read it
  /// on the client's strand, or while no job runs.
  [[nodiscard]] std::size_t most_buffered() const noexcept { return state_->most_buffered; }

  /// The whole answer, once a read has completed with `eof`.
  [[nodiscard]] const openai::answer& answer() const noexcept { return state_->answer; }

  /// Stops the job as a cancellation would; parts not read yet are dropped, and the next read
  /// completes with `operation_aborted`. (Destroying the stream does not stop the job.)
  void cancel() {
    boost::asio::post(state_->executor, [state = state_] {
      state->parts.clear();
      state->stop.emit(boost::asio::cancellation_type::terminal);
    });
  }

 private:
  std::shared_ptr<detail::stream_state> state_;
};

/// A COCOON client: kept for the lifetime of a service, it runs any number of jobs at once over a
/// few attested connections that it reuses. Build one with `builder()`.
///
/// Thread safety: the client works on a strand of the executor it was built with; `submit` may be
/// called from any thread, and handlers run on their associated executor (the strand by default).
/// Jobs keep what they need alive, so a client may be destroyed while jobs are in flight.
class client {
 public:
  using executor_type = detail::executor_type;

  /// @throws cocoon::error with `errc::client_misconfigured` when there is no endpoint, no policy
  ///         for the proxies, a limit of zero, or a wallet without a root contract with proxy and
  ///         client code; `errc::invalid_url` for a collateral URL.
  client(const boost::asio::any_io_executor& executor, client_options options) {
    if (options.proxies.empty() && options.runners.empty()) {
      throw cocoon::error(errc::client_misconfigured, "client", "no proxy or HTTP endpoint");
    }
    if (!options.proxies.empty() && !options.policy) {
      throw cocoon::error(errc::client_misconfigured, "client", "no attestation policy for the proxies");
    }
    if (options.connections_per_proxy == 0 || options.stream_buffer == 0 ||
        options.timeout <= std::chrono::milliseconds::zero()) {
      throw cocoon::error(errc::client_misconfigured, "client",
                          "connections_per_proxy, stream_buffer or timeout is zero");
    }
    if (options.wallet) {
      auto& w = *options.wallet;
      if (!w.key || !w.seqno || !w.broadcast) {
        throw cocoon::error(errc::client_misconfigured, "client", "wallet without key, seqno reader or broadcaster");
      }
      // The wallet pays client contracts, and only those that derive from the root.
      const auto& root = options.session.root;
      if (!root || !root->params.proxy_code || !root->params.client_code) {
        throw cocoon::error(errc::client_misconfigured, "client", "wallet without a root contract with contract code");
      }
      // The wallet is the client's identity: proxies derive the client contract from its address.
      auto& owner = options.session.owner_address;
      if (owner.empty()) {
        owner = w.wallet.address().to_friendly({.bounceable = false, .testnet = options.session.is_test});
      } else {
        error_code ec;
        const auto named = ton::parse_address(owner, ec);
        if (!named || !(named->address == w.wallet.address())) {
          throw cocoon::error(errc::client_misconfigured, "client", "session owner_address is not the wallet's");
        }
      }
    }
    state_ = std::make_shared<detail::state>(boost::asio::make_strand(executor), std::move(options));
    auto& s = *state_;
    if (s.options.wallet) s.registrar = std::make_shared<detail::wallet_registrar>(s.executor, *s.options.wallet);
    if (s.options.collateral_fetch) {
      s.collateral_cache =
          std::make_shared<attest::collateral_cache>(s.executor.get_inner_executor(), *s.options.collateral_fetch);
    }
    for (const auto& proxy : s.options.proxies) {
      s.endpoints.emplace_back().proxy = proxy;
    }
    for (const auto& runner : s.options.runners) {
      // No timer in the transport: each job's deadline (below the client's timeout) cancels it.
      // Its I/O runs on the strand's own executor (cheaper to copy for each operation); every
      // completion still reaches the job's coroutine through the strand.
      s.endpoints.emplace_back().http = std::make_unique<net::http_api_client>(
          s.executor.get_inner_executor(), runner, net::http_api_options{.timeout = std::chrono::milliseconds::zero()});
    }
    closer_ = std::make_shared<closer>(state_);
  }

  /// Runs `job` and completes with its answer: `void(cocoon::error_code, cocoon::openai::answer)`
  /// (`use_future`: a `std::future<openai::answer>`; `use_awaitable`: the answer, errors thrown
  /// as `boost::system::system_error`). `on_part` sees each piece of decrypted text as it arrives
  /// (for a job that is not streamed: the whole text once), on the client's strand.
  ///
  /// - Deadline: the shorter of the client's `timeout` and the job's own; when it passes, the job
  ///   stops and completes with `errc::deadline_exceeded`.
  /// - Cancellation: the token's cancellation slot (any type) stops the job at once: no further
  ///   part is delivered, its connection is closed (which stops the job at the proxy), and it
  ///   completes with `boost::asio::error::operation_aborted`.
  /// - Retries: an attempt that failed before the job left the SDK (connecting, proof of work,
  ///   attestation, authorisation, or the HTTP connection) is repeated, on the next endpoint when
  ///   there are several, after a jittered backoff. One that failed later is repeated only when the
  ///   job has an idempotency key and none of its answer has been delivered yet.
  /// - Errors: those of `net::proxy_connection` and `net::http_api_client` (the last attempt's).
  template <class CompletionToken>
  auto submit(const job& job, part_handler on_part, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, openai::answer)>(
        detail::initiate_submit{state_}, token, job, std::move(on_part), std::shared_ptr<net::read_gate>{});
  }

  /// `submit` without a part handler: only the whole answer.
  template <class CompletionToken>
  auto submit(const job& job, CompletionToken&& token) {
    return submit(job, part_handler{}, std::forward<CompletionToken>(token));
  }

  /// Starts `job` and returns its answer as a stream of parts, read with `async_read_part`
  /// (deadline, retries and failover as for `submit`; at most `stream_buffer` parts wait unread).
  [[nodiscard]] answer_stream stream(const job& job) {
    auto state = std::make_shared<detail::stream_state>(state_->executor, state_->options.stream_buffer);
    // As `submit`, with the stream's read gate passed on to the transport.
    detail::initiate_submit{state_}(
        boost::asio::bind_cancellation_slot(state->stop.slot(),
                                            [state](error_code ec, openai::answer answer) {
                                              state->answer = std::move(answer);
                                              state->end = ec;
                                              state->deliver();
                                            }),
        job, [state](std::string_view part) { state->push(part); }, state->gate);
    return answer_stream(std::move(state));
  }

  /// The models on offer (`net::model_info`: each model's name and workers, with their price
  /// coefficient and load): a proxy's `client.getWorkerTypesV2` answer, asked on a pooled
  /// connection, or a runner's `GET /v1/models`. Endpoints are asked in turn, from the one that
  /// last served a job, until one answers. Completion:
  /// `void(cocoon::error_code, std::vector<cocoon::net::model_info>)`; each endpoint's wait is
  /// bounded by the client's `timeout`. Errors: the last endpoint's, as `net::proxy_connection::
  /// async_models` and `net::http_api_client::async_models` give them.
  template <class CompletionToken>
  auto async_models(CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, std::vector<net::model_info>)>(
        [](auto handler, std::shared_ptr<detail::state> shared) {
          const executor_type executor = shared->executor;
          boost::asio::co_spawn(executor, detail::run_models(std::move(shared)),
                                [executor, handler = std::move(handler)](std::exception_ptr failure,
                                                                         detail::models_result result) mutable {
                                  if (failure) result = {detail::code_of(failure), {}};
                                  auto target = boost::asio::get_associated_executor(handler, executor);
                                  boost::asio::dispatch(
                                      target, [handler = std::move(handler), result = std::move(result)]() mutable {
                                        std::move(handler)(result.first, std::move(result.second));
                                      });
                                });
        },
        token, state_);
  }

  /// The counters so far. Read them on the client's strand (or while no job runs).
  [[nodiscard]] const client_stats& stats() const noexcept { return state_->stats; }
  /// Per proxy, the highest charge it has signed for this client (verified; from connections
  /// returned to the pool or closed). Submit one with `ton::payment(wallet).to(contract).charge(p)`
  /// to force the client contract to pay that much. Read on the client's strand.
  [[nodiscard]] std::vector<proxy_payment> payments() const {
    std::vector<proxy_payment> out;
    for (const auto& e : state_->endpoints) {
      if (e.proxy && e.best_payment) out.push_back({*e.proxy, *e.best_payment});
    }
    return out;
  }
  [[nodiscard]] const client_options& options() const noexcept { return state_->options; }
  [[nodiscard]] executor_type get_executor() const noexcept { return state_->executor; }

  /// Closes the idle connections (on the client's strand); jobs in flight finish on theirs.
  void close_idle() {
    boost::asio::post(state_->executor, [shared = state_] { detail::close_idle(*shared); });
  }

 private:
  /// Once the last copy of a client is gone, its idle connections are closed and the connections
  /// of jobs still in flight are closed when they end, so that nothing keeps the `io_context` busy.
  struct closer {
    explicit closer(std::shared_ptr<detail::state> shared) : state(std::move(shared)) {}
    closer(const closer&) = delete;
    closer& operator=(const closer&) = delete;
    ~closer() {
      const auto executor = state->executor;
      boost::asio::post(executor, [shared = std::move(state)] {
        shared->closed = true;
        detail::close_idle(*shared);
      });
    }
    std::shared_ptr<detail::state> state;
  };

  std::shared_ptr<detail::state> state_;
  std::shared_ptr<closer> closer_;
};

/// Builds a `client` step by step:
/// `builder().proxy("host:port").policy(p).session(s).timeout(30s).retries(2).build(io)`.
class client_builder {
 public:
  /// Adds a proxy (repeatable; tried in the order given). @throws cocoon::error (`errc::invalid_url`).
  client_builder& proxy(std::string_view host_port) {
    options_.proxies.push_back(proxy_address::parse(host_port));
    return *this;
  }
  /// Adds every proxy the root contract lists, at its client address.
  client_builder& proxies(const ton::cocoon_root_config& root) {
    for (const auto& registered : root.proxies) proxy(registered.address_for_clients());
    return *this;
  }
  /// Adds a client runner's OpenAI-compatible API (`http://host:port`). @throws cocoon::error.
  client_builder& http(std::string_view url) {
    options_.runners.push_back(net::http_endpoint::parse(url));
    return *this;
  }
  client_builder& policy(attest::ratls_policy policy) {
    options_.policy = std::move(policy);
    return *this;
  }
  /// Intel collateral (with its CRLs) for one platform of the proxies (repeatable).
  client_builder& collateral(attest::collateral_bundle bundle) {
    options_.collateral.push_back(std::move(bundle));
    return *this;
  }
  /// Fetches collateral for platforms without a bundle, from Intel's PCS by default or a PCCS.
  client_builder& fetch_collateral(attest::collateral_fetch_options where = {}) {
    options_.collateral_fetch = std::move(where);
    return *this;
  }
  /// The client's identity towards proxies: wallet address, network and the client secret. A root
  /// set with `root()` is kept unless `session` names one.
  client_builder& session(net::session_config session) {
    if (!session.root) session.root = std::move(options_.session.root);
    options_.session = std::move(session);
    return *this;
  }
  /// The root contract the client trusts (`net::session_config::root`): each proxy's contract and
  /// the client contract it names must derive from it; required for long authorisation.
  client_builder& root(ton::cocoon_root_contract root) {
    options_.session.root = std::move(root);
    return *this;
  }
  /// The COCOON wallet that registers the client when a proxy asks for long authorisation (and
  /// the session's `owner_address`, if that is not set).
  client_builder& wallet(wallet_options wallet) {
    options_.wallet = std::move(wallet);
    return *this;
  }
  client_builder& timeout(std::chrono::milliseconds deadline) {
    options_.timeout = deadline;
    return *this;
  }
  client_builder& retries(unsigned count) {
    options_.retries = count;
    return *this;
  }
  client_builder& backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap) {
    options_.backoff = base;
    options_.max_backoff = cap;
    return *this;
  }
  client_builder& connections_per_proxy(std::size_t count) {
    options_.connections_per_proxy = count;
    return *this;
  }
  /// Seals each job to the proxy's attested key (the local reference network takes sealed jobs).
  client_builder& seal_jobs(bool seal = true) {
    options_.seal_jobs = seal;
    return *this;
  }
  /// Solves proxies' proofs of work on `pool` (a `thread_pool`'s executor, say) instead of the
  /// SDK's own two threads.
  client_builder& pow_executor(boost::asio::any_io_executor pool) {
    options_.pow_executor = std::move(pool);
    return *this;
  }
  client_builder& idle_timeout(std::chrono::milliseconds limit) {
    options_.idle_timeout = limit;
    return *this;
  }
  /// The parts an `answer_stream` keeps unread before it stops reading (default 64, at least 1).
  client_builder& stream_buffer(std::size_t parts) {
    options_.stream_buffer = parts;
    return *this;
  }

  [[nodiscard]] const client_options& options() const noexcept { return options_; }

  /// @throws cocoon::error with `errc::client_misconfigured` (see `client`).
  [[nodiscard]] client build(const boost::asio::any_io_executor& executor) const { return {executor, options_}; }
  [[nodiscard]] client build(boost::asio::io_context& io) const { return {io.get_executor(), options_}; }

 private:
  client_options options_;
};

[[nodiscard]] inline client_builder builder() { return {}; }

}  // namespace client
COCOON_SDK_NAMESPACE_END

#endif
