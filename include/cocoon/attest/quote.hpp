// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_QUOTE_HPP
#define COCOON_ATTEST_QUOTE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/reader.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// A fixed-size field inside a quote: a view into the caller's buffer, never a copy.
template <std::size_t Size>
using field_view = std::span<const std::byte, Size>;

/// Sizes and constants of the Intel TDX DCAP quote format (versions 4 and 5).
namespace quote_layout {
inline constexpr std::size_t header_size = 48;
inline constexpr std::size_t body_descriptor_size = 6;  // v5: u16 body type, u32 body size
inline constexpr std::size_t td_report10_size = 584;    // TDX 1.0 TD report body
inline constexpr std::size_t td_report15_size = 648;    // TDX 1.5: adds TEE_TCB_SVN2 and MRSERVICETD
inline constexpr std::size_t qe_report_size = 384;      // an SGX report body
inline constexpr std::size_t signature_size = 64;       // ECDSA P-256 r || s, each big-endian
inline constexpr std::size_t public_key_size = 64;      // P-256 point X || Y, each big-endian
inline constexpr std::uint16_t attestation_key_ecdsa_p256 = 2;
inline constexpr std::uint32_t tee_type_tdx = 0x81;
inline constexpr std::uint16_t body_type_td_report10 = 2;
inline constexpr std::uint16_t body_type_td_report15 = 3;
inline constexpr std::uint16_t cert_data_qe_report = 6;  // QE report certification data
inline constexpr std::uint16_t cert_data_pck_chain = 5;  // PCK certificate chain
/// Intel's quoting enclave vendor id, the only QE vendor accepted.
inline constexpr std::array<std::uint8_t, 16> intel_qe_vendor_id{0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                                                 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};
}  // namespace quote_layout

/// The bits of TDATTRIBUTES, read as a little-endian 64-bit integer (the quote bytes
/// `00 00 00 10 00 00 00 00` are the integer 0x10000000: SEPT_VE_DISABLE only).
namespace td_attribute {
inline constexpr std::uint64_t debug = 1ULL << 0;
inline constexpr std::uint64_t sept_ve_disable = 1ULL << 28;
inline constexpr std::uint64_t migratable = 1ULL << 29;
inline constexpr std::uint64_t pks = 1ULL << 30;
inline constexpr std::uint64_t kl = 1ULL << 31;
inline constexpr std::uint64_t perfmon = 1ULL << 63;
}  // namespace td_attribute

class tdx_quote;

namespace detail {
/// The one implementation behind both `tdx_quote::parse` forms (and the RA-TLS verifier).
[[nodiscard]] inline cocoon::detail::result<tdx_quote> parse_tdx_quote(byte_view quote);
}  // namespace detail

/// A TD report body (TDX 1.0, 584 bytes, or TDX 1.5, 648 bytes) inside a quote. Offsets below
/// are relative to the body.
class td_report_view {
 public:
  /// The whole body as signed.
  [[nodiscard]] byte_view bytes() const noexcept { return body_; }
  /// True for a TDX 1.5 body (v5 body type 3), which has TEE_TCB_SVN2 and MRSERVICETD.
  [[nodiscard]] bool is_td15() const noexcept { return body_.size() == quote_layout::td_report15_size; }

  [[nodiscard]] field_view<16> tee_tcb_svn() const noexcept { return at<16>(0); }
  [[nodiscard]] field_view<48> mr_seam() const noexcept { return at<48>(16); }
  [[nodiscard]] field_view<48> mr_signer_seam() const noexcept { return at<48>(64); }
  [[nodiscard]] field_view<8> seam_attributes() const noexcept { return at<8>(112); }
  [[nodiscard]] field_view<8> td_attributes_bytes() const noexcept { return at<8>(120); }
  /// TDATTRIBUTES as an integer; test bits with `td_attribute::`.
  [[nodiscard]] std::uint64_t td_attributes() const noexcept { return detail::load_le64(body_.data() + 120); }
  [[nodiscard]] field_view<8> xfam_bytes() const noexcept { return at<8>(128); }
  /// XFAM as a little-endian integer.
  [[nodiscard]] std::uint64_t xfam() const noexcept { return detail::load_le64(body_.data() + 128); }
  [[nodiscard]] field_view<48> mr_td() const noexcept { return at<48>(136); }
  [[nodiscard]] field_view<48> mr_config_id() const noexcept { return at<48>(184); }
  [[nodiscard]] field_view<48> mr_owner() const noexcept { return at<48>(232); }
  [[nodiscard]] field_view<48> mr_owner_config() const noexcept { return at<48>(280); }
  /// RTMR0..RTMR3; `index` must be below 4.
  [[nodiscard]] field_view<48> rtmr(std::size_t index) const noexcept { return at<48>(328 + 48 * (index & 3)); }
  [[nodiscard]] field_view<64> report_data() const noexcept { return at<64>(520); }
  /// TDX 1.5 only: the TEE_TCB_SVN of the module now running.
  [[nodiscard]] std::optional<field_view<16>> tee_tcb_svn2() const noexcept {
    if (!is_td15()) return std::nullopt;
    return at<16>(584);
  }
  /// TDX 1.5 only: the hash of the service TDs bound to this TD (zero when none).
  [[nodiscard]] std::optional<field_view<48>> mr_service_td() const noexcept {
    if (!is_td15()) return std::nullopt;
    return at<48>(600);
  }

