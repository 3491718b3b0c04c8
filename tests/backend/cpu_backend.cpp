#include <cocoon/backend/cpu_backend.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace be = cocoon::backend;

namespace {

be::model_config test_model(std::uint64_t seed) {
  be::model_config c;
  c.context_length = 24;
  c.d_model = 16;
  c.n_heads = 4;
  c.d_ff = 40;
  c.seed = seed;
  return c;
}

using matrix = std::vector<std::vector<double>>;

// An independent model of the documented architecture: the whole sequence at once, in double
// precision, attention through an explicit score matrix with -inf above the diagonal, and the exact
// tanh-GELU formula written out again. Returns the logits of every position.
matrix reference_logits(const be::model_weights& w, const std::vector<be::token_id>& tokens) {
  const auto& c = w.config;
  const std::size_t n = tokens.size(), d = c.d_model, hd = d / c.n_heads;
  const auto linear = [](const matrix& x, const std::vector<float>& m, std::size_t out, const std::vector<float>* b) {
    matrix y(x.size(), std::vector<double>(out));
    for (std::size_t r = 0; r < x.size(); ++r) {
      for (std::size_t j = 0; j < out; ++j) {
        double s = b ? (*b)[j] : 0.0;
        for (std::size_t i = 0; i < x[r].size(); ++i) s += x[r][i] * m[i * out + j];
        y[r][j] = s;
      }
    }
    return y;
  };
  const auto norm = [](const matrix& x, const std::vector<float>& g, const std::vector<float>& b) {
    matrix y = x;
    for (auto& row : y) {
      double mean = 0, var = 0;
      for (double v : row) mean += v;
      mean /= static_cast<double>(row.size());
      for (double v : row) var += (v - mean) * (v - mean);
      var /= static_cast<double>(row.size());
      for (std::size_t i = 0; i < row.size(); ++i) row[i] = (row[i] - mean) / std::sqrt(var + 1e-5) * g[i] + b[i];
    }
    return y;
  };
  matrix x(n, std::vector<double>(d));
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t i = 0; i < d; ++i) {
      x[p][i] = static_cast<double>(w.token_embedding[tokens[p] * d + i]) + w.position_embedding[p * d + i];
    }
  }
  for (const auto& l : w.layers) {
    const matrix h = norm(x, l.ln1_gain, l.ln1_bias);
    const matrix q = linear(h, l.wq, d, nullptr), k = linear(h, l.wk, d, nullptr), v = linear(h, l.wv, d, nullptr);
    matrix a(n, std::vector<double>(d, 0.0));
    for (std::size_t head = 0; head < c.n_heads; ++head) {
      matrix score(n, std::vector<double>(n));
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          double s = 0;
          for (std::size_t e = head * hd; e < (head + 1) * hd; ++e) s += q[i][e] * k[j][e];
          score[i][j] = j > i ? -std::numeric_limits<double>::infinity() : s / std::sqrt(static_cast<double>(hd));
        }
        const double top = *std::max_element(score[i].begin(), score[i].end());
        double sum = 0;
        for (auto& s : score[i]) sum += (s = std::exp(s - top));
        for (std::size_t j = 0; j < n; ++j) {
          for (std::size_t e = head * hd; e < (head + 1) * hd; ++e) a[i][e] += score[i][j] / sum * v[j][e];
        }
      }
    }
    const matrix o = linear(a, l.wo, d, nullptr);
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t i = 0; i < d; ++i) x[p][i] += o[p][i];
    }
    matrix f = linear(norm(x, l.ln2_gain, l.ln2_bias), l.w1, c.d_ff, &l.b1);
    for (auto& row : f) {
      for (auto& u : row)
        u = 0.5 * u * (1 + std::tanh(std::sqrt(2 / 3.14159265358979323846) * (u + 0.044715 * u * u * u)));
    }
    const matrix m = linear(f, l.w2, d, &l.b2);
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t i = 0; i < d; ++i) x[p][i] += m[p][i];
    }
  }
  const matrix h = norm(x, w.final_gain, w.final_bias);
  matrix logits(n, std::vector<double>(c.vocab_size));
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t t = 0; t < c.vocab_size; ++t) {
      double s = 0;
      for (std::size_t i = 0; i < d; ++i) s += h[p][i] * w.token_embedding[t * d + i];
      logits[p][t] = s;
    }
  }
  return logits;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<double>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

std::vector<be::token_id> sequence(std::size_t n, unsigned salt) {
  std::vector<be::token_id> t{be::end_token};
  for (std::size_t i = 1; i < n; ++i) t.push_back(static_cast<be::token_id>((i * 37 + salt * 11) % 256));
  return t;
}

}  // namespace

