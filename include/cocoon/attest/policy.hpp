// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_POLICY_HPP
#define COCOON_ATTEST_POLICY_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/image_hash.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

class td_policy;

namespace detail {
[[nodiscard]] inline std::optional<cocoon::detail::failure> check_td_attributes(const verified_quote& quote,
                                                                                const td_policy& policy);
[[nodiscard]] inline std::optional<cocoon::detail::failure> check_measurements(const td_measurements& measurements,
                                                                               const hash384& root_key_id,
                                                                               const td_policy& policy);
}  // namespace detail

/// What a verified TD must be, beyond having a genuine quote. A default policy refuses debug TDs,
/// reserved TDATTRIBUTES bits, TDs without SEPT_VE_DISABLE, migratable TDs and TDs bound to
/// service TDs, and accepts any measurements. Measurement lists work as in COCOON: an empty list
/// allows any value, a non-empty one only its members.
class td_policy {
 public:
  /// Accept a TD whose DEBUG attribute is set: its memory and state are open to the host.
  td_policy& allow_debug_td_insecure() {
    allow_debug_ = true;
    return *this;
  }
  /// Accept a TD without SEPT_VE_DISABLE (as some cloud TDs run).
  td_policy& allow_sept_ve() {
    allow_sept_ve_ = true;
    return *this;
  }
  /// Accept a MIGRATABLE TD.
  td_policy& allow_migratable() {
    allow_migratable_ = true;
    return *this;
  }
  /// Accept a TDX 1.5 TD bound to service TDs (non-zero MRSERVICETD).
  td_policy& allow_service_td() {
    allow_service_td_ = true;
    return *this;
  }
  td_policy& allow_mr_td(const hash384& value) {
    mr_tds_.push_back(value);
    return *this;
  }
  /// RTMR0..3 as one set.
  td_policy& allow_rtmrs(const std::array<hash384, 4>& value) {
    rtmrs_.push_back(value);
    return *this;
  }
  /// COCOON image hashes (`cocoon_image_hash`).
  td_policy& allow_image_hash(const hash256& value) {
    image_hashes_.push_back(value);
    return *this;
  }
  /// Root key ids (`verified_quote::root_key_id`), as COCOON's allowed collateral root hashes.
  td_policy& allow_root_key_id(const hash384& value) {
    root_key_ids_.push_back(value);
    return *this;
  }

 private:
  friend std::optional<cocoon::detail::failure> detail::check_td_attributes(const verified_quote&, const td_policy&);
  friend std::optional<cocoon::detail::failure> detail::check_measurements(const td_measurements&, const hash384&,
                                                                           const td_policy&);

  bool allow_debug_ = false, allow_sept_ve_ = false, allow_migratable_ = false, allow_service_td_ = false;
  std::vector<hash384> mr_tds_;
  std::vector<std::array<hash384, 4>> rtmrs_;
  std::vector<hash256> image_hashes_;
  std::vector<hash384> root_key_ids_;
};

/// TDATTRIBUTES bits that the TDX 1.0 / 1.5 ABI leaves reserved (1-27 and 32-62).
inline constexpr std::uint64_t td_attributes_reserved = 0x7fff'ffff'0fff'fffeULL;

namespace detail {

/// The attribute rules of `policy` (DEBUG, reserved bits, SEPT_VE_DISABLE, MIGRATABLE, MRSERVICETD).
inline std::optional<cocoon::detail::failure> check_td_attributes(const verified_quote& quote,
                                                                  const td_policy& policy) {
  const std::uint64_t attributes = quote.td_attributes();
  const auto refuse = [](const char* what) {
    return cocoon::detail::failure{errc::td_attributes_refused, std::string("td_attributes: ") + what};
  };
  if ((attributes & td_attribute::debug) != 0 && !policy.allow_debug_) return refuse("DEBUG");
  if ((attributes & td_attributes_reserved) != 0) return refuse("reserved bit set");
  if ((attributes & td_attribute::sept_ve_disable) == 0 && !policy.allow_sept_ve_) {
    return refuse("SEPT_VE_DISABLE clear");
  }
  if ((attributes & td_attribute::migratable) != 0 && !policy.allow_migratable_) return refuse("MIGRATABLE");
  if (quote.mr_service_td() && !(*quote.mr_service_td() == hash384{}) && !policy.allow_service_td_) {
    return cocoon::detail::failure{errc::td_attributes_refused, "mr_service_td: bound to a service TD"};
  }
  return std::nullopt;
}

/// The measurement lists of `policy`, in COCOON's order: MRTD, RTMRs, image hash, root key id.
inline std::optional<cocoon::detail::failure> check_measurements(const td_measurements& measurements,
                                                                 const hash384& root_key_id, const td_policy& policy) {
  const auto allowed = [](const auto& list, const auto& value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
  };
  const auto refuse = [](const char* what) {
    return cocoon::detail::failure{errc::measurement_not_allowed, std::string(what) + ": not in the policy's list"};
  };
  if (!allowed(policy.mr_tds_, measurements.mr_td)) return refuse("mr_td");
  if (!allowed(policy.rtmrs_, measurements.rtmrs)) return refuse("rtmrs");
  if (!allowed(policy.image_hashes_, cocoon_image_hash(measurements))) return refuse("image_hash");
  if (!allowed(policy.root_key_ids_, root_key_id)) return refuse("root_key_id");
  return std::nullopt;
}

[[nodiscard]] inline std::optional<cocoon::detail::failure> check_td_policy(const verified_quote& quote,
                                                                            const td_policy& policy) {
  if (auto why = check_td_attributes(quote, policy)) return why;
  return check_measurements(measurements_of(quote), quote.root_key_id(), policy);
}

}  // namespace detail

/// Applies `policy` to a verified quote. @throws cocoon::error with `errc::td_attributes_refused`
/// or `errc::measurement_not_allowed`.
inline void check_td_policy(const verified_quote& quote, const td_policy& policy) {
  cocoon::detail::throw_on_failure(detail::check_td_policy(quote, policy), "check TD policy");
}

/// The same; false with `ec` set on a violation.
[[nodiscard]] inline bool check_td_policy(const verified_quote& quote, const td_policy& policy, error_code& ec) {
  return cocoon::detail::succeeded(detail::check_td_policy(quote, policy), ec);
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
