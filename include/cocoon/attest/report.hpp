// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_REPORT_HPP
#define COCOON_ATTEST_REPORT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// What became of one named check.
enum class check_result {
  pass,  ///< checked, and it holds
  fail,  ///< checked, and it does not hold: the attestation is refused
  skip,  ///< not checked: nothing to check against (no collateral, an empty list) or not reached
};

/// "pass", "fail" or "skip".
[[nodiscard]] inline const char* to_string(check_result result) noexcept {
  switch (result) {
    case check_result::pass: return "pass";
    case check_result::fail: return "fail";
    case check_result::skip: return "skip";
  }
  return "?";
}

/// One check of an attestation (`quote.signature`, `policy.mr_td`, ...; docs/attestation.md lists
/// them all) and why it came out as it did.
struct check {
  std::string name;
  check_result result = check_result::skip;
  /// What was checked, or why it failed (the error message and where), or why it was skipped.
  std::string reason;
  /// For a failed check: the error, with `where` as `cocoon::error::where()` gives it.
  error_code code;
  std::string where;
};

/// The record of a verification: every check the verifier knows, in the order it runs them, each
/// passed, failed or skipped with a reason. Verifiers return it on success and attach it to the
/// error on failure. It is a record, not a proof: code that needs proof takes the verified
/// objects (`verified_quote`, `attestation`, `ratls_peer`), which only the verifier makes.
class verification_report {
 public:
  [[nodiscard]] const std::vector<check>& checks() const noexcept { return checks_; }

  /// True when at least one check passed and none failed.
  [[nodiscard]] bool ok() const noexcept {
    return std::none_of(checks_.begin(), checks_.end(),
                        [](const check& c) { return c.result == check_result::fail; }) &&
           std::any_of(checks_.begin(), checks_.end(), [](const check& c) { return c.result == check_result::pass; });
  }

  /// The check named `name`, or null.
  [[nodiscard]] const check* find(std::string_view name) const noexcept {
    const auto found = std::find_if(checks_.begin(), checks_.end(), [&](const check& c) { return c.name == name; });
    return found == checks_.end() ? nullptr : &*found;
  }

  /// The first failed check, or null.
  [[nodiscard]] const check* first_failure() const noexcept {
    const auto found =
        std::find_if(checks_.begin(), checks_.end(), [](const check& c) { return c.result == check_result::fail; });
    return found == checks_.end() ? nullptr : &*found;
  }

  /// `{"checks":[{"name":..,"reason":..,"result":"pass"|"fail"|"skip"},..],"verdict":"ok"|"fail"}`,
  /// keys sorted, no whitespace.
  [[nodiscard]] std::string to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : checks_) {
      list.push_back({{"name", c.name}, {"result", to_string(c.result)}, {"reason", c.reason}});
    }
    return nlohmann::json{{"checks", std::move(list)}, {"verdict", ok() ? "ok" : "fail"}}.dump();
  }

  void pass(std::string name, std::string reason) {
    add({std::move(name), check_result::pass, std::move(reason), {}, {}});
  }
  void skip(std::string name, std::string reason) {
    add({std::move(name), check_result::skip, std::move(reason), {}, {}});
  }
  void fail(std::string name, const cocoon::detail::failure& why) {
    const error_code code = why.code;
    add({std::move(name), check_result::fail, code.message() + (why.where.empty() ? "" : " (" + why.where + ")"), code,
         why.where});
  }

  /// Records `c`, replacing an earlier entry of the same name.
  void add(check c) {
    const auto found = std::find_if(checks_.begin(), checks_.end(), [&](const check& x) { return x.name == c.name; });
    if (found != checks_.end()) {
      *found = std::move(c);
    } else {
      checks_.push_back(std::move(c));
    }
  }

 private:
  std::vector<check> checks_;
};

/// The error the throwing verifiers raise: `cocoon::error` with the code and place of the first
/// failed check, and the whole report.
class attestation_error : public error {
 public:
  attestation_error(error_code code, std::string operation, std::string where, verification_report report)
      : error(code, std::move(operation), std::move(where)), report_(std::move(report)) {}

  [[nodiscard]] const verification_report& report() const noexcept { return report_; }

 private:
  verification_report report_;
};

namespace detail {

/// Adds a skip for each of `names` not in `report` yet, in order.
template <class Names>
inline void skip_missing(verification_report& report, const Names& names, const std::string& reason) {
  for (const char* name : names) {
    if (report.find(name) == nullptr) report.skip(name, reason);
  }
}

/// The throwing form of a verifier that fills a report.
template <class T>
[[nodiscard]] T value_or_throw_report(cocoon::detail::result<T>&& outcome, verification_report&& report,
                                      const char* operation) {
  if (!outcome.has_value()) {
    const auto& why = outcome.error();
    throw attestation_error(why.code, operation, why.where, std::move(report));
  }
  return std::move(outcome).value();
}

}  // namespace detail

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
