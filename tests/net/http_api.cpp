#include <cocoon/net/http_api.hpp>

#include <catch2/catch.hpp>

#include <cocoon/job/job_builder.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <thread>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

/// A one-connection HTTP server on a loopback port, run on its own thread: it reads one request,
/// hands it to `respond`, which writes raw bytes (so tests control framing and timing).
class test_server {
 public:
  using responder = std::function<void(const http::request<http::string_body>&, tcp::socket&)>;

  explicit test_server(responder respond) : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this, respond = std::move(respond)] {
      boost::system::error_code ec;
      tcp::socket socket = acceptor_.accept(ec);
      if (ec) return;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (!ec) {
        received_ = request;
        respond(request, socket);
      }
      socket.shutdown(tcp::socket::shutdown_both, ec);
    });
  }
  ~test_server() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  [[nodiscard]] const http::request<http::string_body>& received() const { return received_; }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  http::request<http::string_body> received_;
  std::thread thread_;
};

void write_all(tcp::socket& socket, const std::string& text) { asio::write(socket, asio::buffer(text)); }

std::string chunk(const std::string& data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx", data.size());
  return std::string(size) + "\r\n" + data + "\r\n";
}

const char* const completion_body =
    R"({"choices":[{"finish_reason":"stop","message":{"content":"TON is fast.","role":"assistant"}}],)"
    R"("model":"Qwen/Qwen3-8B","usage":{"completion_tokens":4,"prompt_tokens":9,"total_cost":1300,"total_tokens":13}})";

void reply_json(tcp::socket& socket, int status, const std::string& body) {
  write_all(socket, "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body);
}

cocoon::job question(bool stream = false) {
  auto builder = cocoon::job_builder().model("Qwen/Qwen3-8B").user("What is TON?").max_tokens(32).max_coefficient(1500);
  if (stream) builder = builder.stream();
  return builder.build();
}

}  // namespace

TEST_CASE("endpoints parse from http URLs only", "[net][http_api]") {
  const auto local = cocoon::net::http_endpoint::parse("http://127.0.0.1:10000");
  CHECK(local.host == "127.0.0.1");
  CHECK(local.port == "10000");
  CHECK(local.path_prefix.empty());
  const auto prefixed = cocoon::net::http_endpoint::parse("http://[::1]:8080/api/");
  CHECK(prefixed.host == "::1");
  CHECK(prefixed.port == "8080");
  CHECK(prefixed.path_prefix == "/api");
  CHECK(cocoon::net::http_endpoint::parse("http://runner").port == "80");
  for (const auto* bad : {"https://x:1", "ftp://x", "http://", "http://x:", "http://x:123456", "http://u@x:1", "x:1"}) {
    INFO(bad);
    CHECK_THROWS_AS(cocoon::net::http_endpoint::parse(bad), cocoon::error);
  }
}

TEST_CASE("a whole answer comes back through a callback", "[net][http_api]") {
  test_server server([](const auto&, tcp::socket& socket) { reply_json(socket, 200, completion_body); });
  asio::io_context io;
  cocoon::net::http_api_client client(io.get_executor(), cocoon::net::http_endpoint::parse(server.url()));
  std::vector<std::string> tokens;
  cocoon::error_code result = cocoon::errc::crypto_failure;
  cocoon::openai::answer answer;
  client.async_complete(
      question(), [&](std::string_view t) { tokens.emplace_back(t); },
      [&](cocoon::error_code ec, cocoon::openai::answer a) {
        result = ec;
        answer = std::move(a);
      });
  io.run();
  CHECK_FALSE(result);
  CHECK(answer.text == "TON is fast.");
  REQUIRE(answer.usage);
  CHECK(answer.usage->total_cost == cocoon::nanotons{1300U});
  CHECK(tokens == std::vector<std::string>{"TON is fast."});

  const auto& request = server.received();
  CHECK(request.method() == http::verb::post);
  CHECK(request.target() == "/v1/chat/completions");
  const auto body = nlohmann::json::parse(request.body());
  CHECK(body["model"] == "Qwen/Qwen3-8B");
  CHECK(body["max_coefficient"] == 1500);
  CHECK(body["messages"][0]["content"] == "What is TON?");
}

