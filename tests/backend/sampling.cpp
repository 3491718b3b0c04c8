#include <cocoon/backend/sampling.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <vector>

namespace be = cocoon::backend;

namespace {

be::sampling_params params(float temperature, float top_p, std::uint64_t seed, bool printable) {
  be::sampling_params p;
  p.temperature = temperature;
  p.top_p = top_p;
  p.seed = seed;
  p.printable_only = printable;
  return p;
}

std::map<be::token_id, int> histogram(be::sampler& s, const std::vector<float>& logits, int draws) {
  std::map<be::token_id, int> counts;
  for (int i = 0; i < draws; ++i) ++counts[s.next(logits)];
  return counts;
}

}  // namespace

TEST_CASE("greedy picks the argmax, the lowest id on ties", "[backend][sampling]") {
  be::sampler greedy(params(0, 1, 0, false));
  CHECK(greedy.next(std::vector<float>{0.1f, 2.0f, -3.0f, 1.9f}) == 1);
  CHECK(greedy.next(std::vector<float>{5.0f, 1.0f, 5.0f}) == 0);
  CHECK(greedy.next(std::vector<float>{-1e30f, -1e30f, -1e29f}) == 2);
}

TEST_CASE("printable_only restricts choices to printable ASCII, newline and the end token", "[backend][sampling]") {
  std::vector<float> logits(257, 0.0f);
  logits[0x01] = 100.0f;  // a control byte, most likely
  logits[0xff] = 90.0f;   // a high byte
  logits['q'] = 10.0f;
  be::sampler printable(params(0, 1, 0, true));
  CHECK(printable.next(logits) == 'q');
  be::sampler raw(params(0, 1, 0, false));
  CHECK(raw.next(logits) == 0x01);

  CHECK(be::is_printable_token(' '));
  CHECK(be::is_printable_token('~'));
  CHECK(be::is_printable_token('\n'));
  CHECK(be::is_printable_token(be::end_token));
  CHECK_FALSE(be::is_printable_token('\t'));
  CHECK_FALSE(be::is_printable_token(0x7f));
  CHECK_FALSE(be::is_printable_token(0x80));

  be::sampler warm(params(2.0f, 1.0f, 3, true));
  for (int i = 0; i < 2000; ++i) REQUIRE(be::is_printable_token(warm.next(logits)));
}

TEST_CASE("sampling follows softmax(logits / T)", "[backend][sampling]") {
  // Probabilities 0.5, 0.3, 0.2 at T = 1; at T = 2 proportional to their square roots.
  const std::vector<float> logits{std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  be::sampler s(params(1.0f, 1.0f, 11, false));
  auto counts = histogram(s, logits, 20000);
  CHECK(counts[0] / 20000.0 == Approx(0.5).margin(0.015));
  CHECK(counts[1] / 20000.0 == Approx(0.3).margin(0.015));
  CHECK(counts[2] / 20000.0 == Approx(0.2).margin(0.015));

  be::sampler hot(params(2.0f, 1.0f, 12, false));
  counts = histogram(hot, logits, 20000);
  const double z = std::sqrt(0.5) + std::sqrt(0.3) + std::sqrt(0.2);
  CHECK(counts[2] / 20000.0 == Approx(std::sqrt(0.2) / z).margin(0.015));
}

TEST_CASE("top-p keeps the smallest most likely set reaching p", "[backend][sampling]") {
  const std::vector<float> logits{std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  SECTION("0.6 keeps the first two, renormalized") {
    be::sampler s(params(1.0f, 0.6f, 5, false));
    auto counts = histogram(s, logits, 20000);
    CHECK(counts.count(2) == 0);
    CHECK(counts[0] / 20000.0 == Approx(0.5 / 0.8).margin(0.015));
  }
  SECTION("a tiny p keeps only the most likely token") {
    be::sampler s(params(1.0f, 1e-6f, 5, false));
    auto counts = histogram(s, logits, 500);
    CHECK(counts.size() == 1);
    CHECK(counts[0] == 500);
  }
  SECTION("0.85 needs all three (0.5 + 0.3 < 0.85)") {
    be::sampler s(params(1.0f, 0.85f, 5, false));
    CHECK(histogram(s, logits, 5000).size() == 3);
  }
  SECTION("equal probabilities: ties are cut by token id") {
    be::sampler s(params(1.0f, 0.5f, 5, false));
    auto counts = histogram(s, std::vector<float>{1.0f, 1.0f, 1.0f, 1.0f}, 4000);
    CHECK(counts.size() == 2);
    CHECK(counts.count(0) == 1);
    CHECK(counts.count(1) == 1);
  }
  SECTION("a very low temperature is greedy") {
    be::sampler s(params(1e-3f, 1.0f, 5, false));
    auto counts = histogram(s, std::vector<float>{0.0f, 0.5f, 0.49f}, 500);
    CHECK(counts[1] == 500);
  }
}

TEST_CASE("sampling is reproducible per seed", "[backend][sampling]") {
  std::vector<float> logits(257);
  for (std::size_t i = 0; i < logits.size(); ++i) logits[i] = static_cast<float>((i * 7919) % 101) / 25.0f;
  const auto run = [&](std::uint64_t seed) {
    be::sampler s(params(1.0f, 0.9f, seed, true));
    std::vector<be::token_id> out;
    for (int i = 0; i < 200; ++i) out.push_back(s.next(logits));
    return out;
  };
  CHECK(run(1) == run(1));
  CHECK(run(1) != run(2));
}

TEST_CASE("invalid sampling parameters are refused", "[backend][sampling]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const auto& p :
       {params(-0.5f, 1, 0, true), params(nan, 1, 0, true), params(std::numeric_limits<float>::infinity(), 1, 0, true),
        params(1, 0.0f, 0, true), params(1, 1.01f, 0, true), params(1, nan, 0, true), params(1, -1.0f, 0, true)}) {
    try {
      be::sampler s(p);
      FAIL("no exception");
    } catch (const cocoon::error& e) {
      CHECK(e.code() == cocoon::errc::model_invalid_input);
    }
  }
  // No allowed token: printable_only over a vocabulary of control bytes only.
  be::sampler s(params(0, 1, 0, true));
  CHECK_THROWS_AS(s.next(std::vector<float>(10, 0.0f)), cocoon::error);  // bytes 0..9, before newline
}
