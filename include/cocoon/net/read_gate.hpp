// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_READ_GATE_HPP
#define COCOON_NET_READ_GATE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// Called with each piece of answer text as it arrives (streamed jobs only).
using token_handler = std::function<void(std::string_view)>;

/// Lets the consumer of a query's text hold the transport back: while the gate is paused, the
/// query hands no further piece to its `token_handler` and issues no further read on its
/// connection (TCP flow control then slows the sender); `resume()` lets it go on. Nothing is
/// dropped. Use a gate from the executor of the connection it is given to, one query at a time.
class read_gate {
 public:
  explicit read_gate(const boost::asio::any_io_executor& executor)
      : wake_(executor, boost::asio::steady_timer::time_point::max()) {}

  void pause() noexcept { paused_ = true; }
  void resume() {
    paused_ = false;
    wake_.cancel();
  }
  [[nodiscard]] bool paused() const noexcept { return paused_; }

  /// Completes with no error once the gate is open (through the executor, never inline), or with
  /// `operation_aborted` when the operation is cancelled (terminal) first. Signature: `void(error_code)`.
  template <class CompletionToken>
  auto async_wait_open(CompletionToken&& token) {
    return boost::asio::async_compose<CompletionToken, void(error_code)>(
        [this, started = false](auto& self, error_code ec = {}) mutable {
          if (!started) {
            started = true;
            if (!paused_) {
              return boost::asio::post(wake_.get_executor(),
                                       [self = std::move(self)]() mutable { self.complete(error_code{}); });
            }
          } else if (self.cancelled() != boost::asio::cancellation_type::none) {
            return self.complete(boost::asio::error::operation_aborted);
          } else if (ec && ec != boost::asio::error::operation_aborted) {
            return self.complete(ec);
          }
          // Paused again between a resume and this wake-up: keep waiting.
          if (paused_) return wake_.async_wait(std::move(self));
          self.complete(error_code{});
        },
        token, wake_);
  }

 private:
  boost::asio::steady_timer wake_;  ///< never expires; cancelled to wake the waiter
  bool paused_ = false;
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
