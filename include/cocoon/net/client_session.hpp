// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_CLIENT_SESSION_HPP
#define COCOON_NET_CLIENT_SESSION_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/models.hpp>
#include <cocoon/net/protocol.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_root.hpp>

#include <chrono>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// Who the client is to the proxy, and how the session keeps the connection alive.
struct session_config {
  /// The client's COCOON wallet address (the proxy derives the client contract from it).
  std::string owner_address{};
  /// Test network or production: must match the proxy's.
  bool is_test = false;
  /// The root contract config version the client has read; the proxy refuses older ones.
  std::int32_t min_config_version = 0;
  /// The client secret for short authorisation, if the client contract holds its hash. It is a
  /// bearer credential, sent inside TLS only.
  std::optional<std::string> secret{};
  /// The root contract the client trusts. With it, every `client.connectedToProxy` is checked: the
  /// proxy's contract must derive from its owner, key and this root, and the client contract from
  /// our wallet (`owner_address`), that proxy contract and key (`ton::cocoon_contracts`); a
  /// mismatch ends the session. Without it nothing is checked, so `registration_needed` names no
  /// client contract and long authorisation, which pays it, is refused by `proxy_connection`
  /// (`errc::proxy_registration_unverified`); short authorisation still works, as it only tells
  /// the proxy the secret whose hash it holds.
  std::optional<ton::cocoon_root_contract> root{};
  /// A ping goes out after this long without any frame received ...
  std::chrono::milliseconds ping_after{std::chrono::seconds{10}};
  /// ... and the connection is given up after this long.
  std::chrono::milliseconds give_up_after{std::chrono::seconds{20}};
};

/// The session is ready for queries.
struct session_ready {
  proto::proxy_params proxy;
  std::string client_sc_address;
  std::int64_t tokens_committed_to_db = 0;
  std::int64_t max_tokens = 0;
};
/// Long authorisation: the client must send `owner_client_register(nonce)` to its client contract
/// on chain, then call `client_session::registered()`.
struct registration_needed {
  std::int64_t nonce = 0;
  /// The client contract, checked against the root; empty without a root, when nothing may be
  /// registered (`proxy_connection` refuses with `errc::proxy_registration_unverified`).
  std::optional<ton::address> client_contract;
};
/// An answer's HTTP status and headers (and maybe the first body bytes).
struct answer_head {
  hash256 request_id;
  proto::http_response response;
};
/// More of an answer's body.
struct answer_body {
  hash256 request_id;
  bytes data;
};
/// The answer is complete.
struct answer_end {
  hash256 request_id;
  std::optional<proto::query_final_info> final_info;
};
/// The query failed (the proxy's or worker's code and message).
struct answer_failed {
  hash256 request_id;
  std::int32_t code = 0;
  std::string message;
};
/// The proxy's latest signed charge and token counts. A charge that reaches the caller has been
/// verified (see `client_session::best_payment`).
struct payment_update {
  std::optional<hash256> request_id;  ///< set when it follows a request
  proto::signed_payment payment;
  std::int64_t db_tokens = 0;
  std::int64_t max_tokens = 0;
  std::optional<ton::cocoon_client::signed_payment> verified{};  ///< the charge read from `payment`, if any
  bool status_answer = false;                                    ///< the answer to `request_payment_status`
};

/// The answer to `request_worker_types`: the models the proxy offers.
struct worker_types_answer {
  std::vector<model_info> models;
};

namespace detail {
struct hash_less {
  bool operator()(const hash256& a, const hash256& b) const noexcept {
    return std::memcmp(a.data(), b.data(), hash256::size()) < 0;
  }
};
}  // namespace detail

using session_event = std::variant<session_ready, registration_needed, answer_head, answer_body, answer_end,
                                   answer_failed, payment_update, worker_types_answer>;

