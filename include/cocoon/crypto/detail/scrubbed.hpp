// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_DETAIL_SCRUBBED_HPP
#define COCOON_CRYPTO_DETAIL_SCRUBBED_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>

#include <array>
#include <cstddef>

COCOON_SDK_NAMESPACE_BEGIN
namespace crypto::detail {

/// A short-lived stack buffer for intermediate secrets (DH outputs, PRKs, HKDF blocks) that is
/// wiped when it goes out of scope, on every path including exceptions.
template <std::size_t Size>
struct scrubbed {
  std::array<std::byte, Size> bytes{};

  scrubbed() = default;
  scrubbed(const scrubbed&) = delete;
  scrubbed& operator=(const scrubbed&) = delete;
  ~scrubbed() { sodium_memzero(bytes.data(), Size); }

  [[nodiscard]] std::byte* data() noexcept { return bytes.data(); }
  [[nodiscard]] byte_view view() const noexcept { return bytes; }
  [[nodiscard]] mutable_byte_view span() noexcept { return bytes; }
};

}  // namespace crypto::detail
COCOON_SDK_NAMESPACE_END

#endif
