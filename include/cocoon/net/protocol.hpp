// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROTOCOL_HPP
#define COCOON_NET_PROTOCOL_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/tl.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

/// The TL objects of COCOON's client-proxy protocol (schema `cocoon_api.tl`), each with its
/// constructor id, a bare `write` and `read`, and value equality. Boxed objects travel as their
/// id then the bare form; `serialize` and `parse` do that. Field names follow the schema; flag
/// fields that the schema makes conditional are `std::optional`, and their flag bits are set from
/// whether the value is present, so an object cannot be written inconsistent with its flags.
namespace net::proto {

/// `tokensUsed`: token counts of a request, already multiplied by the worker's coefficient.
struct tokens_used {
  static constexpr std::uint32_t id = 0x70c5b15c;
  std::int64_t prompt = 0, cached = 0, completion = 0, reasoning = 0, total = 0;

  void write(tl::writer& w) const {
    for (const auto value : {prompt, cached, completion, reasoning, total}) w.i64(value);
  }
  static tokens_used read(tl::reader& r) {
    tokens_used t;
    t.prompt = r.i64("tokensUsed.prompt_tokens_used");
    t.cached = r.i64("tokensUsed.cached_tokens_used");
    t.completion = r.i64("tokensUsed.completion_tokens_used");
    t.reasoning = r.i64("tokensUsed.reasoning_tokens_used");
    t.total = r.i64("tokensUsed.total_tokens_used");
    return t;
  }
  friend bool operator==(const tokens_used&, const tokens_used&) = default;
};

/// `proxy.SignedPayment`: the BoC of the proxy's latest signed charge, or none yet.
struct signed_payment {
  static constexpr std::uint32_t id_payment = 0x02998182;
  static constexpr std::uint32_t id_empty = 0xb347ce64;
  std::optional<bytes> boc;

  void write(tl::writer& w) const {  // boxed: the type has two constructors
    w.u32(boc ? id_payment : id_empty);
    if (boc) w.bytes(*boc);
  }
  static signed_payment read(tl::reader& r) {
    const std::size_t at = r.offset();
    const auto id = r.u32("proxy.SignedPayment");
    if (id == id_payment) return {r.bytes("proxy.signedPayment.data")};
    if (id != id_empty) r.fail_at(at, "proxy.SignedPayment", "unexpected constructor");
    return {};
  }
  friend bool operator==(const signed_payment&, const signed_payment&) = default;
};

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

/// `http.header` (bare).
struct http_header {
  static constexpr std::uint32_t id = 0x8e9be511;
  std::string name;
  std::string value;
  friend bool operator==(const http_header&, const http_header&) = default;
};

namespace detail {
inline void write_headers(tl::writer& w, const std::vector<http_header>& headers) {
  w.i32(static_cast<std::int32_t>(headers.size()));
  for (const auto& header : headers) {
    w.string(header.name);
    w.string(header.value);
  }
}
inline std::vector<http_header> read_headers(tl::reader& r, std::string_view field) {
  std::vector<http_header> headers(r.count(field, 8));  // two empty strings take 8 bytes
  for (auto& header : headers) {
    header.name = r.string("http.header.name");
    header.value = r.string("http.header.value");
  }
  return headers;
}
}  // namespace detail

/// Function `http.request`: the HTTP request a query carries (boxed inside `run_query_ex.query`).
struct http_request {
  static constexpr std::uint32_t id = 0x47492de5;
  std::string method;
  std::string url;
  std::string http_version;
  std::vector<http_header> headers;
  bytes payload;

  void write(tl::writer& w) const {
    w.string(method);
    w.string(url);
    w.string(http_version);
    detail::write_headers(w, headers);
    w.bytes(payload);
  }
  static http_request read(tl::reader& r) {
    http_request h;
    h.method = r.string("http.request.method");
    h.url = r.string("http.request.url");
    h.http_version = r.string("http.request.http_version");
    h.headers = detail::read_headers(r, "http.request.headers");
    h.payload = r.bytes("http.request.payload");
    return h;
  }
  friend bool operator==(const http_request&, const http_request&) = default;
};

/// `http.response`: the first part of an answer (boxed inside `query_answer_ex.answer`).
struct http_response {
  static constexpr std::uint32_t id = 0x1cd0c42b;
  std::string http_version;
  std::int32_t status_code = 0;
  std::string reason;
  std::vector<http_header> headers;
  bytes payload;

