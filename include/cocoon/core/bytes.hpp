// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_BYTES_HPP
#define COCOON_CORE_BYTES_HPP

#include <cocoon/detail/config.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

/// An owned byte buffer.
using bytes = std::vector<std::byte>;

/// A read-only view of bytes; what every SDK parser and encoder takes.
using byte_view = std::span<const std::byte>;

/// A writable view of bytes.
using mutable_byte_view = std::span<std::byte>;

/// The bytes of a string, without copying.
[[nodiscard]] inline byte_view as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

/// The bytes viewed as characters, without copying (for I/O and JSON).
[[nodiscard]] inline std::string_view as_chars(byte_view data) noexcept {
  return {reinterpret_cast<const char*>(data.data()), data.size()};
}

/// A copy of the string's bytes.
[[nodiscard]] inline bytes to_bytes(std::string_view text) {
  const byte_view view = as_bytes(text);
  return {view.begin(), view.end()};
}

COCOON_SDK_NAMESPACE_END

#endif
