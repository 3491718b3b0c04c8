#include <cocoon/net/client_session.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

using namespace std::chrono_literals;
namespace proto = cocoon::net::proto;
using cocoon::net::client_session;

namespace {

const client_session::clock::time_point t0{};
const auto proxy_key =
    cocoon::ed25519_public_key::from_hex("559087582b7e5ea2b2b986c258e0067b806a59b154e955decf00429610eab095");
// SHA-256("my-client-secret"), shared/research/cocoon-vectors.txt.
const auto secret_hash = cocoon::hash256::from_hex("4f16fdeb84f9ef7b2b0127ed4b2c255dd82e2ac7b56c441c9c9fce8991a76207");

/// Plays the proxy: reads what the session queued and answers as a COCOON proxy does.
struct scripted_proxy {
  client_session session;
  std::vector<proto::tcp_message> received;

  explicit scripted_proxy(cocoon::net::session_config config) : session(std::move(config)) {}

  /// The session's queued messages, parsed.
  std::vector<proto::tcp_message> drain() {
    std::vector<proto::tcp_message> out;
    for (const auto& payload : session.take_outgoing()) out.push_back(proto::parse<proto::tcp_message>(payload));
    received.insert(received.end(), out.begin(), out.end());
    return out;
  }

  template <class T>
  std::optional<cocoon::detail::failure> send(const T& message, client_session::clock::time_point now = t0) {
    return session.on_payload(proto::serialize(proto::tcp_message{message}), now);
  }

  template <class T>
  std::optional<cocoon::detail::failure> send_packet(const T& packet) {
    return send(proto::tcp_packet{proto::serialize(packet)});
  }

  /// tcp.connect -> tcp.connected -> client.connectToProxy -> client.connectedToProxy.
  proto::connect_to_proxy handshake(proto::proxy_connection_auth auth, bool is_test = false, std::int32_t version = 2) {
    session.start(t0);
    auto first = drain();
    REQUIRE(first.size() == 1);
    REQUIRE(!send(proto::tcp_connected{std::get<proto::tcp_connect>(first[0]).connection_id}));
    auto second = drain();
    REQUIRE(second.size() == 1);
    const auto& query = std::get<proto::tcp_query>(second[0]);
    const auto call = proto::parse<proto::connect_to_proxy>(query.data);
    proto::connected_to_proxy answer;
    answer.params.proxy_public_key = proxy_key;
    answer.params.proxy_owner_address = "proxy owner";
    answer.params.proxy_sc_address = "proxy contract";
    answer.params.is_test = is_test;
    answer.params.proto_version = version;
    answer.client_sc_address = "client contract";
    answer.auth = std::move(auth);
    last_failure = send(proto::tcp_query_answer{query.query_id, proto::serialize(answer)});
    return call;
  }

  /// Answers the authorisation query the session sent.
  template <class Answer>
  void authorize(const Answer& answer) {
    auto out = drain();
    REQUIRE(out.size() == 1);
    const auto& query = std::get<proto::tcp_query>(out[0]);
    last_failure = send(proto::tcp_query_answer{query.query_id, proto::serialize(answer)});
  }

  std::optional<cocoon::detail::failure> last_failure;
};

cocoon::net::session_config config(std::optional<std::string> secret = "my-client-secret") {
  cocoon::net::session_config c;
  c.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
  c.min_config_version = 7;
  c.secret = std::move(secret);
  return c;
}

proto::authorization_success authorized() { return {{cocoon::to_bytes("signed charge")}, 100, 250}; }

proto::run_query_ex query(std::uint8_t id) {
  proto::run_query_ex q;
  q.model_name = "Qwen/Qwen3-8B";
  q.query = proto::serialize(proto::http_request{"POST", "/v1/chat/completions", "HTTP/1.1", {}, {}});
  q.max_coefficient = 4000;
  q.max_tokens = 16;
  q.timeout = 114;
  q.request_id = cocoon::hash256(cocoon::bytes(32, std::byte{id}));
  q.min_config_version = 7;
  q.enable_debug = false;
  return q;
}

template <class Event>
std::vector<Event> events_of(client_session& session) {
  std::vector<Event> out;
  for (auto& e : session.take_events()) {
    if (auto* event = std::get_if<Event>(&e)) out.push_back(std::move(*event));
  }
  return out;
}

}  // namespace