TEST_CASE("a host name goes through the resolver, with its own name in the Host field", "[net][http_api]") {
  test_server server([](const auto&, tcp::socket& socket) { reply_json(socket, 200, completion_body); });
  const auto port = server.url().substr(server.url().rfind(':') + 1);
  asio::io_context io;
  cocoon::net::http_api_client client(io.get_executor(),
                                      cocoon::net::http_endpoint::parse("http://localhost:" + port + "/prefix"));
  cocoon::error_code result = cocoon::errc::crypto_failure;
  std::string text;
  client.async_complete(question(), {}, [&](cocoon::error_code ec, cocoon::openai::answer a) {
    result = ec;
    text = a.text;
  });
  io.run();
  CHECK_FALSE(result);
  CHECK(text == "TON is fast.");
  CHECK(server.received()[http::field::host] == "localhost");
  CHECK(server.received().target() == "/prefix/v1/chat/completions");
}

TEST_CASE("a streamed answer arrives token by token through a future", "[net][http_api]") {
  test_server server([](const auto& request, tcp::socket& socket) {
    CHECK(nlohmann::json::parse(request.body())["stream"] == true);
    write_all(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (const std::string event :
         {"data: {\"choices\":[{\"delta\":{\"content\":\"TON \"}}]}\n\n",
          "data: {\"choices\":[{\"delta\":{\"content\":\"is \"}}]}\n\ndata: {\"choices\":[{\"delta\":",
          "{\"content\":\"fast.\"},\"finish_reason\":\"stop\"}]}\n\n",
          "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_cost\":77}}\n\n"
          "data: [DONE]\n\n"}) {
      write_all(socket, chunk(event));
      std::this_thread::sleep_for(10ms);
    }
    write_all(socket, "0\r\n\r\n");
  });
  asio::io_context io;
  cocoon::net::http_api_client client(io.get_executor(), cocoon::net::http_endpoint::parse(server.url()));
  std::vector<std::string> tokens;
  auto future = client.async_complete(
      question(true), [&](std::string_view t) { tokens.emplace_back(t); }, asio::use_future);
  io.run();
  const auto answer = future.get();
  CHECK(tokens == std::vector<std::string>{"TON ", "is ", "fast."});
  CHECK(answer.text == "TON is fast.");
  CHECK(answer.finish_reason == "stop");
  REQUIRE(answer.usage);
  CHECK(answer.usage->total_cost == cocoon::nanotons{77U});
}

TEST_CASE("the runner's error replies fail the completion with their message", "[net][http_api]") {
  test_server server([](const auto&, tcp::socket& socket) {
    reply_json(socket, 504, R"({"error_code":652,"error":"Internal data: timeout"})");
  });
  asio::io_context io;
  cocoon::net::http_api_client client(io.get_executor(), cocoon::net::http_endpoint::parse(server.url()));
  cocoon::error_code result;
  cocoon::openai::answer answer;
  client.async_complete(question(), {}, [&](cocoon::error_code ec, cocoon::openai::answer a) {
    result = ec;
    answer = std::move(a);
  });
  io.run();
  CHECK(result == cocoon::errc::answer_error);
  CHECK(answer.error == "HTTP 504: error 652: Internal data: timeout");

  // Through use_future the failure is an exception carrying the code.
  test_server again([](const auto&, tcp::socket& socket) { reply_json(socket, 502, R"({"error":"not ready"})"); });
  asio::io_context io2;
  cocoon::net::http_api_client client2(io2.get_executor(), cocoon::net::http_endpoint::parse(again.url()));
  auto future = client2.async_complete(question(), {}, asio::use_future);
  io2.run();
  try {
    (void)future.get();
    FAIL("no exception");
  } catch (const boost::system::system_error& failure) {
    CHECK(failure.code() == cocoon::errc::answer_error);
  }
}

TEST_CASE("a silent server times out, and a cancelled completion aborts", "[net][http_api]") {
  std::promise<void> release;
  auto released = release.get_future().share();
  test_server server([released](const auto&, tcp::socket&) { released.wait_for(5s); });
  asio::io_context io;
  cocoon::net::http_api_client client(io.get_executor(), cocoon::net::http_endpoint::parse(server.url()),
                                      {.timeout = 200ms});
  cocoon::error_code timeout_result;
  client.async_complete(question(), {}, [&](cocoon::error_code ec, cocoon::openai::answer) { timeout_result = ec; });
  io.run();
  CHECK(timeout_result == cocoon::errc::timed_out);
  release.set_value();

  std::promise<void> release2;
  auto released2 = release2.get_future().share();
  test_server silent([released2](const auto&, tcp::socket&) { released2.wait_for(5s); });
  asio::io_context io2;
  cocoon::net::http_api_client client2(io2.get_executor(), cocoon::net::http_endpoint::parse(silent.url()));
  asio::cancellation_signal cancel;
  cocoon::error_code cancel_result;
  client2.async_complete(
      question(), {}, asio::bind_cancellation_slot(cancel.slot(), [&](cocoon::error_code ec, cocoon::openai::answer) {
        cancel_result = ec;
      }));
  asio::steady_timer timer(io2, 100ms);
  timer.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
  io2.run();
  CHECK(cancel_result == asio::error::operation_aborted);
  release2.set_value();
}

TEST_CASE("a coroutine awaits the answer; refused jobs fail before connecting", "[net][http_api]") {
  test_server server([](const auto&, tcp::socket& socket) { reply_json(socket, 200, completion_body); });
  asio::io_context io;
  cocoon::net::http_api_client client(io.get_executor(), cocoon::net::http_endpoint::parse(server.url()));
  std::string text;
  bool refused = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto answer = co_await client.async_complete(question(), {}, asio::use_awaitable);
        text = answer.text;
        const auto seeded = cocoon::job_builder().model("m").user("x").seed(1).build();
        try {
          (void)co_await client.async_complete(seeded, {}, asio::use_awaitable);
        } catch (const boost::system::system_error& failure) {
          refused = failure.code() == cocoon::errc::job_unsupported;
        }
      },
      asio::detached);
  io.run();
  CHECK(text == "TON is fast.");
  CHECK(refused);
}

