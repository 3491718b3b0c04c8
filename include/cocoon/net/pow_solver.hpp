// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_POW_SOLVER_HPP
#define COCOON_NET_POW_SOLVER_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/error.hpp>
#include <cocoon/net/pow.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#endif

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

namespace detail {

/// Two threads at nice 10, so that the process's I/O threads take a core back from a search as
/// soon as they wake, while a search still gets about a tenth of a core on a host whose cores
/// are all busy (a difficulty-20 search then ends within seconds, not after its deadline).
/// Joined at exit: a search still running then ends at its deadline.
class pow_pool {
 public:
  pow_pool() {
    for (auto& thread : threads_) {
      thread = std::thread([this] {
#ifdef __linux__
        (void)::setpriority(PRIO_PROCESS, 0, 10);  // Linux: the calling thread only
#endif
        context_.run();
      });
    }
  }
  pow_pool(const pow_pool&) = delete;
  pow_pool& operator=(const pow_pool&) = delete;
  ~pow_pool() {
    work_.reset();
    context_.stop();
    for (auto& thread : threads_) thread.join();
  }

  [[nodiscard]] boost::asio::any_io_executor executor() { return context_.get_executor(); }

 private:
  boost::asio::io_context context_{2};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{context_.get_executor()};
  std::array<std::thread, 2> threads_;
};

/// `async_solve`'s initiation: the search goes to the pool with a stop source the handler's
/// cancellation slot triggers, and its result comes back to the handler's executor.
struct initiate_solve {
  template <class Handler>
  void operator()(Handler handler, const pow_challenge& challenge, const boost::asio::any_io_executor& pool,
                  std::chrono::steady_clock::time_point deadline) const {
    auto stop = std::make_shared<std::stop_source>();
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) slot.assign([stop](boost::asio::cancellation_type) { stop->request_stop(); });
    auto work = boost::asio::make_work_guard(handler);
    boost::asio::post(
        pool, [challenge, deadline, stop, handler = std::move(handler), work = std::move(work)]() mutable {
          const auto nonce = challenge.solve(stop->get_token(), deadline);
          error_code ec;
          if (!nonce) ec = stop->stop_requested() ? error_code(boost::asio::error::operation_aborted) : errc::timed_out;
          const auto home = work.get_executor();
          // Back on the handler's executor, where its slot is emitted: the slot is cleared there.
          boost::asio::post(
              home, [handler = std::move(handler), work = std::move(work), ec, nonce = nonce.value_or(0)]() mutable {
                boost::asio::get_associated_cancellation_slot(handler).clear();
                work.reset();
                std::move(handler)(ec, nonce);
              });
        });
  }
};

}  // namespace detail

/// The SDK's own pool for proofs of work, used when a connection is given none: two threads at
/// background priority (nice 10), started on first use.
[[nodiscard]] inline boost::asio::any_io_executor default_pow_executor() {
  static detail::pow_pool pool;
  return pool.executor();
}

/// Solves `challenge` on `pool`, so that the caller's executor keeps serving its other work
/// during the up to 2^difficulty hashes, and completes on the handler's associated executor (a
/// coroutine's own; `bind_executor` for a callback) with `void(error_code, std::int64_t nonce)`:
/// the nonce the official client would send, or `boost::asio::error::operation_aborted` when the
/// operation's cancellation slot is emitted (any cancellation type), or `errc::timed_out` once
/// `deadline` has passed. The search notices either within 65536 hashes. Until it completes,
/// the handler's executor counts it as outstanding work and must be kept running.
template <class CompletionToken>
auto async_solve(const pow_challenge& challenge, boost::asio::any_io_executor pool,
                 std::chrono::steady_clock::time_point deadline, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(error_code, std::int64_t)>(
      detail::initiate_solve{}, token, challenge, std::move(pool), deadline);
}

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
