#include <cocoon/backend/ops.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

namespace be = cocoon::backend;

TEST_CASE("layer_norm on a hand-computed vector", "[backend][ops]") {
  // mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
  const std::vector<float> x{1, 2, 3, 4}, gain{1, 1, 2, 1}, bias{0, 0, 0, 10};
  std::vector<float> out(4);
  be::ops::layer_norm(x, gain, bias, out, 0.0f);
  const float s = std::sqrt(1.25f);
  CHECK(out[0] == Approx(-1.5f / s));
  CHECK(out[1] == Approx(-0.5f / s));
  CHECK(out[2] == Approx(2 * 0.5f / s));
  CHECK(out[3] == Approx(1.5f / s + 10));

  // A constant vector has zero variance: eps keeps it finite and the output is the bias.
  const std::vector<float> flat{3, 3, 3, 3};
  be::ops::layer_norm(flat, gain, bias, out);
  CHECK(out == bias);
}

TEST_CASE("softmax on hand-computed values, stable for large inputs", "[backend][ops]") {
  std::vector<float> x{0.0f, std::log(2.0f), std::log(3.0f)};
  be::ops::softmax(x);
  CHECK(x[0] == Approx(1.0 / 6));
  CHECK(x[1] == Approx(2.0 / 6));
  CHECK(x[2] == Approx(3.0 / 6));

  std::vector<float> big{1000.0f, 1000.0f, -1000.0f};
  be::ops::softmax(big);
  CHECK(big[0] == Approx(0.5));
  CHECK(big[1] == Approx(0.5));
  CHECK(big[2] == 0.0f);
}

TEST_CASE("matmul on hand-computed matrices, with and without bias", "[backend][ops]") {
  const std::vector<float> a{1, 2, 3, 4, 5, 6};     // 2 x 3
  const std::vector<float> b{7, 8, 9, 10, 11, 12};  // 3 x 2
  std::vector<float> c(4);
  be::ops::matmul(a, b, {}, c, 2, 3, 2);
  CHECK(c == std::vector<float>{58, 64, 139, 154});
  const std::vector<float> bias{1, -1};
  be::ops::matmul(a, b, bias, c, 2, 3, 2);
  CHECK(c == std::vector<float>{59, 63, 140, 153});
}

TEST_CASE("gelu (tanh form) at known points", "[backend][ops]") {
  CHECK(be::ops::gelu(0.0f) == 0.0f);
  CHECK(be::ops::gelu(1.0f) == Approx(0.8411920));
  CHECK(be::ops::gelu(-1.0f) == Approx(-0.1588080));
  CHECK(be::ops::gelu(10.0f) == Approx(10.0f));
  CHECK(std::fabs(be::ops::gelu(-10.0f)) < 1e-6f);
}

TEST_CASE("attention of one query, per head, on hand-computed values", "[backend][ops]") {
  // d = 2, two heads of width 1: head 0 scores q0*k0, head 1 scores q1*k1 (scale 1/sqrt(1)).
  const std::vector<float> q{1.0f, 0.0f};
  const std::vector<float> keys{1.0f, 5.0f, 0.0f, -5.0f};
  const std::vector<float> values{10.0f, 1.0f, 0.0f, 3.0f};
  std::vector<float> out(2);
  be::ops::attend(q, keys, values, 2, 2, out);
  const double p = 1.0 / (1.0 + std::exp(-1.0));  // head 0: softmax(1, 0)
  CHECK(out[0] == Approx(10.0 * p));
  CHECK(out[1] == Approx(2.0));  // head 1: q1 = 0, equal weights on 1 and 3

  // One head of width 2: the scale is 1/sqrt(2).
  be::ops::attend(q, keys, values, 2, 1, out);
  const double p2 = 1.0 / (1.0 + std::exp(-1.0 / std::sqrt(2.0)));
  CHECK(out[0] == Approx(10.0 * p2));
  CHECK(out[1] == Approx(1.0 * p2 + 3.0 * (1 - p2)));
}

TEST_CASE("causal attention: a row never sees later rows", "[backend][ops]") {
  const std::size_t rows = 4, d = 4;
  std::vector<float> q(rows * d), k(rows * d), v(rows * d);
  for (std::size_t i = 0; i < q.size(); ++i) {
    q[i] = static_cast<float>(i % 5) * 0.3f - 0.5f;
    k[i] = static_cast<float>(i % 7) * 0.2f - 0.6f;
    v[i] = static_cast<float>(i % 3) - 1.0f;
  }
  std::vector<float> before(rows * d);
  be::ops::causal_attention(q, k, v, rows, 2, before);
  // Row 0 attends to itself only: its output is its own value row.
  for (std::size_t i = 0; i < d; ++i) CHECK(before[i] == Approx(v[i]));

  // Changing the last row's key and value changes only the last row's output.
  for (std::size_t i = 0; i < d; ++i) {
    k[(rows - 1) * d + i] += 3.0f;
    v[(rows - 1) * d + i] -= 7.0f;
  }
  std::vector<float> after(rows * d);
  be::ops::causal_attention(q, k, v, rows, 2, after);
  for (std::size_t i = 0; i < (rows - 1) * d; ++i) REQUIRE(after[i] == before[i]);
  bool last_changed = false;
  for (std::size_t i = (rows - 1) * d; i < rows * d; ++i) last_changed = last_changed || after[i] != before[i];
  CHECK(last_changed);
}
