// A minimal benchmark harness: runs a body until a time budget is spent (after one warm-up run)
// and reports the best rate seen. Results are meant to be read as ratios between two
// measurements taken in the same process, never compared with absolute thresholds.
#ifndef COCOON_TESTS_BENCH_HPP
#define COCOON_TESTS_BENCH_HPP

#include <chrono>
#include <cstdio>
#include <string>

namespace bench {

/// Seconds each measurement runs; `--quick` makes a smoke run that only shows the code works.
inline double budget_seconds = 1.0;

inline void parse_args(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--quick") budget_seconds = 0.02;
  }
}

/// Runs `body` repeatedly; returns the best observed rate in units per second, where one run
/// of `body` does `units` units of work.
template <class Body>
double rate(double units, Body&& body) {
  using clock = std::chrono::steady_clock;
  body();  // warm-up: caches, lazy initialisation, page faults
  double best = 0;
  const auto stop = clock::now() + std::chrono::duration<double>(budget_seconds);
  do {
    const auto start = clock::now();
    body();
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();
    if (seconds > 0 && units / seconds > best) best = units / seconds;
  } while (clock::now() < stop);
  return best;
}

inline void report(const char* name, double value, const char* unit, double baseline, const char* baseline_name) {
  std::printf("%-44s %12.1f %-8s  x%.2f vs %s\n", name, value, unit, value / baseline, baseline_name);
}

}  // namespace bench

#endif
