// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// The device side of cocoon::backend_cuda: memory, uploads and the kernel sequence of one batch.
#include <cocoon/backend/cuda/detail/device.hpp>
#include <cocoon/backend/cuda/kernels.cuh>

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend::cuda::detail {

namespace k = ::cocoon::backend::cuda::kernels;

struct layer_pointers {
  const float *ln1_gain, *ln1_bias, *wq, *wk, *wv, *wo, *ln2_gain, *ln2_bias, *w1, *b1, *w2, *b2;
};

struct device_model {
  shape s{};
  float* params = nullptr;
  const float* token_embedding = nullptr;
  const float* position_embedding = nullptr;
  std::vector<layer_pointers> layers;
  const float* final_gain = nullptr;
  const float* final_bias = nullptr;
  float* keys = nullptr;    // [n_layers][context_length][d_model]
  float* values = nullptr;  // same
  float *x = nullptr, *h = nullptr, *q = nullptr, *attn = nullptr, *ff = nullptr, *logits = nullptr;
  std::uint32_t* tokens = nullptr;
};

namespace {

std::string describe(const char* what, cudaError_t e) { return std::string(what) + ": " + cudaGetErrorString(e); }

template <class T>
cudaError_t allocate(T** p, std::size_t elements) {
  return cudaMalloc(reinterpret_cast<void**>(p), elements * sizeof(T));
}

unsigned blocks_for(std::size_t n, unsigned per_block) {
  return static_cast<unsigned>((n + per_block - 1) / per_block);
}

void matmul(const float* a, const float* b, const float* bias, float* c, std::uint32_t m, std::uint32_t kk,
            std::uint32_t n, bool accumulate) {
  const dim3 block(k::tile, k::tile);
  const dim3 grid(blocks_for(n, k::tile), blocks_for(m, k::tile));
  k::matmul<<<grid, block>>>(a, b, bias, c, m, kk, n, accumulate);
}

}  // namespace

int device_count() noexcept {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    (void)cudaGetLastError();  // clear the sticky "no device" / "no driver" error
    return 0;
  }
  return count;
}

void destroy(device_model* m) noexcept {
  if (m == nullptr) return;
  for (void* p :
       {static_cast<void*>(m->params), static_cast<void*>(m->keys), static_cast<void*>(m->values),
        static_cast<void*>(m->x), static_cast<void*>(m->h), static_cast<void*>(m->q), static_cast<void*>(m->attn),
        static_cast<void*>(m->ff), static_cast<void*>(m->logits), static_cast<void*>(m->tokens)}) {
    if (p != nullptr) cudaFree(p);
  }
  delete m;
}

std::string create(const shape& s, const float* params, std::size_t count, device_model** out) {
  auto* m = new device_model;
  m->s = s;
  const std::size_t d = s.d_model, ctx = s.context_length;
  const std::size_t kv = std::size_t{s.n_layers} * ctx * d;
  cudaError_t e = cudaSuccess;
  if ((e = allocate(&m->params, count)) != cudaSuccess || (e = allocate(&m->keys, kv)) != cudaSuccess ||
      (e = allocate(&m->values, kv)) != cudaSuccess || (e = allocate(&m->x, ctx * d)) != cudaSuccess ||
      (e = allocate(&m->h, ctx * d)) != cudaSuccess || (e = allocate(&m->q, ctx * d)) != cudaSuccess ||
      (e = allocate(&m->attn, ctx * d)) != cudaSuccess || (e = allocate(&m->ff, ctx * s.d_ff)) != cudaSuccess ||
      (e = allocate(&m->logits, std::size_t{s.vocab_size})) != cudaSuccess ||
      (e = allocate(&m->tokens, ctx)) != cudaSuccess) {
    destroy(m);
    return describe("cudaMalloc", e);
  }
  if ((e = cudaMemcpy(m->params, params, count * sizeof(float), cudaMemcpyHostToDevice)) != cudaSuccess) {
    destroy(m);
    return describe("cudaMemcpy", e);
  }
  // The flattened order of make_weights: embeddings, each layer's tensors, the final norm.
  const float* p = m->params;
  const auto take = [&p](std::size_t n) {
    const float* at = p;
    p += n;
    return at;
  };
  m->token_embedding = take(std::size_t{s.vocab_size} * d);
  m->position_embedding = take(ctx * d);
  for (std::uint32_t l = 0; l < s.n_layers; ++l) {
    layer_pointers lp{};
    lp.ln1_gain = take(d);
    lp.ln1_bias = take(d);
    lp.wq = take(d * d);
    lp.wk = take(d * d);
    lp.wv = take(d * d);
    lp.wo = take(d * d);
    lp.ln2_gain = take(d);
    lp.ln2_bias = take(d);
    lp.w1 = take(d * s.d_ff);
    lp.b1 = take(s.d_ff);
    lp.w2 = take(std::size_t{s.d_ff} * d);
    lp.b2 = take(d);
    m->layers.push_back(lp);
  }
  m->final_gain = take(d);
  m->final_bias = take(d);
  *out = m;
  return {};
}

