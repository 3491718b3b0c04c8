// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_STATE_HPP
#define COCOON_CLIENT_DETAIL_STATE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/client/detail/fwd.hpp>
#include <cocoon/client/detail/registrar.hpp>
#include <cocoon/client/options.hpp>
#include <cocoon/net/http_api.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/ton/cocoon_client.hpp>

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

/// One endpoint: a proxy with its pool of attested connections, or a runner's HTTP API.
struct endpoint {
  std::optional<proxy_address> proxy;
  std::unique_ptr<net::http_api_client> http;
  std::vector<std::unique_ptr<net::proxy_connection>> idle;        ///< each kept alive (`keep_alive`)
  std::size_t open = 0;                                            ///< connections idle, in use or connecting
  std::optional<ton::cocoon_client::signed_payment> best_payment;  ///< over all its connections
};

/// The caller's view of one job's answer: parts stop the moment the job is cancelled or expires.
struct part_sink {
  part_handler on_part;
  std::shared_ptr<net::read_gate> gate;  ///< an `answer_stream`'s backpressure; null for `async_submit`
  std::atomic<bool> stopped{false};
  std::size_t delivered = 0;
};

struct job_op;

/// What a client and its jobs share: endpoints and pools, counters, the jobs' deadlines.
struct state {
  state(executor_type ex, client_options opts)
      : executor(std::move(ex)), options(std::move(opts)), deadline_timer(executor) {}

  executor_type executor;
  client_options options;
  std::vector<endpoint> endpoints;
  std::size_t preferred = 0;                      ///< the endpoint that last worked
  std::list<boost::asio::steady_timer*> waiters;  ///< jobs waiting for a connection to come free
  client_stats stats;
  std::shared_ptr<wallet_registrar> registrar;                 ///< set when the options have a wallet
  std::shared_ptr<attest::collateral_cache> collateral_cache;  ///< set when the options fetch collateral
  bool closed = false;  ///< the last `client` handle is gone: connections are no longer pooled

  // The jobs' deadlines share one timer, which waits for the earliest (see `add_deadline`).
  // Guarded by `deadline_mutex`: jobs are submitted from any thread.
  using clock = std::chrono::steady_clock;
  std::mutex deadline_mutex;
  std::multimap<clock::time_point, std::weak_ptr<job_op>> deadlines;
  boost::asio::steady_timer deadline_timer;
  clock::time_point deadline_armed = clock::time_point::max();  ///< when the timer fires; max: idle
};

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
