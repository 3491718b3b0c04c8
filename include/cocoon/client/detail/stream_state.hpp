// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_STREAM_STATE_HPP
#define COCOON_CLIENT_DETAIL_STREAM_STATE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/client/detail/complete.hpp>
#include <cocoon/client/detail/fwd.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/http_api.hpp>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

/// What an `answer_stream` shares with its job: parts not yet read, the end, one waiting reader.
/// Touched only on the client's strand.
struct stream_state {
  stream_state(executor_type ex, std::size_t bound)
      : executor(std::move(ex)), limit(bound), gate(std::make_shared<net::read_gate>(executor)) {}

  executor_type executor;
  std::size_t limit;                     ///< `client_options::stream_buffer`
  std::size_t most_buffered = 0;         ///< the most parts that waited unread at once
  std::shared_ptr<net::read_gate> gate;  ///< paused while `limit` parts wait
  std::deque<std::string> parts;
  std::optional<error_code> end;
  openai::answer answer;
  // Set with `emplace` and taken with a move construction: Boost 1.81's move assignment of an
  // `any_completion_handler` copies from an lvalue, which wraps the handler in itself without end.
  std::optional<read_part_handler> reader;  ///< the waiting read, if any
  boost::asio::cancellation_signal stop;

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
      complete_read(error_code{}, std::move(part));
    } else if (end) {
      complete_read(*end ? *end : error_code(boost::asio::error::eof), {});
    }
  }

  /// Completes the waiting read through the strand (never inside `async_read_part` or `push`),
  /// then on the reader's own executor.
  void complete_read(error_code ec, std::string part) {
    read_part_handler handler(std::move(*reader));
    reader.reset();
    boost::asio::post(executor, [handler = std::move(handler), ec, part = std::move(part)]() mutable {
      detail::complete(std::move(handler), ec, std::move(part));
    });
  }
};

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
