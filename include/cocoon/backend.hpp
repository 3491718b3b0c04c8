// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_HPP
#define COCOON_BACKEND_HPP

// The reference model: a small byte-level transformer with seeded weights, its CPU backend,
// sampling and streaming generation. The CUDA backend (cocoon/backend/cuda/cuda_backend.hpp) is a
// separate compiled target, cocoon::backend_cuda, and is not included here.
#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/generate.hpp>
#include <cocoon/backend/model_backend.hpp>
#include <cocoon/backend/model_config.hpp>
#include <cocoon/backend/ops.hpp>
#include <cocoon/backend/prng.hpp>
#include <cocoon/backend/sampling.hpp>
#include <cocoon/backend/weights.hpp>

#endif