/// COCOON's client-proxy protocol above the frames, without I/O: the transport feeds it each
/// frame's payload and the time, and sends what it queues. Handshake (tcp.connect, connectToProxy
/// with the identity checks, short or long authorisation), queries as one-way packets, their
/// answers in pieces (the current `*Ex` forms and the older error replies proxies still send),
/// payment updates, and keepalive. The first failure ends the session.
///
/// Contracts: with `session_config::root`, the proxy contract and client contract the proxy names
/// are checked before the secret is sent or a registration asked for (`errc::proxy_contract_mismatch`,
/// `errc::client_contract_mismatch`): a proxy that passes attestation still cannot redirect the
/// client's payments to a contract of its choosing.
///
/// Signed payments: every non-empty `proxy.SignedPayment` the proxy sends (in connectedToProxy,
/// the authorisation answer, `proxy.clientRequestPayment`, `proxy.signedPayment` and
/// `client.paymentStatus`) must be a charge (`ext_client_charge_signed`) for the client contract
/// the proxy named, signed by the proxy's `proxy_public_key` over the payload hash; anything else
/// ends the session with `errc::proxy_payment_invalid`. The highest verified charge (by tokens) is
/// kept: a lower one never replaces it.
///
/// Thread safety: none; one transport drives it from one strand.
class client_session {
 public:
  using clock = std::chrono::steady_clock;

  enum class state { idle, connecting, handshaking, awaiting_registration, authorizing, ready, failed };

  explicit client_session(session_config config) : config_(std::move(config)) {}

  /// Queues `tcp.connect` with a random connection id.
  void start(clock::time_point now) {
    connection_id_ = random_i64();
    last_received_ = now;
    queue(proto::tcp_connect{connection_id_});
    state_ = state::connecting;
  }

  /// Takes one frame's payload. On failure the session is over and the error says why.
  [[nodiscard]] std::optional<cocoon::detail::failure> on_payload(byte_view payload, clock::time_point now) {
    if (state_ == state::failed) return failure_;
    last_received_ = now;
    ping_outstanding_ = false;
    auto message = parse_in<proto::tcp_message>(payload, "frame payload");
    if (!message.has_value()) return fail(message.error());
    return std::visit([&](auto& m) { return handle(m); }, message.value());
  }

  /// Keepalive: queues a ping when the line has been quiet, gives up when it stayed quiet.
  [[nodiscard]] std::optional<cocoon::detail::failure> on_tick(clock::time_point now) {
    if (state_ == state::failed) return failure_;
    if (state_ == state::idle) return std::nullopt;
    const auto quiet = now - last_received_;
    if (quiet >= config_.give_up_after) return fail({errc::timed_out, "no frame from the proxy"});
    if (state_ == state::ready && quiet >= config_.ping_after && !ping_outstanding_) {
      queue(proto::tcp_ping{random_i64()});
      ping_outstanding_ = true;
    }
    return std::nullopt;
  }

  /// After the on-chain registration that `registration_needed` asked for.
  void registered() {
    if (state_ != state::awaiting_registration) return;
    auth_query_id_ = send_query(proto::authorize_with_proxy_long{});
    state_ = state::authorizing;
  }

  /// Queues a query (a one-way `client.runQueryEx` packet); its answer arrives as events with
  /// the query's request id, which must be fresh.
  /// @throws cocoon::error with `errc::session_not_ready` before `session_ready`.
  void submit(const proto::run_query_ex& query) {
    if (state_ != state::ready) cocoon::detail::throw_error(errc::session_not_ready, "submit query");
    pending_.insert(query.request_id);
    queue(proto::tcp_packet{proto::serialize(query)});
  }

  /// Asks for the current payment status (answered by a `payment_update`).
  void request_payment_status() {
    if (state_ == state::ready) payment_query_ids_.insert(send_query(proto::update_payment_status{}));
  }

  /// Asks for the models the proxy offers (`client.getWorkerTypesV2`), answered by a
  /// `worker_types_answer`.
  void request_worker_types() {
    if (state_ == state::ready) worker_types_query_ids_.insert(send_query(proto::get_worker_types_v2{}));
  }

  /// Forgets a query (cancelled by the caller); later answers to it are dropped.
  void forget(const hash256& request_id) { pending_.erase(request_id); }

  [[nodiscard]] std::vector<bytes> take_outgoing() { return std::exchange(outgoing_, {}); }
  [[nodiscard]] std::vector<session_event> take_events() { return std::exchange(events_, {}); }
  [[nodiscard]] state current_state() const noexcept { return state_; }
  [[nodiscard]] const std::optional<cocoon::detail::failure>& failure() const noexcept { return failure_; }
  /// The highest verified charge the proxy has signed for this client contract so far: submit it
  /// (`ton::payment::charge`) to make the client contract pay exactly that much.
  [[nodiscard]] const std::optional<ton::cocoon_client::signed_payment>& best_payment() const noexcept {
    return best_payment_;
  }

 private:
  using result = std::optional<cocoon::detail::failure>;

