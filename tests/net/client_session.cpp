#include <cocoon/net/client_session.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell_builder.hpp>

#include <sodium.h>

#include <algorithm>
#include <functional>

using namespace std::chrono_literals;
namespace proto = cocoon::net::proto;
using cocoon::net::client_session;

namespace {

const client_session::clock::time_point t0{};

/// A proxy's payment key: signs charges as research 4.6 lays them out, with libsodium directly.
struct payment_signer {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};

  explicit payment_signer(std::uint8_t seed_byte) {
    cocoon::detail::ensure_sodium();
    std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
    seed.fill(seed_byte);
    crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  }

  [[nodiscard]] cocoon::ed25519_public_key key() const {
    return cocoon::ed25519_public_key(cocoon::byte_view(reinterpret_cast<const std::byte*>(public_key.data()), 32));
  }

  /// The BoC of `op query_id excess signature ^{op query_id tokens client_contract}`.
  [[nodiscard]] cocoon::bytes charge(std::uint64_t tokens, const cocoon::ton::address& contract,
                                     std::uint32_t op = 0xbb63ff93, std::uint64_t signed_tokens = 0,
                                     bool flip_signature = false) const {
    const std::uint64_t query_id = tokens + 7;
    const auto payload = cocoon::ton::cell_builder()
                             .store_uint(op, 32)
                             .store_uint(query_id, 64)
                             .store_uint(signed_tokens != 0 ? signed_tokens : tokens, 64)
                             .store_address(contract)
                             .build();
    std::array<std::byte, 64> signature{};
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(payload.hash().data()), 32, secret_key.data());
    if (flip_signature) signature[63] ^= std::byte{0x01};
    // The payload the body carries says `tokens`; the signature may cover another amount.
    const auto carried = signed_tokens == 0 ? payload
                                            : cocoon::ton::cell_builder()
                                                  .store_uint(op, 32)
                                                  .store_uint(query_id, 64)
                                                  .store_uint(tokens, 64)
                                                  .store_address(contract)
                                                  .build();
    const auto body = cocoon::ton::cell_builder()
                          .store_uint(op, 32)
                          .store_uint(query_id, 64)
                          .store_address(cocoon::ton::address(0, cocoon::sha256(cocoon::as_bytes("proxy wallet"))))
                          .store_bytes(signature)
                          .store_ref(carried)
                          .build();
    return cocoon::ton::serialize_boc(body);
  }
};

const payment_signer signer(0x42);
const auto proxy_key = signer.key();

/// A root with contract code cells of its own: addresses derive from them as from the real code.
cocoon::ton::cocoon_root_contract test_root() {
  cocoon::ton::cocoon_root_contract root{cocoon::ton::address(0, cocoon::sha256(cocoon::as_bytes("root"))), {}};
  root.params.proxy_code = cocoon::ton::cell_builder().store_bytes(cocoon::as_bytes("proxy code")).build();
  root.params.client_code = cocoon::ton::cell_builder().store_bytes(cocoon::as_bytes("client code")).build();
  return root;
}
const std::string wallet_name = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
const cocoon::ton::address proxy_owner(0, cocoon::sha256(cocoon::as_bytes("proxy owner")));
const auto contracts =
    cocoon::ton::cocoon_contracts(test_root(), proxy_owner, proxy_key, cocoon::ton::parse_address(wallet_name).address);
const cocoon::ton::address client_contract = contracts.client;
const std::string client_contract_name = client_contract.to_friendly({.bounceable = true});

cocoon::bytes charge(std::uint64_t tokens) { return signer.charge(tokens, client_contract); }
// SHA-256("my-client-secret"), shared/research/cocoon-vectors.txt.
const auto secret_hash = cocoon::hash256::from_hex("4f16fdeb84f9ef7b2b0127ed4b2c255dd82e2ac7b56c441c9c9fce8991a76207");

/// Plays the proxy: reads what the session queued and answers as a COCOON proxy does.
struct scripted_proxy {
  client_session session;
  std::vector<proto::tcp_message> received;

  explicit scripted_proxy(cocoon::net::session_config config) : session(std::move(config)) {}

