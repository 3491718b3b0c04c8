// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// Conformance transcripts: the frames of one exchange between a client and a proxy, each as the
// hex of its TL bytes and a decoded JSON form, with the values that differ run to run (ids the
// client picks at random, the proxy's authorisation nonce) replaced by named placeholders whose
// byte ranges are recorded. docs/net.md ("Conformance transcripts") describes the format.
#ifndef COCOON_TESTS_CONFORMANCE_TRANSCRIPT_HPP
#define COCOON_TESTS_CONFORMANCE_TRANSCRIPT_HPP

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/protocol.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cocoon_client.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace conformance {

namespace proto = cocoon::net::proto;
using json = nlohmann::ordered_json;  // fields in schema order

enum class side { client, proxy };

struct frame {
  side from;
  cocoon::bytes payload;  ///< the frame's TL bytes (its payload, without the frame header)
};

/// Decodes a transcript's frames in order: a `tcp.queryAnswer` is read as the answer to the
/// function its `tcp.query` called. Every 8-byte id or nonce that changes run to run becomes a
/// placeholder, named where its value first appears, with the byte range of each occurrence.
class transcript_decoder {
 public:
  struct site {
    std::size_t frame, offset;
    std::string field;
  };
  struct placeholder {
    std::string name;
    std::string type;    ///< its TL type: "long", or "double" for a time
    std::int64_t value;  ///< its 8 bytes, as a little-endian long
    std::vector<site> at;
  };

  /// @throws cocoon::error when a frame is not a protocol object (the suite's frames must all be).
  json decode(const frame& f) {
    const auto message = proto::parse<proto::tcp_message>(f.payload);
    auto decoded = std::visit([&](const auto& m) { return tcp(f.from, m); }, message);
    ++frame_;
    return decoded;
  }

  [[nodiscard]] const std::vector<placeholder>& placeholders() const noexcept { return placeholders_; }

 private:
  /// The value at `offset` of the current frame, as its placeholder.
  json varying(std::int64_t value, const std::string& name, std::size_t offset, std::string field,
               const char* type = "long") {
    auto known = std::find_if(placeholders_.begin(), placeholders_.end(),
                              [&](const placeholder& p) { return p.value == value && p.type == type; });
    if (known == placeholders_.end()) known = placeholders_.insert(placeholders_.end(), {name, type, value, {}});
    known->at.push_back({frame_, offset, std::move(field)});
    return "$" + known->name;
  }
  /// The id every tcp.Packet but tcp.packet starts with, after its constructor.
  json envelope_id(std::int64_t value, const std::string& name, std::string field) {
    return varying(value, name, 4, std::move(field));
  }

  static json hex(cocoon::byte_view data) { return json{{"hex", cocoon::to_hex(data)}}; }

  /// Text as a JSON string when it is printable UTF-8 (HTTP heads, bodies, events), else its hex.
  static json text_or_hex(cocoon::byte_view data) {
    const std::string text(cocoon::as_chars(data));
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return u >= 0x20 || c == '\n' || c == '\r' || c == '\t';
    });
    if (printable) {
      try {
        (void)json(text).dump();  // throws on invalid UTF-8
        return text;
      } catch (const json::exception&) {
      }
    }
    return hex(data);
  }

  /// A signed payment, its charge read (and verified) with the key and client contract the proxy
  /// named in `client.connectedToProxy`.
  json payment(const proto::signed_payment& p) const {
    if (!p.boc) return json{{"@type", "proxy.signedPaymentEmpty"}};
    if (!connected_) cocoon::detail::throw_error(cocoon::errc::proxy_payment_invalid, "a payment before connecting");
    const auto charge = cocoon::ton::cocoon_client::verify_signed_payment(
        cocoon::byte_view(*p.boc), connected_->params.proxy_public_key,
        cocoon::ton::parse_address(connected_->client_sc_address).address);
    return json{{"@type", "proxy.signedPayment"},
                {"data", hex(*p.boc)},
                {"charge", json{{"op", charge.op},
                                {"query_id", charge.query_id},
                                {"send_excesses_to", charge.send_excesses_to.to_raw()},
                                {"signature", cocoon::to_hex(charge.signature)},
                                {"new_tokens_used", charge.new_tokens_used},
                                {"client_contract", charge.client_contract.to_raw()}}}};
  }

  static json tokens(const proto::tokens_used& t) {
    return json{{"@type", "tokensUsed"},
                {"prompt_tokens_used", t.prompt},
                {"cached_tokens_used", t.cached},
                {"completion_tokens_used", t.completion},
                {"reasoning_tokens_used", t.reasoning},
                {"total_tokens_used", t.total}};
  }

  static json headers(const std::vector<proto::http_header>& hs) {
    json out = json::array();
    for (const auto& h : hs) out.push_back(json{{"@type", "http.header"}, {"name", h.name}, {"value", h.value}});
    return out;
  }

  /// Its times (Unix seconds, measured by the proxy and worker) are placeholders: the final info
  /// ends the packet, so they are its last 32 bytes.
  json final_info(const std::optional<proto::query_final_info>& info) {
    if (!info) return nullptr;
    json out{{"@type", "client.queryFinalInfo"}, {"flags", info->flags}, {"tokens_used", tokens(info->tokens)}};
    if (info->debug) {
      out["worker_debug"] = info->debug->worker;
      out["proxy_debug"] = info->debug->proxy;
    }
    if (info->times) {
      const std::string prefix = "final_info_" + std::to_string(++final_infos_) + ".";
      std::size_t at = packet_end_ - 32;
      for (const auto& [field, value] : {std::pair{"proxy_start_time", info->times->proxy_start},
                                         {"proxy_end_time", info->times->proxy_end},
                                         {"worker_start_time", info->times->worker_start},
                                         {"worker_end_time", info->times->worker_end}}) {
        out[field] = varying(std::bit_cast<std::int64_t>(value), prefix + field, at,
                             std::string("client.queryFinalInfo.") + field, "double");
        at += 8;
      }
    }
    return out;
  }

  // The client's functions.
  json call(const proto::connect_to_proxy& c) {
    json params{
        {"@type", "client.params"}, {"flags", c.params.flags}, {"client_owner_address", c.params.client_owner_address}};
    if (c.params.is_test) params["is_test"] = *c.params.is_test;
    if (c.params.proto_versions) {
      params["min_proto_version"] = c.params.proto_versions->first;
      params["max_proto_version"] = c.params.proto_versions->second;
    }
    return json{{"@type", "client.connectToProxy"}, {"params", params}, {"min_config_version", c.min_config_version}};
  }
  json call(const proto::authorize_with_proxy_short& a) {
    return json{{"@type", "client.authorizeWithProxyShort"}, {"data", text_or_hex(a.data)}};
  }
  json call(const proto::authorize_with_proxy_long&) { return json{{"@type", "client.authorizeWithProxyLong"}}; }
  json call(const proto::update_payment_status&) { return json{{"@type", "client.updatePaymentStatus"}}; }
  json call(const proto::get_worker_types&) { return json{{"@type", "client.getWorkerTypes"}}; }
  json call(const proto::get_worker_types_v2&) { return json{{"@type", "client.getWorkerTypesV2"}}; }
  json call(const proto::run_query_ex& q) {
    const auto request = proto::parse<proto::http_request>(q.query);
    json out{{"@type", "client.runQueryEx"},
             {"model_name", q.model_name},
             {"query", json{{"@type", "http.request"},
                            {"method", request.method},
                            {"url", request.url},
                            {"http_version", request.http_version},
                            {"headers", headers(request.headers)},
                            {"payload", text_or_hex(request.payload)}}},
             {"max_coefficient", q.max_coefficient},
             {"max_tokens", q.max_tokens},
             {"timeout", q.timeout},
             {"request_id", cocoon::to_hex(q.request_id.view())},
             {"min_config_version", q.min_config_version},
             {"flags", q.flags}};
    if (q.enable_debug) out["enable_debug"] = *q.enable_debug;
    return out;
  }

  static const char* function_name(const proto::client_call& c) {
    return std::visit(
        [](const auto& v) -> const char* {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, proto::connect_to_proxy>) return "client.connectToProxy";
          if constexpr (std::is_same_v<T, proto::authorize_with_proxy_short>) return "client.authorizeWithProxyShort";
          if constexpr (std::is_same_v<T, proto::authorize_with_proxy_long>) return "client.authorizeWithProxyLong";
          if constexpr (std::is_same_v<T, proto::run_query_ex>) return "client.runQueryEx";
          if constexpr (std::is_same_v<T, proto::update_payment_status>) return "client.updatePaymentStatus";
          if constexpr (std::is_same_v<T, proto::get_worker_types>) return "client.getWorkerTypes";
          return "client.getWorkerTypesV2";
        },
        c);
  }

  // The proxy's answers, by the function they answer.
  /// `data_at`: where `data` starts in the frame.
  json answer(const std::string& function, cocoon::byte_view data, std::size_t data_at) {
    if (function == "client.connectToProxy") {
      const auto c = proto::parse<proto::connected_to_proxy>(data);
      connected_ = c;
      // The nonce is the 8 bytes before the signed payment, which ends the object.
      const std::size_t nonce_at = data_at + data.size() - proto::serialize(c.payment).size() - 8;
      json params{{"@type", "proxy.params"},
                  {"flags", c.params.flags},
                  {"proxy_public_key", cocoon::to_hex(c.params.proxy_public_key.view())},
                  {"proxy_owner_address", c.params.proxy_owner_address},
                  {"proxy_sc_address", c.params.proxy_sc_address}};
      if (c.params.is_test) params["is_test"] = *c.params.is_test;
      if (c.params.proto_version) params["proto_version"] = *c.params.proto_version;
      json auth;
      if (const auto* s = std::get_if<proto::proxy_connection_auth_short>(&c.auth)) {
        auth = json{{"@type", "client.proxyConnectionAuthShort"},
                    {"secret_hash", cocoon::to_hex(s->secret_hash.view())},
                    {"nonce", varying(s->nonce, "auth_nonce", nonce_at, "client.proxyConnectionAuthShort.nonce")}};
      } else {
        auth = json{{"@type", "client.proxyConnectionAuthLong"},
                    {"nonce", varying(std::get<proto::proxy_connection_auth_long>(c.auth).nonce, "auth_nonce", nonce_at,
                                      "client.proxyConnectionAuthLong.nonce")}};
      }
      return json{{"@type", "client.connectedToProxy"},
                  {"params", params},
                  {"client_sc_address", c.client_sc_address},
                  {"auth", auth},
                  {"signed_payment", payment(c.payment)}};
    }
    if (function == "client.authorizeWithProxyShort" || function == "client.authorizeWithProxyLong") {
      const auto a = proto::parse<std::variant<proto::authorization_success, proto::authorization_failed>>(data);
      if (const auto* f = std::get_if<proto::authorization_failed>(&a)) {
        return json{
            {"@type", "client.authorizationWithProxyFailed"}, {"error_code", f->error_code}, {"error", f->error}};
      }
      const auto& s = std::get<proto::authorization_success>(a);
      return json{{"@type", "client.authorizationWithProxySuccess"},
                  {"signed_payment", payment(s.payment)},
                  {"tokens_committed_to_db", s.tokens_committed_to_db},
                  {"max_tokens", s.max_tokens}};
    }
    if (function == "client.updatePaymentStatus") {
      const auto p = proto::parse<proto::payment_status>(data);
      return json{{"@type", "client.paymentStatus"},
                  {"signed_payment", payment(p.payment)},
                  {"db_tokens", p.db_tokens},
                  {"max_tokens", p.max_tokens}};
    }
    if (function == "client.getWorkerTypes") {
      const auto w = proto::parse<proto::worker_types>(data);
      json types = json::array();
      for (const auto& t : w.types) {
        types.push_back(json{{"@type", "client.workerType"},
                             {"name", t.name},
                             {"active_workers", t.active_workers},
                             {"coefficient_min", t.coefficient_min},
                             {"coefficient_bucket50", t.coefficient_bucket50},
                             {"coefficient_max", t.coefficient_max}});
      }
      return json{{"@type", "client.workerTypes"}, {"types", types}};
    }
    if (function == "client.getWorkerTypesV2") {
      const auto w = proto::parse<proto::worker_types_v2>(data);
      json types = json::array();
      for (const auto& t : w.types) {
        json workers = json::array();
        for (const auto& i : t.workers) {
          workers.push_back(json{{"@type", "client.workerInstanceV2"},
                                 {"flags", i.flags},
                                 {"coefficient", i.coefficient},
                                 {"active_requests", i.active_requests},
                                 {"max_active_requests", i.max_active_requests}});
        }
        types.push_back(json{{"@type", "client.workerTypeV2"}, {"name", t.name}, {"workers", workers}});
      }
      return json{{"@type", "client.workerTypesV2"}, {"types", types}};
    }
    cocoon::detail::throw_error(cocoon::errc::tl_unknown_constructor, "an answer to " + function);
  }

  // What the proxy sends in tcp.packet.
  json packet(const proto::query_answer_ex& a) {
    const auto head = proto::parse<proto::http_response>(a.answer);
    return json{{"@type", "client.queryAnswerEx"},
                {"request_id", cocoon::to_hex(a.request_id.view())},
                {"answer", json{{"@type", "http.response"},
                                {"http_version", head.http_version},
                                {"status_code", head.status_code},
                                {"reason", head.reason},
                                {"headers", headers(head.headers)},
                                {"payload", text_or_hex(head.payload)}}},
                {"flags", a.flags},
                {"final_info", final_info(a.final_info)}};
  }
  json packet(const proto::query_answer_part_ex& a) {
    return json{{"@type", "client.queryAnswerPartEx"},
                {"request_id", cocoon::to_hex(a.request_id.view())},
                {"answer", text_or_hex(a.answer)},
                {"flags", a.flags},
                {"final_info", final_info(a.final_info)}};
  }
  json packet(const proto::query_answer_error_ex& e) {
    return json{{"@type", "client.queryAnswerErrorEx"},
                {"request_id", cocoon::to_hex(e.request_id.view())},
                {"error_code", e.error_code},
                {"error", e.error},
                {"flags", e.flags},
                {"final_info", final_info(e.final_info)}};
  }
  template <std::uint32_t Id>
  static json packet(const proto::detail::legacy_answer<Id>& a) {
    return json{{"@type", Id == proto::query_answer::id ? "client.queryAnswer" : "client.queryAnswerPart"},
                {"answer", text_or_hex(a.answer)},
                {"is_completed", a.is_completed},
                {"request_id", cocoon::to_hex(a.request_id.view())},
                {"request_tokens_used", tokens(a.tokens)}};
  }
  template <std::uint32_t Id>
  static json packet(const proto::detail::legacy_error<Id>& e) {
    return json{
        {"@type", Id == proto::query_answer_error::id ? "client.queryAnswerError" : "client.queryAnswerPartError"},
        {"error_code", e.error_code},
        {"error", e.error},
        {"request_id", cocoon::to_hex(e.request_id.view())},
        {"request_tokens_used", tokens(e.tokens)}};
  }
  json packet(const proto::client_request_payment& p) const {
    return json{{"@type", "proxy.clientRequestPayment"},
                {"request_id", cocoon::to_hex(p.request_id.view())},
                {"signed_payment", payment(p.payment)},
                {"db_tokens", p.db_tokens},
                {"max_tokens", p.max_tokens},
                {"request_tokens", p.request_tokens}};
  }
  json packet(const proto::signed_payment& p) const { return payment(p); }

  // The tcp.Packet envelope.
  json tcp(side, const proto::tcp_connect& m) {
    return json{{"@type", "tcp.connect"}, {"id", envelope_id(m.connection_id, "connection_id", "tcp.connect.id")}};
  }
  json tcp(side, const proto::tcp_connected& m) {
    return json{{"@type", "tcp.connected"}, {"id", envelope_id(m.connection_id, "connection_id", "tcp.connected.id")}};
  }
  json tcp(side, const proto::tcp_ping& m) {
    return json{{"@type", "tcp.ping"},
                {"id", envelope_id(m.ping_id, "ping_id_" + std::to_string(++pings_), "tcp.ping.id")}};
  }
  json tcp(side, const proto::tcp_pong& m) {
    return json{{"@type", "tcp.pong"},
                {"id", envelope_id(m.ping_id, "ping_id_" + std::to_string(++pings_), "tcp.pong.id")}};
  }
  json tcp(side from, const proto::tcp_packet& m) {
    json data;
    if (from == side::client) {
      data = std::visit([&](const auto& c) { return call(c); }, proto::parse<proto::client_call>(m.data));
    } else {
      packet_end_ = 4 + (m.data.size() < 254 ? 1 : 4) + m.data.size();  // tcp.packet: constructor, TL bytes
      data = std::visit([&](const auto& p) { return packet(p); }, proto::parse<proto::proxy_packet>(m.data));
    }
    return json{{"@type", "tcp.packet"}, {"data", data}};
  }
  json tcp(side, const proto::tcp_query& m) {
    const auto c = proto::parse<proto::client_call>(m.data);
    queries_[m.query_id] = function_name(c);
    return json{{"@type", "tcp.query"},
                {"id", envelope_id(m.query_id, "query_id_" + std::to_string(queries_.size()), "tcp.query.id")},
                {"data", std::visit([&](const auto& v) { return call(v); }, c)}};
  }
  json tcp(side, const proto::tcp_query_answer& m) {
    const auto asked = queries_.find(m.query_id);
    if (asked == queries_.end()) {
      cocoon::detail::throw_error(cocoon::errc::tl_unknown_constructor, "tcp.queryAnswer to no query");
    }
    const auto id = envelope_id(m.query_id, "query_id", "tcp.queryAnswer.id");
    // tcp.queryAnswer: constructor, id, then data as TL bytes (a 1-byte length below 254, else 4).
    const std::size_t data_at = 12 + (m.data.size() < 254 ? 1 : 4);
    return json{{"@type", "tcp.queryAnswer"}, {"id", id}, {"data", answer(asked->second, m.data, data_at)}};
  }
  json tcp(side, const proto::tcp_query_error& m) {
    return json{{"@type", "tcp.queryError"},
                {"id", envelope_id(m.query_id, "query_id", "tcp.queryError.id")},
                {"code", m.code},
                {"message", m.message}};
  }

  std::vector<placeholder> placeholders_;
  std::map<std::int64_t, std::string> queries_;  ///< query id -> the function it called
  std::size_t pings_ = 0;
  std::size_t frame_ = 0;  ///< the index of the frame being decoded
  std::optional<proto::connected_to_proxy> connected_;
  std::size_t packet_end_ = 0;  ///< where the object in the current tcp.packet ends
  std::size_t final_infos_ = 0;
};

