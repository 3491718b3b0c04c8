// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROTOCOL_HPP
#define COCOON_NET_PROTOCOL_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/protocol/handshake.hpp>
#include <cocoon/net/protocol/models.hpp>
#include <cocoon/net/protocol/payment.hpp>
#include <cocoon/net/protocol/query.hpp>
#include <cocoon/net/protocol/tcp.hpp>
#include <cocoon/net/tl.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

COCOON_SDK_NAMESPACE_BEGIN

/// The TL objects of COCOON's client-proxy protocol (schema `cocoon_api.tl`), each with its
/// constructor id, a bare `write` and `read`, and value equality; one header per part of the
/// protocol under `net/protocol/`. Boxed objects travel as their id then the bare form; `serialize`
/// and `parse` here do that. Field names follow the schema; flag fields that the schema makes
/// conditional are `std::optional`, and their flag bits are set from whether the value is present,
/// so an object cannot be written inconsistent with its flags.
namespace net::proto {

/// Every frame's payload.
using tcp_message = std::variant<tcp_connect, tcp_connected, tcp_ping, tcp_pong, tcp_packet, tcp_query,
                                 tcp_query_answer, tcp_query_error>;
/// What a proxy sends a client in `tcp_packet`s.
using proxy_packet =
    std::variant<query_answer_ex, query_answer_part_ex, query_answer_error_ex, query_answer, query_answer_part,
                 query_answer_error, query_answer_part_error, client_request_payment, signed_payment>;
/// What a client sends a proxy in `tcp_query`s and `tcp_packet`s.
using client_call = std::variant<connect_to_proxy, authorize_with_proxy_short, authorize_with_proxy_long, run_query_ex,
                                 update_payment_status, get_worker_types, get_worker_types_v2>;

/// The boxed form of `value`: its constructor id, then its bare form.
template <class T>
[[nodiscard]] bytes serialize(const T& value) {
  tl::writer w;
  if constexpr (std::is_same_v<T, signed_payment>) {
    value.write(w);  // writes its own constructor id
  } else {
    w.u32(T::id);
    value.write(w);
  }
  return std::move(w).data();
}

/// The boxed form of whichever alternative `message` holds.
template <class... T>
[[nodiscard]] bytes serialize(const std::variant<T...>& message) {
  return std::visit([](const auto& value) { return serialize(value); }, message);
}

namespace detail {
template <class T>
[[nodiscard]] bool read_if(std::uint32_t id, tl::reader& r, std::optional<T>& out) {
  if constexpr (std::is_same_v<T, signed_payment>) {
    if (id != signed_payment::id_payment && id != signed_payment::id_empty) return false;
    out = id == signed_payment::id_payment ? signed_payment{r.bytes("proxy.signedPayment.data")} : signed_payment{};
  } else {
    if (id != T::id) return false;
    out = T::read(r);
  }
  return true;
}

template <class Variant, class... T>
[[nodiscard]] cocoon::detail::result<Variant> parse_variant(byte_view data, std::string_view type) {
  tl::reader r(data);
  const auto id = r.u32(type);
  if (!r.ok()) return *r.failure();
  std::optional<Variant> out;
  auto try_type = [&]<class U>(std::type_identity<U>) {
    std::optional<U> value;
    if (!read_if(id, r, value)) return false;
    out.emplace(std::move(*value));
    return true;
  };
  const bool known = (try_type(std::type_identity<T>{}) || ...);
  if (!known) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", id);
    return cocoon::detail::failure{errc::tl_unknown_constructor, std::string(type) + " constructor 0x" + hex};
  }
  r.expect_end(type);
  if (!r.ok()) return *r.failure();
  return std::move(*out);
}

template <class T>
struct boxed_parser {  // one message type
  static cocoon::detail::result<T> parse(byte_view data, std::string_view type) {
    auto parsed = parse_variant<std::variant<T>, T>(data, type);
    if (!parsed.has_value()) return parsed.error();
    return std::get<0>(std::move(parsed).value());
  }
};
template <class... T>
struct boxed_parser<std::variant<T...>> {  // any of several
  static cocoon::detail::result<std::variant<T...>> parse(byte_view data, std::string_view type) {
    return parse_variant<std::variant<T...>, T...>(data, type);
  }
};
}  // namespace detail

/// Parses one boxed object: `T` is a message type or one of the variants above. The whole input
/// must be that object.
/// @throws cocoon::error with `errc::tl_malformed` (truncated, bad length, trailing bytes) or
///         `errc::tl_unknown_constructor`, naming the field and byte offset.
template <class T>
[[nodiscard]] T parse(byte_view data) {
  return cocoon::detail::value_or_throw(detail::boxed_parser<T>::parse(data, "TL object"), "TL parse");
}
template <class T>
[[nodiscard]] std::optional<T> parse(byte_view data, error_code& ec) {
  return cocoon::detail::value_or_code(detail::boxed_parser<T>::parse(data, "TL object"), ec);
}

}  // namespace net::proto
COCOON_SDK_NAMESPACE_END

#endif