  /// What the proxy says it is in client.connectedToProxy.
  std::string owner_name = proxy_owner.to_friendly({.bounceable = false});
  std::string proxy_contract_name = contracts.proxy.to_raw();
  cocoon::ed25519_public_key key = proxy_key;

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
  proto::connect_to_proxy handshake(proto::proxy_connection_auth auth, bool is_test = false, std::int32_t version = 2,
                                    proto::signed_payment payment = {}, std::string contract = client_contract_name) {
    session.start(t0);
    auto first = drain();
    REQUIRE(first.size() == 1);
    REQUIRE(!send(proto::tcp_connected{std::get<proto::tcp_connect>(first[0]).connection_id}));
    auto second = drain();
    REQUIRE(second.size() == 1);
    const auto& query = std::get<proto::tcp_query>(second[0]);
    const auto call = proto::parse<proto::connect_to_proxy>(query.data);
    proto::connected_to_proxy answer;
    answer.params.proxy_public_key = key;
    answer.params.proxy_owner_address = owner_name;
    answer.params.proxy_sc_address = proxy_contract_name;
    answer.params.is_test = is_test;
    answer.params.proto_version = version;
    answer.client_sc_address = std::move(contract);
    answer.auth = std::move(auth);
    answer.payment = std::move(payment);
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
  c.owner_address = wallet_name;
  c.min_config_version = 7;
  c.secret = std::move(secret);
  c.root = test_root();
  return c;
}

proto::authorization_success authorized() { return {{charge(100)}, 100, 250}; }

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
  CHECK(ready[0].client_sc_address == client_contract_name);
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
    CHECK(needed[0].client_contract == client_contract);
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
  CHECK_FALSE(proxy.send_packet(proto::client_request_payment{id1, {charge(113)}, 113, 263, 13}));

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
  REQUIRE(payment.verified);
  CHECK(payment.verified->new_tokens_used == 113);
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

TEST_CASE("verified charges are kept, and a lower one never replaces a higher one", "[net][session][payment]") {
  scripted_proxy proxy(config());
  proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1}, false, 2, {charge(40)});
  REQUIRE_FALSE(proxy.last_failure);
  REQUIRE(proxy.session.best_payment());
  CHECK(proxy.session.best_payment()->new_tokens_used == 40);
  proxy.authorize(authorized());  // carries 100
  REQUIRE_FALSE(proxy.last_failure);
  (void)proxy.session.take_events();
  const auto best = [&] { return proxy.session.best_payment()->new_tokens_used; };
  CHECK(best() == 100);
  CHECK(proxy.session.best_payment()->client_contract == client_contract);

  CHECK_FALSE(proxy.send_packet(proto::client_request_payment{query(1).request_id, {charge(120)}, 120, 130, 20}));
  CHECK(best() == 120);
  CHECK_FALSE(proxy.send_packet(proto::signed_payment{charge(110)}));  // older, sent late
  CHECK(best() == 120);
  CHECK_FALSE(proxy.send_packet(proto::signed_payment{}));  // none: changes nothing
  CHECK_FALSE(proxy.send_packet(proto::signed_payment{cocoon::bytes{}}));
  CHECK(best() == 120);
  const auto updates = events_of<cocoon::net::payment_update>(proxy.session);
  REQUIRE(updates.size() == 4);
  REQUIRE(updates[1].verified);
  CHECK(updates[1].verified->new_tokens_used == 110);  // reported, though not kept
  CHECK_FALSE(updates[2].verified);

  proxy.session.request_payment_status();
  auto out = proxy.drain();
  REQUIRE(out.size() == 1);
  const auto& q = std::get<proto::tcp_query>(out[0]);
  CHECK_FALSE(
      proxy.send(proto::tcp_query_answer{q.query_id, proto::serialize(proto::payment_status{{charge(130)}, 1, 2})}));
  const auto status = events_of<cocoon::net::payment_update>(proxy.session);
  REQUIRE(status.size() == 1);
  CHECK(status[0].status_answer);
  CHECK(best() == 130);
  // The kept charge is the proxy's signed body, ready to be re-packed and sent on chain.
  CHECK(cocoon::ton::serialize_boc(proxy.session.best_payment()->to_cell()) == charge(130));
}

