// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_ADDRESS_HPP
#define COCOON_TON_ADDRESS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/base64.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/detail/crc.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// How a user-friendly address is written: its two flags and its base64 alphabet.
struct friendly_flags {
  bool bounceable = true;  ///< tag 0x11 (contracts); false: 0x51 (wallets, undeployed accounts)
  bool testnet = false;    ///< the "test only" bit (+0x80)
  bool url_safe = true;    ///< base64url (`-_`), the usual form; false: standard base64 (`+/`)
};

/// An internal TON address (`addr_std` without anycast): a workchain and a 256-bit account id.
/// Only the basechain (0) and the masterchain (-1) exist, and only they are accepted.
class address {
 public:
  address() = default;
  /// @throws cocoon::error with `errc::address_invalid` for a workchain other than 0 or -1.
  address(std::int32_t workchain, const hash256& account);

  [[nodiscard]] std::int32_t workchain() const noexcept { return workchain_; }
  [[nodiscard]] const hash256& account() const noexcept { return account_; }

  /// `<workchain>:<64 lowercase hex digits>`, e.g. `0:2cf5...22e3`.
  [[nodiscard]] std::string to_raw() const { return std::to_string(workchain_) + ":" + account_.to_hex(); }
  /// The 48-character user-friendly form (TEP-2): tag, workchain, account id, CRC16, in base64.
  [[nodiscard]] std::string to_friendly(const friendly_flags& flags = {}) const;

  friend bool operator==(const address& a, const address& b) noexcept {
    return a.workchain_ == b.workchain_ && a.account_ == b.account_;
  }
  /// Prints the raw form.
  friend std::ostream& operator<<(std::ostream& out, const address& a) { return out << a.to_raw(); }

 private:
  std::int32_t workchain_ = 0;
  hash256 account_;
};

/// An address parsed from text, with the form it was written in.
struct parsed_address {
  ton::address address;
  bool friendly = false;  ///< false for the raw form
  friendly_flags flags;   ///< the friendly form's flags (defaults for the raw form)
};

namespace detail {

using cocoon::detail::failure;
using cocoon::detail::result;

[[nodiscard]] inline bool valid_workchain(std::int64_t workchain) noexcept { return workchain == 0 || workchain == -1; }

[[nodiscard]] inline result<parsed_address> parse_raw_address(std::string_view text, std::size_t colon) {
  const std::string_view wc = text.substr(0, colon);
  if (wc != "0" && wc != "-1") return failure{errc::address_invalid, "raw workchain is not 0 or -1"};
  const std::string_view account = text.substr(colon + 1);
  if (account.size() != 64) return failure{errc::address_invalid, "raw account id is not 64 hex digits"};
  std::array<std::byte, 32> id{};
  if (cocoon::detail::decode_hex_into(account, id)) {
    return failure{errc::address_invalid, "raw account id is not 64 hex digits"};
  }
  parsed_address out;
  out.address = address(wc == "0" ? 0 : -1, hash256(id));
  return out;
}

[[nodiscard]] inline result<parsed_address> parse_friendly_address(std::string_view text) {
  if (text.size() != 48) return failure{errc::address_invalid, "not 48 characters"};
  // A text with none of `-_+/` is valid in both alphabets; it counts as base64url, the usual form.
  const bool url = text.find_first_of("+/") == std::string_view::npos;
  if (!url && text.find_first_of("-_") != std::string_view::npos) {
    return failure{errc::address_invalid, "mixes the base64 and base64url alphabets"};
  }
  auto decoded = cocoon::detail::decode_base64(text, url ? base64_variant::url : base64_variant::standard);
  if (!decoded.has_value()) return failure{errc::address_invalid, "base64: " + decoded.error().where};
  const bytes& raw = decoded.value();
  if (raw.size() != 36) return failure{errc::address_invalid, "not 36 bytes"};
  const auto tag = static_cast<unsigned>(raw[0]);
  if ((tag & 0x7FU) != 0x11U && (tag & 0x7FU) != 0x51U) return failure{errc::address_invalid, "byte 0: unknown tag"};
  const auto wc = static_cast<std::int8_t>(raw[1]);
  if (!valid_workchain(wc)) return failure{errc::address_invalid, "byte 1: workchain is not 0 or -1"};
  const std::uint16_t crc = crc16_xmodem(byte_view(raw).first(34));
  const auto stored =
      static_cast<std::uint16_t>((static_cast<unsigned>(raw[34]) << 8U) | static_cast<unsigned>(raw[35]));
  if (crc != stored) return failure{errc::address_checksum_mismatch, "bytes 34..35: CRC16"};
  parsed_address out;
  out.address = address(wc, hash256(byte_view(raw).subspan(2, 32)));
  out.friendly = true;
  out.flags = {(tag & 0x7FU) == 0x11U, (tag & 0x80U) != 0, url};
  return out;
}

[[nodiscard]] inline result<parsed_address> parse_address(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos) return parse_raw_address(text, colon);
  return parse_friendly_address(text);
}

}  // namespace detail

inline address::address(std::int32_t workchain, const hash256& account) : workchain_(workchain), account_(account) {
  if (!detail::valid_workchain(workchain)) {
    cocoon::detail::throw_error(errc::address_invalid, "TON address", "workchain is not 0 or -1");
  }
}

inline std::string address::to_friendly(const friendly_flags& flags) const {
  std::array<std::byte, 36> raw{};
  raw[0] = static_cast<std::byte>((flags.bounceable ? 0x11U : 0x51U) | (flags.testnet ? 0x80U : 0U));
  raw[1] = static_cast<std::byte>(static_cast<std::uint8_t>(workchain_));
  std::copy(account_.view().begin(), account_.view().end(), raw.begin() + 2);
  const std::uint16_t crc = detail::crc16_xmodem(std::span(raw).first(34));
  raw[34] = static_cast<std::byte>(crc >> 8U);
  raw[35] = static_cast<std::byte>(crc & 0xFFU);
  return to_base64(raw, flags.url_safe ? base64_variant::url : base64_variant::standard);
}

/// Parses a raw (`0:<64 hex>`, hex in either case) or user-friendly address (48 characters of
/// base64url or base64, not mixed). The CRC16, the tag and the workchain (0 or -1) are checked;
/// the testnet flag is reported in `flags`, and deciding whether it fits the network is the
/// caller's.
/// @throws cocoon::error with `errc::address_invalid` or `errc::address_checksum_mismatch`.
[[nodiscard]] inline parsed_address parse_address(std::string_view text) {
  return cocoon::detail::value_or_throw(detail::parse_address(text), "TON address parse");
}
[[nodiscard]] inline std::optional<parsed_address> parse_address(std::string_view text, error_code& ec) {
  return cocoon::detail::value_or_code(detail::parse_address(text), ec);
}

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
