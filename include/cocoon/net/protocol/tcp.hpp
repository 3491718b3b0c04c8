// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROTOCOL_TCP_HPP
#define COCOON_NET_PROTOCOL_TCP_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/net/tl.hpp>

#include <cstdint>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN

/// The `tcp.Packet` envelope every frame of a connection travels in.
namespace net::proto {

/// The `tcp.Packet` constructors: the envelope of every frame.
struct tcp_connect {
  static constexpr std::uint32_t id = 0xa57c4261;
  std::int64_t connection_id = 0;
  void write(tl::writer& w) const { w.i64(connection_id); }
  static tcp_connect read(tl::reader& r) { return {r.i64("tcp.connect.id")}; }
  friend bool operator==(const tcp_connect&, const tcp_connect&) = default;
};
struct tcp_connected {
  static constexpr std::uint32_t id = 0x636d41d6;
  std::int64_t connection_id = 0;
  void write(tl::writer& w) const { w.i64(connection_id); }
  static tcp_connected read(tl::reader& r) { return {r.i64("tcp.connected.id")}; }
  friend bool operator==(const tcp_connected&, const tcp_connected&) = default;
};
struct tcp_ping {
  static constexpr std::uint32_t id = 0xbbe9627c;
  std::int64_t ping_id = 0;
  void write(tl::writer& w) const { w.i64(ping_id); }
  static tcp_ping read(tl::reader& r) { return {r.i64("tcp.ping.id")}; }
  friend bool operator==(const tcp_ping&, const tcp_ping&) = default;
};
struct tcp_pong {
  static constexpr std::uint32_t id = 0x0bd4302c;
  std::int64_t ping_id = 0;
  void write(tl::writer& w) const { w.i64(ping_id); }
  static tcp_pong read(tl::reader& r) { return {r.i64("tcp.pong.id")}; }
  friend bool operator==(const tcp_pong&, const tcp_pong&) = default;
};
/// A one-way message carrying one boxed object.
struct tcp_packet {
  static constexpr std::uint32_t id = 0x9c17baf8;
  bytes data;
  void write(tl::writer& w) const { w.bytes(data); }
  static tcp_packet read(tl::reader& r) { return {r.bytes("tcp.packet.data")}; }
  friend bool operator==(const tcp_packet&, const tcp_packet&) = default;
};
/// A request carrying one boxed function call; answered by `tcp_query_answer` or `tcp_query_error`.
struct tcp_query {
  static constexpr std::uint32_t id = 0x3af51908;
  std::int64_t query_id = 0;
  bytes data;
  void write(tl::writer& w) const {
    w.i64(query_id);
    w.bytes(data);
  }
  static tcp_query read(tl::reader& r) {
    const auto query_id = r.i64("tcp.query.id");
    return {query_id, r.bytes("tcp.query.data")};
  }
  friend bool operator==(const tcp_query&, const tcp_query&) = default;
};
struct tcp_query_answer {
  static constexpr std::uint32_t id = 0xc048c311;
  std::int64_t query_id = 0;
  bytes data;
  void write(tl::writer& w) const {
    w.i64(query_id);
    w.bytes(data);
  }
  static tcp_query_answer read(tl::reader& r) {
    const auto query_id = r.i64("tcp.queryAnswer.id");
    return {query_id, r.bytes("tcp.queryAnswer.data")};
  }
  friend bool operator==(const tcp_query_answer&, const tcp_query_answer&) = default;
};
struct tcp_query_error {
  static constexpr std::uint32_t id = 0x4cd2f602;
  std::int64_t query_id = 0;
  std::int32_t code = 0;
  std::string message;
  void write(tl::writer& w) const {
    w.i64(query_id);
    w.i32(code);
    w.string(message);
  }
  static tcp_query_error read(tl::reader& r) {
    tcp_query_error e;
    e.query_id = r.i64("tcp.queryError.id");
    e.code = r.i32("tcp.queryError.code");
    e.message = r.string("tcp.queryError.message");
    return e;
  }
  friend bool operator==(const tcp_query_error&, const tcp_query_error&) = default;
};

}  // namespace net::proto
COCOON_SDK_NAMESPACE_END

#endif