TEST_CASE("a forged, foreign or malformed payment ends the session", "[net][session][payment]") {
  const payment_signer stranger(0x17);
  const cocoon::ton::address other_contract(0, cocoon::sha256(cocoon::as_bytes("someone else's contract")));
  auto flipped = charge(150);
  flipped[flipped.size() - 40] ^= std::byte{1};
  const auto valid = charge(150);
  const std::vector<std::pair<std::string, cocoon::bytes>> bad = {
      {"signed by another key", stranger.charge(150, client_contract)},
      {"for another client contract", signer.charge(150, other_contract)},
      {"a refund grant, not a charge", signer.charge(150, client_contract, 0xefd711e1)},
      {"tokens differ from those signed", signer.charge(150, client_contract, 0xbb63ff93, 149)},
      {"signature altered", signer.charge(150, client_contract, 0xbb63ff93, 0, true)},
      {"a bit flipped (BoC checksum)", flipped},
      {"not a BoC", cocoon::to_bytes("signed charge")},
      {"truncated", cocoon::bytes(valid.begin(), valid.end() - 5)},
  };
  for (const auto& [what, boc] : bad) {
    CAPTURE(what);
    for (const int where : {0, 1, 2, 3}) {  // clientRequestPayment, signedPayment, paymentStatus, handshake
      CAPTURE(where);
      scripted_proxy proxy(config());
      if (where == 3) {
        proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1}, false, 2, {boc});
        REQUIRE(proxy.last_failure);
        CHECK(proxy.last_failure->code == cocoon::errc::proxy_payment_invalid);
        CHECK(proxy.session.current_state() == client_session::state::failed);
        continue;
      }
      proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
      proxy.authorize(authorized());
      REQUIRE_FALSE(proxy.last_failure);
      std::optional<cocoon::detail::failure> failed;
      if (where == 0) {
        failed = proxy.send_packet(proto::client_request_payment{query(1).request_id, {boc}, 1, 2, 3});
      } else if (where == 1) {
        failed = proxy.send_packet(proto::signed_payment{boc});
      } else {
        proxy.drain();
        proxy.session.request_payment_status();
        const auto q = std::get<proto::tcp_query>(proxy.drain().at(0));
        failed = proxy.send(proto::tcp_query_answer{q.query_id, proto::serialize(proto::payment_status{{boc}, 1, 2})});
      }
      REQUIRE(failed);
      CHECK(failed->code == cocoon::errc::proxy_payment_invalid);
      CHECK(cocoon::error_code(failed->code) == cocoon::condition::protocol_violation);
      CHECK(proxy.session.current_state() == client_session::state::failed);
      // The charge verified before stays the best; nothing forged took its place.
      REQUIRE(proxy.session.best_payment());
      CHECK(proxy.session.best_payment()->new_tokens_used == 100);
    }
  }
  // A proxy that names no TON address as the client contract cannot have a payment verified.
  auto unchecked = config();
  unchecked.root.reset();
  scripted_proxy proxy(std::move(unchecked));
  proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1}, false, 2, {charge(5)}, "client contract");
  REQUIRE(proxy.last_failure);
  CHECK(proxy.last_failure->code == cocoon::errc::proxy_payment_invalid);
  CHECK(proxy.last_failure->where == "client_sc_address is not a TON address");
}