 private:
  friend cocoon::detail::result<tdx_quote> detail::parse_tdx_quote(byte_view quote);
  explicit td_report_view(byte_view body) noexcept : body_(body) {}

  template <std::size_t Size>
  [[nodiscard]] field_view<Size> at(std::size_t offset) const noexcept {
    return field_view<Size>(body_.data() + offset, Size);
  }

  byte_view body_;
};

/// The quoting enclave's SGX report body (384 bytes) inside a quote's certification data.
class qe_report_view {
 public:
  [[nodiscard]] field_view<384> bytes() const noexcept { return field_view<384>(report_.data(), 384); }
  [[nodiscard]] field_view<16> cpu_svn() const noexcept { return at<16>(0); }
  [[nodiscard]] std::uint32_t misc_select() const noexcept { return detail::load_le32(report_.data() + 16); }
  [[nodiscard]] field_view<16> attributes() const noexcept { return at<16>(48); }
  [[nodiscard]] field_view<32> mr_enclave() const noexcept { return at<32>(64); }
  [[nodiscard]] field_view<32> mr_signer() const noexcept { return at<32>(128); }
  [[nodiscard]] std::uint16_t isv_prod_id() const noexcept { return detail::load_le16(report_.data() + 256); }
  [[nodiscard]] std::uint16_t isv_svn() const noexcept { return detail::load_le16(report_.data() + 258); }
  [[nodiscard]] field_view<64> report_data() const noexcept { return at<64>(320); }

 private:
  friend cocoon::detail::result<tdx_quote> detail::parse_tdx_quote(byte_view quote);
  explicit qe_report_view(byte_view report) noexcept : report_(report) {}

  template <std::size_t Size>
  [[nodiscard]] field_view<Size> at(std::size_t offset) const noexcept {
    return field_view<Size>(report_.data() + offset, Size);
  }

  byte_view report_;
};

/// A parsed Intel TDX quote (version 4, or version 5 with a TDX 1.0 or 1.5 body) with the ECDSA
/// P-256 attestation key and QE-report certification data wrapping a PCK certificate chain.
///
/// A view: it points into the buffer given to `parse`, which must outlive it. Parsing checks the
/// layout only — every length against what remains, and that the nested lengths add up exactly —
/// not any signature: nothing read from an unverified quote may be trusted (see `verify.hpp`).
/// Bytes after the declared signature data (buffer padding; never signed) are accepted and
/// counted by `trailing_size()`.
class tdx_quote {
 public:
  /// Parses a quote. @throws cocoon::error: `errc::quote_malformed` for a length that does not
  /// fit or add up, `errc::quote_unsupported` for a header or type value this SDK refuses.
  [[nodiscard]] static tdx_quote parse(byte_view quote) {
    return cocoon::detail::value_or_throw(detail::parse_tdx_quote(quote), "parse TDX quote");
  }

  /// Parses a quote; on failure returns `std::nullopt` with `ec` set.
  [[nodiscard]] static std::optional<tdx_quote> parse(byte_view quote, error_code& ec) {
    return cocoon::detail::value_or_code(detail::parse_tdx_quote(quote), ec);
  }

  /// 4 or 5.
  [[nodiscard]] std::uint16_t version() const noexcept { return detail::load_le16(quote_.data()); }
  /// 2: ECDSA-256-with-P-256 (the only type accepted).
  [[nodiscard]] std::uint16_t attestation_key_type() const noexcept { return detail::load_le16(quote_.data() + 2); }
  /// 0x81: TDX (the only type accepted).
  [[nodiscard]] std::uint32_t tee_type() const noexcept { return detail::load_le32(quote_.data() + 4); }
  [[nodiscard]] field_view<16> qe_vendor_id() const noexcept { return field_view<16>(quote_.data() + 12, 16); }
  /// QE-chosen data (first 16 bytes: a platform identifier); informational.
  [[nodiscard]] field_view<20> user_data() const noexcept { return field_view<20>(quote_.data() + 28, 20); }
  [[nodiscard]] field_view<48> header() const noexcept { return field_view<48>(quote_.data(), 48); }

