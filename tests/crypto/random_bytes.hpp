// Shared by the crypto tests: repeatable pseudo-random inputs from a seeded generator.
#ifndef COCOON_TESTS_CRYPTO_RANDOM_BYTES_HPP
#define COCOON_TESTS_CRYPTO_RANDOM_BYTES_HPP

#include <cocoon/core/bytes.hpp>

#include <cstddef>
#include <random>

namespace crypto_test {

inline cocoon::bytes random_bytes(std::size_t size, std::mt19937_64& random) {
  cocoon::bytes out(size);
  for (auto& b : out) b = static_cast<std::byte>(random());
  return out;
}

}  // namespace crypto_test

#endif
