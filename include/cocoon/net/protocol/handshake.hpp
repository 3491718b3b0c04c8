// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROTOCOL_HANDSHAKE_HPP
#define COCOON_NET_PROTOCOL_HANDSHAKE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/net/protocol/payment.hpp>
#include <cocoon/net/tl.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

COCOON_SDK_NAMESPACE_BEGIN

/// The handshake of a client-proxy connection: both sides' parameters, `connectToProxy` and
/// authorization.
namespace net::proto {

/// `client.params` (bare): what the client announces when it connects.
struct client_params {
  static constexpr std::uint32_t id = 0x40fdca64;
  std::uint32_t flags = 0;  ///< bits 0 and 1 follow `is_test` and `proto_versions`; others kept as read
  std::string client_owner_address;
  std::optional<bool> is_test;                                          ///< flags.0
  std::optional<std::pair<std::int32_t, std::int32_t>> proto_versions;  ///< flags.1: min, max

  void write(tl::writer& w) const {
    w.u32((flags & ~3U) | (is_test ? 1U : 0U) | (proto_versions ? 2U : 0U));
    w.string(client_owner_address);
    if (is_test) w.boolean(*is_test);
    if (proto_versions) {
      w.i32(proto_versions->first);
      w.i32(proto_versions->second);
    }
  }
  static client_params read(tl::reader& r) {
    client_params p;
    p.flags = r.u32("client.params.flags");
    p.client_owner_address = r.string("client.params.client_owner_address");
    if ((p.flags & 1U) != 0) p.is_test = r.boolean("client.params.is_test");
    if ((p.flags & 2U) != 0) {
      const auto min = r.i32("client.params.min_proto_version");
      p.proto_versions = {min, r.i32("client.params.max_proto_version")};
    }
    return p;
  }
  friend bool operator==(const client_params& a, const client_params& b) {
    return (a.flags & ~3U) == (b.flags & ~3U) && a.client_owner_address == b.client_owner_address &&
           a.is_test == b.is_test && a.proto_versions == b.proto_versions;
  }
};

/// `proxy.params` (bare): the proxy's identity and protocol version.
struct proxy_params {
  static constexpr std::uint32_t id = 0xd5c5609f;
  std::uint32_t flags = 0;
  ed25519_public_key proxy_public_key;  ///< signs the proxy's payment messages
  std::string proxy_owner_address;
  std::string proxy_sc_address;
  std::optional<bool> is_test;                ///< flags.0
  std::optional<std::int32_t> proto_version;  ///< flags.1

  void write(tl::writer& w) const {
    w.u32((flags & ~3U) | (is_test ? 1U : 0U) | (proto_version ? 2U : 0U));
    w.int256(proxy_public_key);
    w.string(proxy_owner_address);
    w.string(proxy_sc_address);
    if (is_test) w.boolean(*is_test);
    if (proto_version) w.i32(*proto_version);
  }
  static proxy_params read(tl::reader& r) {
    proxy_params p;
    p.flags = r.u32("proxy.params.flags");
    p.proxy_public_key = r.int256<ed25519_public_key>("proxy.params.proxy_public_key");
    p.proxy_owner_address = r.string("proxy.params.proxy_owner_address");
    p.proxy_sc_address = r.string("proxy.params.proxy_sc_address");
    if ((p.flags & 1U) != 0) p.is_test = r.boolean("proxy.params.is_test");
    if ((p.flags & 2U) != 0) p.proto_version = r.i32("proxy.params.proto_version");
    return p;
  }
  friend bool operator==(const proxy_params& a, const proxy_params& b) {
    return (a.flags & ~3U) == (b.flags & ~3U) && a.proxy_public_key == b.proxy_public_key &&
           a.proxy_owner_address == b.proxy_owner_address && a.proxy_sc_address == b.proxy_sc_address &&
           a.is_test == b.is_test && a.proto_version == b.proto_version;
  }
};

/// Function `client.connectToProxy`: the first query of a connection.
struct connect_to_proxy {
  static constexpr std::uint32_t id = 0xff5fa0f4;
  client_params params;
  std::int32_t min_config_version = 0;

