// Shared by the fuzz targets: a failed oracle aborts, which libFuzzer and the replay main both
// report as a crash with the input saved.
#ifndef COCOON_TESTS_FUZZ_HPP
#define COCOON_TESTS_FUZZ_HPP

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                             \
  do {                                                                                    \
    if (!(condition)) {                                                                   \
      std::fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (false)

#endif