TEST_CASE("a malformed message ends the session, saying where it broke", "[net][session]") {
  SECTION("an unknown constructor, named with the frame it came in") {
    scripted_proxy proxy(config());
    proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
    const auto failed = proxy.session.on_payload(cocoon::from_hex("efbeadde"), t0);
    REQUIRE(failed);
    CHECK(failed->code == cocoon::errc::tl_unknown_constructor);
    CHECK(failed->where == "frame payload: TL object constructor 0xdeadbeef");
  }
  SECTION("a truncated answer inside a packet: the TL field and offset, under the message carrying it") {
    scripted_proxy proxy(config());
    proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
    proxy.authorize(authorized());
    proxy.session.submit(query(1));
    auto answer = proto::serialize(proto::http_response{"HTTP/1.1", 200, "OK", {}, {}});
    answer.resize(answer.size() - 2);
    const auto failed = proxy.send_packet(proto::query_answer_ex{query(1).request_id, answer, 0, std::nullopt});
    REQUIRE(failed);
    CHECK(failed->code == cocoon::errc::tl_malformed);
    CHECK(failed->where.starts_with("client.queryAnswerEx.answer: http.response"));
    CHECK(failed->where.find(" at offset ") != std::string::npos);
    CHECK(proxy.session.current_state() == client_session::state::failed);
  }
}

TEST_CASE("the proxy's contracts are checked against the root before any authorisation", "[net][session][contracts]") {
  const cocoon::ton::address elsewhere(0, cocoon::sha256(cocoon::as_bytes("the proxy's own wallet")));
  for (const bool long_auth : {false, true}) {
    CAPTURE(long_auth);
    const auto auth = long_auth ? proto::proxy_connection_auth{proto::proxy_connection_auth_long{77}}
                                : proto::proxy_connection_auth{proto::proxy_connection_auth_short{secret_hash, 77}};
    // Any form of the right addresses passes: raw, bounceable or not, test-network flag.
    const std::vector<std::pair<std::string, std::string>> forms = {
        {contracts.proxy.to_raw(), client_contract.to_raw()},
        {contracts.proxy.to_friendly({.bounceable = true}), client_contract.to_friendly({.bounceable = false})},
        {contracts.proxy.to_friendly({.bounceable = false, .testnet = true}),
         client_contract.to_friendly({.bounceable = true, .url_safe = false})},
    };
    for (const auto& [proxy_name, client_name] : forms) {
      CAPTURE(proxy_name, client_name);
      scripted_proxy proxy(config());
      proxy.proxy_contract_name = proxy_name;
      proxy.handshake(auth, false, 2, {}, client_name);
      REQUIRE_FALSE(proxy.last_failure);
      if (long_auth) {
        const auto needed = events_of<cocoon::net::registration_needed>(proxy.session);
        REQUIRE(needed.size() == 1);
        CHECK(needed[0].client_contract == client_contract);
      } else {
        CHECK(proxy.drain().size() == 1);  // the secret
      }
    }

    // A redirected client contract, a proxy contract of another owner, key or root, or names that
    // are no address: the session ends before the secret is sent or a registration asked for.
    struct bad_case {
      std::string what;
      std::function<void(scripted_proxy&, std::string&)> change;
      cocoon::errc expected;
    };
    const std::vector<bad_case> bad = {
        {"client contract redirected", [&](scripted_proxy&, std::string& c) { c = elsewhere.to_raw(); },
         cocoon::errc::client_contract_mismatch},
        {"client contract of another owner",
         [&](scripted_proxy&, std::string& c) {
           c = cocoon::ton::cocoon_contracts(test_root(), proxy_owner, proxy_key, elsewhere).client.to_raw();
         },
         cocoon::errc::client_contract_mismatch},
        {"client contract not an address", [](scripted_proxy&, std::string& c) { c = "client contract"; },
         cocoon::errc::client_contract_mismatch},
        {"client contract with a bad checksum",
         [](scripted_proxy&, std::string& c) { c.back() = c.back() == 'A' ? 'B' : 'A'; },
         cocoon::errc::client_contract_mismatch},
        {"proxy contract elsewhere",
         [&](scripted_proxy& p, std::string&) { p.proxy_contract_name = elsewhere.to_raw(); },
         cocoon::errc::proxy_contract_mismatch},
        {"proxy contract not an address",
         [](scripted_proxy& p, std::string&) { p.proxy_contract_name = "proxy contract"; },
         cocoon::errc::proxy_contract_mismatch},
        {"owner not an address", [](scripted_proxy& p, std::string&) { p.owner_name = "proxy owner"; },
         cocoon::errc::proxy_contract_mismatch},
        {"another owner", [&](scripted_proxy& p, std::string&) { p.owner_name = elsewhere.to_raw(); },
         cocoon::errc::proxy_contract_mismatch},
        {"another key", [](scripted_proxy& p, std::string&) { p.key = payment_signer(0x17).key(); },
         cocoon::errc::proxy_contract_mismatch},
    };
    for (const auto& b : bad) {
      CAPTURE(b.what);
      scripted_proxy proxy(config());
      std::string client_name = client_contract_name;
      b.change(proxy, client_name);
      proxy.handshake(auth, false, 2, {}, client_name);
      REQUIRE(proxy.last_failure);
      CHECK(proxy.last_failure->code == b.expected);
      CHECK(cocoon::error_code(proxy.last_failure->code) == cocoon::condition::protocol_violation);
      CHECK(proxy.session.current_state() == client_session::state::failed);
      CHECK(proxy.drain().empty());
      CHECK(proxy.session.take_events().empty());
    }

    // The same proxy under another root names contracts the client does not trust.
    auto other_root = config();
    other_root.root->address = elsewhere;
    scripted_proxy proxy(std::move(other_root));
    proxy.handshake(auth);
    REQUIRE(proxy.last_failure);
    CHECK(proxy.last_failure->code == cocoon::errc::proxy_contract_mismatch);
  }
}