  void write(tl::writer& w) const {
    params.write(w);
    w.i32(min_config_version);
  }
  static connect_to_proxy read(tl::reader& r) {
    connect_to_proxy c;
    c.params = client_params::read(r);
    c.min_config_version = r.i32("client.connectToProxy.min_config_version");
    return c;
  }
  friend bool operator==(const connect_to_proxy&, const connect_to_proxy&) = default;
};

/// `client.proxyConnectionAuthShort`: the proxy knows the client's secret hash.
struct proxy_connection_auth_short {
  static constexpr std::uint32_t id = 0xd6ffc5af;
  hash256 secret_hash;
  std::int64_t nonce = 0;
  friend bool operator==(const proxy_connection_auth_short&, const proxy_connection_auth_short&) = default;
};
/// `client.proxyConnectionAuthLong`: the client must register on chain with `nonce`.
struct proxy_connection_auth_long {
  static constexpr std::uint32_t id = 0x417bf016;
  std::int64_t nonce = 0;
  friend bool operator==(const proxy_connection_auth_long&, const proxy_connection_auth_long&) = default;
};
using proxy_connection_auth = std::variant<proxy_connection_auth_short, proxy_connection_auth_long>;

/// `client.connectedToProxy`: the answer to `connect_to_proxy`.
struct connected_to_proxy {
  static constexpr std::uint32_t id = 0x95317ad1;
  proxy_params params;
  std::string client_sc_address;
  proxy_connection_auth auth;
  signed_payment payment;

  void write(tl::writer& w) const {
    params.write(w);
    w.string(client_sc_address);
    if (const auto* short_auth = std::get_if<proxy_connection_auth_short>(&auth)) {
      w.u32(proxy_connection_auth_short::id);
      w.int256(short_auth->secret_hash);
      w.i64(short_auth->nonce);
    } else {
      w.u32(proxy_connection_auth_long::id);
      w.i64(std::get<proxy_connection_auth_long>(auth).nonce);
    }
    payment.write(w);
  }
  static connected_to_proxy read(tl::reader& r) {
    connected_to_proxy c;
    c.params = proxy_params::read(r);
    c.client_sc_address = r.string("client.connectedToProxy.client_sc_address");
    const std::size_t at = r.offset();
    const auto auth_id = r.u32("client.ProxyConnectionAuth");
    if (auth_id == proxy_connection_auth_short::id) {
      const auto hash = r.int256("client.proxyConnectionAuthShort.secret_hash");
      c.auth = proxy_connection_auth_short{hash, r.i64("client.proxyConnectionAuthShort.nonce")};
    } else if (auth_id == proxy_connection_auth_long::id) {
      c.auth = proxy_connection_auth_long{r.i64("client.proxyConnectionAuthLong.nonce")};
    } else {
      r.fail_at(at, "client.ProxyConnectionAuth", "unexpected constructor");
    }
    c.payment = signed_payment::read(r);
    return c;
  }
  friend bool operator==(const connected_to_proxy&, const connected_to_proxy&) = default;
};

/// Function `client.authorizeWithProxyShort`: the client's secret (inside TLS).
struct authorize_with_proxy_short {
  static constexpr std::uint32_t id = 0x6c276723;
  bytes data;
  void write(tl::writer& w) const { w.bytes(data); }
  static authorize_with_proxy_short read(tl::reader& r) { return {r.bytes("client.authorizeWithProxyShort.data")}; }
  friend bool operator==(const authorize_with_proxy_short&, const authorize_with_proxy_short&) = default;
};

/// Function `client.authorizeWithProxyLong`: sent after registering on chain.
struct authorize_with_proxy_long {
  static constexpr std::uint32_t id = 0xd3474303;
  void write(tl::writer&) const {}
  static authorize_with_proxy_long read(tl::reader&) { return {}; }
  friend bool operator==(const authorize_with_proxy_long&, const authorize_with_proxy_long&) = default;
};

/// `client.authorizationWithProxySuccess`.
struct authorization_success {
  static constexpr std::uint32_t id = 0x75d5ac34;
  signed_payment payment;
  std::int64_t tokens_committed_to_db = 0;
  std::int64_t max_tokens = 0;

  void write(tl::writer& w) const {
    payment.write(w);
    w.i64(tokens_committed_to_db);
    w.i64(max_tokens);
  }
  static authorization_success read(tl::reader& r) {
    authorization_success a;
    a.payment = signed_payment::read(r);
    a.tokens_committed_to_db = r.i64("client.authorizationWithProxySuccess.tokens_committed_to_db");
    a.max_tokens = r.i64("client.authorizationWithProxySuccess.max_tokens");
    return a;
  }
  friend bool operator==(const authorization_success&, const authorization_success&) = default;
};

/// `client.authorizationWithProxyFailed`.
struct authorization_failed {
  static constexpr std::uint32_t id = 0x60551c96;
  std::int32_t error_code = 0;
  std::string error;

  void write(tl::writer& w) const {
    w.i32(error_code);
    w.string(error);
  }
  static authorization_failed read(tl::reader& r) {
    authorization_failed a;
    a.error_code = r.i32("client.authorizationWithProxyFailed.error_code");
    a.error = r.string("client.authorizationWithProxyFailed.error");
    return a;
  }
  friend bool operator==(const authorization_failed&, const authorization_failed&) = default;
};

}  // namespace net::proto
COCOON_SDK_NAMESPACE_END

#endif
