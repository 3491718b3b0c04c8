#include <cocoon/job/openai.hpp>

#include <catch2/catch.hpp>

#include <cocoon/job/job_builder.hpp>

#include <nlohmann/json.hpp>

using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("a job becomes the chat request COCOON's client runner and workers accept", "[job][openai]") {
  const auto job = cocoon::job_builder()
                       .model("Qwen/Qwen3-8B")
                       .system("Be terse.")
                       .user("What is TON?")
                       .max_tokens(64)
                       .temperature(0.5)
                       .stop("\n\n")
                       .stream()
                       .max_coefficient(2000)
                       .timeout(30s)
                       .client_request_id("req-1")
                       .build();
  const auto body = json::parse(cocoon::openai::chat_request_body(job));
  CHECK(body == json::parse(R"({
    "model": "Qwen/Qwen3-8B",
    "messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "What is TON?"}],
    "max_tokens": 64, "temperature": 0.5, "stop": ["\n\n"],
    "stream": true, "stream_options": {"include_usage": true},
    "max_coefficient": 2000, "timeout": 30.0, "request_guid": "req-1"})"));

  const auto direct = json::parse(cocoon::openai::chat_request_body(job, {.client_runner_fields = false}));
  CHECK_FALSE(direct.contains("max_coefficient"));
  CHECK_FALSE(direct.contains("timeout"));
}

TEST_CASE("images travel as data URLs; other attachments and seeds are refused for COCOON", "[job][openai]") {
  const auto with_image =
      cocoon::job_builder().model("m").user("Describe").attach({"image/png", cocoon::to_bytes("PNG"), "a.png"}).build();
  const auto body = json::parse(cocoon::openai::chat_request_body(with_image));
  CHECK(body["messages"][0]["content"] == json::parse(R"([{"type": "text", "text": "Describe"},
    {"type": "image_url", "image_url": {"url": "data:image/png;base64,UE5H"}}])"));

  cocoon::error_code ec;
  const auto pdf =
      cocoon::job_builder().model("m").user("Read").attach({"application/pdf", cocoon::to_bytes("%PDF"), ""}).build();
  CHECK_FALSE(cocoon::openai::chat_request_body(pdf, {}, ec));
  CHECK(ec == cocoon::errc::job_unsupported);

  const auto seeded = cocoon::job_builder().model("m").user("hi").seed(7).build();
  CHECK_FALSE(cocoon::openai::chat_request_body(seeded, {}, ec));
  CHECK(ec == cocoon::errc::job_unsupported);
  CHECK(json::parse(cocoon::openai::chat_request_body(seeded, {.allow_seed = true}))["seed"] == 7);
}

TEST_CASE("a whole answer parses with COCOON's token counts and nanoton costs", "[job][openai]") {
  // The shape a COCOON worker returns: keys re-ordered, costs added to usage (research 2.7).
  const auto answer = cocoon::openai::parse_completion(R"({"choices":[{"finish_reason":"stop","index":0,
    "message":{"content":"TON is a blockchain.","role":"assistant"}}],"id":"x","model":"Qwen/Qwen3-8B",
    "object":"chat.completion","usage":{"completion_tokens":5,"completion_total_cost":500,
    "completion_tokens_details":{"reasoning_tokens":2},"prompt_tokens":12,"prompt_tokens_details":{"cached_tokens":4},
    "prompt_total_cost":1200,"total_cost":1700,"total_tokens":17}})");
  CHECK(answer.text == "TON is a blockchain.");
  CHECK(answer.finish_reason == "stop");
  CHECK(answer.model == "Qwen/Qwen3-8B");
  REQUIRE(answer.usage);
  CHECK(answer.usage->prompt_tokens == 12);
  CHECK(answer.usage->completion_tokens == 5);
  CHECK(answer.usage->total_tokens == 17);
  CHECK(answer.usage->cached_tokens == 4);
  CHECK(answer.usage->reasoning_tokens == 2);
  CHECK(answer.usage->prompt_cost == cocoon::nanotons{1200U});
  CHECK(answer.usage->completion_cost == cocoon::nanotons{500U});
  CHECK(answer.usage->total_cost == cocoon::nanotons{1700U});
}

