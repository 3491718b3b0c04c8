// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_WEIGHTS_HPP
#define COCOON_BACKEND_WEIGHTS_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/backend/model_config.hpp>
#include <cocoon/backend/prng.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

/// One transformer block's parameters. Matrices are row-major [in][out]: y[j] = sum_i x[i] * W[i][j].
struct layer_weights {
  std::vector<float> ln1_gain, ln1_bias;  // [d_model]
  std::vector<float> wq, wk, wv, wo;      // [d_model][d_model]; heads are consecutive column blocks
  std::vector<float> ln2_gain, ln2_bias;  // [d_model]
  std::vector<float> w1, b1;              // [d_model][d_ff], [d_ff]
  std::vector<float> w2, b2;              // [d_ff][d_model], [d_model]
};

/// All parameters. The output projection is tied to the token embedding: logits = h * embedding^T.
struct model_weights {
  model_config config;
  std::vector<float> token_embedding;     // [vocab_size][d_model]
  std::vector<float> position_embedding;  // [context_length][d_model], learned-style (random)
  std::vector<layer_weights> layers;
  std::vector<float> final_gain, final_bias;  // [d_model]
};

namespace detail {

/// Fills `n` values uniform in [-bound, bound), or `center` +/- bound.
inline std::vector<float> fill(splitmix64& rng, std::size_t n, float bound, float center = 0.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = center + rng.next_symmetric(bound);
  return v;
}

}  // namespace detail

/// Generates the weights of `config` from `config.seed`, the same bits on every platform.
///
/// One `splitmix64(seed)` stream fills the tensors in this order, each element in row-major order:
/// token_embedding, position_embedding, then per layer ln1_gain, ln1_bias, wq, wk, wv, wo, ln2_gain,
/// ln2_bias, w1, b1, w2, b2, and last final_gain, final_bias. Each value is uniform, drawn as
/// (2u - 1) * bound with u the stream's top 24 bits: embeddings bound 0.5, positions 0.1, a
/// matrix sqrt(3 / fan_in) (unit variance preserved, like a scaled normal init), biases 0.02,
/// layer-norm gains 1 +/- 0.1 and their biases +/- 0.1 (not 1 and 0, so that tests see them).
/// @throws cocoon::error (`errc::model_invalid_input`) for an unusable config.
[[nodiscard]] inline model_weights make_weights(const model_config& config) {
  validate(config);
  splitmix64 rng(config.seed);
  const std::size_t d = config.d_model;
  const std::size_t ff = config.d_ff;
  const float matrix_d = std::sqrt(3.0f / static_cast<float>(d));
  const float matrix_ff = std::sqrt(3.0f / static_cast<float>(ff));
  model_weights w;
  w.config = config;
  w.token_embedding = detail::fill(rng, config.vocab_size * d, 0.5f);
  w.position_embedding = detail::fill(rng, config.context_length * d, 0.1f);
  w.layers.resize(config.n_layers);
  for (auto& layer : w.layers) {
    layer.ln1_gain = detail::fill(rng, d, 0.1f, 1.0f);
    layer.ln1_bias = detail::fill(rng, d, 0.1f);
    layer.wq = detail::fill(rng, d * d, matrix_d);
    layer.wk = detail::fill(rng, d * d, matrix_d);
    layer.wv = detail::fill(rng, d * d, matrix_d);
    layer.wo = detail::fill(rng, d * d, matrix_d);
    layer.ln2_gain = detail::fill(rng, d, 0.1f, 1.0f);
    layer.ln2_bias = detail::fill(rng, d, 0.1f);
    layer.w1 = detail::fill(rng, d * ff, matrix_d);
    layer.b1 = detail::fill(rng, ff, 0.02f);
    layer.w2 = detail::fill(rng, ff * d, matrix_ff);
    layer.b2 = detail::fill(rng, d, 0.02f);
  }
  w.final_gain = detail::fill(rng, d, 0.1f, 1.0f);
  w.final_bias = detail::fill(rng, d, 0.1f);
  return w;
}

}  // namespace backend
COCOON_SDK_NAMESPACE_END

#endif