/// A scenario's transcript as its file holds it: each placeholder's 8 bytes (a little-endian
/// `long` or `double`) zeroed in the hex at every recorded range.
inline json render(const std::string& scenario, const std::string& description, const std::vector<frame>& frames) {
  transcript_decoder decoder;
  json decoded = json::array();
  for (const auto& f : frames) decoded.push_back(decoder.decode(f));

  std::vector<cocoon::bytes> masked;
  for (const auto& f : frames) masked.push_back(f.payload);
  json placeholders = json::array();
  for (const auto& p : decoder.placeholders()) {
    json at = json::array();
    for (const auto& where : p.at) {
      at.push_back(json{{"frame", where.frame}, {"offset", where.offset}, {"field", where.field}});
      std::fill_n(masked[where.frame].begin() + static_cast<std::ptrdiff_t>(where.offset), 8, std::byte{0});
    }
    placeholders.push_back(json{{"name", p.name}, {"type", p.type}, {"size", 8}, {"at", at}});
  }

  json out{{"scenario", scenario},
           {"description", description},
           {"format",
            "frames in order, each the TL bytes of one frame's payload (no frame header) as \"hex\" and decoded "
            "as \"tl\"; a placeholder's 8 bytes (a little-endian long or double) are zero in \"hex\" at each of its "
            "ranges "
            "and \"$name\" in \"tl\""},
           {"placeholders", placeholders}};
  json list = json::array();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    list.push_back(json{{"from", frames[i].from == side::client ? "client" : "proxy"},
                        {"hex", cocoon::to_hex(masked[i])},
                        {"tl", decoded[i]}});
  }
  out["frames"] = list;
  return out;
}

}  // namespace conformance

#endif
