#!/usr/bin/env bash
# Builds and runs, on a machine with an NVIDIA GPU, the CUDA backend's comparison against the CPU
# reference (tests/backend/cuda_backend.cpp) and the throughput benchmark (tests/bench/backend.cpp),
# optimized (-O2, like a Release build), for the GPU architectures in CUDA_ARCHITECTURES.
#
# It calls the compilers directly instead of configuring the whole project: these two programs need
# only g++ (C++20), nvcc (CUDA 12 or later) and the Boost headers (Boost.System is header-only), so a
# GPU machine without the SDK's other dependencies (libsodium, OpenSSL, Catch2 2.x) can run them.
# When Catch2 2.x is installed, the CPU reference suite (test_backend) is built and run as well.
#
#   tests/bench/gpu-check.sh [build dir]       default: build/gpu-check
#   CUDA_ARCHITECTURES="80;90"                 default: A100 and H100/H200 (sm_80, sm_90)
#   BENCH_TOKENS=200                           tokens generated per benchmark run
# Exit status: 0 when every check passed (the CUDA checks count as passed only when a device ran
# them: "SKIPPED" is printed otherwise), 1 on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-${root}/build/gpu-check}"
archs="${CUDA_ARCHITECTURES:-80;90}"
if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then export PATH="/usr/local/cuda/bin:${PATH}"; fi
cuda_home="$(dirname "$(dirname "$(command -v nvcc)")")"
mkdir -p "${build}"

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,compute_cap,driver_version --format=csv,noheader || true
nvcc --version | tail -2
gencode=()
IFS=';' read -ra list <<<"${archs}"
for a in "${list[@]}"; do gencode+=("-gencode=arch=compute_${a},code=[compute_${a},sm_${a}]"); done

# Warnings are shown, not fatal: the presets gate them; another compiler version here may add new ones.
cxx=(g++ -std=c++20 -O2 -I"${root}/include" -Wall -Wextra)
echo "== build (architectures ${archs})"
set -x
nvcc -std=c++20 -O2 "${gencode[@]}" -I"${root}/include" -Xcompiler=-Wall,-Wextra \
  -c "${root}/include/cocoon/backend/cuda/detail/device.cu" -o "${build}/device.o"
"${cxx[@]}" -c "${root}/include/cocoon/backend/cuda/detail/cuda_backend.cpp" -o "${build}/cuda_backend.o"
link=("${build}/device.o" "${build}/cuda_backend.o" -L"${cuda_home}/lib64" -lcudart -Wl,-rpath,"${cuda_home}/lib64")
"${cxx[@]}" "${root}/tests/backend/cuda_backend.cpp" "${link[@]}" -o "${build}/test_backend_cuda"
"${cxx[@]}" -DCOCOON_BENCH_CUDA "${root}/tests/bench/backend.cpp" "${link[@]}" -o "${build}/bench_backend"
set +x

status=0
if echo '#include <catch2/catch.hpp>' | g++ -std=c++20 -E -x c++ - >/dev/null 2>&1; then
  echo "== CPU reference suite"
  "${cxx[@]}" -I"${root}/tests" "${root}/tests/main.cpp" "${root}"/tests/backend/{cpu_backend,generate,model_config,ops,prng,sampling,weights}.cpp \
    -o "${build}/test_backend"
  "${build}/test_backend" --rng-seed 20261124 | tail -2 || status=1
else
  echo "== CPU reference suite: not built here (no Catch2 2.x); it runs in the project's own test suite"
fi

echo "== CUDA backend against the CPU reference"
set +e
"${build}/test_backend_cuda"
rc=$?
set -e
case ${rc} in
  0) echo "cuda checks: passed" ;;
  77) echo "cuda checks: SKIPPED (no CUDA device)" ;;
  *) echo "cuda checks: FAILED (exit ${rc})"; status=1 ;;
esac

echo "== benchmark"
"${build}/bench_backend" "${BENCH_TOKENS:-200}" || status=1
exit ${status}
