// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_DETAIL_ENDIAN_HPP
#define COCOON_CORE_DETAIL_ENDIAN_HPP

#include <cocoon/detail/config.hpp>

#include <cstddef>
#include <cstdint>

COCOON_SDK_NAMESPACE_BEGIN
namespace detail {

/// The low `width` bytes of `value` (1 to 8), most significant first: the wire formats' big-endian
/// integers (envelopes, STREAM frames).
inline void store_be(std::uint64_t value, std::size_t width, std::byte* out) noexcept {
  for (std::size_t i = 0; i < width; ++i) out[width - 1 - i] = static_cast<std::byte>((value >> (8 * i)) & 0xff);
}

[[nodiscard]] inline std::uint64_t load_be(const std::byte* in, std::size_t width) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) value = (value << 8) | std::to_integer<std::uint8_t>(in[i]);
  return value;
}

/// The same, least significant first: COCOON's TL, frames and proof of work.
inline void store_le(std::uint64_t value, std::size_t width, std::byte* out) noexcept {
  for (std::size_t i = 0; i < width; ++i) out[i] = static_cast<std::byte>((value >> (8 * i)) & 0xff);
}

[[nodiscard]] inline std::uint64_t load_le(const std::byte* in, std::size_t width) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) value |= std::uint64_t{std::to_integer<std::uint8_t>(in[i])} << (8 * i);
  return value;
}

}  // namespace detail
COCOON_SDK_NAMESPACE_END

#endif