TEST_CASE("without a root, short authorisation works and long authorisation names no client contract",
          "[net][session][contracts]") {
  auto c = config();
  c.root.reset();
  {
    scripted_proxy proxy(c);
    proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
    REQUIRE_FALSE(proxy.last_failure);
    proxy.authorize(authorized());
    REQUIRE_FALSE(proxy.last_failure);
    CHECK(proxy.session.current_state() == client_session::state::ready);
  }
  for (const auto& auth : {proto::proxy_connection_auth{proto::proxy_connection_auth_long{77}},
                           proto::proxy_connection_auth{proto::proxy_connection_auth_short{cocoon::hash256{}, 77}}}) {
    scripted_proxy proxy(c);
    proxy.handshake(auth);
    REQUIRE_FALSE(proxy.last_failure);
    // Nothing checked to pay: proxy_connection refuses to register (errc::proxy_registration_unverified).
    const auto needed = events_of<cocoon::net::registration_needed>(proxy.session);
    REQUIRE(needed.size() == 1);
    CHECK(needed.front().nonce == 77);
    CHECK_FALSE(needed.front().client_contract);
  }
  // A root without contract code derives nothing: refused as well.
  auto codeless = config();
  codeless.root->params.client_code.reset();
  scripted_proxy proxy(std::move(codeless));
  proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
  REQUIRE(proxy.last_failure);
  CHECK(proxy.last_failure->code == cocoon::errc::root_config_invalid);
}

namespace {

/// A session through its handshake and short authorisation, events taken.
struct ready_proxy : scripted_proxy {
  explicit ready_proxy(std::int32_t version = 2) : scripted_proxy(config()) {
    handshake(proto::proxy_connection_auth_short{secret_hash, 1}, false, version);
    authorize(authorized());
    REQUIRE(session.current_state() == client_session::state::ready);
    (void)session.take_events();
  }
};

/// An `http.response` as the real proxy forwards it: the worker's status and headers, then the
/// proxy's own timing headers.
proto::http_response shaped_head(std::vector<proto::http_header> headers, std::string_view payload) {
  headers.push_back({"X-Cocoon-Worker-Start", "1764000000.100000"});
  headers.push_back({"X-Cocoon-Worker-End", "1764000000.200000"});
  headers.push_back({"X-Cocoon-Proxy-Start", "1764000000.050000"});
  headers.push_back({"X-Cocoon-Proxy-End", "1764000000.250000"});
  return {"HTTP/1.1", 200, "OK", std::move(headers), cocoon::to_bytes(payload)};
}

/// The final info the real proxy writes: protocol 2 adds the four timings (flags.1), protocol 1
/// has the tokens only.
proto::query_final_info shaped_final_info(std::int32_t version) {
  proto::query_final_info info;
  info.tokens = {11, 2, 5, 0, 16};
  if (version >= 2)
    info.times = proto::query_final_info::timings{1764000000.05, 1764000000.25, 1764000000.1, 1764000000.2};
  return info;
}

}  // namespace