  void write(tl::writer& w) const {
    w.string(http_version);
    w.i32(status_code);
    w.string(reason);
    detail::write_headers(w, headers);
    w.bytes(payload);
  }
  static http_response read(tl::reader& r) {
    http_response h;
    h.http_version = r.string("http.response.http_version");
    h.status_code = r.i32("http.response.status_code");
    h.reason = r.string("http.response.reason");
    h.headers = detail::read_headers(r, "http.response.headers");
    h.payload = r.bytes("http.response.payload");
    return h;
  }
  friend bool operator==(const http_response&, const http_response&) = default;
};

/// Function `client.runQueryEx` (protocol 1 and 2), sent as a one-way `tcp.packet`.
struct run_query_ex {
  static constexpr std::uint32_t id = 0xf54cb74b;
  std::string model_name;  ///< the worker model's base name, e.g. "Qwen/Qwen3-8B"
  bytes query;             ///< a boxed `http_request`
  std::int32_t max_coefficient = 0;
  std::int32_t max_tokens = 0;
  double timeout = 0;  ///< seconds
  hash256 request_id;
  std::int32_t min_config_version = 0;
  std::uint32_t flags = 0;
  std::optional<bool> enable_debug;  ///< flags.0

  void write(tl::writer& w) const {
    w.string(model_name);
    w.bytes(query);
    w.i32(max_coefficient);
    w.i32(max_tokens);
    w.f64(timeout);
    w.int256(request_id);
    w.i32(min_config_version);
    w.u32((flags & ~1U) | (enable_debug ? 1U : 0U));
    if (enable_debug) w.boolean(*enable_debug);
  }
  static run_query_ex read(tl::reader& r) {
    run_query_ex q;
    q.model_name = r.string("client.runQueryEx.model_name");
    q.query = r.bytes("client.runQueryEx.query");
    q.max_coefficient = r.i32("client.runQueryEx.max_coefficient");
    q.max_tokens = r.i32("client.runQueryEx.max_tokens");
    q.timeout = r.f64("client.runQueryEx.timeout");
    q.request_id = r.int256("client.runQueryEx.request_id");
    q.min_config_version = r.i32("client.runQueryEx.min_config_version");
    q.flags = r.u32("client.runQueryEx.flags");
    if ((q.flags & 1U) != 0) q.enable_debug = r.boolean("client.runQueryEx.enable_debug");
    return q;
  }
  friend bool operator==(const run_query_ex& a, const run_query_ex& b) {
    return a.model_name == b.model_name && a.query == b.query && a.max_coefficient == b.max_coefficient &&
           a.max_tokens == b.max_tokens &&
           std::bit_cast<std::uint64_t>(a.timeout) == std::bit_cast<std::uint64_t>(b.timeout) &&
           a.request_id == b.request_id && a.min_config_version == b.min_config_version &&
           (a.flags & ~1U) == (b.flags & ~1U) && a.enable_debug == b.enable_debug;
  }
};

/// `client.queryFinalInfo` (bare): the usage and timings that end an answer.
struct query_final_info {
  static constexpr std::uint32_t id = 0x69a452f0;
  struct debug_info {
    std::string worker, proxy;
    friend bool operator==(const debug_info&, const debug_info&) = default;
  };
  /// Unix seconds, as the proxy and worker measured them.
  struct timings {
    double proxy_start = 0, proxy_end = 0, worker_start = 0, worker_end = 0;
    friend bool operator==(const timings& a, const timings& b) {
      auto bits = [](const timings& t) {
        return std::array{std::bit_cast<std::uint64_t>(t.proxy_start), std::bit_cast<std::uint64_t>(t.proxy_end),
                          std::bit_cast<std::uint64_t>(t.worker_start), std::bit_cast<std::uint64_t>(t.worker_end)};
      };
      return bits(a) == bits(b);
    }
  };
  std::uint32_t flags = 0;
  tokens_used tokens;
  std::optional<debug_info> debug;  ///< flags.0
  std::optional<timings> times;     ///< flags.1

