// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_DETAIL_SCRUBBED_HPP
#define COCOON_CRYPTO_DETAIL_SCRUBBED_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

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

/// Zeroes a heap buffer over its whole capacity (what earlier contents it still holds there
/// included) and leaves it that long.
inline void scrub(bytes& buffer) noexcept {
  buffer.resize(buffer.capacity());  // within capacity: no allocation, cannot throw
  sodium_memzero(buffer.data(), buffer.size());
}
inline void scrub(std::string& buffer) noexcept {
  buffer.resize(buffer.capacity());
  sodium_memzero(buffer.data(), buffer.size());
}
inline void scrub(std::vector<bytes>& buffers) noexcept {
  for (bytes& buffer : buffers) scrub(buffer);
}

/// Scrubs heap buffers of secrets (a serialized job, plaintext chunks) when it goes out of
/// scope, on every path including exceptions and early returns. Declare it after the buffers.
template <class... Buffers>
class scrub_on_exit {
 public:
  explicit scrub_on_exit(Buffers&... buffers) noexcept : buffers_(buffers...) {}
  scrub_on_exit(const scrub_on_exit&) = delete;
  scrub_on_exit& operator=(const scrub_on_exit&) = delete;
  ~scrub_on_exit() {
    std::apply([](auto&... buffer) { (scrub(buffer), ...); }, buffers_);
  }

 private:
  std::tuple<Buffers&...> buffers_;
};

}  // namespace crypto::detail
COCOON_SDK_NAMESPACE_END

#endif