TEST_CASE("a complete first answer with Content-Length ends the query, at protocol 1 and 2", "[net][session][shapes]") {
  for (const std::int32_t version : {1, 2}) {
    INFO("protocol " << version);
    ready_proxy proxy(version);
    proxy.session.submit(query(1));
    proxy.drain();
    const auto id = query(1).request_id;
    const auto head = shaped_head({{"Content-Type", "application/json"}, {"Content-Length", "9"}}, R"({"a":"b"})");
    const auto info = shaped_final_info(version);
    // One wire form checked byte for byte: flags 1, final_info flags 0 or 2 with the timings.
    const auto wire = proto::serialize(proto::query_answer_ex{id, proto::serialize(head), 0, info});
    CHECK(proto::parse<proto::query_answer_ex>(wire).final_info->times.has_value() == (version == 2));
    CHECK_FALSE(proxy.send(proto::tcp_packet{wire}));
    const auto events = proxy.session.take_events();
    REQUIRE(events.size() == 2);
    const auto& got = std::get<cocoon::net::answer_head>(events[0]).response;
    CHECK(got == head);
    CHECK(std::count_if(got.headers.begin(), got.headers.end(),
                        [](const auto& h) { return h.name.starts_with("X-Cocoon-"); }) == 4);
    CHECK(std::get<cocoon::net::answer_end>(events[1]).final_info == info);
    // The query is over: a stray piece for it is dropped.
    CHECK_FALSE(proxy.send_packet(proto::query_answer_part_ex{id, cocoon::to_bytes("x"), 0, std::nullopt}));
    CHECK(proxy.session.take_events().empty());
  }
}

TEST_CASE("a chunked first answer is followed by its parts, the last with the final info", "[net][session][shapes]") {
  ready_proxy proxy;
  proxy.session.submit(query(1));
  proxy.drain();
  const auto id = query(1).request_id;
  const auto head = shaped_head({{"Content-Type", "text/event-stream"}, {"Transfer-Encoding", "chunked"}}, "");
  CHECK_FALSE(proxy.send_packet(proto::query_answer_ex{id, proto::serialize(head), 0, std::nullopt}));
  CHECK_FALSE(proxy.send_packet(proto::query_answer_part_ex{id, cocoon::to_bytes("data: 1\n\n"), 0, std::nullopt}));
  CHECK_FALSE(proxy.send_packet(proto::query_answer_part_ex{id, cocoon::to_bytes("data: 2\n\n"), 0, std::nullopt}));
  // The worker's last part may carry no bytes, only the end.
  CHECK_FALSE(proxy.send_packet(proto::query_answer_part_ex{id, {}, 0, shaped_final_info(2)}));
  const auto events = proxy.session.take_events();
  REQUIRE(events.size() == 4);
  CHECK(std::get<cocoon::net::answer_head>(events[0]).response.payload.empty());
  CHECK(cocoon::as_chars(std::get<cocoon::net::answer_body>(events[1]).data) == "data: 1\n\n");
  CHECK(cocoon::as_chars(std::get<cocoon::net::answer_body>(events[2]).data) == "data: 2\n\n");
  CHECK(std::get<cocoon::net::answer_end>(events[3]).final_info == shaped_final_info(2));
}

