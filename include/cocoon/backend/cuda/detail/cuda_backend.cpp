// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// The host side of cocoon::backend_cuda: validation, the prefix cache, and the flattened upload.
#include <cocoon/detail/config.hpp>
#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/cuda/cuda_backend.hpp>
#include <cocoon/backend/cuda/detail/device.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

namespace {

// The attention kernel keeps one score per position in shared memory (48 KiB per block).
constexpr std::size_t max_cuda_context = 8192;

// Every tensor in the order make_weights draws them, which is the order the device slices them.
std::vector<float> flatten(const model_weights& w) {
  std::vector<float> all;
  const auto put = [&all](const std::vector<float>& v) { all.insert(all.end(), v.begin(), v.end()); };
  put(w.token_embedding);
  put(w.position_embedding);
  for (const layer_weights& l : w.layers) {
    for (const auto* t :
         {&l.ln1_gain, &l.ln1_bias, &l.wq, &l.wk, &l.wv, &l.wo, &l.ln2_gain, &l.ln2_bias, &l.w1, &l.b1, &l.w2, &l.b2}) {
      put(*t);
    }
  }
  put(w.final_gain);
  put(w.final_bias);
  return all;
}

}  // namespace

int cuda_backend::device_count() noexcept { return cuda::detail::device_count(); }

cuda_backend::cuda_backend(const model_weights& weights, cache_mode mode) : config_(weights.config), mode_(mode) {
  cocoon::detail::throw_on_failure(detail::check_weights(weights), "cuda backend");
  if (config_.context_length > max_cuda_context) {
    cocoon::detail::throw_error(errc::model_invalid_input, "cuda backend", "context_length");
  }
  if (device_count() == 0) cocoon::detail::throw_error(errc::model_device_failure, "cuda backend", "no device");
  const cuda::detail::shape s{
      static_cast<std::uint32_t>(config_.vocab_size), static_cast<std::uint32_t>(config_.context_length),
      static_cast<std::uint32_t>(config_.d_model),    static_cast<std::uint32_t>(config_.n_layers),
      static_cast<std::uint32_t>(config_.n_heads),    static_cast<std::uint32_t>(config_.d_ff)};
  const std::vector<float> params = flatten(weights);
  const std::string why = cuda::detail::create(s, params.data(), params.size(), &device_);
  if (!why.empty()) cocoon::detail::throw_error(errc::model_device_failure, "cuda backend", why);
}

cuda_backend::cuda_backend(const model_config& config, cache_mode mode) : cuda_backend(make_weights(config), mode) {}

cuda_backend::~cuda_backend() { cuda::detail::destroy(device_); }

std::optional<cocoon::detail::failure> cuda_backend::do_forward(std::span<const token_id> tokens,
                                                                std::span<float> logits) {
  std::size_t start = 0;
  if (mode_ == cache_mode::kv_cache) {
    const auto differ = std::mismatch(cached_.begin(), cached_.end(), tokens.begin(), tokens.end()).first;
    start = std::min(static_cast<std::size_t>(differ - cached_.begin()), tokens.size() - 1);
  }
  // Forget the cache first: a failure below leaves it describing only the rows still valid.
  cached_.assign(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(start));
  const std::string why = cuda::detail::run(device_, tokens.data() + start, static_cast<std::uint32_t>(start),
                                            static_cast<std::uint32_t>(tokens.size() - start), logits.data());
  if (!why.empty()) return cocoon::detail::failure{errc::model_device_failure, why};
  cached_.assign(tokens.begin(), tokens.end());
  last_computed_ = tokens.size() - start;
  return std::nullopt;
}

}  // namespace backend
COCOON_SDK_NAMESPACE_END