  template <class T>
  void queue(const T& message) {
    outgoing_.push_back(proto::serialize(message));
  }

  template <class Call>
  std::int64_t send_query(const Call& call) {
    const auto id = random_i64();
    queue(proto::tcp_query{id, proto::serialize(call)});
    return id;
  }

  [[nodiscard]] static std::int64_t random_i64() {
    cocoon::detail::ensure_sodium();
    std::int64_t value = 0;
    randombytes_buf(&value, sizeof value);
    return value;
  }

  /// `T` parsed from `data`, which came in `carrier`: a failure names the carrier, then the TL
  /// field and offset.
  template <class T>
  static cocoon::detail::result<T> parse_in(byte_view data, std::string_view carrier) {
    auto parsed = proto::detail::boxed_parser<T>::parse(data, "TL object");
    if (!parsed.has_value()) return cocoon::detail::within(carrier, parsed.error());
    return parsed;
  }

  result fail(cocoon::detail::failure why) {
    state_ = state::failed;
    failure_ = std::move(why);
    return failure_;
  }

  result unexpected(const char* what) { return fail({errc::tl_unknown_constructor, what}); }

  result handle(const proto::tcp_connected& m) {
    if (state_ != state::connecting) return unexpected("tcp.connected after the handshake");
    if (m.connection_id != connection_id_) return fail({errc::proxy_incompatible, "tcp.connected with another id"});
    proto::connect_to_proxy call;
    call.params.client_owner_address = config_.owner_address;
    call.params.is_test = config_.is_test;
    call.params.proto_versions = {{min_proto_version, max_proto_version}};
    call.min_config_version = config_.min_config_version;
    connect_query_id_ = send_query(call);
    state_ = state::handshaking;
    return std::nullopt;
  }

  result handle(const proto::tcp_query_answer& m) {
    if (state_ == state::handshaking && m.query_id == connect_query_id_) return on_connected(m.data);
    if (state_ == state::authorizing && m.query_id == auth_query_id_) return on_authorized(m.data);
    if (payment_query_ids_.erase(m.query_id) != 0) {
      auto status = parse_in<proto::payment_status>(m.data, "client.paymentStatus");
      if (!status.has_value()) return fail(status.error());
      return collect_payment(std::nullopt, status.value().payment, status.value().db_tokens, status.value().max_tokens,
                             true);
    }
    if (worker_types_query_ids_.erase(m.query_id) != 0) {
      // The protocol-0 form is read too: it is the same list, summarised.
      auto types = parse_in<std::variant<proto::worker_types_v2, proto::worker_types>>(m.data, "client.WorkerTypes");
      if (!types.has_value()) return fail(types.error());
      events_.push_back(
          worker_types_answer{std::visit([](const auto& list) { return models_from(list); }, types.value())});
      return std::nullopt;
    }
    return fail({errc::tl_unknown_constructor, "answer to an unknown query"});
  }

  result handle(const proto::tcp_query_error& m) {
    // A failed query closes the connection, as the official client does.
    return fail({errc::proxy_rejected, "query error " + std::to_string(m.code) + ": " + m.message});
  }

  result on_connected(byte_view data) {
    auto connected = parse_in<proto::connected_to_proxy>(data, "client.connectedToProxy");
    if (!connected.has_value()) return fail(connected.error());
    const auto& params = connected.value().params;
    if (!params.is_test || !params.proto_version) {
      return fail({errc::proxy_incompatible, "proxy.params without is_test and proto_version"});
    }
    if (*params.is_test != config_.is_test) {
      return fail({errc::proxy_incompatible,
                   config_.is_test ? "proxy is on the production network" : "proxy is on the test network"});
    }
    if (*params.proto_version < min_proto_version || *params.proto_version > max_proto_version) {
      return fail({errc::proxy_incompatible, "protocol version " + std::to_string(*params.proto_version)});
    }
    if (config_.root) {
      if (auto why = check_contracts(connected.value())) return fail(std::move(*why));
    }
    connected_ = std::move(connected).value();
    if (auto why = collect_payment(std::nullopt, connected_->payment, 0, 0)) return why;
    if (const auto* short_auth = std::get_if<proto::proxy_connection_auth_short>(&connected_->auth);
        short_auth != nullptr && config_.secret && sha256(as_bytes(*config_.secret)) == short_auth->secret_hash) {
      auth_query_id_ = send_query(proto::authorize_with_proxy_short{to_bytes(*config_.secret)});
      state_ = state::authorizing;
      return std::nullopt;
    }
    // Registering pays the client contract: only one derived from the root the client trusts is
    // named (without a root, none is).
    const std::int64_t nonce = std::visit([](const auto& auth) { return auth.nonce; }, connected_->auth);
    events_.push_back(registration_needed{nonce, client_contract_});
    state_ = state::awaiting_registration;
    return std::nullopt;
  }

