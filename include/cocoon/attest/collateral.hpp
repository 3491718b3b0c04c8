// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_COLLATERAL_HPP
#define COCOON_ATTEST_COLLATERAL_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/collateral_json.hpp>
#include <cocoon/attest/tcb.hpp>
#include <cocoon/attest/tcb_status.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// Collateral in the QuoteCollateralV3 JSON layout that dcap-qvl and PCCS clients write:
/// `tcb_info` and `qe_identity` (the signed JSON text, exactly as signed), `tcb_info_signature` and
/// `qe_identity_signature` (r || s), their `*_issuer_chain` (PEM), `pck_crl` and `root_ca_crl`
/// (DER; both empty when the writer had no CRLs), `pck_crl_issuer_chain` (PEM; not needed: the PCK
/// CA in the quote's chain signs the CRL). Binary members are hex text or, as some writers emit
/// them, arrays of byte values. Other members are ignored. It owns the text; `tdx()` and `crls()` view into it, so the
/// bundle must outlive them. Nothing here is verified yet: `evaluate_tcb` and the `pck_crls`
/// overloads of `verify_quote` do that.
class collateral_bundle {
 public:
  /// Reads the JSON. @throws cocoon::error with `errc::collateral_malformed` naming the member.
  [[nodiscard]] static collateral_bundle from_json(std::string_view text) {
    return cocoon::detail::value_or_throw(parse(text), "read TDX collateral");
  }

  /// The same; on failure returns `std::nullopt` with `ec` set.
  [[nodiscard]] static std::optional<collateral_bundle> from_json(std::string_view text, error_code& ec) {
    return cocoon::detail::value_or_code(parse(text), ec);
  }

  /// The TCB Info and QE identity as `evaluate_tcb` takes them (PCS bodies rebuilt around the exact
  /// signed text).
  [[nodiscard]] tdx_collateral tdx() const noexcept {
    return {tcb_info_, tcb_info_issuer_chain_, qe_identity_, qe_identity_issuer_chain_};
  }
  /// The PCK CA's and the root CA's CRLs (DER); none when the bundle has none.
  [[nodiscard]] std::optional<pck_crls> crls() const noexcept {
    if (pck_crl_.empty()) return std::nullopt;
    return pck_crls{pck_crl_, root_ca_crl_};
  }

 private:
  collateral_bundle() = default;

  [[nodiscard]] static cocoon::detail::result<collateral_bundle> parse(std::string_view text) {
    using detail::json;
    collateral_bundle out;
    try {
      const json whole = json::parse(text);
      if (!whole.is_object()) return {errc::collateral_malformed, "collateral: not a JSON object"};
      const auto member = [&](const char* name) { return detail::text_field(whole, name, "collateral"); };
      // Hex text, or an array of byte values.
      const auto binary = [&](const char* name) {
        const std::string where = std::string("collateral.") + name;
        const auto found = whole.find(name);
        if (found != whole.end() && found->is_array()) {
          bytes values;
          for (const auto& value : *found) {
            if (!value.is_number_unsigned() || value.get<std::uint64_t>() > 255) throw detail::bad_field{where};
            values.push_back(static_cast<std::byte>(value.get<std::uint64_t>()));
          }
          return values;
        }
        error_code ec;
        auto decoded = from_hex(member(name), ec);
        if (!decoded) throw detail::bad_field{where + ": not hex"};
        return std::move(*decoded);
      };
      // The signed text must be one JSON object on its own, from its { to its } (what Intel
      // signs), and the signature plain hex, so the rebuilt body holds exactly one copy of each.
      const auto body = [&](const char* key, const char* object, const char* signature) {
        const std::string raw = member(object);
        if (raw.empty() || raw.front() != '{' || raw.back() != '}' || !json::parse(raw).is_object()) {
          throw detail::bad_field{std::string("collateral.") + object + ": not one JSON object from { to }"};
        }
        const bytes signature_bytes = binary(signature);
        if (signature_bytes.size() != 64) throw detail::bad_field{std::string("collateral.") + signature};
        return std::string("{\"") + key + "\":" + raw + ",\"signature\":\"" + to_hex(signature_bytes) + "\"}";
      };
      out.tcb_info_ = body("tcbInfo", "tcb_info", "tcb_info_signature");
      out.qe_identity_ = body("enclaveIdentity", "qe_identity", "qe_identity_signature");
      out.tcb_info_issuer_chain_ = member("tcb_info_issuer_chain");
      out.qe_identity_issuer_chain_ = member("qe_identity_issuer_chain");
      out.pck_crl_ = binary("pck_crl");
      out.root_ca_crl_ = binary("root_ca_crl");
      if (out.pck_crl_.empty() != out.root_ca_crl_.empty()) {
        throw detail::bad_field{"collateral.pck_crl, root_ca_crl: one empty, the other not"};
      }
    } catch (const json::exception&) {
      return {errc::collateral_malformed, "collateral: not JSON"};
    } catch (const detail::bad_field& bad) {
      return {errc::collateral_malformed, bad.where};
    }
    return out;
  }

  std::string tcb_info_, tcb_info_issuer_chain_, qe_identity_, qe_identity_issuer_chain_;
  bytes pck_crl_, root_ca_crl_;
};

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
