// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_DETAIL_CRC_HPP
#define COCOON_TON_DETAIL_CRC_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>

#include <array>
#include <cstdint>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton::detail {

/// CRC-16/XMODEM (poly 0x1021, init 0, not reflected, no final xor): the checksum of
/// user-friendly addresses. Bitwise: inputs are 34 bytes, speed does not matter.
[[nodiscard]] inline std::uint16_t crc16_xmodem(byte_view data) noexcept {
  unsigned crc = 0;
  for (const std::byte b : data) {
    crc ^= static_cast<unsigned>(b) << 8U;
    for (int bit = 0; bit < 8; ++bit) crc = ((crc & 0x8000U) != 0 ? (crc << 1U) ^ 0x1021U : crc << 1U) & 0xFFFFU;
  }
  return static_cast<std::uint16_t>(crc & 0xFFFFU);
}

/// CRC-32C (Castagnoli, reflected poly 0x82F63B78, init and final xor 0xFFFFFFFF): the
/// checksum a bag of cells may end with.
[[nodiscard]] inline std::uint32_t crc32c(byte_view data) noexcept {
  static constexpr auto table = [] {
    std::array<std::uint32_t, 256> entries{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t value = i;
      for (int bit = 0; bit < 8; ++bit) value = (value & 1U) != 0 ? (value >> 1U) ^ 0x82F63B78U : value >> 1U;
      entries[i] = value;
    }
    return entries;
  }();
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const std::byte b : data) crc = table[(crc ^ static_cast<std::uint32_t>(b)) & 0xFFU] ^ (crc >> 8U);
  return crc ^ 0xFFFFFFFFU;
}

}  // namespace ton::detail
COCOON_SDK_NAMESPACE_END

#endif
