// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_IMPL_ANSWER_STREAM_IPP
#define COCOON_CLIENT_IMPL_ANSWER_STREAM_IPP

#include <cocoon/client/answer_stream.hpp>

#include <cocoon/client/detail/stream_state.hpp>

#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace client {

COCOON_SDK_DECL void detail::start_read_part(const std::shared_ptr<stream_state>& state, read_part_handler handler) {
  boost::asio::dispatch(state->executor, [state, handler = std::move(handler)]() mutable {
    state->reader.emplace(std::move(handler));
    state->deliver();
  });
}

COCOON_SDK_DECL std::size_t answer_stream::most_buffered() const noexcept { return state_->most_buffered; }

COCOON_SDK_DECL const openai::answer& answer_stream::answer() const noexcept { return state_->answer; }

COCOON_SDK_DECL void answer_stream::cancel() {
  boost::asio::post(state_->executor, [state = state_] {
    state->parts.clear();
    state->stop.emit(boost::asio::cancellation_type::terminal);
  });
}

}  // namespace client
COCOON_SDK_NAMESPACE_END

#endif
