// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_ANSWER_STREAM_HPP
#define COCOON_CLIENT_ANSWER_STREAM_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/client/detail/fwd.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/openai.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace client {
namespace detail {

COCOON_SDK_DECL void start_read_part(const std::shared_ptr<stream_state>& state, read_part_handler handler);

}  // namespace detail

/// A job's answer read part by part (`client::stream`): each `async_read_part` completes with the
/// next piece of decrypted text, `boost::asio::error::eof` after the last one (then `answer()`
/// holds the whole answer and its usage), or the job's error. Parts that arrive before they are
/// read are kept in order, at most `client_options::stream_buffer` of them: while that many wait,
/// the job's connection is not read further (backpressure; the job's deadline keeps running).
/// One read at a time.
class answer_stream {
 public:
  explicit answer_stream(std::shared_ptr<detail::stream_state> state) noexcept : state_(std::move(state)) {}

  /// Completion: `void(cocoon::error_code, std::string)`, on the token's associated executor (the
  /// client's strand by default), never inside this call. Without a token: a deferred operation
  /// (`co_await stream.async_read_part()` in a coroutine).
  template <boost::asio::completion_token_for<void(error_code, std::string)> CompletionToken = boost::asio::deferred_t>
  auto async_read_part(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, std::string)>(
        [](detail::read_part_handler handler, const std::shared_ptr<detail::stream_state>& state) {
          detail::start_read_part(state, std::move(handler));
        },
        token, state_);
  }

  /// The most parts that have waited unread at once so far (never above `stream_buffer`). Read it
  /// on the client's strand, or while no job runs.
  [[nodiscard]] COCOON_SDK_DECL std::size_t most_buffered() const noexcept;

  /// The whole answer, once a read has completed with `eof`.
  [[nodiscard]] COCOON_SDK_DECL const openai::answer& answer() const noexcept;

  /// Stops the job as a cancellation would; parts not read yet are dropped, and the next read
  /// completes with `operation_aborted`. (Destroying the stream does not stop the job.)
  COCOON_SDK_DECL void cancel();

 private:
  std::shared_ptr<detail::stream_state> state_;
};

}  // namespace client
COCOON_SDK_NAMESPACE_END

#if COCOON_SDK_HEADER_ONLY
#include <cocoon/client/impl/answer_stream.ipp>
#endif

#endif
