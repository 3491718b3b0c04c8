// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_FWD_HPP
#define COCOON_CLIENT_DETAIL_FWD_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/error.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/models.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include <string>
#include <vector>

// What the client's public headers and its internals both name, declared without definitions,
// so that the internals need not include the public headers (which include the definitions in
// header-only mode).
COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

/// The client's strand: its pools, its jobs' deadlines and its streams live there.
using executor_type = boost::asio::strand<boost::asio::any_io_executor>;

struct state;
struct stream_state;

// The compiled entry points' handlers: each async operation's template shell converts the
// caller's handler to one of these.
using submit_handler = boost::asio::any_completion_handler<void(error_code, openai::answer)>;
using models_handler = boost::asio::any_completion_handler<void(error_code, std::vector<net::model_info>)>;
using read_part_handler = boost::asio::any_completion_handler<void(error_code, std::string)>;

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