  /// 2 (TDX 1.0 body) or 3 (TDX 1.5 body); a version 4 quote always has a TDX 1.0 body.
  [[nodiscard]] std::uint16_t body_type() const noexcept {
    return body_.is_td15() ? quote_layout::body_type_td_report15 : quote_layout::body_type_td_report10;
  }
  [[nodiscard]] const td_report_view& body() const noexcept { return body_; }

  /// What the attestation key signs: the header, the v5 body descriptor, and the body.
  [[nodiscard]] byte_view signed_region() const noexcept { return quote_.first(signed_size_); }
  /// The quote signature r || s over `signed_region()`.
  [[nodiscard]] field_view<64> signature() const noexcept { return fixed<64>(signature_data_); }
  /// The attestation public key X || Y (P-256).
  [[nodiscard]] field_view<64> attestation_key() const noexcept { return fixed<64>(signature_data_ + 64); }
  [[nodiscard]] const qe_report_view& qe_report() const noexcept { return qe_report_; }
  /// The QE report signature r || s, by the PCK certificate's key.
  [[nodiscard]] field_view<64> qe_report_signature() const noexcept {
    return fixed<64>(signature_data_ + 134 + quote_layout::qe_report_size);
  }
  [[nodiscard]] byte_view qe_auth_data() const noexcept { return qe_auth_data_; }
  /// The PCK certificate chain as carried (PEM, leaf first; production quotes end it with NULs).
  [[nodiscard]] byte_view pck_chain() const noexcept { return pck_chain_; }

  /// Bytes the quote occupies: header, body, and signature data.
  [[nodiscard]] std::size_t size() const noexcept { return quote_.size() - trailing_; }
  /// Bytes after the quote in the buffer given to `parse`.
  [[nodiscard]] std::size_t trailing_size() const noexcept { return trailing_; }

 private:
  tdx_quote(byte_view quote, td_report_view body, qe_report_view qe_report) noexcept
      : quote_(quote), body_(body), qe_report_(qe_report) {}

  template <std::size_t Size>
  [[nodiscard]] field_view<Size> fixed(std::size_t offset) const noexcept {
    return field_view<Size>(quote_.data() + offset, Size);
  }

  friend cocoon::detail::result<tdx_quote> detail::parse_tdx_quote(byte_view quote);

  byte_view quote_;
  td_report_view body_;
  qe_report_view qe_report_;
  byte_view qe_auth_data_;
  byte_view pck_chain_;
  std::size_t signed_size_ = 0;
  std::size_t signature_data_ = 0;  // offset of the signature data
  std::size_t trailing_ = 0;
};