TEST_CASE("protocol-0 answers map onto the same events, tokens included", "[net][session][shapes]") {
  ready_proxy proxy;
  proxy.session.submit(query(1));
  proxy.session.submit(query(2));
  proxy.drain();
  const auto head = shaped_head({{"Content-Type", "application/json"}}, "{");
  const proto::tokens_used tokens{11, 2, 5, 0, 16};
  // client.queryAnswer (more to come), then client.queryAnswerPart completing it.
  CHECK_FALSE(proxy.send_packet(proto::query_answer{proto::serialize(head), false, query(1).request_id, {}}));
  CHECK_FALSE(proxy.send_packet(proto::query_answer_part{cocoon::to_bytes("}"), true, query(1).request_id, tokens}));
  // A complete client.queryAnswer on its own.
  CHECK_FALSE(proxy.send_packet(proto::query_answer{proto::serialize(head), true, query(2).request_id, tokens}));
  const auto events = proxy.session.take_events();
  REQUIRE(events.size() == 5);
  CHECK(std::get<cocoon::net::answer_head>(events[0]).response == head);
  CHECK(cocoon::as_chars(std::get<cocoon::net::answer_body>(events[1]).data) == "}");
  // The usage the proxy reported ends the answer, as final_info's does at protocol 1 and 2.
  const auto& end1 = std::get<cocoon::net::answer_end>(events[2]);
  REQUIRE(end1.final_info);
  CHECK(end1.final_info->tokens == tokens);
  CHECK_FALSE(end1.final_info->times);
  CHECK(std::get<cocoon::net::answer_head>(events[3]).request_id == query(2).request_id);
  const auto& end2 = std::get<cocoon::net::answer_end>(events[4]);
  REQUIRE(end2.final_info);
  CHECK(end2.final_info->tokens == tokens);
}

TEST_CASE("errors in the old and new forms, before and after the first answer", "[net][session][shapes]") {
  ready_proxy proxy;
  for (std::uint8_t id = 1; id <= 4; ++id) proxy.session.submit(query(id));
  proxy.drain();
  const auto head = shaped_head({{"Content-Type", "text/event-stream"}}, "data: 1\n\n");
  // Rejected before any answer (ProxyRunningRequest::fail): client.queryAnswerError.
  CHECK_FALSE(proxy.send_packet(proto::query_answer_error{602, "no workers", query(1).request_id, {}}));
  // Failed after the first answer: client.queryAnswerPartError.
  CHECK_FALSE(proxy.send_packet(proto::query_answer_ex{query(2).request_id, proto::serialize(head), 0, std::nullopt}));
  CHECK_FALSE(
      proxy.send_packet(proto::query_answer_part_error{602, "reserved_tokens depleted", query(2).request_id, {}}));
  // The worker's error at protocol 1 and 2: client.queryAnswerErrorEx with its final info.
  CHECK_FALSE(proxy.send_packet(
      proto::query_answer_error_ex{query(3).request_id, 500, "worker error", 0, shaped_final_info(2)}));
  CHECK_FALSE(proxy.send_packet(proto::query_answer_ex{query(4).request_id, proto::serialize(head), 0, std::nullopt}));
  CHECK_FALSE(proxy.send_packet(
      proto::query_answer_error_ex{query(4).request_id, 502, "worker gone", 0, shaped_final_info(1)}));
  const auto events = proxy.session.take_events();
  REQUIRE(events.size() == 6);
  const auto& first = std::get<cocoon::net::answer_failed>(events[0]);
  CHECK(first.request_id == query(1).request_id);
  CHECK(first.code == 602);
  CHECK(first.message == "no workers");
  CHECK(std::get<cocoon::net::answer_head>(events[1]).request_id == query(2).request_id);
  CHECK(std::get<cocoon::net::answer_failed>(events[2]).message == "reserved_tokens depleted");
  CHECK(std::get<cocoon::net::answer_failed>(events[3]).code == 500);
  CHECK(std::get<cocoon::net::answer_failed>(events[5]).message == "worker gone");
  // Each query is over: a second error for one is dropped.
  CHECK_FALSE(proxy.send_packet(proto::query_answer_error{602, "again", query(1).request_id, {}}));
  CHECK(proxy.session.take_events().empty());
}

