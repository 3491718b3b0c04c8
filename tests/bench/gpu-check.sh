#!/usr/bin/env bash
# Builds the reference model's backend tests and benchmark in Release with CUDA on, and runs them:
# the CUDA backend against the CPU reference, then the throughput ratios. Meant for a machine with
# an NVIDIA GPU; without one the CUDA test reports "skipped" and the benchmark times the CPU only.
#   tests/bench/gpu-check.sh [build dir]     (default build/gpu-check)
# CUDA_ARCHITECTURES overrides the compiled architectures (default 80;90: A100, H100/H200).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-${root}/build/gpu-check}"
arch="${CUDA_ARCHITECTURES:-80;90}"
jobs="${JOBS:-$(nproc)}"

if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then export PATH="/usr/local/cuda/bin:${PATH}"; fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,compute_cap,driver_version --format=csv,noheader || true

cmake -S "${root}" -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOCOON_SDK_WITH_CUDA=ON \
  "-DCMAKE_CUDA_ARCHITECTURES=${arch}" -DCOCOON_SDK_BUILD_EXAMPLES=OFF
cmake --build "${build}" --target test_backend test_backend_cuda bench_backend -j "${jobs}"

status=0
echo "== CPU reference tests"
"${build}/tests/test_backend" | tail -2 || status=1
echo "== CUDA backend against the CPU reference"
set +e
"${build}/tests/test_backend_cuda" --rng-seed 20261124
rc=$?
set -e
case ${rc} in
  0) echo "cuda tests: passed" ;;
  77) echo "cuda tests: SKIPPED (no CUDA device)" ;;
  *) echo "cuda tests: FAILED (${rc})"; status=1 ;;
esac
echo "== benchmark"
"${build}/tests/bench/bench_backend" "${BENCH_TOKENS:-200}" || status=1
exit ${status}
