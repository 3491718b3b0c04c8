// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_CUDA_DETAIL_DEVICE_HPP
#define COCOON_BACKEND_CUDA_DETAIL_DEVICE_HPP

#include <cocoon/detail/config.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

// The boundary between the host C++ code of cocoon::backend_cuda and its CUDA translation unit:
// plain types only, so that nvcc never parses the SDK's Boost-based headers. Defined in
// include/cocoon/backend/cuda/detail/device.cu; declared here, and usable only when linking cocoon::backend_cuda.

COCOON_SDK_NAMESPACE_BEGIN
namespace backend::cuda::detail {

struct shape {
  std::uint32_t vocab_size, context_length, d_model, n_layers, n_heads, d_ff;
};

/// The weights and KV cache on the device, and scratch for `context_length` rows.
struct device_model;

/// CUDA devices usable by this process; 0 without a device or a driver.
int device_count() noexcept;

/// Uploads `count` floats of parameters, flattened in the order `make_weights` draws them.
/// Returns an empty string and sets `*out`, or a description of the CUDA failure.
std::string create(const shape& s, const float* params, std::size_t count, device_model** out);

void destroy(device_model* model) noexcept;

/// Runs positions start .. start + count - 1 (their tokens in `tokens`) through the model, as one
/// batch, appending their keys and values to the cache (whose rows 0 .. start - 1 must hold the
/// sequence's prefix), and copies the last position's `vocab_size` logits to `logits`.
/// Returns an empty string, or a description of the CUDA failure.
std::string run(device_model* model, const std::uint32_t* tokens, std::uint32_t start, std::uint32_t count,
                float* logits);

}  // namespace backend::cuda::detail
COCOON_SDK_NAMESPACE_END

#endif
