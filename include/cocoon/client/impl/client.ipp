// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_IMPL_CLIENT_IPP
#define COCOON_CLIENT_IMPL_CLIENT_IPP

#include <cocoon/client/client.hpp>

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/client/detail/attempts.hpp>
#include <cocoon/client/detail/complete.hpp>
#include <cocoon/client/detail/deadlines.hpp>
#include <cocoon/client/detail/pool.hpp>
#include <cocoon/client/detail/registrar.hpp>
#include <cocoon/client/detail/state.hpp>
#include <cocoon/client/detail/stream_state.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/http_api.hpp>
#include <cocoon/ton/address.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace client {
namespace detail {

/// What makes options unusable, if anything; fills in the session's owner address from the wallet.
[[nodiscard]] inline std::optional<cocoon::detail::failure> check_options(client_options& options) {
  if (options.proxies.empty() && options.runners.empty()) {
    return cocoon::detail::failure{errc::client_misconfigured, "no proxy or HTTP endpoint"};
  }
  if (!options.proxies.empty() && !options.policy) {
    return cocoon::detail::failure{errc::client_misconfigured, "no attestation policy for the proxies"};
  }
  if (options.connections_per_proxy == 0 || options.stream_buffer == 0 ||
      options.timeout <= std::chrono::milliseconds::zero()) {
    return cocoon::detail::failure{errc::client_misconfigured,
                                   "connections_per_proxy, stream_buffer or timeout is zero"};
  }
  if (!options.wallet) return std::nullopt;
  auto& w = *options.wallet;
  if (!w.key || !w.seqno || !w.broadcast) {
    return cocoon::detail::failure{errc::client_misconfigured, "wallet without key, seqno reader or broadcaster"};
  }
  // The wallet pays client contracts, and only those that derive from the root.
  const auto& root = options.session.root;
  if (!root || !root->params.proxy_code || !root->params.client_code) {
    return cocoon::detail::failure{errc::client_misconfigured, "wallet without a root contract with contract code"};
  }
  // The wallet is the client's identity: proxies derive the client contract from its address.
  auto& owner = options.session.owner_address;
  if (owner.empty()) {
    owner = w.wallet.address().to_friendly({.bounceable = false, .testnet = options.session.is_test});
    return std::nullopt;
  }
  error_code ec;
  const auto named = ton::parse_address(owner, ec);
  if (!named || !(named->address == w.wallet.address())) {
    return cocoon::detail::failure{errc::client_misconfigured, "session owner_address is not the wallet's"};
  }
  return std::nullopt;
}

[[nodiscard]] inline error_code code_of(std::exception_ptr failure) {
  try {
    std::rethrow_exception(std::move(failure));
  } catch (const boost::system::system_error& e) {
    return e.code();
  } catch (const cocoon::error& e) {
    return e.sdk_code();
  } catch (...) {
    return asio::error::fault;
  }
}

/// Starts a job: its deadline, the caller's cancellation, and the attempts (`run_job`) on the
/// client's strand; `gate` is an `answer_stream`'s backpressure (null for `async_submit`).
inline void submit_job(const std::shared_ptr<state>& shared, job job, part_handler on_part,
                       std::shared_ptr<net::read_gate> gate, submit_handler handler) {
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
  asio::co_spawn(executor, run_job(shared, std::move(job), std::move(sink)),
                 asio::bind_cancellation_slot(op->stop.slot(), [shared, op, handler = std::move(handler)](
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
                   complete(std::move(handler), result.ec, std::move(result.answer));
                 }));
}

COCOON_SDK_DECL void start_submit(const std::shared_ptr<state>& shared, job job, part_handler on_part,
                                  submit_handler handler) {
  submit_job(shared, std::move(job), std::move(on_part), nullptr, std::move(handler));
}

COCOON_SDK_DECL void start_models(const std::shared_ptr<state>& shared, models_handler handler) {
  const executor_type executor = shared->executor;
  asio::co_spawn(executor, run_models(shared),
                 [handler = std::move(handler)](std::exception_ptr failure, models_result result) mutable {
                   if (failure) result = {code_of(failure), {}};
                   complete(std::move(handler), result.first, std::move(result.second));
                 });
}

}  // namespace detail

struct client::closer {
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

COCOON_SDK_DECL client::client(const boost::asio::any_io_executor& executor, client_options options)
    : client(checked{}, executor, [&options] {
        cocoon::detail::throw_on_failure(detail::check_options(options), "client");
        return std::move(options);
      }()) {}

COCOON_SDK_DECL std::optional<client> client::create(const boost::asio::any_io_executor& executor,
                                                     client_options options, error_code& ec) {
  if (!cocoon::detail::succeeded(detail::check_options(options), ec)) return std::nullopt;
  return client(checked{}, executor, std::move(options));
}

COCOON_SDK_DECL client::client(checked, const boost::asio::any_io_executor& executor, client_options options)
    : state_(std::make_shared<detail::state>(boost::asio::make_strand(executor), std::move(options))) {
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

COCOON_SDK_DECL answer_stream client::stream(const job& job) {
  auto state = std::make_shared<detail::stream_state>(state_->executor, state_->options.stream_buffer);
  // As `async_submit`, with the stream's read gate passed on to the transport.
  detail::submit_job(
      state_, job, [state](std::string_view part) { state->push(part); }, state->gate,
      boost::asio::bind_cancellation_slot(state->stop.slot(), [state](error_code ec, openai::answer answer) {
        state->answer = std::move(answer);
        state->end = ec;
        state->deliver();
      }));
  return answer_stream(std::move(state));
}

COCOON_SDK_DECL const client_stats& client::stats() const noexcept { return state_->stats; }

COCOON_SDK_DECL std::vector<proxy_payment> client::payments() const {
  std::vector<proxy_payment> out;
  for (const auto& e : state_->endpoints) {
    if (e.proxy && e.best_payment) out.push_back({*e.proxy, *e.best_payment});
  }
  return out;
}

COCOON_SDK_DECL const client_options& client::options() const noexcept { return state_->options; }

COCOON_SDK_DECL client::executor_type client::get_executor() const noexcept { return state_->executor; }

COCOON_SDK_DECL void client::close_idle() {
  boost::asio::post(state_->executor, [shared = state_] { detail::close_idle(*shared); });
}

}  // namespace client
COCOON_SDK_NAMESPACE_END

#endif
