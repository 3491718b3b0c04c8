#!/usr/bin/env bash
# The whole test suite, as CI runs it: a clang-format check, then for each of g++, clang++ and
# clang++ with ASan+UBSan (which also runs the libFuzzer targets for a bounded time): configure,
# build with warnings as errors (each build's time printed), and run every test; then the
# compile times of a small user translation unit. Ends with one line of totals.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

presets=(gcc clang asan)
logs=build/check
mkdir -p "$logs"
step() { printf '\n== %s\n' "$*"; }

step "format: clang-format $(clang-format --version | grep -o '[0-9][0-9.]*' | head -1) --dry-run"
git ls-files '*.hpp' '*.ipp' '*.cpp' '*.cuh' '*.cu' | xargs clang-format --dry-run --Werror
echo "format: ok"

passed=0 failed=0 skipped=0 status=0
failures=()  # "preset: test" for the summary at the end, where CI's log tail shows it
for preset in "${presets[@]}"; do
  step "$preset: configure"
  cmake --preset "$preset" >"$logs/$preset-configure.log" || { cat "$logs/$preset-configure.log"; exit 1; }
  step "$preset: build"
  started=$SECONDS
  cmake --build --preset "$preset" -j "$(nproc)"
  echo "$preset: built in $((SECONDS - started)) s"
  step "$preset: test"
  if ! ctest --preset "$preset" --output-junit "$PWD/$logs/$preset.xml"; then
    status=1
    # Run once more, alone, to tell a flaky test from a broken one; the leg stays failed either way.
    ctest --preset "$preset" --rerun-failed -j 1 >"$logs/$preset-rerun.log" 2>&1 && rerun="passed on rerun" ||
      rerun="failed again"
    while IFS= read -r name; do failures+=("$preset: $name ($rerun)"); done < <(
      grep -o '<testcase name="[^"]*"[^>]*status="fail"' "$logs/$preset.xml" | sed 's/<testcase name="\([^"]*\)".*/\1/')
  fi
  # Each test case's status in ctest's JUnit report: run (passed), fail, or notrun/disabled
  # (reported as skipped, never as passed).
  statuses=$(grep -o '<testcase [^>]*status="[a-z]*"' "$logs/$preset.xml" | grep -o 'status="[a-z]*"' || true)
  run=$(grep -c '"run"' <<<"$statuses" || true) fails=$(grep -c '"fail"' <<<"$statuses" || true)
  passed=$((passed + run)) failed=$((failed + fails))
  skipped=$((skipped + $(grep -c . <<<"$statuses" || true) - run - fails))
done

step "compile time: a small user translation unit, header-only and compiled (tests/bench/compile)"
tests/bench/compile/compile_times.sh

if ((${#failures[@]})); then
  printf '\nfailed tests (their output is in the leg above and in %s/<preset>-rerun.log):\n' "$logs"
  printf '  %s\n' "${failures[@]}"
fi
printf '\ncheck: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
exit "$status"