  /// The proxy's contract and our client contract, as the proxy named them, against those the
  /// root derives (compared as addresses: any form of the same address is the same); the client
  /// contract is then the one payments are checked against.
  result check_contracts(const proto::connected_to_proxy& connected) {
    error_code ec;
    const auto owner = ton::parse_address(config_.owner_address, ec);
    if (!owner) return cocoon::detail::failure{errc::client_misconfigured, "owner_address is not a TON address"};
    const auto proxy_owner = ton::parse_address(connected.params.proxy_owner_address, ec);
    if (!proxy_owner) {
      return cocoon::detail::failure{errc::proxy_contract_mismatch, "proxy_owner_address is not a TON address"};
    }
    auto derived = ton::detail::contracts_of(*config_.root, proxy_owner->address, connected.params.proxy_public_key,
                                             owner->address);
    if (!derived.has_value()) return cocoon::detail::within("root contract params", derived.error());
    const auto& expected = derived.value();
    const auto proxy_contract = ton::parse_address(connected.params.proxy_sc_address, ec);
    if (!proxy_contract || !(proxy_contract->address == expected.proxy)) {
      return cocoon::detail::failure{errc::proxy_contract_mismatch, "proxy_sc_address"};
    }
    const auto client_contract = ton::parse_address(connected.client_sc_address, ec);
    if (!client_contract || !(client_contract->address == expected.client)) {
      return cocoon::detail::failure{errc::client_contract_mismatch, "client_sc_address"};
    }
    client_contract_ = expected.client;
    return std::nullopt;
  }

  result on_authorized(byte_view data) {
    auto answer = parse_in<std::variant<proto::authorization_success, proto::authorization_failed>>(
        data, "client.AuthorizationWithProxy");
    if (!answer.has_value()) return fail(answer.error());
    if (const auto* refused = std::get_if<proto::authorization_failed>(&answer.value())) {
      return fail({errc::proxy_rejected,
                   "authorization failed " + std::to_string(refused->error_code) + ": " + refused->error});
    }
    const auto& success = std::get<proto::authorization_success>(answer.value());
    if (auto why = collect_payment(std::nullopt, success.payment, success.tokens_committed_to_db, success.max_tokens)) {
      return why;
    }
    events_.push_back(session_ready{connected_->params, connected_->client_sc_address, success.tokens_committed_to_db,
                                    success.max_tokens});
    state_ = state::ready;
    return std::nullopt;
  }

  result handle(const proto::tcp_packet& m) {
    if (state_ != state::ready) return unexpected("tcp.packet before the session is ready");
    auto packet = parse_in<proto::proxy_packet>(m.data, "tcp.packet data");
    if (!packet.has_value()) return fail(packet.error());
    return std::visit([&](auto& p) { return on_packet(p); }, packet.value());
  }

  result handle(const proto::tcp_ping& m) {
    queue(proto::tcp_pong{m.ping_id});
    return std::nullopt;
  }
  result handle(const proto::tcp_pong&) { return std::nullopt; }
  result handle(const proto::tcp_connect&) { return unexpected("tcp.connect from the proxy"); }
  result handle(const proto::tcp_query&) { return unexpected("tcp.query from the proxy"); }

  [[nodiscard]] bool known(const hash256& request_id) const { return pending_.count(request_id) != 0; }

