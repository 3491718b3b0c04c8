// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_HEX_HPP
#define COCOON_CORE_HEX_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN

/// Lowercase hex of `data`. Constant time in the byte values (libsodium's sodium_bin2hex), so it
/// is safe on secret bytes; mind where the result goes.
[[nodiscard]] inline std::string to_hex(byte_view data) {
  detail::ensure_sodium();
  std::string text(data.size() * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), detail::uchar(data.data()), data.size());
  text.pop_back();
  return text;
}

namespace detail {

/// Decodes hex (either case) into exactly `out.size()` bytes. No prefix, separators or
/// whitespace are accepted. Constant time in the digit values; errors locate the first bad
/// character by offset and never repeat input (it may be a secret).
[[nodiscard]] inline std::optional<failure> decode_hex_into(std::string_view text, mutable_byte_view out) {
  ensure_sodium();
  if (text.size() % 2 != 0) {
    return failure{errc::invalid_hex, "odd number of digits: " + std::to_string(text.size())};
  }
  if (text.size() / 2 != out.size()) {
    return failure{errc::invalid_length,
                   "expected " + std::to_string(out.size() * 2) + " hex digits, got " + std::to_string(text.size())};
  }
  if (text.empty()) return std::nullopt;  // libsodium's output pointer must not be null
  const char* end = nullptr;
  if (sodium_hex2bin(uchar(out.data()), out.size(), text.data(), text.size(), nullptr, nullptr, &end) == 0 &&
      end == text.data() + text.size()) {
    return std::nullopt;
  }
  const auto bad =
      std::find_if(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) == 0; });
  return failure{errc::invalid_hex, "non-hex character at offset " + std::to_string(bad - text.begin())};
}

[[nodiscard]] inline result<bytes> decode_hex(std::string_view text) {
  bytes out(text.size() / 2);
  if (auto why = decode_hex_into(text, out)) return std::move(*why);
  return out;
}

}  // namespace detail

/// Decodes hex (upper or lower case, even length, nothing else).
/// @throws cocoon::error with `errc::invalid_hex` naming the offset of the first bad character.
[[nodiscard]] inline bytes from_hex(std::string_view text) {
  return detail::value_or_throw(detail::decode_hex(text), "hex decode");
}

/// Decodes hex; on failure returns `std::nullopt` and sets `ec` to `errc::invalid_hex`.
[[nodiscard]] inline std::optional<bytes> from_hex(std::string_view text, error_code& ec) {
  return detail::value_or_code(detail::decode_hex(text), ec);
}

COCOON_SDK_NAMESPACE_END

#endif