TEST_CASE("the handshake announces the client and authorizes with the secret", "[net][session]") {
  scripted_proxy proxy(config());
  const auto call = proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 42});
  CHECK_FALSE(proxy.last_failure);
  // What the official client sends (research 2.5): flags 3, protocol 1..2, our config version.
  CHECK(call.params.client_owner_address == "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20");
  CHECK(call.params.is_test == false);
  CHECK(call.params.proto_versions == std::pair<std::int32_t, std::int32_t>{1, 2});
  CHECK(call.min_config_version == 7);
  CHECK(proxy.session.current_state() == client_session::state::authorizing);

  auto out = proxy.drain();
  REQUIRE(out.size() == 1);
  const auto& auth_query = std::get<proto::tcp_query>(out[0]);
  CHECK(cocoon::to_hex(auth_query.data) == "2367276c106d792d636c69656e742d736563726574000000");  // research vector
  CHECK_FALSE(proxy.send(proto::tcp_query_answer{auth_query.query_id, proto::serialize(authorized())}));
  CHECK(proxy.session.current_state() == client_session::state::ready);
  const auto ready = events_of<cocoon::net::session_ready>(proxy.session);
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].proxy.proxy_public_key == proxy_key);
  CHECK(ready[0].client_sc_address == "client contract");
  CHECK(ready[0].max_tokens == 250);
}

TEST_CASE("without a matching secret the client registers on chain first", "[net][session]") {
  for (const auto& auth : {proto::proxy_connection_auth{proto::proxy_connection_auth_long{77}},
                           proto::proxy_connection_auth{proto::proxy_connection_auth_short{cocoon::hash256{}, 77}}}) {
    scripted_proxy proxy(config());
    proxy.handshake(auth);
    CHECK(proxy.drain().empty());  // the secret is never sent to a proxy that does not know its hash
    const auto needed = events_of<cocoon::net::registration_needed>(proxy.session);
    REQUIRE(needed.size() == 1);
    CHECK(needed[0].nonce == 77);
    proxy.session.registered();
    auto out = proxy.drain();
    REQUIRE(out.size() == 1);
    CHECK(cocoon::to_hex(std::get<proto::tcp_query>(out[0]).data) == "034347d3");
    CHECK_FALSE(proxy.send(
        proto::tcp_query_answer{std::get<proto::tcp_query>(out[0]).query_id, proto::serialize(authorized())}));
    CHECK(proxy.session.current_state() == client_session::state::ready);
  }
}

TEST_CASE("proxies of the other network, other protocol or failed checks are refused", "[net][session]") {
  auto fails_with = [](scripted_proxy& proxy, cocoon::errc code) {
    REQUIRE(proxy.last_failure);
    CHECK(proxy.last_failure->code == code);
    CHECK(proxy.session.current_state() == client_session::state::failed);
  };
  {
    scripted_proxy proxy(config());
    proxy.handshake(proto::proxy_connection_auth_long{1}, /*is_test=*/true);
    fails_with(proxy, cocoon::errc::proxy_incompatible);
  }
  {
    scripted_proxy proxy(config());
    proxy.handshake(proto::proxy_connection_auth_long{1}, false, /*version=*/0);
    fails_with(proxy, cocoon::errc::proxy_incompatible);
  }
  {
    auto c = config();
    c.check_proxy = [](const proto::connected_to_proxy& connected) -> std::optional<cocoon::detail::failure> {
      if (connected.params.proxy_sc_address != "expected contract") {
        return cocoon::detail::failure{cocoon::errc::proxy_incompatible, "proxy contract address"};
      }
      return std::nullopt;
    };
    scripted_proxy proxy(std::move(c));
    proxy.handshake(proto::proxy_connection_auth_long{1});
    fails_with(proxy, cocoon::errc::proxy_incompatible);
    CHECK(proxy.last_failure->where == "proxy contract address");
  }
  {
    scripted_proxy proxy(config());
    proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
    proxy.authorize(proto::authorization_failed{403, "client contract closed"});
    fails_with(proxy, cocoon::errc::proxy_rejected);
    CHECK(proxy.last_failure->where == "authorization failed 403: client contract closed");
  }
  {
    scripted_proxy proxy(config());
    proxy.session.start(t0);
    proxy.drain();
    CHECK(proxy.send(proto::tcp_connected{12345}));  // not the id the client sent
  }
  {
    scripted_proxy proxy(config());
    proxy.session.start(t0);
    CHECK(proxy.session.on_payload(cocoon::from_hex("0000000000000000"), t0)->code ==
          cocoon::errc::tl_unknown_constructor);
    // After a failure everything is refused with the same error.
    CHECK(proxy.send(proto::tcp_ping{1})->code == cocoon::errc::tl_unknown_constructor);
  }
}