std::string run(device_model* m, const std::uint32_t* tokens, std::uint32_t start, std::uint32_t count, float* logits) {
  const shape& s = m->s;
  const std::uint32_t d = s.d_model;
  constexpr float eps = 1e-5f;
  cudaError_t e = cudaMemcpy(m->tokens, tokens, count * sizeof(std::uint32_t), cudaMemcpyHostToDevice);
  if (e != cudaSuccess) return describe("cudaMemcpy", e);
  k::embed<<<blocks_for(std::size_t{count} * d, k::threads_per_block), k::threads_per_block>>>(
      m->tokens, m->token_embedding, m->position_embedding, start, count, d, m->x);
  const std::size_t attention_shared = std::size_t{start + count} * sizeof(float);
  for (std::uint32_t l = 0; l < s.n_layers; ++l) {
    const layer_pointers& w = m->layers[l];
    float* keys = m->keys + std::size_t{l} * s.context_length * d;
    float* values = m->values + std::size_t{l} * s.context_length * d;
    k::layer_norm<<<count, k::threads_per_block>>>(m->x, w.ln1_gain, w.ln1_bias, m->h, d, eps);
    matmul(m->h, w.wq, nullptr, m->q, count, d, d, false);
    matmul(m->h, w.wk, nullptr, keys + std::size_t{start} * d, count, d, d, false);
    matmul(m->h, w.wv, nullptr, values + std::size_t{start} * d, count, d, d, false);
    k::attention<<<dim3(count, s.n_heads), k::threads_per_block, attention_shared>>>(m->q, keys, values, m->attn, start,
                                                                                     d, s.n_heads);
    matmul(m->attn, w.wo, nullptr, m->x, count, d, d, true);
    k::layer_norm<<<count, k::threads_per_block>>>(m->x, w.ln2_gain, w.ln2_bias, m->h, d, eps);
    matmul(m->h, w.w1, w.b1, m->ff, count, d, s.d_ff, false);
    k::gelu<<<blocks_for(std::size_t{count} * s.d_ff, k::threads_per_block), k::threads_per_block>>>(m->ff,
                                                                                                     count * s.d_ff);
    matmul(m->ff, w.w2, w.b2, m->x, count, s.d_ff, d, true);
  }
  const float* last = m->x + std::size_t{count - 1} * d;
  k::layer_norm<<<1, k::threads_per_block>>>(last, m->final_gain, m->final_bias, m->h, d, eps);
  k::project<<<blocks_for(s.vocab_size, k::threads_per_block), k::threads_per_block>>>(m->h, m->token_embedding,
                                                                                       m->logits, s.vocab_size, d);
  if ((e = cudaGetLastError()) != cudaSuccess) return describe("kernel launch", e);
  if ((e = cudaMemcpy(logits, m->logits, s.vocab_size * sizeof(float), cudaMemcpyDeviceToHost)) != cudaSuccess) {
    return describe("cudaMemcpy", e);
  }
  return {};
}

}  // namespace backend::cuda::detail
COCOON_SDK_NAMESPACE_END
