// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_TCB_STATUS_HPP
#define COCOON_ATTEST_TCB_STATUS_HPP

#include <cocoon/detail/config.hpp>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// Intel's TCB statuses, best first: a policy's `min_tcb` accepts a status and those before it.
/// The relaunch statuses sit after the configuration statuses and before OutOfDate: the platform
/// and QE are current and only the TD still runs on the replaced TDX module, which a relaunch fixes
/// (Intel's QVL reports them as a non-terminal "relaunch advised" result).
enum class tcb_status {
  up_to_date,
  sw_hardening_needed,
  configuration_needed,
  configuration_and_sw_hardening_needed,
  td_relaunch_advised,
  td_relaunch_advised_configuration_needed,
  out_of_date,
  out_of_date_configuration_needed,
  revoked,
};

/// Intel's name of a status ("UpToDate", ...).
[[nodiscard]] inline const char* to_string(tcb_status status) noexcept {
  switch (status) {
    case tcb_status::up_to_date: return "UpToDate";
    case tcb_status::sw_hardening_needed: return "SWHardeningNeeded";
    case tcb_status::configuration_needed: return "ConfigurationNeeded";
    case tcb_status::configuration_and_sw_hardening_needed: return "ConfigurationAndSWHardeningNeeded";
    case tcb_status::td_relaunch_advised: return "TDRelaunchAdvised";
    case tcb_status::td_relaunch_advised_configuration_needed: return "TDRelaunchAdvisedConfigurationNeeded";
    case tcb_status::out_of_date: return "OutOfDate";
    case tcb_status::out_of_date_configuration_needed: return "OutOfDateConfigurationNeeded";
    case tcb_status::revoked: return "Revoked";
  }
  return "?";
}

namespace detail {
/// Every status, in the order of `tcb_status`.
inline constexpr tcb_status all_tcb_statuses[] = {tcb_status::up_to_date,
                                                  tcb_status::sw_hardening_needed,
                                                  tcb_status::configuration_needed,
                                                  tcb_status::configuration_and_sw_hardening_needed,
                                                  tcb_status::td_relaunch_advised,
                                                  tcb_status::td_relaunch_advised_configuration_needed,
                                                  tcb_status::out_of_date,
                                                  tcb_status::out_of_date_configuration_needed,
                                                  tcb_status::revoked};
}  // namespace detail

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