TEST_CASE("a test-mode mismatch or a wrong secret answered with tcp.queryError ends the session",
          "[net][session][shapes]") {
  {
    // The real proxy refuses client.connectToProxy itself: "test mode mismatch" (ton error 602).
    scripted_proxy proxy(config());
    proxy.session.start(t0);
    const auto connect = std::get<proto::tcp_connect>(proxy.drain().at(0));
    REQUIRE_FALSE(proxy.send(proto::tcp_connected{connect.connection_id}));
    const auto query = std::get<proto::tcp_query>(proxy.drain().at(0));
    const auto failure = proxy.send(proto::tcp_query_error{query.query_id, 602, "test mode mismatch"});
    REQUIRE(failure);
    CHECK(failure->code == cocoon::errc::proxy_rejected);
    CHECK(failure->where == "query error 602: test mode mismatch");
    CHECK(proxy.session.current_state() == client_session::state::failed);
    CHECK(proxy.drain().empty());
  }
  {
    // A secret whose hash is not the one the proxy holds: "sha256 mismatch", then it closes.
    scripted_proxy proxy(config());
    proxy.handshake(proto::proxy_connection_auth_short{secret_hash, 1});
    auto out = proxy.drain();
    REQUIRE(out.size() == 1);
    const auto auth = std::get<proto::tcp_query>(out[0]);
    const auto failure = proxy.send(proto::tcp_query_error{auth.query_id, 0, "sha256 mismatch"});
    REQUIRE(failure);
    CHECK(failure->code == cocoon::errc::proxy_rejected);
    CHECK(failure->where == "query error 0: sha256 mismatch");
    CHECK(proxy.session.current_state() == client_session::state::failed);
    CHECK(events_of<cocoon::net::session_ready>(proxy.session).empty());
  }
}

TEST_CASE("the worker types query is answered by the models the proxy offers", "[net][session][models]") {
  ready_proxy proxy;
  proxy.session.request_worker_types();
  auto out = proxy.drain();
  REQUIRE(out.size() == 1);
  const auto q = std::get<proto::tcp_query>(out[0]);
  CHECK(cocoon::to_hex(q.data) == "723d13b2");  // client.getWorkerTypesV2
  // As ProxyRunner fills it: enabled workers only, cheapest first.
  const proto::worker_types_v2 types{{{"Qwen/Qwen3-8B", {{0, 1000, 1, 8}, {0, 1500, 3, 4}}}, {"idle-model", {}}}};
  REQUIRE_FALSE(proxy.send(proto::tcp_query_answer{q.query_id, proto::serialize(types)}));
  const auto answers = events_of<cocoon::net::worker_types_answer>(proxy.session);
  REQUIRE(answers.size() == 1);
  const std::vector<cocoon::net::model_info> expected{{"Qwen/Qwen3-8B", {{1000, 1, 8}, {1500, 3, 4}}, std::nullopt},
                                                      {"idle-model", {}, std::nullopt}};
  CHECK(answers[0].models == expected);

  // The protocol-0 list is read as the same models, with its summary.
  proxy.session.request_worker_types();
  const auto q0 = std::get<proto::tcp_query>(proxy.drain().at(0));
  const proto::worker_types old{{{"Qwen/Qwen3-8B", 2, 1000, 1500, 2147483647}}};
  REQUIRE_FALSE(proxy.send(proto::tcp_query_answer{q0.query_id, proto::serialize(old)}));
  const auto summarised = events_of<cocoon::net::worker_types_answer>(proxy.session);
  REQUIRE(summarised.size() == 1);
  REQUIRE(summarised[0].models.size() == 1);
  CHECK(summarised[0].models[0].workers.empty());
  CHECK(summarised[0].models[0].summary == cocoon::net::model_workers_summary{2, 1000, 1500, 2147483647});

  // Something else in the answer ends the session; so does the proxy refusing the query.
  proxy.session.request_worker_types();
  const auto q1 = std::get<proto::tcp_query>(proxy.drain().at(0));
  CHECK(proxy.send(proto::tcp_query_answer{q1.query_id, proto::serialize(proto::payment_status{})})->code ==
        cocoon::errc::tl_unknown_constructor);
  ready_proxy refusing;
  refusing.session.request_worker_types();
  const auto q2 = std::get<proto::tcp_query>(refusing.drain().at(0));
  CHECK(refusing.send(proto::tcp_query_error{q2.query_id, 621, "expected client connection"})->code ==
        cocoon::errc::proxy_rejected);
  // Before the session is ready nothing is sent.
  scripted_proxy early(config());
  early.session.request_worker_types();
  CHECK(early.drain().empty());
}
