// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_CUDA_CUDA_BACKEND_HPP
#define COCOON_BACKEND_CUDA_CUDA_BACKEND_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/backend/model_backend.hpp>
#include <cocoon/backend/model_config.hpp>
#include <cocoon/backend/weights.hpp>
#include <cocoon/detail/result.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

// Not header-only: the definitions are compiled into cocoon::backend_cuda, which CMake builds when
// it finds a CUDA compiler. Link that target to use this header; cocoon::sdk never needs CUDA.

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

namespace cuda::detail {
struct device_model;
}

/// The reference model on an NVIDIA GPU: the same architecture and weights as `cpu_backend`,
/// float32, with the KV cache in device memory. A prompt (every position after the reused prefix)
/// runs as one batch; generation then adds one position per call. Results equal the CPU
/// reference to float rounding (the reductions run in another order), not bit for bit.
class cuda_backend final : public model_backend {
 public:
  /// CUDA devices usable by this process: 0 without a device or a driver.
  [[nodiscard]] static int device_count() noexcept;

  /// Uploads the weights to the current device.
  /// @throws cocoon::error: `errc::model_invalid_input` (tensors that do not match the config, or
  /// a context over 8192 positions), `errc::model_device_failure` (no device, out of memory).
  explicit cuda_backend(const model_weights& weights, cache_mode mode = cache_mode::kv_cache);

  /// The weights of `config`, generated from its seed.
  explicit cuda_backend(const model_config& config, cache_mode mode = cache_mode::kv_cache);

  ~cuda_backend() override;

  [[nodiscard]] const model_config& config() const noexcept override { return config_; }
  [[nodiscard]] std::string_view name() const noexcept override { return "cuda"; }

  /// Positions computed by the last `forward` (the suffix after the reused prefix).
  [[nodiscard]] std::size_t last_computed_positions() const noexcept { return last_computed_; }

 protected:
  std::optional<cocoon::detail::failure> do_forward(std::span<const token_id> tokens, std::span<float> logits) override;

 private:
  model_config config_;
  cache_mode mode_;
  std::vector<token_id> cached_;  // the tokens whose keys and values are on the device
  std::size_t last_computed_ = 0;
  cuda::detail::device_model* device_ = nullptr;
};

}  // namespace backend
COCOON_SDK_NAMESPACE_END

#endif
