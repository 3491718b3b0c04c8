#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/generate.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace be = cocoon::backend;

namespace {

be::model_config small(std::uint64_t seed, std::size_t context = 64) {
  be::model_config c;
  c.context_length = context;
  c.d_model = 32;
  c.n_heads = 4;
  c.d_ff = 64;
  c.seed = seed;
  return c;
}

be::sampling_params sampled(std::uint64_t seed) {
  be::sampling_params p;
  p.temperature = 0.8f;
  p.top_p = 0.95f;
  p.seed = seed;
  return p;
}

}  // namespace

TEST_CASE("prompts encode as the end token then bytes", "[backend][generate]") {
  CHECK(be::encode_prompt("") == std::vector<be::token_id>{be::end_token});
  CHECK(be::encode_prompt("A\xff") == std::vector<be::token_id>{be::end_token, 'A', 0xff});
}

TEST_CASE("greedy generation is the argmax at every step", "[backend][generate]") {
  be::cpu_backend model(small(1));
  const auto out = be::generate(model, "hello", 20, be::sampling_params{});

  be::cpu_backend check(small(1), be::cache_mode::recompute);
  auto seq = be::encode_prompt("hello");
  for (const be::token_id t : out.tokens) {
    const auto logits = check.forward(seq);
    be::token_id best = ' ';
    for (be::token_id c = 0; c < logits.size(); ++c) {
      if (be::is_printable_token(c) && logits[c] > logits[best]) best = c;
    }
    REQUIRE(t == best);
    seq.push_back(t);
  }
  if (out.reason == be::stop_reason::end_of_text) {
    const auto logits = check.forward(seq);
    for (be::token_id c = 0; c < logits.size(); ++c) {
      if (be::is_printable_token(c)) REQUIRE(logits[c] <= logits[be::end_token]);
    }
  } else {
    CHECK(out.reason == be::stop_reason::max_tokens);
    CHECK(out.tokens.size() == 20);
  }
}

TEST_CASE("generation streams printable text, reproducibly per seed", "[backend][generate]") {
  be::cpu_backend model(small(2));
  std::string streamed;
  std::size_t expected_index = 0;
  const auto a = be::generate(model, "seed", 40, sampled(7), [&](const be::token_event& e) {
    REQUIRE(e.index == expected_index++);
    REQUIRE(e.text.size() == 1);
    REQUIRE(static_cast<unsigned char>(e.text[0]) == e.token);
    streamed += e.text;
    return true;
  });
  CHECK(streamed == a.text);
  CHECK(a.text.size() == a.tokens.size());
  for (const char c : a.text) REQUIRE(be::is_printable_token(static_cast<unsigned char>(c)));

  be::cpu_backend other(small(2), be::cache_mode::recompute);
  CHECK(be::generate(other, "seed", 40, sampled(7)).text == a.text);
  CHECK(be::generate(other, "seed", 40, sampled(8)).text != a.text);
  be::cpu_backend reseeded(small(3));
  CHECK(be::generate(reseeded, "seed", 40, sampled(7)).text != a.text);
}

TEST_CASE("generation stops on request, at max_tokens and at the context end", "[backend][generate]") {
  be::cpu_backend model(small(4, 16));
  be::sampling_params raw;
  raw.printable_only = false;

  int calls = 0;
  const auto stopped = be::generate(model, "", 10, raw, [&](const be::token_event&) { return ++calls < 3; });
  if (stopped.reason == be::stop_reason::callback) CHECK(stopped.tokens.size() == 3);
  CHECK(stopped.tokens.size() <= 3);

  CHECK(be::generate(model, "abc", 0, raw).tokens.empty());
  CHECK(be::generate(model, "abc", 0, raw).reason == be::stop_reason::max_tokens);

  // 1 + 10 prompt tokens in a context of 16: at most 5 more.
  const auto full = be::generate(model, "0123456789", 100, raw);
  CHECK(full.tokens.size() <= 5);
  CHECK(full.reason != be::stop_reason::max_tokens);
  if (full.reason == be::stop_reason::context_full) CHECK(full.tokens.size() == 5);
}

TEST_CASE("generation refuses a prompt over the context and bad parameters", "[backend][generate]") {
  be::cpu_backend model(small(0, 8));
  cocoon::error_code ec;
  CHECK_FALSE(be::generate(model, "12345678", 4, be::sampling_params{}, {}, ec));
  CHECK(ec == cocoon::errc::model_context_exceeded);
  CHECK(be::generate(model, "1234567", 4, be::sampling_params{}, {}, ec));
  CHECK_FALSE(ec);

  be::sampling_params bad;
  bad.top_p = 0.0f;
  try {
    (void)be::generate(model, "", 4, bad);
    FAIL("no exception");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::model_invalid_input);
    CHECK(e.where() == "top_p");
  }
}