  result on_packet(const proto::query_answer_ex& a) {
    if (!known(a.request_id)) return std::nullopt;  // a query the caller forgot
    auto response = parse_in<proto::http_response>(a.answer, "client.queryAnswerEx.answer");
    if (!response.has_value()) return fail(response.error());
    events_.push_back(answer_head{a.request_id, std::move(response).value()});
    if (a.final_info) finish(a.request_id, a.final_info);
    return std::nullopt;
  }
  result on_packet(const proto::query_answer_part_ex& a) {
    if (!known(a.request_id)) return std::nullopt;
    if (!a.answer.empty()) events_.push_back(answer_body{a.request_id, a.answer});
    if (a.final_info) finish(a.request_id, a.final_info);
    return std::nullopt;
  }
  result on_packet(const proto::query_answer_error_ex& e) {
    failed(e.request_id, e.error_code, e.error);
    return std::nullopt;
  }
  // Protocol-0 answers: a client that negotiated 1 or 2 should not see them, but proxies send
  // the error forms on their reject paths; all map onto the same events.
  result on_packet(const proto::query_answer& a) { return legacy_answer(a, true); }
  result on_packet(const proto::query_answer_part& a) { return legacy_answer(a, false); }
  result on_packet(const proto::query_answer_error& e) {
    failed(e.request_id, e.error_code, e.error);
    return std::nullopt;
  }
  result on_packet(const proto::query_answer_part_error& e) {
    failed(e.request_id, e.error_code, e.error);
    return std::nullopt;
  }
  result on_packet(const proto::client_request_payment& p) {
    return collect_payment(p.request_id, p.payment, p.db_tokens, p.max_tokens);
  }
  result on_packet(const proto::signed_payment& p) { return collect_payment(std::nullopt, p, 0, 0); }

  template <class Answer>
  result legacy_answer(const Answer& a, bool first) {
    if (!known(a.request_id)) return std::nullopt;
    if (first) {
      auto response = parse_in<proto::http_response>(a.answer, "client.queryAnswer.answer");
      if (!response.has_value()) return fail(response.error());
      events_.push_back(answer_head{a.request_id, std::move(response).value()});
    } else if (!a.answer.empty()) {
      events_.push_back(answer_body{a.request_id, a.answer});
    }
    // The usage these forms carry ends the answer as final_info's does in the newer ones.
    if (a.is_completed) finish(a.request_id, proto::query_final_info{0, a.tokens, std::nullopt, std::nullopt});
    return std::nullopt;
  }

  void finish(const hash256& request_id, const std::optional<proto::query_final_info>& info) {
    events_.push_back(answer_end{request_id, info});
    pending_.erase(request_id);
  }

  void failed(const hash256& request_id, std::int32_t code, const std::string& message) {
    if (pending_.erase(request_id) != 0) events_.push_back(answer_failed{request_id, code, message});
  }

  /// Verifies a payment the proxy sent (none, or empty data, is no payment yet) and keeps the highest.
  result collect_payment(std::optional<hash256> request_id, const proto::signed_payment& payment,
                         std::int64_t db_tokens, std::int64_t max_tokens, bool status_answer = false) {
    std::optional<ton::cocoon_client::signed_payment> verified;
    if (payment.boc && !payment.boc->empty()) {
      error_code ec;
      if (!client_contract_) {
        auto named = ton::parse_address(connected_->client_sc_address, ec);
        if (!named) return fail({errc::proxy_payment_invalid, "client_sc_address is not a TON address"});
        client_contract_ = named->address;
      }
      verified = ton::cocoon_client::verify_signed_payment(byte_view(*payment.boc), connected_->params.proxy_public_key,
                                                           *client_contract_, ec);
      if (!verified) return fail({errc::proxy_payment_invalid, "proxy.SignedPayment: " + ec.message()});
      if (verified->op != ton::cocoon_client::op::charge_signed) {
        return fail({errc::proxy_payment_invalid, "proxy.SignedPayment is not ext_client_charge_signed"});
      }
      ton::cocoon_client::keep_highest_charge(best_payment_, *verified);
    }
    events_.push_back(payment_update{request_id, payment, db_tokens, max_tokens, std::move(verified), status_answer});
    return std::nullopt;
  }

  static constexpr std::int32_t min_proto_version = 1;
  static constexpr std::int32_t max_proto_version = 2;

  session_config config_;
  state state_ = state::idle;
  std::int64_t connection_id_ = 0;
  std::int64_t connect_query_id_ = 0;
  std::int64_t auth_query_id_ = 0;
  std::set<std::int64_t> payment_query_ids_;
  std::set<std::int64_t> worker_types_query_ids_;
  std::optional<proto::connected_to_proxy> connected_;
  /// `connected_->client_sc_address`: checked against the root when there is one, else read when a
  /// payment needs it.
  std::optional<ton::address> client_contract_;
  std::optional<ton::cocoon_client::signed_payment> best_payment_;
  std::set<hash256, detail::hash_less> pending_;
  clock::time_point last_received_{};
  bool ping_outstanding_ = false;
  std::vector<bytes> outgoing_;
  std::vector<session_event> events_;
  std::optional<cocoon::detail::failure> failure_;
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
