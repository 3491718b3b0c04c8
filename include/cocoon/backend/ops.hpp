// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_OPS_HPP
#define COCOON_BACKEND_OPS_HPP

#include <cocoon/detail/config.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend::ops {

// The float32 reference operations of the CPU backend, exposed so that each can be tested on
// hand-computed cases. Sizes are preconditions (asserted), not runtime errors: callers are the
// backends, which validate their inputs once.

/// Layer normalization over one vector: (x - mean) / sqrt(var + eps) * gain + bias, with the
/// biased variance (divided by n), as in the usual pre-LN transformer.
inline void layer_norm(std::span<const float> x, std::span<const float> gain, std::span<const float> bias,
                       std::span<float> out, float eps = 1e-5f) {
  assert(gain.size() == x.size() && bias.size() == x.size() && out.size() == x.size() && !x.empty());
  const auto n = static_cast<float>(x.size());
  float mean = 0.0f;
  for (const float v : x) mean += v;
  mean /= n;
  float var = 0.0f;
  for (const float v : x) var += (v - mean) * (v - mean);
  var /= n;
  const float inv = 1.0f / std::sqrt(var + eps);
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = (x[i] - mean) * inv * gain[i] + bias[i];
}

/// Softmax in place, shifted by the maximum so that large inputs do not overflow.
inline void softmax(std::span<float> x) {
  assert(!x.empty());
  const float top = *std::max_element(x.begin(), x.end());
  float sum = 0.0f;
  for (auto& v : x) {
    v = std::exp(v - top);
    sum += v;
  }
  for (auto& v : x) v /= sum;
}

/// c[m][n] = a[m][k] * b[k][n] (+ bias[n] on every row when bias is not empty); row-major.
inline void matmul(std::span<const float> a, std::span<const float> b, std::span<const float> bias, std::span<float> c,
                   std::size_t m, std::size_t k, std::size_t n) {
  assert(a.size() == m * k && b.size() == k * n && c.size() == m * n && (bias.empty() || bias.size() == n));
  for (std::size_t row = 0; row < m; ++row) {
    auto out = c.subspan(row * n, n);
    if (bias.empty()) {
      std::fill(out.begin(), out.end(), 0.0f);
    } else {
      std::copy(bias.begin(), bias.end(), out.begin());
    }
    // i outer, j inner: b is read along its rows, which vectorizes.
    for (std::size_t i = 0; i < k; ++i) {
      const float x = a[row * k + i];
      const float* w = b.data() + i * n;
      for (std::size_t j = 0; j < n; ++j) out[j] += x * w[j];
    }
  }
}

/// GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
[[nodiscard]] inline float gelu(float x) {
  constexpr float k = 0.7978845608028654f;  // sqrt(2 / pi)
  return 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
}

/// Multi-head attention of one query over the first `positions` rows of `keys` and `values`
/// ([rows][d] each, d = q.size(), heads are consecutive blocks of d / heads columns): for each head,
/// softmax(q_h . k_h / sqrt(head_dim)) weights the v_h rows. Restricting a query at position p to
/// rows 0..p is the causal mask.
inline void attend(std::span<const float> q, std::span<const float> keys, std::span<const float> values,
                   std::size_t positions, std::size_t heads, std::span<float> out) {
  const std::size_t d = q.size();
  assert(heads > 0 && d % heads == 0 && positions > 0 && keys.size() >= positions * d &&
         values.size() >= positions * d && out.size() == d);
  const std::size_t hd = d / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  std::vector<float> scores(positions);
  for (std::size_t h = 0; h < heads; ++h) {
    const std::size_t base = h * hd;
    for (std::size_t t = 0; t < positions; ++t) {
      float dot = 0.0f;
      for (std::size_t i = 0; i < hd; ++i) dot += q[base + i] * keys[t * d + base + i];
      scores[t] = dot * scale;
    }
    softmax(scores);
    for (std::size_t i = 0; i < hd; ++i) out[base + i] = 0.0f;
    for (std::size_t t = 0; t < positions; ++t) {
      for (std::size_t i = 0; i < hd; ++i) out[base + i] += scores[t] * values[t * d + base + i];
    }
  }
}

/// Causal self-attention over a whole sequence: row p of `out` attends to rows 0..p only.
inline void causal_attention(std::span<const float> q, std::span<const float> keys, std::span<const float> values,
                             std::size_t rows, std::size_t heads, std::span<float> out) {
  assert(rows > 0 && q.size() % rows == 0 && out.size() == q.size());
  const std::size_t d = q.size() / rows;
  for (std::size_t p = 0; p < rows; ++p) {
    attend(q.subspan(p * d, d), keys, values, p + 1, heads, out.subspan(p * d, d));
  }
}

}  // namespace backend::ops
COCOON_SDK_NAMESPACE_END

#endif
