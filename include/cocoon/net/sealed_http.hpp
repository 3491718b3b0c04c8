// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_SEALED_HTTP_HPP
#define COCOON_NET_SEALED_HTTP_HPP

#include <cocoon/detail/config.hpp>

#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// The HTTP content types of a sealed job and its sealed answer, and the header naming the
/// answer's own content type inside the seal (docs/envelope.md).
inline constexpr std::string_view sealed_job_content_type = "application/vnd.cocoon.job-envelope";
inline constexpr std::string_view sealed_answer_content_type = "application/vnd.cocoon.sealed-answer";
inline constexpr std::string_view sealed_inner_type_header = "X-Cocoon-Sealed-Content-Type";

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
