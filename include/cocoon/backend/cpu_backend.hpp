// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_CPU_BACKEND_HPP
#define COCOON_BACKEND_CPU_BACKEND_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/backend/model_backend.hpp>
#include <cocoon/backend/model_config.hpp>
#include <cocoon/backend/ops.hpp>
#include <cocoon/backend/weights.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

namespace detail {

/// Every tensor of `w` has the size its config implies.
[[nodiscard]] inline std::optional<cocoon::detail::failure> check_weights(const model_weights& w) {
  using cocoon::detail::failure;
  if (auto why = check_config(w.config)) return why;
  const model_config& c = w.config;
  const std::size_t d = c.d_model;
  const auto wrong = [](const std::vector<float>& v, std::size_t n) { return v.size() != n; };
  if (wrong(w.token_embedding, c.vocab_size * d)) return failure{errc::model_invalid_input, "token_embedding"};
  if (wrong(w.position_embedding, c.context_length * d)) {
    return failure{errc::model_invalid_input, "position_embedding"};
  }
  if (w.layers.size() != c.n_layers) return failure{errc::model_invalid_input, "layers"};
  for (std::size_t i = 0; i < w.layers.size(); ++i) {
    const layer_weights& l = w.layers[i];
    if (wrong(l.ln1_gain, d) || wrong(l.ln1_bias, d) || wrong(l.wq, d * d) || wrong(l.wk, d * d) ||
        wrong(l.wv, d * d) || wrong(l.wo, d * d) || wrong(l.ln2_gain, d) || wrong(l.ln2_bias, d) ||
        wrong(l.w1, d * c.d_ff) || wrong(l.b1, c.d_ff) || wrong(l.w2, c.d_ff * d) || wrong(l.b2, d)) {
      return failure{errc::model_invalid_input, "layers[" + std::to_string(i) + "]"};
    }
  }
  if (wrong(w.final_gain, d) || wrong(w.final_bias, d)) return failure{errc::model_invalid_input, "final norm"};
  return std::nullopt;
}

}  // namespace detail

/// The float32 CPU reference: a pre-LN decoder-only transformer.
///
/// Per position p with token t: x = token_embedding[t] + position_embedding[p]; per layer
/// x += W_o * attention(LN1(x)) (causal, multi-head), x += W_2 * gelu(W_1 * LN2(x) + b_1) + b_2;
/// logits = LN_final(x) * token_embedding^T. Positions are processed one at a time, each
/// appending its keys and values to a per-layer cache (see `cache_mode`).
class cpu_backend final : public model_backend {
 public:
  /// @throws cocoon::error (`errc::model_invalid_input`) when a tensor does not match the config.
  explicit cpu_backend(model_weights weights, cache_mode mode = cache_mode::kv_cache)
      : weights_(std::move(weights)), mode_(mode) {
    cocoon::detail::throw_on_failure(detail::check_weights(weights_), "cpu backend");
    const model_config& c = weights_.config;
    keys_.assign(c.n_layers, std::vector<float>(c.context_length * c.d_model));
    values_.assign(c.n_layers, std::vector<float>(c.context_length * c.d_model));
    x_.resize(c.d_model);
    h_.resize(c.d_model);
    q_.resize(c.d_model);
    attn_.resize(c.d_model);
    proj_.resize(c.d_model);
    ff_.resize(c.d_ff);
  }

  /// The weights of `config`, generated from its seed.
  explicit cpu_backend(const model_config& config, cache_mode mode = cache_mode::kv_cache)
      : cpu_backend(make_weights(config), mode) {}

  [[nodiscard]] const model_config& config() const noexcept override { return weights_.config; }
  [[nodiscard]] std::string_view name() const noexcept override { return "cpu"; }
  [[nodiscard]] const model_weights& weights() const noexcept { return weights_; }

  /// Positions computed by the last `forward` (the suffix after the reused prefix), for tests and
  /// benchmarks of the cache.
  [[nodiscard]] std::size_t last_computed_positions() const noexcept { return last_computed_; }

 protected:
  std::optional<cocoon::detail::failure> do_forward(std::span<const token_id> tokens,
                                                    std::span<float> logits) override {
    std::size_t start = 0;
    if (mode_ == cache_mode::kv_cache) {
      const auto [differ, unused] = std::mismatch(cached_.begin(), cached_.end(), tokens.begin(), tokens.end());
      start = static_cast<std::size_t>(differ - cached_.begin());
      // The last position is always computed: its logits are the result.
      start = std::min(start, tokens.size() - 1);
    }
    cached_.assign(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(start));
    for (std::size_t p = start; p < tokens.size(); ++p) step(tokens[p], p);
    cached_.assign(tokens.begin(), tokens.end());
    last_computed_ = tokens.size() - start;
    project(logits);
    return std::nullopt;
  }

 private:
  using floats = std::span<const float>;

  // Runs position p through every layer, storing its keys and values; leaves the residual in x_.
  void step(token_id token, std::size_t p) {
    const model_config& c = weights_.config;
    const std::size_t d = c.d_model;
    const float* te = weights_.token_embedding.data() + token * d;
    const float* pe = weights_.position_embedding.data() + p * d;
    for (std::size_t i = 0; i < d; ++i) x_[i] = te[i] + pe[i];
    for (std::size_t l = 0; l < c.n_layers; ++l) {
      const layer_weights& w = weights_.layers[l];
      const std::span<float> k(keys_[l].data() + p * d, d);
      const std::span<float> v(values_[l].data() + p * d, d);
      ops::layer_norm(x_, w.ln1_gain, w.ln1_bias, h_);
      ops::matmul(h_, w.wq, {}, q_, 1, d, d);
      ops::matmul(h_, w.wk, {}, k, 1, d, d);
      ops::matmul(h_, w.wv, {}, v, 1, d, d);
      ops::attend(q_, keys_[l], values_[l], p + 1, c.n_heads, attn_);
      ops::matmul(attn_, w.wo, {}, proj_, 1, d, d);
      for (std::size_t i = 0; i < d; ++i) x_[i] += proj_[i];
      ops::layer_norm(x_, w.ln2_gain, w.ln2_bias, h_);
      ops::matmul(h_, w.w1, w.b1, ff_, 1, d, c.d_ff);
      for (auto& f : ff_) f = ops::gelu(f);
      ops::matmul(ff_, w.w2, w.b2, proj_, 1, c.d_ff, d);
      for (std::size_t i = 0; i < d; ++i) x_[i] += proj_[i];
    }
  }

  // logits[v] = LN_final(x) . token_embedding[v]
  void project(std::span<float> logits) {
    const std::size_t d = weights_.config.d_model;
    ops::layer_norm(x_, weights_.final_gain, weights_.final_bias, h_);
    for (std::size_t v = 0; v < logits.size(); ++v) {
      const float* e = weights_.token_embedding.data() + v * d;
      float dot = 0.0f;
      for (std::size_t i = 0; i < d; ++i) dot += h_[i] * e[i];
      logits[v] = dot;
    }
  }

  model_weights weights_;
  cache_mode mode_;
  std::vector<token_id> cached_;  // the tokens whose keys and values are in keys_ and values_
  std::size_t last_computed_ = 0;
  std::vector<std::vector<float>> keys_, values_;  // per layer [context_length][d_model]
  std::vector<float> x_, h_, q_, attn_, proj_, ff_;
};

}  // namespace backend
COCOON_SDK_NAMESPACE_END

#endif
