// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_CLIENT_HPP
#define COCOON_CLIENT_CLIENT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/client/answer_stream.hpp>
#include <cocoon/client/detail/fwd.hpp>
#include <cocoon/client/options.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/models.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
/// The SDK's client facade: jobs in, streamed answers out, over attested proxy connections (or a
/// client runner's HTTP API), with connection reuse, deadlines, cancellation, retries and failover.
namespace client {
namespace detail {

COCOON_SDK_DECL void start_submit(const std::shared_ptr<state>& shared, job job, part_handler on_part,
                                  submit_handler handler);
COCOON_SDK_DECL void start_models(const std::shared_ptr<state>& shared, models_handler handler);

}  // namespace detail

/// A COCOON client: kept for the lifetime of a service, it runs any number of jobs at once over a
/// few attested connections that it reuses. Build one with `builder()`.
///
/// Thread safety: the client works on a strand of the executor it was built with; `async_submit` may be
/// called from any thread, and handlers run on their associated executor (the strand by default).
/// Jobs keep what they need alive, so a client may be destroyed while jobs are in flight.
class client {
 public:
  using executor_type = detail::executor_type;

  /// @throws cocoon::error with `errc::client_misconfigured` when there is no endpoint, no policy
  ///         for the proxies, a limit of zero, or a wallet without a root contract with proxy and
  ///         client code; `errc::invalid_url` for a collateral URL.
  COCOON_SDK_DECL client(const boost::asio::any_io_executor& executor, client_options options);

  /// As the constructor, with a misconfiguration reported through `ec` (and no client) instead of
  /// thrown.
  [[nodiscard]] static COCOON_SDK_DECL std::optional<client> create(const boost::asio::any_io_executor& executor,
                                                                    client_options options, error_code& ec);

  /// Runs `job` and completes with its answer: `void(cocoon::error_code, cocoon::openai::answer)`
  /// (`use_future`: a `std::future<openai::answer>`; `use_awaitable`: the answer, errors thrown
  /// as `boost::system::system_error`; no token: a deferred operation, `co_await`-able). `on_part` sees each piece of
  /// decrypted text as it arrives (for a job that is not streamed: the whole text once), on the client's strand.
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
  template <
      boost::asio::completion_token_for<void(error_code, openai::answer)> CompletionToken = boost::asio::deferred_t>
  auto async_submit(const job& job, part_handler on_part, CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, openai::answer)>(
        [](detail::submit_handler handler, const std::shared_ptr<detail::state>& shared, const cocoon::job& submitted,
           part_handler parts) { detail::start_submit(shared, submitted, std::move(parts), std::move(handler)); },
        token, state_, job, std::move(on_part));
  }

  /// `async_submit` without a part handler: only the whole answer.
  template <
      boost::asio::completion_token_for<void(error_code, openai::answer)> CompletionToken = boost::asio::deferred_t>
  auto async_submit(const job& job, CompletionToken&& token = {}) {
    return async_submit(job, part_handler{}, std::forward<CompletionToken>(token));
  }

  /// Starts `job` and returns its answer as a stream of parts, read with `async_read_part`
  /// (deadline, retries and failover as for `async_submit`; at most `stream_buffer` parts wait unread).
  [[nodiscard]] COCOON_SDK_DECL answer_stream stream(const job& job);

  /// The models on offer (`net::model_info`: each model's name and workers, with their price
  /// coefficient and load): a proxy's `client.getWorkerTypesV2` answer, asked on a pooled
  /// connection, or a runner's `GET /v1/models`. Endpoints are asked in turn, from the one that
  /// last served a job, until one answers. Completion:
  /// `void(cocoon::error_code, std::vector<cocoon::net::model_info>)`; each endpoint's wait is
  /// bounded by the client's `timeout`. Errors: the last endpoint's, as `net::proxy_connection::
  /// async_models` and `net::http_api_client::async_models` give them.
  template <boost::asio::completion_token_for<void(error_code, std::vector<net::model_info>)> CompletionToken =
                boost::asio::deferred_t>
  auto async_models(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, std::vector<net::model_info>)>(
        [](detail::models_handler handler, const std::shared_ptr<detail::state>& shared) {
          detail::start_models(shared, std::move(handler));
        },
        token, state_);
  }

  /// The counters so far. Read them on the client's strand (or while no job runs).
  [[nodiscard]] COCOON_SDK_DECL const client_stats& stats() const noexcept;
  /// Per proxy, the highest charge it has signed for this client (verified; from connections
  /// returned to the pool or closed). Submit one with `ton::payment(wallet).to(contract).charge(p)`
  /// to force the client contract to pay that much. Read on the client's strand.
  [[nodiscard]] COCOON_SDK_DECL std::vector<proxy_payment> payments() const;
  [[nodiscard]] COCOON_SDK_DECL const client_options& options() const noexcept;
  [[nodiscard]] COCOON_SDK_DECL executor_type get_executor() const noexcept;

  /// Closes the idle connections (on the client's strand); jobs in flight finish on theirs.
  COCOON_SDK_DECL void close_idle();

 private:
  struct checked {};  ///< the options passed `detail::check_options`
  COCOON_SDK_DECL client(checked, const boost::asio::any_io_executor& executor, client_options options);

  /// Once the last copy of a client is gone, its idle connections are closed and the connections
  /// of jobs still in flight are closed when they end, so that nothing keeps the `io_context` busy.
  struct closer;

  std::shared_ptr<detail::state> state_;
  std::shared_ptr<closer> closer_;
};

}  // namespace client
COCOON_SDK_NAMESPACE_END

#if COCOON_SDK_HEADER_ONLY
#include <cocoon/client/impl/client.ipp>
#endif

#endif