  void write(tl::writer& w) const {
    w.u32((flags & ~3U) | (debug ? 1U : 0U) | (times ? 2U : 0U));
    tokens.write(w);
    if (debug) {
      w.string(debug->worker);
      w.string(debug->proxy);
    }
    if (times) {
      for (const double t : {times->proxy_start, times->proxy_end, times->worker_start, times->worker_end}) w.f64(t);
    }
  }
  static query_final_info read(tl::reader& r) {
    query_final_info f;
    f.flags = r.u32("client.queryFinalInfo.flags");
    f.tokens = tokens_used::read(r);
    if ((f.flags & 1U) != 0) {
      auto worker = r.string("client.queryFinalInfo.worker_debug");
      f.debug = debug_info{std::move(worker), r.string("client.queryFinalInfo.proxy_debug")};
    }
    if ((f.flags & 2U) != 0) {
      timings t;
      t.proxy_start = r.f64("client.queryFinalInfo.proxy_start_time");
      t.proxy_end = r.f64("client.queryFinalInfo.proxy_end_time");
      t.worker_start = r.f64("client.queryFinalInfo.worker_start_time");
      t.worker_end = r.f64("client.queryFinalInfo.worker_end_time");
      f.times = t;
    }
    return f;
  }
  friend bool operator==(const query_final_info& a, const query_final_info& b) {
    return (a.flags & ~3U) == (b.flags & ~3U) && a.tokens == b.tokens && a.debug == b.debug && a.times == b.times;
  }
};

namespace detail {
/// The shape shared by `client.queryAnswerEx` and `client.queryAnswerPartEx`.
template <std::uint32_t Id>
struct answer_ex {
  static constexpr std::uint32_t id = Id;
  hash256 request_id;
  bytes answer;
  std::uint32_t flags = 0;
  std::optional<query_final_info> final_info;  ///< flags.0: present on the answer's last piece

  void write(tl::writer& w) const {
    w.int256(request_id);
    w.bytes(answer);
    w.u32((flags & ~1U) | (final_info ? 1U : 0U));
    if (final_info) final_info->write(w);
  }
  static answer_ex read(tl::reader& r) {
    answer_ex a;
    a.request_id = r.int256("client.queryAnswer*Ex.request_id");
    a.answer = r.bytes("client.queryAnswer*Ex.answer");
    a.flags = r.u32("client.queryAnswer*Ex.flags");
    if ((a.flags & 1U) != 0) a.final_info = query_final_info::read(r);
    return a;
  }
  friend bool operator==(const answer_ex& a, const answer_ex& b) {
    return a.request_id == b.request_id && a.answer == b.answer && (a.flags & ~1U) == (b.flags & ~1U) &&
           a.final_info == b.final_info;
  }
};

/// The shape shared by the protocol-0 answers `client.queryAnswer` and `client.queryAnswerPart`.
template <std::uint32_t Id>
struct legacy_answer {
  static constexpr std::uint32_t id = Id;
  bytes answer;
  bool is_completed = false;
  hash256 request_id;
  tokens_used tokens;

  void write(tl::writer& w) const {
    w.bytes(answer);
    w.boolean(is_completed);
    w.int256(request_id);
    tokens.write(w);
  }
  static legacy_answer read(tl::reader& r) {
    legacy_answer a;
    a.answer = r.bytes("client.queryAnswer.answer");
    a.is_completed = r.boolean("client.queryAnswer.is_completed");
    a.request_id = r.int256("client.queryAnswer.request_id");
    a.tokens = tokens_used::read(r);
    return a;
  }
  friend bool operator==(const legacy_answer&, const legacy_answer&) = default;
};

/// The shape shared by `client.queryAnswerError` and `client.queryAnswerPartError`, which proxies
/// still send to protocol 1 and 2 clients when they reject a query.
template <std::uint32_t Id>
struct legacy_error {
  static constexpr std::uint32_t id = Id;
  std::int32_t error_code = 0;
  std::string error;
  hash256 request_id;
  tokens_used tokens;