TEST_CASE("answers arrive as head, body pieces and end, errors in every form the proxy sends", "[net][session]") {
  scripted_proxy proxy(config());
  proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
  proxy.authorize(authorized());
  (void)proxy.session.take_events();
  CHECK_THROWS_AS(client_session(config()).submit(query(1)), cocoon::error);  // not ready

  for (std::uint8_t id = 1; id <= 4; ++id) proxy.session.submit(query(id));
  const auto sent = proxy.drain();
  REQUIRE(sent.size() == 4);
  CHECK(proto::parse<proto::run_query_ex>(std::get<proto::tcp_packet>(sent[0]).data) == query(1));

  const auto id1 = query(1).request_id;
  proto::http_response head{"HTTP/1.1", 200, "OK", {{"Content-Type", "application/json"}}, cocoon::to_bytes("{\"a")};
  proto::query_final_info final_info;
  final_info.tokens = {9, 0, 4, 0, 13};
  CHECK_FALSE(proxy.send_packet(proto::query_answer_ex{id1, proto::serialize(head), 0, std::nullopt}));
  CHECK_FALSE(proxy.send_packet(proto::query_answer_part_ex{id1, cocoon::to_bytes("\":1}"), 0, final_info}));
  // An error reply in the current form, and in both older forms proxies still send.
  CHECK_FALSE(proxy.send_packet(proto::query_answer_error_ex{query(2).request_id, 502, "no workers", 0, std::nullopt}));
  CHECK_FALSE(proxy.send_packet(
      proto::query_answer_error{400, "can run this query with coefficient=5000", query(3).request_id, {}}));
  CHECK_FALSE(proxy.send_packet(proto::query_answer_part_error{500, "worker failed", query(4).request_id, {}}));
  // Late pieces of a finished query are dropped, not misattributed.
  CHECK_FALSE(proxy.send_packet(proto::query_answer_part_ex{id1, cocoon::to_bytes("late"), 0, std::nullopt}));
  CHECK_FALSE(proxy.send_packet(proto::client_request_payment{id1, {cocoon::to_bytes("charge")}, 113, 263, 13}));

  const auto events = proxy.session.take_events();
  REQUIRE(events.size() == 7);
  CHECK(std::get<cocoon::net::answer_head>(events[0]).response == head);
  CHECK(cocoon::as_chars(std::get<cocoon::net::answer_body>(events[1]).data) == "\":1}");
  CHECK(std::get<cocoon::net::answer_end>(events[2]).final_info == final_info);
  CHECK(std::get<cocoon::net::answer_failed>(events[3]).message == "no workers");
  CHECK(std::get<cocoon::net::answer_failed>(events[4]).code == 400);
  CHECK(std::get<cocoon::net::answer_failed>(events[5]).message == "worker failed");
  const auto& payment = std::get<cocoon::net::payment_update>(events[6]);
  CHECK(payment.request_id == id1);
  CHECK(payment.max_tokens == 263);
}

TEST_CASE("keepalive pings a quiet proxy, answers its pings, and gives up on silence", "[net][session]") {
  scripted_proxy proxy(config());
  proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
  proxy.authorize(authorized());
  proxy.drain();
  CHECK_FALSE(proxy.session.on_tick(t0 + 9s));
  CHECK(proxy.drain().empty());
  CHECK_FALSE(proxy.session.on_tick(t0 + 10s));
  auto out = proxy.drain();
  REQUIRE(out.size() == 1);
  const auto ping = std::get<proto::tcp_ping>(out[0]);
  CHECK_FALSE(proxy.session.on_tick(t0 + 11s));
  CHECK(proxy.drain().empty());  // one ping at a time
  CHECK_FALSE(proxy.send(proto::tcp_pong{ping.ping_id}, t0 + 12s));
  CHECK_FALSE(proxy.send(proto::tcp_ping{99}, t0 + 13s));
  out = proxy.drain();
  REQUIRE(out.size() == 1);
  CHECK(std::get<proto::tcp_pong>(out[0]).ping_id == 99);
  CHECK_FALSE(proxy.session.on_tick(t0 + 32s));
  CHECK(proxy.session.on_tick(t0 + 33s)->code == cocoon::errc::timed_out);
}

TEST_CASE("payment status queries are answered as payment updates", "[net][session]") {
  scripted_proxy proxy(config());
  proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
  proxy.authorize(authorized());
  (void)proxy.session.take_events();
  proxy.session.request_payment_status();
  auto out = proxy.drain();
  REQUIRE(out.size() == 1);
  const auto& q = std::get<proto::tcp_query>(out[0]);
  CHECK(cocoon::to_hex(q.data) == "97c6d19e");
  CHECK_FALSE(proxy.send(proto::tcp_query_answer{q.query_id, proto::serialize(proto::payment_status{{}, 5, 6})}));
  const auto updates = events_of<cocoon::net::payment_update>(proxy.session);
  REQUIRE(updates.size() == 1);
  CHECK_FALSE(updates[0].request_id);
  CHECK(updates[0].db_tokens == 5);
  // An answer to a query never sent is a protocol violation.
  CHECK(proxy.send(proto::tcp_query_answer{q.query_id, proto::serialize(proto::payment_status{})}));
}