inline cocoon::detail::result<tdx_quote> detail::parse_tdx_quote(byte_view quote) {
  namespace layout = quote_layout;
  using detail::at_offset;
  const std::size_t total = quote.size();
  const std::byte* const data = quote.data();
  // Each check asks for `need` bytes at `offset` within the region ending at `end`.
  const auto missing = [](const char* field, std::size_t offset, std::size_t need, std::size_t end) {
    return cocoon::detail::failure{errc::quote_malformed, at_offset(field, offset) + ": needs " + std::to_string(need) +
                                                              " bytes, " + std::to_string(end - offset) + " remain"};
  };

  if (total < layout::header_size) return missing("header", 0, layout::header_size, total);
  const std::uint16_t version = detail::load_le16(data);
  if (version != 4 && version != 5) {
    return {errc::quote_unsupported, at_offset("header.version", 0) + ": " + std::to_string(version)};
  }
  if (detail::load_le16(data + 2) != layout::attestation_key_ecdsa_p256) {
    return {errc::quote_unsupported,
            at_offset("header.attestation_key_type", 2) + ": " + std::to_string(detail::load_le16(data + 2))};
  }
  if (detail::load_le32(data + 4) != layout::tee_type_tdx) {
    return {errc::quote_unsupported,
            at_offset("header.tee_type", 4) + ": " + std::to_string(detail::load_le32(data + 4))};
  }
  for (std::size_t i = 0; i < layout::intel_qe_vendor_id.size(); ++i) {
    if (std::to_integer<std::uint8_t>(data[12 + i]) != layout::intel_qe_vendor_id[i]) {
      return {errc::quote_unsupported, at_offset("header.qe_vendor_id", 12) + ": not Intel's"};
    }
  }

  std::size_t offset = layout::header_size;
  std::size_t body_size = layout::td_report10_size;
  if (version == 5) {
    if (total - offset < layout::body_descriptor_size) {
      return missing("body_descriptor", offset, layout::body_descriptor_size, total);
    }
    const std::uint16_t type = detail::load_le16(data + offset);
    const std::uint32_t size = detail::load_le32(data + offset + 2);
    if (type == layout::body_type_td_report10) {
      body_size = layout::td_report10_size;
    } else if (type == layout::body_type_td_report15) {
      body_size = layout::td_report15_size;
    } else {
      return {errc::quote_unsupported, at_offset("body_descriptor.type", offset) + ": " + std::to_string(type)};
    }
    if (size != body_size) {
      return {errc::quote_malformed, at_offset("body_descriptor.size", offset + 2) + ": " + std::to_string(size) +
                                         " for body type " + std::to_string(type) + ", expected " +
                                         std::to_string(body_size)};
    }
    offset += layout::body_descriptor_size;
  }
  if (total - offset < body_size) return missing("body", offset, body_size, total);
  const td_report_view body(quote.subspan(offset, body_size));
  offset += body_size;
  const std::size_t signed_size = offset;

  if (total - offset < 4) return missing("signature_data_length", offset, 4, total);
  const std::size_t length_offset = offset;
  const std::uint32_t signature_length = detail::load_le32(data + offset);
  offset += 4;
  if (signature_length > total - offset) {
    return {errc::quote_malformed, at_offset("signature_data_length", length_offset) + ": " +
                                       std::to_string(signature_length) + " declared, " +
                                       std::to_string(total - offset) + " remain"};
  }
  const std::size_t signature_data = offset;
  const std::size_t signature_end = offset + signature_length;

  // Signature, attestation key, certification data type and size.
  if (signature_end - offset < 134) return missing("signature_data", offset, 134, signature_end);
  offset += 128;
  if (const auto type = detail::load_le16(data + offset); type != layout::cert_data_qe_report) {
    return {errc::quote_unsupported, at_offset("certification_data.type", offset) + ": " + std::to_string(type)};
  }
  const std::size_t outer_size_offset = offset + 2;
  const std::uint32_t outer_size = detail::load_le32(data + outer_size_offset);
  offset += 6;
  if (outer_size > signature_end - offset) {
    return {errc::quote_malformed, at_offset("certification_data.size", outer_size_offset) + ": " +
                                       std::to_string(outer_size) + " declared, " +
                                       std::to_string(signature_end - offset) + " remain in the signature data"};
  }
  const std::size_t outer_end = offset + outer_size;

  // QE report, its signature, QE authentication data.
  constexpr std::size_t qe_fixed = layout::qe_report_size + layout::signature_size + 2;
  if (outer_end - offset < qe_fixed) return missing("qe_report_certification_data", offset, qe_fixed, outer_end);
  const qe_report_view qe_report(quote.subspan(offset, layout::qe_report_size));
  offset += layout::qe_report_size + layout::signature_size;
  const std::size_t auth_size_offset = offset;
  const std::uint16_t auth_size = detail::load_le16(data + offset);
  offset += 2;
  if (auth_size > outer_end - offset) {
    return {errc::quote_malformed, at_offset("qe_auth_data.size", auth_size_offset) + ": " + std::to_string(auth_size) +
                                       " declared, " + std::to_string(outer_end - offset) + " remain"};
  }
  const byte_view auth_data = quote.subspan(offset, auth_size);
  offset += auth_size;

  // Inner certification data: the PCK chain.
  if (outer_end - offset < 6) return missing("pck_certification_data", offset, 6, outer_end);
  if (const auto type = detail::load_le16(data + offset); type != layout::cert_data_pck_chain) {
    return {errc::quote_unsupported, at_offset("pck_certification_data.type", offset) + ": " + std::to_string(type)};
  }
  const std::size_t inner_size_offset = offset + 2;
  const std::uint32_t inner_size = detail::load_le32(data + inner_size_offset);
  offset += 6;
  if (inner_size > outer_end - offset) {
    return {errc::quote_malformed, at_offset("pck_certification_data.size", inner_size_offset) + ": " +
                                       std::to_string(inner_size) + " declared, " + std::to_string(outer_end - offset) +
                                       " remain"};
  }
  const byte_view chain = quote.subspan(offset, inner_size);
  offset += inner_size;

  // Exact consumption at both levels: slack would let a length field change while the signed
  // bytes stay the same.
  if (offset != outer_end) {
    return {errc::quote_malformed, at_offset("certification_data.size", outer_size_offset) + ": " +
                                       std::to_string(outer_size) + " declared, " +
                                       std::to_string(offset - (outer_end - outer_size)) + " used"};
  }
  if (offset != signature_end) {
    return {errc::quote_malformed, at_offset("signature_data_length", length_offset) + ": " +
                                       std::to_string(signature_length) + " declared, " +
                                       std::to_string(offset - signature_data) + " used"};
  }

  tdx_quote parsed(quote, body, qe_report);
  parsed.qe_auth_data_ = auth_data;
  parsed.pck_chain_ = chain;
  parsed.signed_size_ = signed_size;
  parsed.signature_data_ = signature_data;
  parsed.trailing_ = total - signature_end;
  return parsed;
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
