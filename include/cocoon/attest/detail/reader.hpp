// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_DETAIL_READER_HPP
#define COCOON_ATTEST_DETAIL_READER_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest::detail {

/// Little-endian loads; callers have checked the bounds.
[[nodiscard]] inline std::uint16_t load_le16(const std::byte* at) noexcept {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(at[0]) | std::to_integer<unsigned>(at[1]) << 8);
}

[[nodiscard]] inline std::uint32_t load_le32(const std::byte* at) noexcept {
  return static_cast<std::uint32_t>(load_le16(at)) | static_cast<std::uint32_t>(load_le16(at + 2)) << 16;
}

[[nodiscard]] inline std::uint64_t load_le64(const std::byte* at) noexcept {
  return static_cast<std::uint64_t>(load_le32(at)) | static_cast<std::uint64_t>(load_le32(at + 4)) << 32;
}

/// "name at offset N": how every quote failure locates itself.
[[nodiscard]] inline std::string at_offset(const char* field, std::size_t offset) {
  return std::string(field) + " at offset " + std::to_string(offset);
}

}  // namespace attest::detail
COCOON_SDK_NAMESPACE_END

#endif
