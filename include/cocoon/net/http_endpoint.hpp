// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_HTTP_ENDPOINT_HPP
#define COCOON_NET_HTTP_ENDPOINT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/host_port.hpp>

#include <string>
#include <string_view>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// Where an OpenAI-compatible HTTP API listens: `http://host:port[/path prefix]`, such as the
/// COCOON client runner's local API (`http://127.0.0.1:10000`).
struct http_endpoint {
  std::string host;
  std::string port = "80";
  std::string path_prefix;  ///< prepended to "/v1/chat/completions"; empty or starting with '/'

  /// @throws cocoon::error with `errc::invalid_url` for anything but `http://host[:port][/prefix]`
  ///         (the runner's API is plain HTTP on a local port; TLS endpoints are not this API).
  [[nodiscard]] static http_endpoint parse(std::string_view url) {
    return cocoon::detail::value_or_throw(parse_result(url), "HTTP endpoint");
  }

 private:
  [[nodiscard]] static cocoon::detail::result<http_endpoint> parse_result(std::string_view url) {
    constexpr std::string_view scheme = "http://";
    if (url.substr(0, scheme.size()) != scheme) return {errc::invalid_url, "scheme: only http:// is accepted"};
    url.remove_prefix(scheme.size());
    http_endpoint endpoint;
    const auto slash = url.find('/');
    auto authority = url.substr(0, slash);
    if (slash != std::string_view::npos) endpoint.path_prefix = std::string(url.substr(slash));
    while (!endpoint.path_prefix.empty() && endpoint.path_prefix.back() == '/') endpoint.path_prefix.pop_back();
    auto where = host_port::parse_result(authority, "80");
    if (!where.has_value()) return where.error();
    endpoint.host = std::move(where.value().host);
    endpoint.port = std::move(where.value().port);
    return endpoint;
  }
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
