// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_COMPLETE_HPP
#define COCOON_CLIENT_DETAIL_COMPLETE_HPP

#include <cocoon/detail/config.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/dispatch.hpp>

#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

/// Completes a type-erased handler with `args` on its associated executor. Call it on the
/// client's strand: a handler with no executor of its own runs there, at once.
template <class Handler, class... Args>
void complete(Handler handler, Args&&... args) {
  boost::asio::dispatch(boost::asio::append(std::move(handler), std::forward<Args>(args)...));
}

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
