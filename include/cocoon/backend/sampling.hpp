// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_SAMPLING_HPP
#define COCOON_BACKEND_SAMPLING_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/backend/model_config.hpp>
#include <cocoon/backend/prng.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

/// How the next token is chosen from the logits.
struct sampling_params {
  /// 0 is greedy decoding (argmax); above 0 the logits are divided by it before the softmax.
  float temperature = 0.0f;
  /// Nucleus sampling: the smallest set of most likely tokens whose probability reaches top_p,
  /// in (0, 1]; 1 keeps every allowed token.
  float top_p = 1.0f;
  /// Seeds the sampler's xoshiro256** stream: the same seed, model and prompt give the same text.
  std::uint64_t seed = 0;
  /// Allow only printable ASCII (0x20..0x7E), '\n' and `end_token`. The model's weights are random,
  /// so its output is gibberish; this keeps it readable text rather than control bytes.
  bool printable_only = true;
};

/// The tokens `printable_only` allows.
[[nodiscard]] constexpr bool is_printable_token(token_id t) noexcept {
  return t == end_token || t == '\n' || (t >= 0x20 && t <= 0x7e);
}

namespace detail {

[[nodiscard]] inline std::optional<cocoon::detail::failure> check_sampling(const sampling_params& p) {
  using cocoon::detail::failure;
  if (!std::isfinite(p.temperature) || p.temperature < 0.0f) return failure{errc::model_invalid_input, "temperature"};
  if (!(p.top_p > 0.0f && p.top_p <= 1.0f)) return failure{errc::model_invalid_input, "top_p"};
  return std::nullopt;
}

}  // namespace detail

/// Chooses tokens from logits, reproducibly: a sampler built from the same parameters returns the
/// same tokens for the same logits. Greedy decoding draws no random numbers; sampling draws
/// exactly one per token.
class sampler {
 public:
  /// @throws cocoon::error (`errc::model_invalid_input`) for a negative or non-finite
  /// temperature, or top_p outside (0, 1].
  explicit sampler(const sampling_params& params) : params_(params), rng_(params.seed) {
    cocoon::detail::throw_on_failure(detail::check_sampling(params), "sampler");
  }

  [[nodiscard]] const sampling_params& params() const noexcept { return params_; }

  /// The next token for `logits` (one per token id; finite). With temperature 0 the allowed token
  /// of the highest logit, the lowest id on ties. Otherwise: probabilities softmax(logits / T)
  /// over the allowed tokens, sorted by probability (ties by id), cut to the shortest prefix whose
  /// mass reaches top_p, and one uniform draw u in [0, 1) picks the token where the running sum
  /// of the prefix first exceeds u times its mass.
  /// @throws cocoon::error (`errc::model_invalid_input`) when no token is allowed.
  [[nodiscard]] token_id next(std::span<const float> logits) {
    std::vector<token_id> allowed;
    allowed.reserve(logits.size());
    for (std::size_t t = 0; t < logits.size(); ++t) {
      if (!params_.printable_only || is_printable_token(static_cast<token_id>(t))) {
        allowed.push_back(static_cast<token_id>(t));
      }
    }
    if (allowed.empty()) cocoon::detail::throw_error(errc::model_invalid_input, "sampler", "no allowed token");
    if (params_.temperature == 0.0f) {
      token_id best = allowed.front();
      for (const token_id t : allowed) {
        if (logits[t] > logits[best]) best = t;
      }
      return best;
    }
    // Double precision: the cut and the draw should not hinge on float rounding.
    double top = -INFINITY;
    for (const token_id t : allowed) top = std::max(top, static_cast<double>(logits[t]));
    std::vector<std::pair<double, token_id>> probs;
    probs.reserve(allowed.size());
    double total = 0.0;
    for (const token_id t : allowed) {
      const double p = std::exp((static_cast<double>(logits[t]) - top) / static_cast<double>(params_.temperature));
      probs.emplace_back(p, t);
      total += p;
    }
    std::sort(probs.begin(), probs.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    const double target = static_cast<double>(params_.top_p) * total;
    std::size_t kept = 0;
    double mass = 0.0;
    while (kept < probs.size() && (kept == 0 || mass < target)) mass += probs[kept++].first;
    const double u = rng_.next_unit_double() * mass;
    double running = 0.0;
    for (std::size_t i = 0; i < kept; ++i) {
      running += probs[i].first;
      if (u < running) return probs[i].second;
    }
    return probs[kept - 1].second;  // u rounded up to the whole mass
  }

 private:
  sampling_params params_;
  xoshiro256ss rng_;
};

}  // namespace backend
COCOON_SDK_NAMESPACE_END

#endif
