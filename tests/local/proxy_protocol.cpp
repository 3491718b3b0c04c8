// The local proxy's wire behaviour, message by message, as a real COCOON proxy and worker answer.
#include <cocoon/local/proxy.hpp>

#include <catch2/catch.hpp>

#include <cocoon/net/frame.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/protocol.hpp>
#include <cocoon/net/tls.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>

#include <deque>
#include <thread>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace proto = cocoon::net::proto;

namespace {

constexpr const char* wire_owner = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";

/// The local proxy served on its own thread, for a blocking raw client.
class threaded_proxy {
 public:
  explicit threaded_proxy(cocoon::local::proxy_options options = {}) : proxy_(io_.get_executor(), std::move(options)) {
    proxy_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~threaded_proxy() {
    asio::post(io_, [this] { proxy_.stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }
  threaded_proxy(const threaded_proxy&) = delete;
  threaded_proxy& operator=(const threaded_proxy&) = delete;
  [[nodiscard]] const cocoon::local::proxy& get() const { return proxy_; }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  cocoon::local::proxy proxy_;
  std::thread thread_;
};

/// A client that speaks the protocol frame by frame: proof of work, TLS with a self-signed
/// certificate, then whatever TL messages a test sends.
class wire_client {
 public:
  explicit wire_client(std::uint16_t port,
                       std::chrono::system_clock::time_point certificate_time = std::chrono::system_clock::now())
      : tls_(client_context(certificate_time)) {
    auto& socket = stream_.next_layer();
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    std::array<std::byte, cocoon::net::pow_challenge::size> challenge_bytes{};
    asio::read(socket, asio::buffer(challenge_bytes));
    const auto challenge = cocoon::net::pow_challenge::parse(challenge_bytes);
    const auto response = cocoon::net::pow_challenge::response(*challenge.solve());
    asio::write(socket, asio::buffer(response));
    stream_.handshake(asio::ssl::stream_base::client, handshake_error);
  }

  template <class T>
  void send(const T& message) {
    const auto frame = encoder_.encode(proto::serialize(proto::tcp_message{message}));
    asio::write(stream_, asio::buffer(frame));
  }
  void query(std::int64_t id, const proto::client_call& call) { send(proto::tcp_query{id, proto::serialize(call)}); }

  /// The next message, or nothing once the proxy has closed the connection.
  std::optional<proto::tcp_message> receive() {
    while (pending_.empty()) {
      std::array<std::byte, 16384> buffer{};
      cocoon::error_code ec;
      const std::size_t n = stream_.read_some(asio::buffer(buffer), ec);
      if (ec) return std::nullopt;
      for (auto& payload : decoder_.feed(cocoon::byte_view(buffer).first(n))) pending_.push_back(std::move(payload));
    }
    auto message = proto::parse<proto::tcp_message>(pending_.front());
    pending_.pop_front();
    return message;
  }
  /// The next message, which must be a `T`.
  template <class T>
  T expect() {
    auto message = receive();
    REQUIRE(message);
    REQUIRE(std::holds_alternative<T>(*message));
    return std::get<T>(*message);
  }
  template <class T>
  T expect_packet() {
    const auto packet = proto::parse<proto::proxy_packet>(expect<proto::tcp_packet>().data);
    REQUIRE(std::holds_alternative<T>(packet));
    return std::get<T>(packet);
  }

  /// `tcp.connect`, then `client.connectToProxy` with `call` as query 1.
  proto::tcp_message connect_with(const proto::connect_to_proxy& call) {
    send(proto::tcp_connect{7});
    CHECK(expect<proto::tcp_connected>().connection_id == 7);
    query(1, call);
    auto answer = receive();
    REQUIRE(answer);
    return *answer;
  }
  proto::connected_to_proxy connect(const proto::connect_to_proxy& call) {
    const auto answer = connect_with(call);
    REQUIRE(std::holds_alternative<proto::tcp_query_answer>(answer));
    return proto::parse<proto::connected_to_proxy>(std::get<proto::tcp_query_answer>(answer).data);
  }
  /// Connected and authorised with the local secret.
  proto::connected_to_proxy authorize(const proto::connect_to_proxy& call) {
    auto connected = connect(call);
    query(2, proto::authorize_with_proxy_short{cocoon::to_bytes("local-client-secret")});
    const auto answer = expect<proto::tcp_query_answer>();
    CHECK(std::holds_alternative<proto::authorization_success>(
        proto::parse<std::variant<proto::authorization_success, proto::authorization_failed>>(answer.data)));
    return connected;
  }

  cocoon::error_code handshake_error;

 private:
  // Configured before the stream exists: an SSL object takes its certificate from the context then.
  static asio::ssl::context client_context(std::chrono::system_clock::time_point certificate_time) {
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_verify_mode(asio::ssl::verify_none);  // these tests judge the proxy's answers, not its quote
    cocoon::net::apply_cocoon_tls_settings(
        tls, cocoon::net::make_ed25519_certificate(cocoon::ed25519_secret_key::generate(), {}, certificate_time));
    return tls;
  }

  asio::io_context io_;
  asio::ssl::context tls_;
  asio::ssl::stream<asio::ip::tcp::socket> stream_{io_, tls_};
  cocoon::net::frame_encoder encoder_;
  cocoon::net::frame_decoder decoder_;
  std::deque<cocoon::bytes> pending_;
};

proto::connect_to_proxy wire_connect(std::optional<std::pair<std::int32_t, std::int32_t>> versions = std::pair{1, 2},
                                     std::optional<bool> is_test = true) {
  proto::connect_to_proxy call;
  call.params.client_owner_address = wire_owner;
  call.params.is_test = is_test;
  call.params.proto_versions = versions;
  return call;
}

proto::run_query_ex wire_query(bool stream, std::string model = "cocoon/reference-byte-lm") {
  const nlohmann::json body{{"model", model},
                            {"messages", {{{"role", "user"}, {"content", "What is TON?"}}}},
                            {"max_tokens", 16},
                            {"stream", stream}};
  proto::http_request request{"POST",
                              "/v1/chat/completions",
                              "HTTP/1.1",
                              {{"Content-Type", "application/json"}},
                              cocoon::to_bytes(body.dump())};
  proto::run_query_ex run;
  run.model_name = std::move(model);
  run.query = proto::serialize(request);
  run.max_coefficient = 4000;
  run.max_tokens = 16;
  run.timeout = 60;
  run.request_id = cocoon::sha256(cocoon::as_bytes(std::string_view("wire query")));
  return run;
}

/// The value of header `name`, if the response has it.
std::optional<std::string> wire_header(const proto::http_response& response, std::string_view name) {
  for (const auto& h : response.headers) {
    if (boost::beast::iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

/// A Unix time as the real proxy and worker write it: seconds with exactly 6 decimals.
bool is_unix_time_with_micros(const std::optional<std::string>& text) {
  if (!text || text->size() < 8 || (*text)[text->size() - 7] != '.') return false;
  const double seconds = std::stod(*text);
  return seconds > 1.6e9 && std::all_of(text->begin(), text->end(), [](char c) { return c == '.' || std::isdigit(c); });
}

/// The proxy refused a handshake query as a real one does: `tcp.queryError`, then the close.
void check_refused_query(wire_client& client, const proto::tcp_message& answer, std::int32_t code,
                         std::string_view message) {
  REQUIRE(std::holds_alternative<proto::tcp_query_error>(answer));
  CHECK(std::get<proto::tcp_query_error>(answer).code == code);
  CHECK(std::get<proto::tcp_query_error>(answer).message == message);
  CHECK_FALSE(client.receive());
}

}  // namespace

TEST_CASE("the first answer carries Transfer-Encoding and the worker's and proxy's timing headers",
          "[local][proxy][wire]") {
  threaded_proxy proxy;
  for (const bool stream : {false, true}) {
    wire_client client(proxy.get().port());
    client.authorize(wire_connect());
    client.send(proto::tcp_packet{proto::serialize(proto::client_call{wire_query(stream)})});
    const auto first = client.expect_packet<proto::query_answer_ex>();
    const auto head = proto::parse<proto::http_response>(first.answer);
    CHECK(head.status_code == 200);
    CHECK(head.payload.empty());  // the body follows in parts
    CHECK(wire_header(head, "Transfer-Encoding") == "chunked");
    CHECK_FALSE(wire_header(head, "Content-Length"));
    for (const char* name :
         {"X-Cocoon-Worker-Start", "X-Cocoon-Worker-End", "X-Cocoon-Proxy-Start", "X-Cocoon-Proxy-End"}) {
      INFO(name);
      CHECK(is_unix_time_with_micros(wire_header(head, name)));
    }
    // The proxy's headers come last, after the worker's.
    REQUIRE(head.headers.size() >= 4);
    CHECK(head.headers[head.headers.size() - 2].name == "X-Cocoon-Proxy-Start");
    CHECK(head.headers.back().name == "X-Cocoon-Proxy-End");
  }
}

TEST_CASE("the proxy's and worker's times come from the proxy's clock", "[local][proxy][wire]") {
  const std::chrono::system_clock::time_point fixed(1700000000250ms);
  threaded_proxy proxy({.clock = [fixed] { return fixed; }});
  wire_client client(proxy.get().port());
  client.authorize(wire_connect());
  client.send(proto::tcp_packet{proto::serialize(proto::client_call{wire_query(false)})});
  const auto head = proto::parse<proto::http_response>(client.expect_packet<proto::query_answer_ex>().answer);
  CHECK(wire_header(head, "X-Cocoon-Worker-Start") == "1700000000.250000");
  CHECK(wire_header(head, "X-Cocoon-Proxy-End") == "1700000000.250000");
  const auto info = client.expect_packet<proto::query_answer_part_ex>().final_info;
  REQUIRE(info);
  CHECK(info->times == proto::query_final_info::timings{1700000000.25, 1700000000.25, 1700000000.25, 1700000000.25});
}

TEST_CASE("the proxy picks the highest common protocol version and refuses when there is none",
          "[local][proxy][wire]") {
  threaded_proxy proxy;
  SECTION("a client offering 0..1 gets 1") {
    wire_client client(proxy.get().port());
    const auto connected = client.connect(wire_connect(std::pair{0, 1}));
    CHECK(connected.params.proto_version == 1);
  }
  SECTION("a client offering 1..5 gets 2") {
    wire_client client(proxy.get().port());
    CHECK(client.connect(wire_connect(std::pair{1, 5})).params.proto_version == 2);
  }
  SECTION("a client offering only 3 and up is refused") {
    wire_client client(proxy.get().port());
    check_refused_query(client, client.connect_with(wire_connect(std::pair{3, 4})), 621,
                        "cannot choose common protocol version");
  }
  SECTION("a client without versions is protocol 0: proxy.params without a version, protocol-0 answers") {
    wire_client client(proxy.get().port());
    const auto connected = client.authorize(wire_connect(std::nullopt));
    CHECK(connected.params.flags == 1);
    CHECK_FALSE(connected.params.proto_version);
    CHECK(connected.params.is_test == true);
    client.send(proto::tcp_packet{proto::serialize(proto::client_call{wire_query(false)})});
    const auto first = client.expect_packet<proto::query_answer>();
    CHECK_FALSE(first.is_completed);
    CHECK(wire_header(proto::parse<proto::http_response>(first.answer), "Transfer-Encoding") == "chunked");
    auto part = client.expect_packet<proto::query_answer_part>();
    CHECK(part.is_completed);
    CHECK(part.tokens.total > 0);
    CHECK(part.request_id == wire_query(false).request_id);
    // A worker's refusal in the protocol-0 form.
    client.send(proto::tcp_packet{proto::serialize(proto::client_call{wire_query(false, "some/other-model")})});
    CHECK(client.expect_packet<proto::client_request_payment>().request_id == wire_query(false).request_id);
    CHECK(client.expect_packet<proto::query_answer_error>().request_id == wire_query(false).request_id);
  }
}

TEST_CASE("the proxy refuses a client whose test mode differs, and can run as a production proxy",
          "[local][proxy][wire]") {
  SECTION("a production client at a test proxy") {
    threaded_proxy proxy;
    wire_client client(proxy.get().port());
    check_refused_query(client, client.connect_with(wire_connect(std::pair{1, 2}, false)), 602, "test mode mismatch");
  }
  SECTION("a test client at a production proxy") {
    threaded_proxy proxy({.is_test = false});
    wire_client client(proxy.get().port());
    check_refused_query(client, client.connect_with(wire_connect(std::pair{1, 2}, true)), 602, "test mode mismatch");
  }
  SECTION("a production client at a production proxy") {
    threaded_proxy proxy({.is_test = false});
    wire_client client(proxy.get().port());
    CHECK(client.connect(wire_connect(std::pair{1, 2}, false)).params.is_test == false);
  }
}

TEST_CASE("the proxy refuses an old client, an unparsable owner and a config version it lacks",
          "[local][proxy][wire]") {
  threaded_proxy proxy;
  wire_client client(proxy.get().port());
  SECTION("no is_test: a client too old") {
    check_refused_query(client, client.connect_with(wire_connect(std::pair{1, 2}, std::nullopt)), 602,
                        "tool old client");
  }
  SECTION("an owner that is no TON address") {
    auto call = wire_connect();
    call.params.client_owner_address = "not an address";
    const auto answer = client.connect_with(call);
    REQUIRE(std::holds_alternative<proto::tcp_query_error>(answer));
    CHECK_FALSE(client.receive());
  }
  SECTION("a config version above the proxy's") {
    auto call = wire_connect();
    call.min_config_version = 1;
    check_refused_query(client, client.connect_with(call), 602, "active config version is too low");
  }
  SECTION("a config version the proxy has") {
    auto call = wire_connect();
    call.min_config_version = 0;
    CHECK(client.connect(call).params.proto_version == 2);
  }
}

TEST_CASE("a wrong secret is a query error and the connection closes", "[local][proxy][wire]") {
  threaded_proxy proxy;
  wire_client client(proxy.get().port());
  client.connect(wire_connect());
  client.query(2, proto::authorize_with_proxy_short{cocoon::to_bytes("another secret")});
  check_refused_query(client, *client.receive(), 0, "sha256 mismatch");
}

TEST_CASE("final_info carries the proxy's and worker's times for protocol 2, not for 1", "[local][proxy][wire]") {
  threaded_proxy proxy;
  for (const std::int32_t version : {1, 2}) {
    INFO("protocol " << version);
    wire_client client(proxy.get().port());
    client.authorize(wire_connect(std::pair{1, version}));
    client.send(proto::tcp_packet{proto::serialize(proto::client_call{wire_query(true)})});
    (void)client.expect_packet<proto::query_answer_ex>();
    std::optional<proto::query_final_info> info;
    while (!info) info = client.expect_packet<proto::query_answer_part_ex>().final_info;
    CHECK(info->tokens.total > 0);
    if (version == 1) {
      CHECK(info->flags == 0);
      CHECK_FALSE(info->times);
      continue;
    }
    CHECK(info->flags == 2);
    REQUIRE(info->times);
    CHECK(info->times->proxy_start > 1.6e9);
    CHECK(info->times->worker_start >= info->times->proxy_start);
    CHECK(info->times->worker_end >= info->times->worker_start);
    CHECK(info->times->proxy_end >= info->times->worker_end);
    // A worker's refusal carries its final_info too.
    auto refused = wire_query(false);
    refused.query = proto::serialize(proto::http_request{"POST", "/v1/chat/completions", "HTTP/1.1", {}, {}});
    (void)client.expect_packet<proto::client_request_payment>();
    client.send(proto::tcp_packet{proto::serialize(proto::client_call{refused})});
    const auto error = client.expect_packet<proto::query_answer_error_ex>();
    REQUIRE(error.final_info);
    CHECK(error.final_info->times);
  }
}

TEST_CASE("connectedToProxy names its addresses in the real proxy's forms", "[local][proxy][wire]") {
  threaded_proxy proxy;
  wire_client client(proxy.get().port());
  const auto connected = client.connect(wire_connect());
  const auto owner = cocoon::ton::parse_address(connected.params.proxy_owner_address);
  const auto proxy_contract = cocoon::ton::parse_address(connected.params.proxy_sc_address);
  const auto client_contract = cocoon::ton::parse_address(connected.client_sc_address);
  for (const auto* parsed : {&owner, &proxy_contract, &client_contract}) {
    CHECK(parsed->friendly);
    CHECK(parsed->flags.url_safe);
    CHECK(parsed->flags.testnet);
  }
  CHECK_FALSE(owner.flags.bounceable);
  CHECK(owner.address == proxy.get().wallet());
  const auto expected =
      cocoon::ton::cocoon_contracts(proxy.get().root(), proxy.get().wallet(), proxy.get().payment_public_key(),
                                    cocoon::ton::parse_address(wire_owner).address);
  CHECK(proxy_contract.address == expected.proxy);
  CHECK(client_contract.address == expected.client);
}

TEST_CASE("a client presenting an expired certificate is refused before any frame", "[local][proxy][wire]") {
  threaded_proxy proxy;
  {
    wire_client client(proxy.get().port(), std::chrono::system_clock::now() - 48h);
    // Under TLS 1.3 the client may finish its side first; the proxy's alert then ends the connection.
    if (!client.handshake_error) {
      try {
        client.send(proto::tcp_connect{7});
      } catch (const boost::system::system_error&) {
      }
      CHECK_FALSE(client.receive());
    }
  }
  CHECK(proxy.get().counters().connections == 1);
  CHECK(proxy.get().counters().handshakes_completed == 0);
  CHECK(proxy.get().counters().frames_received == 0);
}
