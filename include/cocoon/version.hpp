// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_VERSION_HPP
#define COCOON_VERSION_HPP

#include <cocoon/detail/config.hpp>

#include <string_view>

// The single source of the SDK version: CMake reads these three lines.
#define COCOON_SDK_VERSION_MAJOR 0
#define COCOON_SDK_VERSION_MINOR 1
#define COCOON_SDK_VERSION_PATCH 0

/// The version as one integer, MMmmpp (Asio's convention): 0.1.0 is 100.
#define COCOON_SDK_VERSION \
  (COCOON_SDK_VERSION_MAJOR * 10000 + COCOON_SDK_VERSION_MINOR * 100 + COCOON_SDK_VERSION_PATCH)

COCOON_SDK_NAMESPACE_BEGIN

/// The SDK version as "major.minor.patch".
[[nodiscard]] constexpr std::string_view version() noexcept {
#define COCOON_SDK_STRINGIZE_(x) #x
#define COCOON_SDK_STRINGIZE(x) COCOON_SDK_STRINGIZE_(x)
  return COCOON_SDK_STRINGIZE(COCOON_SDK_VERSION_MAJOR) "." COCOON_SDK_STRINGIZE(
      COCOON_SDK_VERSION_MINOR) "." COCOON_SDK_STRINGIZE(COCOON_SDK_VERSION_PATCH);
#undef COCOON_SDK_STRINGIZE
#undef COCOON_SDK_STRINGIZE_
}

COCOON_SDK_NAMESPACE_END

#endif