TEST_CASE("error bodies and malformed answers are reported, not accepted", "[job][openai]") {
  auto code_of = [](std::string_view body) {
    cocoon::error_code ec;
    (void)cocoon::openai::parse_completion(body, ec);
    return ec;
  };
  CHECK(code_of(R"({"error_code":652,"error":"Internal data: timeout"})") == cocoon::errc::answer_error);
  CHECK(code_of(R"({"error":{"message":"model not found"}})") == cocoon::errc::answer_error);
  CHECK(code_of("not json") == cocoon::errc::answer_malformed);
  CHECK(code_of(R"({"choices":[]})") == cocoon::errc::answer_malformed);
  CHECK(code_of(R"({"choices":[{"message":{}}]})") == cocoon::errc::answer_malformed);
  CHECK(code_of(R"({"choices":[{"message":{"content":"x"}}],"usage":{"total_cost":1.5}})") ==
        cocoon::errc::answer_malformed);
  CHECK(code_of(R"({"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":-1}})") ==
        cocoon::errc::answer_malformed);
  try {
    (void)cocoon::openai::parse_completion(R"({"error_code":651,"error":"Internal data: not ready"})");
    FAIL("parsed");
  } catch (const cocoon::error& failure) {
    CHECK(failure.where() == "error 651: Internal data: not ready");
    CHECK(failure.code() == cocoon::condition::service_error);
  }
}

TEST_CASE("streamed answers assemble from events cut anywhere", "[job][openai]") {
  const std::string stream =
      ": keep-alive\r\n\r\n"
      "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"},\"index\":0}],\"model\":\"m\"}\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"TON \"},\"index\":0}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"is fast.\"},\"finish_reason\":\"stop\",\"index\":0}]}\r\n\r\n"
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_cost\":90}}\n\n"
      "data: [DONE]\n\n";
  const auto piece = GENERATE(1U, 2U, 7U, 64U, 10000U);
  cocoon::openai::stream_assembler assembler;
  std::vector<std::string> deltas;
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    for (auto& delta : assembler.feed(std::string_view(stream).substr(at, piece))) deltas.push_back(std::move(delta));
  }
  CHECK(assembler.done());
  CHECK(deltas == std::vector<std::string>{"TON ", "is fast."});
  CHECK(assembler.result().text == "TON is fast.");
  CHECK(assembler.result().finish_reason == "stop");
  CHECK(assembler.result().model == "m");
  REQUIRE(assembler.result().usage);
  CHECK(assembler.result().usage->total_tokens == 5);
  CHECK(assembler.result().usage->total_cost == cocoon::nanotons{90U});
  CHECK(assembler.finish() == assembler.result());
}

TEST_CASE("a stream finishes only with its [DONE] line, cut anywhere before it", "[job][openai]") {
  const std::string whole = "data: {\"choices\":[{\"delta\":{\"content\":\"TON\"}}]}\n\ndata: [DONE]\n\n";
  // Every prefix short of the [DONE] line's newline is a stream cut short.
  for (std::size_t length = 0; length < whole.size(); ++length) {
    INFO(length);
    cocoon::openai::stream_assembler assembler;
    (void)assembler.feed(std::string_view(whole).substr(0, length));
    cocoon::error_code ec;
    const bool complete = length >= whole.size() - 1;
    CHECK(assembler.finish(ec).has_value() == complete);
    if (!complete) {
      CHECK(ec == cocoon::errc::answer_malformed);
      CHECK_THROWS_AS(assembler.finish(), cocoon::error);
    }
  }
}

TEST_CASE("a stream that errs, breaks its JSON or continues after [DONE] is refused", "[job][openai]") {
  auto code_of = [](std::string_view stream) {
    cocoon::openai::stream_assembler assembler;
    cocoon::error_code ec;
    (void)assembler.feed(stream, ec);
    return ec;
  };
  CHECK(code_of("data: {\"error\":{\"message\":\"overloaded\"}}\n") == cocoon::errc::answer_error);
  CHECK(code_of("data: {not json}\n") == cocoon::errc::answer_malformed);
  CHECK(code_of("data: [DONE]\ndata: {}\n") == cocoon::errc::answer_malformed);
  CHECK(code_of(std::string(5 << 20, 'x')) == cocoon::errc::answer_malformed);
  CHECK_FALSE(code_of("event: ping\nid: 3\n\n"));
}