TEST_CASE("cpu logits match an independent double-precision model at every position", "[backend][cpu]") {
  for (const std::uint64_t seed : {0ULL, 1ULL, 99ULL}) {
    INFO("seed " << seed);
    const auto weights = be::make_weights(test_model(seed));
    const auto tokens = sequence(20, static_cast<unsigned>(seed));
    const matrix expected = reference_logits(weights, tokens);
    be::cpu_backend model(weights, be::cache_mode::recompute);
    for (std::size_t n = 1; n <= tokens.size(); ++n) {
      const auto logits =
          model.forward(std::vector<be::token_id>(tokens.begin(), tokens.begin() + static_cast<long>(n)));
      REQUIRE(logits.size() == 257);
      REQUIRE(max_abs_diff(logits, expected[n - 1]) < 1e-4);
    }
  }
}

TEST_CASE("the causal mask: later tokens never change earlier logits", "[backend][cpu]") {
  const auto weights = be::make_weights(test_model(3));
  auto a = sequence(12, 1), b = a;
  b[8] = 'x';
  b[11] = 'y';
  const matrix ra = reference_logits(weights, a), rb = reference_logits(weights, b);
  for (std::size_t p = 0; p < 8; ++p) REQUIRE(ra[p] == rb[p]);
  CHECK(ra[8] != rb[8]);

  be::cpu_backend model(weights, be::cache_mode::recompute);
  const auto prefix = model.forward(std::vector<be::token_id>(a.begin(), a.begin() + 8));
  (void)model.forward(b);  // a longer, different sequence in between
  CHECK(model.forward(std::vector<be::token_id>(b.begin(), b.begin() + 8)) == prefix);
}

TEST_CASE("the KV cache gives exactly the recomputed logits and reuses the shared prefix", "[backend][cpu]") {
  const auto weights = be::make_weights(test_model(4));
  be::cpu_backend cached(weights, be::cache_mode::kv_cache);
  be::cpu_backend fresh(weights, be::cache_mode::recompute);
  auto tokens = sequence(10, 2);
  CHECK(cached.forward(tokens) == fresh.forward(tokens));
  CHECK(cached.last_computed_positions() == 10);
  CHECK(fresh.last_computed_positions() == 10);

  tokens.push_back('a');  // extends: one new position
  CHECK(cached.forward(tokens) == fresh.forward(tokens));
  CHECK(cached.last_computed_positions() == 1);
  CHECK(fresh.last_computed_positions() == 11);

  CHECK(cached.forward(tokens) == fresh.forward(tokens));  // the same sequence again
  CHECK(cached.last_computed_positions() == 1);

  tokens[5] = 'z';  // diverges at position 5: recomputed from there
  CHECK(cached.forward(tokens) == fresh.forward(tokens));
  CHECK(cached.last_computed_positions() == 6);

  tokens.resize(4);  // shorter
  CHECK(cached.forward(tokens) == fresh.forward(tokens));
  CHECK(cached.last_computed_positions() == 1);
}

TEST_CASE("same seed, same logits; another seed, other logits", "[backend][cpu]") {
  const auto tokens = sequence(6, 0);
  be::cpu_backend a(test_model(10)), b(test_model(10)), c(test_model(11));
  const auto la = a.forward(tokens);
  CHECK(la == b.forward(tokens));
  CHECK(la != c.forward(tokens));
  CHECK(a.name() == "cpu");
}

TEST_CASE("forward refuses empty, out-of-vocabulary and over-long input", "[backend][cpu]") {
  be::cpu_backend model(test_model(0));
  cocoon::error_code ec;
  CHECK_FALSE(model.forward(std::vector<be::token_id>{}, ec));
  CHECK(ec == cocoon::errc::model_invalid_input);

  try {
    (void)model.forward(std::vector<be::token_id>{be::end_token, 'a', 257});
    FAIL("no exception");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::model_invalid_input);
    CHECK(e.where() == "token at index 2");
  }

  CHECK_FALSE(model.forward(std::vector<be::token_id>(25, 'a'), ec));
  CHECK(ec == cocoon::errc::model_context_exceeded);
  CHECK(ec == cocoon::condition::invalid_input);
  CHECK(model.forward(std::vector<be::token_id>(24, 'a'), ec));
  CHECK_FALSE(ec);
}

TEST_CASE("the backend refuses weights that do not match their config", "[backend][cpu]") {
  auto weights = be::make_weights(test_model(0));
  weights.layers[1].w1.pop_back();
  try {
    be::cpu_backend model(weights);
    FAIL("no exception");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::model_invalid_input);
    CHECK(e.where() == "layers[1]");
  }
}
