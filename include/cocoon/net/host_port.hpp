// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_HOST_PORT_HPP
#define COCOON_NET_HOST_PORT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// A network endpoint as text: `host:port`, the host a name (letters, digits, `.`, `-`, `_`), an
/// IPv4 address, or an IPv6 address in brackets; the port 1 to 65535. The one parser for every
/// endpoint the SDK takes: proxy addresses, the client runner's URL, Intel's PCS or a PCCS.
struct host_port {
  std::string host;  ///< without brackets
  std::string port;

  /// @throws cocoon::error with `errc::invalid_url` when `text` is not `host:port`.
  [[nodiscard]] static host_port parse(std::string_view text) {
    return cocoon::detail::value_or_throw(parse_result(text), "host:port");
  }
  [[nodiscard]] static std::optional<host_port> parse(std::string_view text, error_code& ec) {
    return cocoon::detail::value_or_code(parse_result(text), ec);
  }

  /// `text` as above; without a port, `default_port` when there is one (a URL's scheme gives it).
  [[nodiscard]] static cocoon::detail::result<host_port> parse_result(std::string_view text,
                                                                      std::string_view default_port = {}) {
    std::string_view host = text;
    std::string_view port = default_port;
    const auto colon = text.rfind(':');
    const bool bracketed = text.starts_with('[');
    if (colon != std::string_view::npos && (!bracketed || text.find(']') < colon)) {
      host = text.substr(0, colon);
      port = text.substr(colon + 1);
      if (!valid_port(port)) return {errc::invalid_url, "port"};
    }
    if (bracketed) {
      host = host.substr(1);
      if (!host.ends_with(']')) return {errc::invalid_url, "host: not an IPv6 address in brackets"};
      host.remove_suffix(1);
      if (host.find(':') == host.npos || host.find_first_not_of("0123456789abcdefABCDEF:.") != host.npos) {
        return {errc::invalid_url, "host: not an IPv6 address in brackets"};
      }
    } else if (host.empty() || host.find_first_not_of(name_chars) != std::string_view::npos) {
      return {errc::invalid_url, "host"};
    }
    if (port.empty()) return {errc::invalid_url, "port: missing"};
    return host_port{std::string(host), std::string(port)};
  }

 private:
  static constexpr std::string_view name_chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";

  [[nodiscard]] static bool valid_port(std::string_view port) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    return !port.empty() && port.size() <= 5 && ec == std::errc{} && end == port.data() + port.size() && value >= 1 &&
           value <= 65535;
  }
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
