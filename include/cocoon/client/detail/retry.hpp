// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_RETRY_HPP
#define COCOON_CLIENT_DETAIL_RETRY_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/error.hpp>

#include <boost/asio/error.hpp>

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

COCOON_SDK_NAMESPACE_BEGIN
namespace client {
namespace detail {

/// Where an attempt failed, which decides whether the job may have run.
enum class attempt_stage {
  connecting,  ///< before any byte of the job left: TCP, proof of work, RA-TLS, authorisation
  querying,    ///< the job was handed to the proxy or the runner: it may have run
};

/// Whether a failed attempt may be repeated. A job that may have run is repeated only when it
/// carries an idempotency key and none of its answer has reached the caller yet (a repeat would
/// show the caller a second beginning). Cancellation and deadlines are never retried.
[[nodiscard]] inline bool may_retry(error_code ec, attempt_stage stage, bool idempotent, bool parts_delivered,
                                    bool stopped) noexcept {
  if (!ec || stopped || ec == boost::asio::error::operation_aborted) return false;
  if (stage == attempt_stage::connecting) return true;
  return idempotent && !parts_delivered;
}

/// Whether an HTTP-mode failure happened before the request could be sent: name resolution or
/// the TCP connection failed (the runner's API has no other step before the request).
[[nodiscard]] inline bool is_connect_failure(error_code ec) noexcept {
  namespace e = boost::asio::error;
  return ec == e::connection_refused || ec == e::host_not_found || ec == e::host_not_found_try_again ||
         ec == e::host_unreachable || ec == e::network_unreachable || ec == e::network_down ||
         ec == e::address_family_not_supported;
}

/// The pause before retry number `retry` (1 for the first): "full jitter", a uniformly random
/// wait in [0, min(cap, base * 2^(retry-1))], so that clients failing together do not retry
/// together.
[[nodiscard]] inline std::chrono::milliseconds backoff_delay(unsigned retry, std::chrono::milliseconds base,
                                                             std::chrono::milliseconds cap) noexcept {
  if (retry == 0 || base.count() <= 0 || cap.count() <= 0) return std::chrono::milliseconds{0};
  const unsigned doublings = std::min(retry - 1, 20U);
  const auto ceiling = std::min<std::int64_t>(cap.count(), base.count() << doublings);
  const auto span = static_cast<std::uint32_t>(std::min<std::int64_t>(ceiling, 0x7fffffff)) + 1U;
  return std::chrono::milliseconds{randombytes_uniform(span)};
}

}  // namespace detail
}  // namespace client
COCOON_SDK_NAMESPACE_END

#endif
