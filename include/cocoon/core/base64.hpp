// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_BASE64_HPP
#define COCOON_CORE_BASE64_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN

/// The RFC 4648 base64 alphabets, with or without '=' padding. Decoding is strict in the
/// variant: the other alphabet, missing or extra padding, whitespace and non-zero trailing bits
/// are all errors, so each byte string has exactly one accepted encoding.
enum class base64_variant {
  standard,           ///< `+/` with padding (RFC 4648 section 4; BoCs in TON Connect)
  standard_unpadded,  ///< `+/` without padding
  url,                ///< `-_` with padding (TON user-friendly addresses are 48 chars, never padded)
  url_unpadded,       ///< `-_` without padding (RFC 4648 section 5 as JWTs use it)
};

namespace detail {

[[nodiscard]] constexpr int sodium_variant(base64_variant variant) noexcept {
  switch (variant) {
    case base64_variant::standard: return sodium_base64_VARIANT_ORIGINAL;
    case base64_variant::standard_unpadded: return sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    case base64_variant::url: return sodium_base64_VARIANT_URLSAFE;
    case base64_variant::url_unpadded: return sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  }
  return sodium_base64_VARIANT_ORIGINAL;
}

[[nodiscard]] inline result<bytes> decode_base64(std::string_view text, base64_variant variant) {
  ensure_sodium();
  // libsodium 1.0.18 decodes every byte >= 0x80 as one of its alphabet's characters (its
  // branch-free character mapping sign-extends), which would give one byte string many accepted
  // encodings. Non-ASCII input is refused first, without branching on each (possibly secret) byte.
  unsigned char high_bits = 0;
  for (const char c : text) high_bits |= static_cast<unsigned char>(c);
  if ((high_bits & 0x80U) != 0) {
    const auto non_ascii = std::find_if(text.begin(), text.end(), [](char c) { return (c & 0x80) != 0; });
    return failure{errc::invalid_base64, "unexpected character at offset " + std::to_string(non_ascii - text.begin())};
  }
  // One spare byte keeps the output pointer valid for empty input.
  bytes out(text.size() / 4 * 3 + 3);
  std::size_t written = 0;
  const char* end = nullptr;
  const bool decoded = sodium_base642bin(uchar(out.data()), out.size(), text.data(), text.size(), nullptr, &written,
                                         &end, sodium_variant(variant)) == 0;
  if (end != text.data() + text.size()) {
    return failure{errc::invalid_base64, "unexpected character at offset " + std::to_string(end - text.data())};
  }
  if (!decoded) return failure{errc::invalid_base64, "incomplete final group or wrong padding"};
  out.resize(written);
  return out;
}

}  // namespace detail

/// Encodes `data` as base64 in the given variant. Constant time in the byte values.
[[nodiscard]] inline std::string to_base64(byte_view data, base64_variant variant = base64_variant::standard) {
  detail::ensure_sodium();
  const int sodium_variant = detail::sodium_variant(variant);
  std::string text(sodium_base64_encoded_len(data.size(), sodium_variant), '\0');
  sodium_bin2base64(text.data(), text.size(), detail::uchar(data.data()), data.size(), sodium_variant);
  text.resize(text.size() - 1);  // the terminating NUL libsodium writes
  return text;
}

/// Decodes base64 in exactly the given variant.
/// @throws cocoon::error with `errc::invalid_base64`, naming the offset of a bad character.
[[nodiscard]] inline bytes from_base64(std::string_view text, base64_variant variant = base64_variant::standard) {
  return detail::value_or_throw(detail::decode_base64(text, variant), "base64 decode");
}

/// Decodes base64 in exactly the given variant; on failure returns `std::nullopt` and sets `ec`.
[[nodiscard]] inline std::optional<bytes> from_base64(std::string_view text, base64_variant variant, error_code& ec) {
  return detail::value_or_code(detail::decode_base64(text, variant), ec);
}

COCOON_SDK_NAMESPACE_END

#endif
