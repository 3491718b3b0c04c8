#include <cocoon/backend/prng.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>

namespace be = cocoon::backend;

TEST_CASE("splitmix64 matches the reference outputs for seed 0", "[backend][prng]") {
  be::splitmix64 g(0);
  CHECK(g.next() == 0xe220a8397b1dcdafULL);
  CHECK(g.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(g.next() == 0x06c45d188009454fULL);
}

TEST_CASE("splitmix64 floats are the top 24 bits, in range", "[backend][prng]") {
  be::splitmix64 g(0);
  CHECK(g.next_unit_float() == static_cast<float>(0xe220a8) / 16777216.0f);
  be::splitmix64 h(42);
  for (int i = 0; i < 10000; ++i) {
    const float s = h.next_symmetric(0.25f);
    REQUIRE(s >= -0.25f);
    REQUIRE(s < 0.25f);
  }
}

TEST_CASE("xoshiro256** matches the reference outputs from state {1, 2, 3, 4}", "[backend][prng]") {
  auto g = be::xoshiro256ss::from_state({1, 2, 3, 4});
  CHECK(g.next() == 11520U);
  CHECK(g.next() == 0U);
  CHECK(g.next() == 1509978240U);
  CHECK(g.next() == 1215971899390074240ULL);
}

TEST_CASE("xoshiro256** is seeded from splitmix64 and differs per seed", "[backend][prng]") {
  be::splitmix64 s(7);
  const std::uint64_t a = s.next(), b = s.next(), c = s.next(), d = s.next();
  auto expected = be::xoshiro256ss::from_state({a, b, c, d});
  be::xoshiro256ss seeded(7);
  for (int i = 0; i < 16; ++i) REQUIRE(seeded.next() == expected.next());

  std::set<std::uint64_t> firsts;
  for (std::uint64_t seed = 0; seed < 64; ++seed) firsts.insert(be::xoshiro256ss(seed).next());
  CHECK(firsts.size() == 64);

  be::xoshiro256ss u(1);
  for (int i = 0; i < 10000; ++i) {
    const double x = u.next_unit_double();
    REQUIRE(x >= 0.0);
    REQUIRE(x < 1.0);
  }
}
