#!/usr/bin/env bash
# Compile times of a small user translation unit (user.cpp: the umbrella header and one
# client::async_submit), with g++ and clang++, header-only and against cocoon::sdk_compiled (the
# headers in compiled mode: only declarations and the thin async shells). Wall time and peak
# memory of one `-c` compile each, as a Debug build compiles it. Printed, never asserted.
#
#   tests/bench/compile/compile_times.sh [compiler...]   (default: g++ clang++)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
source="$root/tests/bench/compile/user.cpp"
compilers=("$@")
[[ ${#compilers[@]} -gt 0 ]] || compilers=(g++ clang++)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

printf '%-10s %-12s %9s %9s\n' compiler mode "wall s" "peak MB"
for compiler in "${compilers[@]}"; do
  command -v "$compiler" >/dev/null || { printf '%-10s not found\n' "$compiler"; continue; }
  for mode in header-only compiled; do
    flags=(-std=c++20 -g -I"$root/include")
    [[ $mode == compiled ]] && flags+=(-DCOCOON_SDK_SEPARATE_COMPILATION)
    /usr/bin/time -f '%e %M' -o "$out/time" "$compiler" "${flags[@]}" -c "$source" -o "$out/user.o"
    read -r wall kilobytes <"$out/time"
    printf '%-10s %-12s %9s %9d\n' "$compiler" "$mode" "$wall" "$((kilobytes / 1024))"
  done
done
