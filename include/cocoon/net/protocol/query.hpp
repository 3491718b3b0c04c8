// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROTOCOL_QUERY_HPP
#define COCOON_NET_PROTOCOL_QUERY_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/net/protocol/payment.hpp>
#include <cocoon/net/tl.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

/// A query and its answers: the HTTP request inside `runQueryEx`, answer parts, final info and
/// errors, in the current and the protocol-0 forms.
namespace net::proto {

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

}  // namespace net::proto
COCOON_SDK_NAMESPACE_END

#endif
