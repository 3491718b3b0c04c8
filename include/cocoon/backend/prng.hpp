// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_PRNG_HPP
#define COCOON_BACKEND_PRNG_HPP

#include <cocoon/detail/config.hpp>

#include <array>
#include <cstdint>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

/// SplitMix64 (Steele, Lea, Flood 2014): the generator behind the model weights, and the seeder of
/// `xoshiro256ss`. Fixed integer arithmetic, so every platform and standard library produces the
/// same stream; `std::` distributions are never used because their output differs between libraries.
class splitmix64 {
 public:
  explicit constexpr splitmix64(std::uint64_t seed) noexcept : state_(seed) {}

  constexpr std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, 1) on a grid of 2^-24: the top 24 bits, exactly representable as a float.
  constexpr float next_unit_float() noexcept { return static_cast<float>(next() >> 40) * 0x1p-24f; }

  /// Uniform in [-bound, bound).
  constexpr float next_symmetric(float bound) noexcept { return (2.0f * next_unit_float() - 1.0f) * bound; }

 private:
  std::uint64_t state_;
};

/// xoshiro256** 1.0 (Blackman, Vigna 2018): the sampling generator, its state seeded with four
/// outputs of `splitmix64(seed)` as its authors recommend.
class xoshiro256ss {
 public:
  explicit constexpr xoshiro256ss(std::uint64_t seed) noexcept : state_{} {
    splitmix64 seeder(seed);
    for (auto& word : state_) word = seeder.next();
  }

  /// A generator at a given state (not all zero), for the reference test vectors.
  [[nodiscard]] static constexpr xoshiro256ss from_state(const std::array<std::uint64_t, 4>& state) noexcept {
    xoshiro256ss g(0);
    g.state_ = state;
    return g;
  }

  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) on a grid of 2^-53: the top 53 bits, exactly representable as a double.
  constexpr double next_unit_double() noexcept { return static_cast<double>(next() >> 11) * 0x1p-53; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  std::array<std::uint64_t, 4> state_;
};

}  // namespace backend
COCOON_SDK_NAMESPACE_END

#endif