TEST_CASE("a runner's model list parses, in both its shapes, and anything else is refused", "[net][http][models]") {
  // As ClientRunner writes it: "object" twice, "workers" only at protocol 1 and 2.
  const auto listed = cocoon::net::parse_models_json(
      R"({"object":"list","data":[{"id":"a","object":"model","created":0,"owned_by":"?","workers":[)"
      R"({"coefficient":1000,"running_requests":2,"max_running_requests":8}]},{"id":"b","object":"model"}],)"
      R"("object":"list"})");
  const std::vector<cocoon::net::model_info> expected{{"a", {{1000, 2, 8}}, std::nullopt}, {"b", {}, std::nullopt}};
  CHECK(listed == expected);
  for (const char* body :
       {"", "[]", R"({"object":"list"})", R"({"data":{}})", R"({"data":[{"object":"model"}]})", R"({"data":[7]})",
        R"({"data":[{"id":"a","workers":{}}]})", R"({"data":[{"id":"a","workers":[{"coefficient":1000}]}]})",
        R"({"data":[{"id":"a","workers":[{"coefficient":1.5,"running_requests":0,"max_running_requests":1}]}]})",
        R"({"data":[{"id":"a","workers":[{"coefficient":2147483648,"running_requests":0,"max_running_requests":1}]}]})",
        R"({"data":[{"id":"a","workers":[{"coefficient":18446744073709551615,"running_requests":0,)"
        R"("max_running_requests":1}]}]})"}) {
    INFO(body);
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::net::parse_models_json(body, ec));
    CHECK(ec == cocoon::errc::answer_malformed);
  }
  CHECK_THROWS_AS(cocoon::net::parse_models_json("{}"), cocoon::error);
}