  void write(tl::writer& w) const {
    w.i32(error_code);
    w.string(error);
    w.int256(request_id);
    tokens.write(w);
  }
  static legacy_error read(tl::reader& r) {
    legacy_error e;
    e.error_code = r.i32("client.queryAnswerError.error_code");
    e.error = r.string("client.queryAnswerError.error");
    e.request_id = r.int256("client.queryAnswerError.request_id");
    e.tokens = tokens_used::read(r);
    return e;
  }
  friend bool operator==(const legacy_error&, const legacy_error&) = default;
};
}  // namespace detail

using query_answer_ex = detail::answer_ex<0xcd524720>;       ///< the first piece of an answer
using query_answer_part_ex = detail::answer_ex<0xc07bfaec>;  ///< a further piece
using query_answer = detail::legacy_answer<0x9b943922>;
using query_answer_part = detail::legacy_answer<0xb765de4c>;
using query_answer_error = detail::legacy_error<0x6d60569a>;
using query_answer_part_error = detail::legacy_error<0xd790a022>;

/// `client.queryAnswerErrorEx`: the query failed.
struct query_answer_error_ex {
  static constexpr std::uint32_t id = 0x072562a8;
  hash256 request_id;
  std::int32_t error_code = 0;
  std::string error;
  std::uint32_t flags = 0;
  std::optional<query_final_info> final_info;

  void write(tl::writer& w) const {
    w.int256(request_id);
    w.i32(error_code);
    w.string(error);
    w.u32((flags & ~1U) | (final_info ? 1U : 0U));
    if (final_info) final_info->write(w);
  }
  static query_answer_error_ex read(tl::reader& r) {
    query_answer_error_ex e;
    e.request_id = r.int256("client.queryAnswerErrorEx.request_id");
    e.error_code = r.i32("client.queryAnswerErrorEx.error_code");
    e.error = r.string("client.queryAnswerErrorEx.error");
    e.flags = r.u32("client.queryAnswerErrorEx.flags");
    if ((e.flags & 1U) != 0) e.final_info = query_final_info::read(r);
    return e;
  }
  friend bool operator==(const query_answer_error_ex& a, const query_answer_error_ex& b) {
    return a.request_id == b.request_id && a.error_code == b.error_code && a.error == b.error &&
           (a.flags & ~1U) == (b.flags & ~1U) && a.final_info == b.final_info;
  }
};

/// `proxy.clientRequestPayment`: what a finished request cost, with the proxy's signed charge.
struct client_request_payment {
  static constexpr std::uint32_t id = 0xc6bcf127;
  hash256 request_id;
  signed_payment payment;
  std::int64_t db_tokens = 0;
  std::int64_t max_tokens = 0;
  std::int64_t request_tokens = 0;

  void write(tl::writer& w) const {
    w.int256(request_id);
    payment.write(w);
    w.i64(db_tokens);
    w.i64(max_tokens);
    w.i64(request_tokens);
  }
  static client_request_payment read(tl::reader& r) {
    client_request_payment p;
    p.request_id = r.int256("proxy.clientRequestPayment.request_id");
    p.payment = signed_payment::read(r);
    p.db_tokens = r.i64("proxy.clientRequestPayment.db_tokens");
    p.max_tokens = r.i64("proxy.clientRequestPayment.max_tokens");
    p.request_tokens = r.i64("proxy.clientRequestPayment.request_tokens");
    return p;
  }
  friend bool operator==(const client_request_payment&, const client_request_payment&) = default;
};

/// Function `client.updatePaymentStatus`.
struct update_payment_status {
  static constexpr std::uint32_t id = 0x9ed1c697;
  void write(tl::writer&) const {}
  static update_payment_status read(tl::reader&) { return {}; }
  friend bool operator==(const update_payment_status&, const update_payment_status&) = default;
};

/// `client.paymentStatus`.
struct payment_status {
  static constexpr std::uint32_t id = 0xaa8a0ecc;
  signed_payment payment;
  std::int64_t db_tokens = 0;
  std::int64_t max_tokens = 0;

