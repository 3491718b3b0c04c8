#include <cocoon/net/detail/answer_pipeline.hpp>

#include <catch2/catch.hpp>

#include <cocoon/attest/attested_key.hpp>
#include <cocoon/crypto/x25519.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job_builder.hpp>

#include <boost/asio/io_context.hpp>

#include <optional>
#include <string>
#include <vector>

// The rules every transport's answers go through, without I/O: the HTTP and proxy transports
// only move bytes into it (their own tests, and tests/client's "cut" cases, run the same answers
// over the wire).

namespace {

using pipeline = cocoon::net::detail::answer_pipeline;

std::string event(const std::string& json) { return "data: " + json + "\n\n"; }

const std::string part_events = event(R"({"choices":[{"index":0,"delta":{"content":"TON "}}]})") +
                                event(R"({"choices":[{"index":0,"delta":{"content":"is fast."}}]})");
const std::string usage_event = event(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],)"
                                      R"("usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})");
const std::string done = "data: [DONE]\n\n";

/// A stream's answer as cut at the given point.
struct cut_case {
  const char* name;
  std::string body;
};
const std::vector<cut_case> cut_cases{
    {"cut before [DONE]", part_events + usage_event},
    {"cut mid-event", part_events + usage_event.substr(0, usage_event.size() / 2)},
    {"cut before the final usage", part_events},
};

/// A worker holding the key a job is sealed to; the test stands in for the attestation verifier.
struct sealing_worker {
  cocoon::crypto::x25519_key_pair keys =
      cocoon::crypto::derive_key_pair(cocoon::bytes(32, static_cast<std::byte>('p')));
  cocoon::attest::attested_key attested =
      cocoon::attest::detail::attested_key_access::make(keys.public_key, cocoon::hash256{});
  cocoon::envelope::envelope_recipient recipient{cocoon::x25519_secret_key::from_bytes(keys.secret_key.reveal())};
  cocoon::envelope::replay_guard guard;
};

/// Runs `body` through a pipeline, sealed or plain, in pieces of `step` bytes.
struct run_result {
  cocoon::error_code ec;
  cocoon::openai::answer answer;
  std::string tokens;
};
run_result run(const std::string& body, bool sealed, std::size_t step, const std::string& type = "text/event-stream",
               unsigned status = 200) {
  run_result r;
  std::optional<cocoon::envelope::response_opener> opener;
  cocoon::bytes wire = cocoon::to_bytes(body);
  std::string content_type = type;
  if (sealed) {
    sealing_worker worker;
    const auto job = cocoon::job_builder().model("m").user("What is TON?").build();
    const auto sealed_job = cocoon::seal(job, worker.attested, {});
    auto opened = worker.recipient.open(sealed_job.bytes_to_send(), cocoon::envelope::clock::now(), worker.guard);
    wire = opened.response_header();
    const auto frame = opened.seal_response(cocoon::as_bytes(body), true);
    wire.insert(wire.end(), frame.begin(), frame.end());
    opener.emplace(sealed_job.open_response());
    content_type = std::string(cocoon::net::sealed_answer_content_type);
  }
  pipeline p([&](std::string_view text) { r.tokens += text; }, std::move(opener));
  if ((r.ec = p.on_head(status, content_type, type))) return r;
  for (std::size_t at = 0; at < wire.size(); at += step) {
    if ((r.ec = p.on_body(cocoon::byte_view(wire).subspan(at, std::min(step, wire.size() - at))))) return r;
    REQUIRE(p.hand_on(nullptr));
  }
  std::tie(r.ec, r.answer) = p.finish();
  return r;
}

}  // namespace

TEST_CASE("the answer pipeline: a whole stream succeeds, one cut anywhere fails, sealed or plain",
          "[net][answer_pipeline]") {
  for (const bool sealed : {false, true}) {
    for (const std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
      INFO((sealed ? "sealed" : "plain") << ", read " << step << " bytes at a time");
      const auto whole = run(part_events + usage_event + done, sealed, step);
      CHECK(whole.ec == cocoon::error_code{});
      CHECK(whole.answer.text == "TON is fast.");
      CHECK(whole.tokens == "TON is fast.");
      REQUIRE(whole.answer.usage);
      CHECK(whole.answer.usage->total_tokens == 7);
      for (const auto& cut : cut_cases) {
        INFO(cut.name);
        const auto r = run(cut.body, sealed, step);
        CHECK(r.ec == cocoon::errc::answer_malformed);
        CHECK(r.tokens == "TON is fast.");  // what arrived went on
        CHECK(r.answer.text == "TON is fast.");
      }
    }
  }
}

