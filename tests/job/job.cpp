#include <cocoon/job/job.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace cocoon::literals;

namespace {
cocoon::job full_job() {
  return cocoon::job_builder()
      .model("Qwen/Qwen3-8B")
      .system("Be terse.")
      .user("Summarise \"this\"\n\tcontract: caf\xc3\xa9")
      .attach({"application/pdf", cocoon::to_bytes(std::string_view("%PDF\x00\xff", 6)), "contract.pdf"})
      .max_tokens(512)
      .temperature(0.7)
      .stop("END")
      .seed(-1)
      .price_cap(0.05_ton)
      .idempotency_key("k1")
      .build();
}
}  // namespace

TEST_CASE("a job serializes to its documented canonical JSON", "[job][job]") {
  const auto job = cocoon::job_builder().model("m").user("hi").build();
  CHECK(job.to_json() ==
        R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],)"
        R"("model":"m","stream":false,"version":1})");
  CHECK(
      full_job().to_json() ==
      R"({"cocoon":{"idempotency_key":"k1","max_coefficient":4000,"price_cap_nanotons":"50000000","timeout_ms":120000},)"
      R"("max_tokens":512,"messages":[{"role":"system","text":"Be terse."},{"attachments":[{"data":"JVBERgD/",)"
      R"("media_type":"application/pdf","name":"contract.pdf"}],"role":"user","text":"Summarise \"this\"\n\tcontract: )"
      "caf\xc3\xa9"
      R"("}],"model":"Qwen/Qwen3-8B","seed":-1,"stop":["END"],"stream":false,"temperature":0.7,"version":1})");
}

TEST_CASE("same job gives the same bytes and hash, and parses back to itself", "[job][job]") {
  const auto job = full_job();
  CHECK(full_job().to_json() == job.to_json());
  CHECK(full_job().hash() == job.hash());
  const auto parsed = cocoon::job::from_json(job.to_json());
  CHECK(parsed == job);
  CHECK(parsed.hash() == job.hash());
  const auto other = cocoon::job_builder().model("Qwen/Qwen3-8B").user("other").build();
  CHECK_FALSE(other.hash() == job.hash());
}

TEST_CASE("random jobs round-trip through canonical JSON", "[job][job]") {
  std::mt19937_64 random(Catch::rngSeed());
  for (int i = 0; i < 200; ++i) {
    cocoon::job_builder builder;
    builder.model("model-" + std::to_string(random() % 100));
    const auto messages = 1 + random() % 5;
    for (std::uint64_t m = 0; m < messages; ++m) {
      std::string text(random() % 40, ' ');
      for (auto& c : text) c = static_cast<char>(random() % 0x7f);  // ASCII, control characters included
      builder.message(static_cast<cocoon::role>(random() % 4), text.empty() ? "x" : text);
      if (random() % 3 == 0) {
        cocoon::bytes data(random() % 50);
        for (auto& b : data) b = static_cast<std::byte>(random());
        builder.attach({"image/png", data, random() % 2 ? "" : "a.png"});
      }
    }
    if (random() % 2) builder.max_tokens(static_cast<std::uint32_t>(1 + random() % 4096));
    if (random() % 2) builder.temperature(static_cast<double>(random() % 2001) / 1000.0);
    if (random() % 2) builder.seed(static_cast<std::int64_t>(random()));
    if (random() % 2) builder.price_cap(cocoon::nanotons{random()});
    const auto job = builder.build();
    const auto parsed = cocoon::job::from_json(job.to_json());
    CHECK(parsed == job);
    CHECK(parsed.to_json() == job.to_json());
  }
}

TEST_CASE("parsing refuses what is not a canonical job", "[job][job]") {
  const std::string canonical =
      R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"model":"m","stream":false,"version":1})";
  REQUIRE(cocoon::job::from_json(canonical).messages().size() == 1);
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "not JSON"},
      {"[]", "job: not an object"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"model":"m","stream":false,"version":2})",
       "version: expected 1"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"extra":1,"messages":[{"role":"user","text":"hi"}],"model":"m","stream":false,"version":1})",
       "extra: unknown field"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"tool","text":"hi"}],"model":"m","stream":false,"version":1})",
       "messages[0].role: unknown"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi","x":1}],"model":"m","stream":false,"version":1})",
       "messages[0].x: unknown field"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"model":"m","version":1})",
       "stream: missing or wrong type"},
      {R"({"cocoon":{"max_coefficient":"4000","timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"model":"m","stream":false,"version":1})",
       "cocoon.max_coefficient: missing or wrong type"},
      {R"({"cocoon":{"max_coefficient":4000,"price_cap_nanotons":"-5","timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"model":"m","stream":false,"version":1})",
       "cocoon.price_cap_nanotons: not an integer string of nanotons"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"attachments":[{"data":"Zg","media_type":"a/b"}],"role":"user","text":"hi"}],"model":"m","stream":false,"version":1})",
       "messages[0].attachments[0].data: not padded base64"},
      // Valid JSON and a valid job, but not the canonical bytes:
      {R"({ "cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"model":"m","stream":false,"version":1})",
       "not in canonical form"},
      {R"({"model":"m","cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"stream":false,"version":1})",
       "not in canonical form"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"hi"}],"model":"m","model":"m","stream":false,"version":1})",
       "not in canonical form"},
      {R"({"cocoon":{"max_coefficient":4000,"timeout_ms":120000},"messages":[{"role":"user","text":"\u0068i"}],"model":"m","stream":false,"version":1})",
       "not in canonical form"},
  };
  for (const auto& [text, where] : cases) {
    INFO(text);
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::job::from_json(text, {}, ec));
    CHECK(ec == cocoon::condition::invalid_input);
    try {
      (void)cocoon::job::from_json(text);
    } catch (const cocoon::error& failure) {
      CHECK(failure.where() == where);
    }
  }
  cocoon::job_limits small;
  small.max_serialized_bytes = 10;
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::job::from_json(canonical, small, ec));
  CHECK(ec == cocoon::errc::job_limit_exceeded);
}
