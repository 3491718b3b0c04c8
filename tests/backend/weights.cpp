#include <cocoon/backend/weights.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

namespace be = cocoon::backend;

namespace {

be::model_config tiny(std::uint64_t seed) {
  be::model_config c;
  c.context_length = 16;
  c.d_model = 8;
  c.n_heads = 2;
  c.d_ff = 12;
  c.seed = seed;
  return c;
}

bool same(const be::model_weights& a, const be::model_weights& b) {
  if (a.token_embedding != b.token_embedding || a.position_embedding != b.position_embedding ||
      a.final_gain != b.final_gain || a.final_bias != b.final_bias || a.layers.size() != b.layers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const auto &x = a.layers[i], &y = b.layers[i];
    if (x.wq != y.wq || x.wk != y.wk || x.wv != y.wv || x.wo != y.wo || x.w1 != y.w1 || x.w2 != y.w2 || x.b1 != y.b1 ||
        x.b2 != y.b2 || x.ln1_gain != y.ln1_gain || x.ln1_bias != y.ln1_bias || x.ln2_gain != y.ln2_gain ||
        x.ln2_bias != y.ln2_bias) {
      return false;
    }
  }
  return true;
}

// The documented stream value: (2u - 1) * bound, u the top 24 bits of one splitmix64 output.
float documented(std::uint64_t output, float bound) {
  return (2.0f * static_cast<float>(output >> 40) / 16777216.0f - 1.0f) * bound;
}

}  // namespace

TEST_CASE("weights are a function of the seed", "[backend][weights]") {
  CHECK(same(be::make_weights(tiny(1)), be::make_weights(tiny(1))));
  CHECK_FALSE(same(be::make_weights(tiny(1)), be::make_weights(tiny(2))));
  CHECK(be::make_weights(tiny(5)).config == tiny(5));
}

TEST_CASE("weights follow the documented stream order and scales", "[backend][weights]") {
  const auto c = tiny(0);
  const auto w = be::make_weights(c);
  // The first value comes from splitmix64(0)'s first published output.
  CHECK(w.token_embedding[0] == documented(0xe220a8397b1dcdafULL, 0.5f));
  CHECK(w.token_embedding[1] == documented(0x6e789e6aa1b965f4ULL, 0.5f));

  // The last value is drawn after every other parameter, in the documented order.
  const std::size_t d = c.d_model, ff = c.d_ff;
  const std::size_t per_layer = 2 * d + 4 * d * d + 2 * d + d * ff + ff + ff * d + d;
  const std::size_t total = c.vocab_size * d + c.context_length * d + c.n_layers * per_layer + 2 * d;
  be::splitmix64 stream(0);
  for (std::size_t i = 0; i + 1 < total; ++i) (void)stream.next();
  CHECK(w.final_bias.back() == documented(stream.next(), 0.1f));

  const float bound = std::sqrt(3.0f / static_cast<float>(d));
  for (const auto& layer : w.layers) {
    REQUIRE(layer.wq.size() == d * d);
    REQUIRE(layer.w2.size() == ff * d);
    for (const float x : layer.wq) REQUIRE(std::fabs(x) <= bound);
    for (const float g : layer.ln1_gain) REQUIRE(std::fabs(g - 1.0f) <= 0.1f);
  }
}

TEST_CASE("weights refuse an unusable config", "[backend][weights]") {
  auto c = tiny(0);
  c.n_heads = 3;
  CHECK_THROWS_AS(be::make_weights(c), cocoon::error);
}
