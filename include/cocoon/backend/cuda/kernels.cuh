// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_CUDA_KERNELS_CUH
#define COCOON_BACKEND_CUDA_KERNELS_CUH

// The CUDA kernels of the reference model, one per operation of backend/ops.hpp. Every kernel
// works on `rows` consecutive positions at once (a prompt is one batch), row-major float32.
// Reductions run in a different order than the CPU loops, so results agree to rounding only.
// The kernels are definitions: include this header from one translation unit (device.cu).

#include <cocoon/detail/config.hpp>

#include <cstdint>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend::cuda::kernels {

constexpr unsigned threads_per_block = 256;
constexpr unsigned tile = 16;

// Reduces over the block (blockDim.x a multiple of 32, at most 1024); `scratch` holds 32 floats.
// Every thread gets the result. Threads without data contribute `op.identity()`.
template <class Op>
__device__ float block_reduce(float v, float* scratch, Op op) {
  for (int offset = 16; offset > 0; offset >>= 1) v = op(v, __shfl_down_sync(0xffffffffU, v, offset));
  const unsigned lane = threadIdx.x & 31U, warp = threadIdx.x >> 5;
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  if (warp == 0) {
    const unsigned warps = blockDim.x >> 5;
    v = lane < warps ? scratch[lane] : op.identity();
    for (int offset = 16; offset > 0; offset >>= 1) v = op(v, __shfl_down_sync(0xffffffffU, v, offset));
    if (lane == 0) scratch[0] = v;
  }
  __syncthreads();
  const float result = scratch[0];
  __syncthreads();  // scratch may be reused right after
  return result;
}

struct sum_op {
  __device__ float operator()(float a, float b) const { return a + b; }
  __device__ float identity() const { return 0.0f; }
};
struct max_op {
  __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
  __device__ float identity() const { return -INFINITY; }
};

// x[r][i] = token_embedding[tokens[r]][i] + position_embedding[start + r][i]
__global__ void embed(const std::uint32_t* tokens, const float* token_embedding, const float* position_embedding,
                      std::uint32_t start, std::uint32_t rows, std::uint32_t d, float* x) {
  const std::uint32_t idx = blockIdx.x * blockDim.x + threadIdx.x;
  if (idx >= rows * d) return;
  const std::uint32_t r = idx / d, i = idx % d;
  x[idx] = token_embedding[tokens[r] * d + i] + position_embedding[(start + r) * d + i];
}

// One block per row: (x - mean) / sqrt(var + eps) * gain + bias, biased variance.
__global__ void layer_norm(const float* in, const float* gain, const float* bias, float* out, std::uint32_t d,
                           float eps) {
  __shared__ float scratch[32];
  const float* x = in + blockIdx.x * d;
  float* y = out + blockIdx.x * d;
  float s = 0.0f;
  for (std::uint32_t i = threadIdx.x; i < d; i += blockDim.x) s += x[i];
  const float mean = block_reduce(s, scratch, sum_op{}) / static_cast<float>(d);
  float v = 0.0f;
  for (std::uint32_t i = threadIdx.x; i < d; i += blockDim.x) v += (x[i] - mean) * (x[i] - mean);
  const float var = block_reduce(v, scratch, sum_op{}) / static_cast<float>(d);
  const float inv = rsqrtf(var + eps);
  for (std::uint32_t i = threadIdx.x; i < d; i += blockDim.x) y[i] = (x[i] - mean) * inv * gain[i] + bias[i];
}

// c[m][n] (+)= a[m][k] * b[k][n] + bias[n]: 16 x 16 shared-memory tiles. With `accumulate` the
// product is added to c (the residual connection); bias may be null.
__global__ void matmul(const float* a, const float* b, const float* bias, float* c, std::uint32_t m, std::uint32_t k,
                       std::uint32_t n, bool accumulate) {
  __shared__ float as[tile][tile];
  __shared__ float bs[tile][tile];
  const std::uint32_t row = blockIdx.y * tile + threadIdx.y, col = blockIdx.x * tile + threadIdx.x;
  float sum = 0.0f;
  for (std::uint32_t t = 0; t < k; t += tile) {
    as[threadIdx.y][threadIdx.x] = row < m && t + threadIdx.x < k ? a[row * k + t + threadIdx.x] : 0.0f;
    bs[threadIdx.y][threadIdx.x] = col < n && t + threadIdx.y < k ? b[(t + threadIdx.y) * n + col] : 0.0f;
    __syncthreads();
    for (std::uint32_t i = 0; i < tile; ++i) sum += as[threadIdx.y][i] * bs[i][threadIdx.x];
    __syncthreads();
  }
  if (row < m && col < n) {
    if (bias != nullptr) sum += bias[col];
    c[row * n + col] = accumulate ? c[row * n + col] + sum : sum;
  }
}

// GELU, tanh approximation, in place.
__global__ void gelu(float* x, std::uint32_t n) {
  const std::uint32_t idx = blockIdx.x * blockDim.x + threadIdx.x;
  if (idx >= n) return;
  const float v = x[idx];
  x[idx] = 0.5f * v * (1.0f + tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v)));
}

// Causal multi-head attention. Block (r, h): row r of q is position start + r and attends to cache
// rows 0 .. start + r of head h. Dynamic shared memory: one score per attended position.
__global__ void attention(const float* q, const float* keys, const float* values, float* out, std::uint32_t start,
                          std::uint32_t d, std::uint32_t heads) {
  extern __shared__ float scores[];
  __shared__ float scratch[32];
  const std::uint32_t r = blockIdx.x, h = blockIdx.y, hd = d / heads, base = h * hd;
  const std::uint32_t positions = start + r + 1;
  const float scale = rsqrtf(static_cast<float>(hd));
  const float* query = q + r * d + base;
  float top = -INFINITY;
  for (std::uint32_t t = threadIdx.x; t < positions; t += blockDim.x) {
    float dot = 0.0f;
    for (std::uint32_t i = 0; i < hd; ++i) dot += query[i] * keys[t * d + base + i];
    scores[t] = dot * scale;
    top = fmaxf(top, scores[t]);
  }
  top = block_reduce(top, scratch, max_op{});
  float sum = 0.0f;
  for (std::uint32_t t = threadIdx.x; t < positions; t += blockDim.x) {
    scores[t] = expf(scores[t] - top);
    sum += scores[t];
  }
  sum = block_reduce(sum, scratch, sum_op{});  // its barriers also publish every score
  for (std::uint32_t i = threadIdx.x; i < hd; i += blockDim.x) {
    float acc = 0.0f;
    for (std::uint32_t t = 0; t < positions; ++t) acc += scores[t] * values[t * d + base + i];
    out[r * d + base + i] = acc / sum;
  }
}

// logits[v] = h . token_embedding[v], one thread per token.
__global__ void project(const float* h, const float* token_embedding, float* logits, std::uint32_t vocab,
                        std::uint32_t d) {
  const std::uint32_t v = blockIdx.x * blockDim.x + threadIdx.x;
  if (v >= vocab) return;
  float dot = 0.0f;
  for (std::uint32_t i = 0; i < d; ++i) dot += h[i] * token_embedding[v * d + i];
  logits[v] = dot;
}

}  // namespace backend::cuda::kernels
COCOON_SDK_NAMESPACE_END

#endif