TEST_CASE("the answer pipeline: a sealed answer cut inside its seal, or sent in clear, fails",
          "[net][answer_pipeline]") {
  sealing_worker worker;
  const auto job = cocoon::job_builder().model("m").user("What is TON?").build();
  const auto sealed_job = cocoon::seal(job, worker.attested, {});
  auto opened = worker.recipient.open(sealed_job.bytes_to_send(), cocoon::envelope::clock::now(), worker.guard);
  auto wire = opened.response_header();
  const auto frame = opened.seal_response(cocoon::as_bytes(part_events + usage_event + done), true);
  wire.insert(wire.end(), frame.begin(), frame.end());

  pipeline clear({}, sealed_job.open_response());
  CHECK(clear.on_head(200, "text/event-stream", {}) == cocoon::errc::envelope_malformed);

  pipeline cut({}, sealed_job.open_response());
  REQUIRE_FALSE(cut.on_head(200, cocoon::net::sealed_answer_content_type, "text/event-stream"));
  REQUIRE_FALSE(cut.on_body(cocoon::byte_view(wire).first(wire.size() - 1)));
  CHECK(cut.finish().first);

  pipeline whole({}, sealed_job.open_response());
  REQUIRE_FALSE(whole.on_head(200, cocoon::net::sealed_answer_content_type, "text/event-stream"));
  REQUIRE_FALSE(whole.on_body(wire));
  CHECK(whole.finish().first == cocoon::error_code{});
}

TEST_CASE("the answer pipeline: whole bodies, error statuses and the body limit", "[net][answer_pipeline]") {
  const std::string completion =
      R"({"choices":[{"index":0,"finish_reason":"stop","message":{"content":"TON is fast."}}],"model":"m"})";
  for (const bool sealed : {false, true}) {
    INFO((sealed ? "sealed" : "plain"));
    const auto whole = run(completion, sealed, 5, "application/json");
    CHECK(whole.ec == cocoon::error_code{});
    CHECK(whole.answer.text == "TON is fast.");
    CHECK(whole.tokens == "TON is fast.");  // a whole answer's text goes on once, at the end
    CHECK(run(completion.substr(0, 20), sealed, 5, "application/json").ec == cocoon::errc::answer_malformed);
  }
  // An error status carries the service's message, whichever form it takes.
  const auto refused = run(R"({"error_code":652,"error":"Internal data: timeout"})", false, 9, "application/json", 504);
  CHECK(refused.ec == cocoon::errc::answer_error);
  CHECK(refused.answer.error == "HTTP 504: error 652: Internal data: timeout");
  const auto bare = run("upstream down", false, 9, "text/plain", 502);
  CHECK(bare.ec == cocoon::errc::answer_error);
  CHECK(bare.answer.error == "HTTP 502");
  // An event stream under an error status is an error body, not text for the caller.
  const auto streamed_error = run(part_events, false, 9, "text/event-stream", 500);
  CHECK(streamed_error.ec == cocoon::errc::answer_error);
  CHECK(streamed_error.tokens.empty());

  pipeline limited({}, std::nullopt, 10);
  REQUIRE_FALSE(limited.on_head(200, "application/json", {}));
  CHECK_FALSE(limited.on_body(std::string_view("0123456789")));
  CHECK(limited.on_body(std::string_view("!")) == cocoon::errc::answer_malformed);
}

TEST_CASE("the answer pipeline holds text back while the gate is paused, and loses none", "[net][answer_pipeline]") {
  boost::asio::io_context io;
  cocoon::net::read_gate gate(io.get_executor());
  std::vector<std::string> seen;
  pipeline p([&](std::string_view text) { seen.emplace_back(text); });
  REQUIRE_FALSE(p.on_head(200, "text/event-stream", {}));
  gate.pause();
  REQUIRE_FALSE(p.on_body(part_events));
  CHECK_FALSE(p.hand_on(&gate));
  CHECK(seen.empty());
  gate.resume();
  CHECK(p.hand_on(&gate));
  CHECK(seen == std::vector<std::string>{"TON ", "is fast."});
  REQUIRE_FALSE(p.on_body(usage_event + done));
  CHECK(p.hand_on(&gate));
  CHECK(p.finish().first == cocoon::error_code{});
  CHECK(seen.size() == 2);
}
