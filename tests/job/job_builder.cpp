#include <cocoon/job/job_builder.hpp>

#include <catch2/catch.hpp>

using namespace cocoon::literals;
using namespace std::chrono_literals;

namespace {
cocoon::job_builder minimal() { return cocoon::job_builder().model("Qwen/Qwen3-8B").user("hello"); }

void check_refused(const cocoon::job_builder& builder, cocoon::errc code, const std::string& where) {
  INFO(where);
  cocoon::error_code ec;
  CHECK_FALSE(builder.build(ec));
  CHECK(ec == code);
  try {
    (void)builder.build();
    FAIL("built");
  } catch (const cocoon::error& failure) {
    CHECK(failure.code() == code);
    CHECK(failure.where() == where);
  }
}
}  // namespace

TEST_CASE("the builder produces the job it was told", "[job][job_builder]") {
  const auto job = cocoon::job_builder()
                       .model("Qwen/Qwen3-8B")
                       .system("Be terse.")
                       .user("Summarise.")
                       .attach({"application/pdf", cocoon::to_bytes("%PDF-1.7"), "contract.pdf"})
                       .assistant("Done.")
                       .max_tokens(512)
                       .temperature(0.7)
                       .top_p(0.9)
                       .stop("\n\n")
                       .seed(-42)
                       .stream()
                       .max_coefficient(2000)
                       .price_cap(0.05_ton)
                       .timeout(30s)
                       .idempotency_key("job-7f3a")
                       .client_request_id("req-1")
                       .build();
  REQUIRE(job.messages().size() == 3);
  CHECK(job.model() == "Qwen/Qwen3-8B");
  CHECK(job.messages()[0].role == cocoon::role::system);
  CHECK(job.messages()[1].attachments.at(0).name == "contract.pdf");
  CHECK(job.max_tokens() == 512u);
  CHECK(job.temperature() == 0.7);
  CHECK(job.top_p() == 0.9);
  CHECK(job.stop().size() == 1);
  CHECK(job.seed() == -42);
  CHECK(job.stream());
  CHECK(job.max_coefficient() == 2000u);
  CHECK(job.price_cap() == 0.05_ton);
  CHECK(job.timeout() == 30s);
  CHECK(job.idempotency_key() == "job-7f3a");
  CHECK(job.client_request_id() == "req-1");
}

TEST_CASE("the builder's defaults follow COCOON's client", "[job][job_builder]") {
  const auto job = minimal().build();
  CHECK(job.max_coefficient() == 4000u);
  CHECK(job.timeout() == 120s);
  CHECK_FALSE(job.stream());
  CHECK_FALSE(job.max_tokens());
  CHECK_FALSE(job.price_cap());
}

TEST_CASE("the builder refuses bad fields and names them", "[job][job_builder]") {
  using cocoon::errc;
  check_refused(cocoon::job_builder().user("hi"), errc::job_invalid, "model: empty");
  check_refused(cocoon::job_builder().model("my model").user("hi"), errc::job_invalid,
                "model: only printable ASCII without spaces is allowed");
  check_refused(cocoon::job_builder().model("m"), errc::job_invalid, "messages: none");
  check_refused(minimal().user(""), errc::job_invalid, "messages[1]: empty");
  check_refused(minimal().user("bad \xff byte"), errc::job_invalid, "messages[1].text: invalid UTF-8 at byte 4");
  check_refused(minimal().message(static_cast<cocoon::role>(9), "x"), errc::job_invalid, "messages[1].role: unknown");
  check_refused(cocoon::job_builder().model("m").attach({"image/png", {}, ""}).user("x"), errc::job_invalid,
                "attachments: attach() before any message");
  check_refused(minimal().attach({"png", {}, ""}), errc::job_invalid,
                "messages[0].attachments[0].media_type: not type/subtype");
  check_refused(minimal().max_tokens(0), errc::job_invalid, "max_tokens: must be 1 to 1000000");
  check_refused(minimal().temperature(2.5), errc::job_invalid, "temperature: must be 0 to 2");
  check_refused(minimal().temperature(std::nan("")), errc::job_invalid, "temperature: must be 0 to 2");
  check_refused(minimal().top_p(-0.1), errc::job_invalid, "top_p: must be 0 to 1");
  check_refused(minimal().stop("a").stop("b").stop("c").stop("d").stop("e"), errc::job_limit_exceeded,
                "stop: more than 4");
  check_refused(minimal().stop(""), errc::job_invalid, "stop[0]: empty");
  check_refused(minimal().max_coefficient(0), errc::job_invalid, "max_coefficient: must be 1 to 1000000 (1000 = 1.0x)");
  check_refused(minimal().timeout(0s), errc::job_invalid, "timeout: must be above 0 and at most 1 hour");
  check_refused(minimal().idempotency_key("has space"), errc::job_invalid,
                "idempotency_key: only printable ASCII without spaces is allowed");
}

TEST_CASE("the builder enforces its limits", "[job][job_builder]") {
  cocoon::job_limits limits;
  limits.max_messages = 2;
  limits.max_text_bytes = 8;
  limits.max_attachments = 1;
  limits.max_attachment_bytes = 4;
  using cocoon::errc;
  check_refused(minimal().limits(limits).user("a").user("b"), errc::job_limit_exceeded, "messages: more than 2");
  check_refused(minimal().limits(limits).user("123456789"), errc::job_limit_exceeded, "messages[1].text: over 8 bytes");
  check_refused(minimal().limits(limits).attach({"a/b", {}, ""}).attach({"a/b", {}, ""}), errc::job_limit_exceeded,
                "messages[0].attachments: more than 1");
  check_refused(minimal().limits(limits).attach({"a/b", cocoon::to_bytes("12345"), ""}), errc::job_limit_exceeded,
                "messages[0].attachments[0].data: over 4 bytes");
  CHECK(minimal().limits(limits).attach({"a/b", cocoon::to_bytes("1234"), ""}).build().messages().size() == 1);
}

TEST_CASE("UTF-8 validation refuses overlongs, surrogates and truncation", "[job][job_builder]") {
  const std::pair<std::string, bool> cases[] = {
      {"plain", true},
      {"caf\xc3\xa9", true},
      {"\xe2\x82\xac", true},
      {"\xf0\x9f\x98\x80", true},
      {"\xc0\xaf", false},
      {"\xe0\x80\xaf", false},
      {"\xed\xa0\x80", false},
      {"\xf4\x90\x80\x80", false},
      {"\xf5\x80\x80\x80", false},
      {"\xe2\x82", false},
      {"\x80", false},
      {"\xc3", false},
  };
  for (const auto& [text, valid] : cases) {
    INFO(cocoon::to_hex(cocoon::as_bytes(text)));
    cocoon::error_code ec;
    CHECK(minimal().user(text).build(ec).has_value() == valid);
  }
}
