// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_DETAIL_SODIUM_HPP
#define COCOON_CORE_DETAIL_SODIUM_HPP

#include <cocoon/detail/config.hpp>

#include <sodium.h>

#include <cstddef>
#include <stdexcept>

COCOON_SDK_NAMESPACE_BEGIN
namespace detail {

/// Initialises libsodium once per process (thread-safe) before the first SDK call that needs it.
/// sodium_init only fails when the system has no usable randomness source; nothing can be
/// done safely then, so the SDK refuses to go on.
inline void ensure_sodium() {
  static const bool initialised = sodium_init() >= 0;
  if (!initialised) throw std::runtime_error("cocoon: libsodium could not be initialised");
}

[[nodiscard]] inline unsigned char* uchar(std::byte* p) noexcept { return reinterpret_cast<unsigned char*>(p); }
[[nodiscard]] inline const unsigned char* uchar(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}

}  // namespace detail
COCOON_SDK_NAMESPACE_END

#endif