  void write(tl::writer& w) const {
    payment.write(w);
    w.i64(db_tokens);
    w.i64(max_tokens);
  }
  static payment_status read(tl::reader& r) {
    payment_status p;
    p.payment = signed_payment::read(r);
    p.db_tokens = r.i64("client.paymentStatus.db_tokens");
    p.max_tokens = r.i64("client.paymentStatus.max_tokens");
    return p;
  }
  friend bool operator==(const payment_status&, const payment_status&) = default;
};

/// Function `client.getWorkerTypes`: the model list a protocol-0 client asks for.
struct get_worker_types {
  static constexpr std::uint32_t id = 0x7f062bdb;
  void write(tl::writer&) const {}
  static get_worker_types read(tl::reader&) { return {}; }
  friend bool operator==(const get_worker_types&, const get_worker_types&) = default;
};

/// `client.workerTypes`: the protocol-0 model list, each model's workers summarised.
struct worker_types {
  static constexpr std::uint32_t id = 0xf64e0e01;
  struct type {  ///< `client.workerType` (bare)
    std::string name;
    std::int32_t active_workers = 0;
    /// The workers' coefficients: lowest, median and highest (1000 = 1.0x the base price).
    std::int32_t coefficient_min = 0, coefficient_bucket50 = 0, coefficient_max = 0;
    friend bool operator==(const type&, const type&) = default;
  };
  std::vector<type> types;

  void write(tl::writer& w) const {
    w.i32(static_cast<std::int32_t>(types.size()));
    for (const auto& t : types) {
      w.string(t.name);
      for (const auto value : {t.active_workers, t.coefficient_min, t.coefficient_bucket50, t.coefficient_max}) {
        w.i32(value);
      }
    }
  }
  static worker_types read(tl::reader& r) {
    worker_types result;
    result.types.resize(r.count("client.workerTypes.types", 20));
    for (auto& t : result.types) {
      t.name = r.string("client.workerType.name");
      t.active_workers = r.i32("client.workerType.active_workers");
      t.coefficient_min = r.i32("client.workerType.coefficient_min");
      t.coefficient_bucket50 = r.i32("client.workerType.coefficient_bucket50");
      t.coefficient_max = r.i32("client.workerType.coefficient_max");
    }
    return result;
  }
  friend bool operator==(const worker_types&, const worker_types&) = default;
};

/// Function `client.getWorkerTypesV2`.
struct get_worker_types_v2 {
  static constexpr std::uint32_t id = 0xb2133d72;
  void write(tl::writer&) const {}
  static get_worker_types_v2 read(tl::reader&) { return {}; }
  friend bool operator==(const get_worker_types_v2&, const get_worker_types_v2&) = default;
};

/// `client.workerTypesV2`: the models a proxy serves and its workers' load and prices.
struct worker_types_v2 {
  static constexpr std::uint32_t id = 0x0cf0dc67;
  struct instance {  ///< `client.workerInstanceV2` (bare)
    std::uint32_t flags = 0;
    std::int32_t coefficient = 0;  ///< 1000 = 1.0x the base price
    std::int32_t active_requests = 0;
    std::int32_t max_active_requests = 0;
    friend bool operator==(const instance&, const instance&) = default;
  };
  struct type {  ///< `client.workerTypeV2` (bare)
    std::string name;
    std::vector<instance> workers;
    friend bool operator==(const type&, const type&) = default;
  };
  std::vector<type> types;

  void write(tl::writer& w) const {
    w.i32(static_cast<std::int32_t>(types.size()));
    for (const auto& t : types) {
      w.string(t.name);
      w.i32(static_cast<std::int32_t>(t.workers.size()));
      for (const auto& i : t.workers) {
        w.u32(i.flags);
        w.i32(i.coefficient);
        w.i32(i.active_requests);
        w.i32(i.max_active_requests);
      }
    }
  }
  static worker_types_v2 read(tl::reader& r) {
    worker_types_v2 result;
    result.types.resize(r.count("client.workerTypesV2.types", 8));
    for (auto& t : result.types) {
      t.name = r.string("client.workerTypeV2.name");
      t.workers.resize(r.count("client.workerTypeV2.workers", 16));
      for (auto& i : t.workers) {
        i.flags = r.u32("client.workerInstanceV2.flags");
        i.coefficient = r.i32("client.workerInstanceV2.coefficient");
        i.active_requests = r.i32("client.workerInstanceV2.active_requests");
        i.max_active_requests = r.i32("client.workerInstanceV2.max_active_requests");
      }
    }
    return result;
  }
  friend bool operator==(const worker_types_v2&, const worker_types_v2&) = default;
};

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
