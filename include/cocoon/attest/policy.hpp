// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_POLICY_HPP
#define COCOON_ATTEST_POLICY_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/image_hash.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/report.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// What a verified TD must be, beyond having a genuine quote. A default policy refuses debug TDs,
/// reserved TDATTRIBUTES bits, TDs without SEPT_VE_DISABLE, migratable TDs and TDs bound to
/// service TDs, and accepts any measurements and any TCB status. Lists work as in COCOON: an empty
/// list allows any value, a non-empty one only its members.
///
///     cocoon::attest::policy().allow_image_hash(h).min_tcb(tcb_status::up_to_date)
///
/// A minimum TCB status or a maximum collateral age can only be judged with Intel collateral:
/// without it such a policy fails (`errc::collateral_required`), it never passes.
class policy {
 public:
  /// Accept a TD whose DEBUG attribute is set: its memory and state are open to the host.
  policy& allow_debug_td_insecure() {
    allow_debug_ = true;
    return *this;
  }
  /// Accept a TD without SEPT_VE_DISABLE (as some cloud TDs run).
  policy& allow_sept_ve() {
    allow_sept_ve_ = true;
    return *this;
  }
  /// Accept a MIGRATABLE TD.
  policy& allow_migratable() {
    allow_migratable_ = true;
    return *this;
  }
  /// Accept a TDX 1.5 TD bound to service TDs (non-zero MRSERVICETD).
  policy& allow_service_td() {
    allow_service_td_ = true;
    return *this;
  }
  policy& allow_mr_td(const hash384& value) {
    mr_tds_.push_back(value);
    return *this;
  }
  /// RTMR0..3 as one set.
  policy& allow_rtmrs(const std::array<hash384, 4>& value) {
    rtmrs_.push_back(value);
    return *this;
  }
  /// COCOON image hashes (`cocoon_image_hash`).
  policy& allow_image_hash(const hash256& value) {
    image_hashes_.push_back(value);
    return *this;
  }
  /// Root key ids (`verified_quote::root_key_id`), as COCOON's allowed collateral root hashes.
  policy& allow_root_key_id(const hash384& value) {
    root_key_ids_.push_back(value);
    return *this;
  }
  /// TDX module measurements (MRSEAM).
  policy& allow_mr_seam(const hash384& value) {
    mr_seams_.push_back(value);
    return *this;
  }
  /// XFAM values, as `verified_quote::xfam()` gives them (the quote bytes read little-endian).
  policy& allow_xfam(std::uint64_t value) {
    xfams_.push_back(value);
    return *this;
  }
  /// The worst TCB status accepted, in the order of `tcb_status` (UpToDate, SWHardeningNeeded,
  /// ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, TDRelaunchAdvised,
  /// TDRelaunchAdvisedConfigurationNeeded, OutOfDate, OutOfDateConfigurationNeeded, Revoked):
  /// `min_tcb(tcb_status::up_to_date)` accepts UpToDate only, as COCOON does; a minimum of
  /// ConfigurationAndSWHardeningNeeded or better refuses a TD that should be relaunched, one of
  /// OutOfDate or worse accepts it. Needs collateral.
  policy& min_tcb(tcb_status worst_accepted) {
    min_tcb_ = worst_accepted;
    return *this;
  }
  /// The oldest collateral accepted, counted from its earlier issueDate to `now`. Needs collateral.
  policy& max_collateral_age(std::chrono::seconds age) {
    max_collateral_age_ = age;
    return *this;
  }
  /// Whether the PCK chain must be checked against CRLs: without them verification then fails
  /// (`errc::revocation_required`, check `pck.crl`) instead of skipping revocation. Unless set
  /// here, required exactly when the policy asks for a TCB status (`min_tcb`, `max_collateral_age`):
  /// a platform judged current is worth nothing if its PCK certificate may be revoked.
  /// `require_revocation(false)` opts out.
  policy& require_revocation(bool required) {
    require_revocation_ = required;
    return *this;
  }

  [[nodiscard]] bool debug_allowed() const noexcept { return allow_debug_; }
  [[nodiscard]] bool sept_ve_allowed() const noexcept { return allow_sept_ve_; }
  [[nodiscard]] bool migratable_allowed() const noexcept { return allow_migratable_; }
  [[nodiscard]] bool service_td_allowed() const noexcept { return allow_service_td_; }
  [[nodiscard]] const std::vector<hash384>& mr_tds() const noexcept { return mr_tds_; }
  [[nodiscard]] const std::vector<std::array<hash384, 4>>& rtmrs() const noexcept { return rtmrs_; }
  [[nodiscard]] const std::vector<hash256>& image_hashes() const noexcept { return image_hashes_; }
  [[nodiscard]] const std::vector<hash384>& root_key_ids() const noexcept { return root_key_ids_; }
  [[nodiscard]] const std::vector<hash384>& mr_seams() const noexcept { return mr_seams_; }
  [[nodiscard]] const std::vector<std::uint64_t>& xfams() const noexcept { return xfams_; }
  [[nodiscard]] const std::optional<tcb_status>& min_tcb() const noexcept { return min_tcb_; }
  [[nodiscard]] const std::optional<std::chrono::seconds>& max_collateral_age() const noexcept {
    return max_collateral_age_;
  }
  /// `require_revocation`'s value, or by default whether a TCB status is asked for.
  [[nodiscard]] bool revocation_required() const noexcept {
    return require_revocation_.value_or(min_tcb_.has_value() || max_collateral_age_.has_value());
  }

  /// Reads a policy from its JSON form (docs/attestation.md gives the schema): every member
  /// optional, hashes as hex, unknown members refused. @throws cocoon::error with
  /// `errc::policy_malformed` naming the member.
  [[nodiscard]] static policy from_json(std::string_view text) {
    return cocoon::detail::value_or_throw(parse(text), "read attestation policy");
  }

  /// The same; on failure returns `std::nullopt` with `ec` set.
  [[nodiscard]] static std::optional<policy> from_json(std::string_view text, error_code& ec) {
    return cocoon::detail::value_or_code(parse(text), ec);
  }

  /// The JSON form `from_json` reads back to an equal policy: keys sorted, no whitespace, hex in
  /// lowercase; `min_tcb`, `max_collateral_age_seconds` and `require_revocation` only when set.
  [[nodiscard]] std::string to_json() const {
    const auto hexes = [](const auto& list) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& value : list) out.push_back(value.to_hex());
      return out;
    };
    nlohmann::json rtmr_sets = nlohmann::json::array();
    for (const auto& set : rtmrs_) rtmr_sets.push_back(hexes(set));
    nlohmann::json xfam_list = nlohmann::json::array();
    for (const auto value : xfams_) xfam_list.push_back(xfam_hex(value));
    nlohmann::json out = {{"allow_debug", allow_debug_},
                          {"allow_sept_ve", allow_sept_ve_},
                          {"allow_migratable", allow_migratable_},
                          {"allow_service_td", allow_service_td_},
                          {"mr_td", hexes(mr_tds_)},
                          {"rtmrs", std::move(rtmr_sets)},
                          {"image_hash", hexes(image_hashes_)},
                          {"root_key_id", hexes(root_key_ids_)},
                          {"mr_seam", hexes(mr_seams_)},
                          {"xfam", std::move(xfam_list)}};
    if (min_tcb_) out["min_tcb"] = to_string(*min_tcb_);
    if (max_collateral_age_) out["max_collateral_age_seconds"] = max_collateral_age_->count();
    if (require_revocation_) out["require_revocation"] = *require_revocation_;
    return out.dump();
  }

  friend bool operator==(const policy&, const policy&) = default;

  /// XFAM as the CLI and the policy JSON write it: the 8 quote bytes in hex (`e702060000000000`).
  [[nodiscard]] static std::string xfam_hex(std::uint64_t value) {
    std::array<std::byte, 8> bytes{};
    for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<std::byte>(value >> (8 * i));
    return cocoon::to_hex(byte_view(bytes));
  }

 private:
  [[nodiscard]] static cocoon::detail::result<policy> parse(std::string_view text);

  bool allow_debug_ = false, allow_sept_ve_ = false, allow_migratable_ = false, allow_service_td_ = false;
  std::vector<hash384> mr_tds_;
  std::vector<std::array<hash384, 4>> rtmrs_;
  std::vector<hash256> image_hashes_;
  std::vector<hash384> root_key_ids_;
  std::vector<hash384> mr_seams_;
  std::vector<std::uint64_t> xfams_;
  std::optional<tcb_status> min_tcb_;
  std::optional<std::chrono::seconds> max_collateral_age_;
  std::optional<bool> require_revocation_;  // unset: follows min_tcb and max_collateral_age
};

/// TDATTRIBUTES bits that the TDX 1.0 / 1.5 ABI leaves reserved (1-27 and 32-62).
inline constexpr std::uint64_t td_attributes_reserved = 0x7fff'ffff'0fff'fffeULL;

namespace detail {

struct policy_error {
  std::string where;
};

inline cocoon::detail::result<policy> parse_policy(std::string_view text) {
  using nlohmann::json;
  policy out;
  try {
    const json document = json::parse(text);
    if (!document.is_object()) return {errc::policy_malformed, "policy: not a JSON object"};
    const auto list = [](const json& value, const std::string& key) -> const json& {
      if (!value.is_array()) throw policy_error{key + ": not an array"};
      return value;
    };
    const auto hex = [](const json& value, const std::string& where, auto parsed) {
      error_code ec;
      if (!value.is_string()) throw policy_error{where + ": not a hex string"};
      auto decoded = decltype(parsed)::from_hex(value.get<std::string>(), ec);
      if (!decoded) throw policy_error{where + ": not " + std::to_string(decltype(parsed)::size()) + " bytes of hex"};
      return *decoded;
    };
    for (const auto& [key, value] : document.items()) {
      const auto flag = [&, &value = value, &key = key] {
        if (!value.is_boolean()) throw policy_error{key + ": not true or false"};
        return value.get<bool>();
      };
      const auto at = [&key = key](std::size_t i) { return key + "[" + std::to_string(i) + "]"; };
      if (key == "allow_debug") {
        if (flag()) out.allow_debug_td_insecure();
      } else if (key == "allow_sept_ve") {
        if (flag()) out.allow_sept_ve();
      } else if (key == "allow_migratable") {
        if (flag()) out.allow_migratable();
      } else if (key == "allow_service_td") {
        if (flag()) out.allow_service_td();
      } else if (key == "require_revocation") {
        out.require_revocation(flag());
      } else if (key == "mr_td" || key == "root_key_id" || key == "mr_seam") {
        std::size_t i = 0;
        for (const auto& item : list(value, key)) {
          const hash384 parsed = hex(item, at(i++), hash384{});
          if (key == "mr_td") out.allow_mr_td(parsed);
          if (key == "root_key_id") out.allow_root_key_id(parsed);
          if (key == "mr_seam") out.allow_mr_seam(parsed);
        }
      } else if (key == "image_hash") {
        std::size_t i = 0;
        for (const auto& item : list(value, key)) out.allow_image_hash(hex(item, at(i++), hash256{}));
      } else if (key == "rtmrs") {
        std::size_t i = 0;
        for (const auto& set : list(value, key)) {
          const std::string where = at(i++);
          if (!set.is_array() || set.size() != 4) throw policy_error{where + ": not an array of 4 RTMRs"};
          std::array<hash384, 4> rtmrs{};
          for (std::size_t r = 0; r < 4; ++r) rtmrs[r] = hex(set[r], where + "[" + std::to_string(r) + "]", hash384{});
          out.allow_rtmrs(rtmrs);
        }
      } else if (key == "xfam") {
        std::size_t i = 0;
        for (const auto& item : list(value, key)) {
          const std::string where = at(i++);
          error_code ec;
          const auto bytes = item.is_string() ? from_hex(item.get<std::string>(), ec) : std::nullopt;
          if (!bytes || bytes->size() != 8) throw policy_error{where + ": not 8 bytes of hex"};
          std::uint64_t xfam = 0;
          for (std::size_t b = 0; b < 8; ++b) xfam |= std::to_integer<std::uint64_t>((*bytes)[b]) << (8 * b);
          out.allow_xfam(xfam);
        }
      } else if (key == "min_tcb") {
        const auto& all = detail::all_tcb_statuses;
        const auto found = std::find_if(std::begin(all), std::end(all), [&, &value = value](tcb_status s) {
          return value.is_string() && value.get<std::string>() == to_string(s);
        });
        if (found == std::end(all)) throw policy_error{key + ": not an Intel TCB status name (\"UpToDate\", ...)"};
        out.min_tcb(*found);
      } else if (key == "max_collateral_age_seconds") {
        if (!value.is_number_unsigned() || value.get<std::uint64_t>() > 100ULL * 365 * 86400) {
          throw policy_error{key + ": not a number of seconds (at most 100 years)"};
        }
        out.max_collateral_age(std::chrono::seconds(value.get<std::int64_t>()));
      } else {
        throw policy_error{key + ": unknown member"};
      }
    }
  } catch (const nlohmann::json::exception&) {
    return {errc::policy_malformed, "policy: not JSON"};
  } catch (const policy_error& bad) {
    return {errc::policy_malformed, bad.where};
  }
  return out;
}

/// What the policy judges, from a verified quote or (all zero) from a fake TDX attestation.
struct td_facts {
  bool attested = true;  ///< false for COCOON's fake TDX: no attributes to judge
  std::uint64_t td_attributes = 0, xfam = 0;
  hash384 mr_seam;
  std::optional<hash384> mr_service_td;
  td_measurements measurements;
  hash384 root_key_id;
};

[[nodiscard]] inline td_facts facts_of(const verified_quote& quote) {
  return {true,
          quote.td_attributes(),
          quote.xfam(),
          quote.mr_seam(),
          quote.mr_service_td(),
          measurements_of(quote),
          quote.root_key_id()};
}

/// The checks `apply_policy` records, in order.
inline constexpr const char* policy_checks[] = {"policy.debug",       "policy.td_attributes", "policy.service_td",
                                                "policy.mr_td",       "policy.rtmrs",         "policy.image_hash",
                                                "policy.root_key_id", "policy.mr_seam",       "policy.xfam",
                                                "policy.min_tcb",     "policy.collateral_age"};

/// Runs every check of `rules` and records each in `report`; returns the first failure.
/// `tcb` is the collateral's verdict when collateral was given.
inline std::optional<cocoon::detail::failure> apply_policy(const td_facts& facts, const tcb_report* tcb,
                                                           std::chrono::system_clock::time_point now,
                                                           const policy& rules, verification_report& report) {
  std::optional<cocoon::detail::failure> first;
  const auto refuse = [&](const char* name, errc code, std::string where) {
    const cocoon::detail::failure why{code, std::move(where)};
    report.fail(name, why);
    if (!first) first = why;
  };
  const auto attribute = [&](const char* name, bool refused, const char* where, const char* pass) {
    if (!facts.attested) return report.skip(name, "fake TDX: no TD attributes are attested");
    if (refused) return refuse(name, errc::td_attributes_refused, where);
    report.pass(name, pass);
  };
  const std::uint64_t attributes = facts.td_attributes;
  attribute("policy.debug", (attributes & td_attribute::debug) != 0 && !rules.debug_allowed(), "td_attributes: DEBUG",
            (attributes & td_attribute::debug) != 0 ? "DEBUG set, allowed by the policy (insecure)" : "DEBUG clear");
  const char* attribute_problem = (attributes & td_attributes_reserved) != 0 ? "td_attributes: reserved bit set"
                                  : (attributes & td_attribute::sept_ve_disable) == 0 && !rules.sept_ve_allowed()
                                      ? "td_attributes: SEPT_VE_DISABLE clear"
                                  : (attributes & td_attribute::migratable) != 0 && !rules.migratable_allowed()
                                      ? "td_attributes: MIGRATABLE"
                                      : nullptr;
  attribute("policy.td_attributes", attribute_problem != nullptr, attribute_problem,
            "no reserved bit; SEPT_VE_DISABLE and MIGRATABLE as the policy allows");
  const bool service_bound = facts.mr_service_td && !(*facts.mr_service_td == hash384{});
  attribute("policy.service_td", service_bound && !rules.service_td_allowed(), "mr_service_td: bound to a service TD",
            service_bound ? "bound to a service TD, allowed by the policy" : "not bound to a service TD");

  const auto member = [&](const char* name, const char* field, const auto& list, const auto& value) {
    if (list.empty()) return report.skip(name, "the policy lists none: any value accepted");
    if (std::find(list.begin(), list.end(), value) == list.end()) {
      return refuse(name, errc::measurement_not_allowed, std::string(field) + ": not in the policy's list");
    }
    report.pass(name, std::string(field) + " in the policy's list");
  };
  member("policy.mr_td", "mr_td", rules.mr_tds(), facts.measurements.mr_td);
  member("policy.rtmrs", "rtmrs", rules.rtmrs(), facts.measurements.rtmrs);
  member("policy.image_hash", "image_hash", rules.image_hashes(), cocoon_image_hash(facts.measurements));
  member("policy.root_key_id", "root_key_id", rules.root_key_ids(), facts.root_key_id);
  member("policy.mr_seam", "mr_seam", rules.mr_seams(), facts.mr_seam);
  member("policy.xfam", "xfam", rules.xfams(), facts.xfam);

  if (!rules.min_tcb()) {
    report.skip("policy.min_tcb", "no minimum TCB status");
  } else if (tcb == nullptr) {
    refuse("policy.min_tcb", errc::collateral_required, "min_tcb: no collateral to judge the TCB status by");
  } else if (tcb->status() > *rules.min_tcb()) {
    refuse("policy.min_tcb", errc::tcb_status_refused,
           std::string("tcb_status: ") + to_string(tcb->status()) + ", the policy accepts " +
               to_string(*rules.min_tcb()) + " or better");
  } else {
    report.pass("policy.min_tcb", std::string(to_string(tcb->status())) + ", at least " + to_string(*rules.min_tcb()));
  }

  if (!rules.max_collateral_age()) {
    report.skip("policy.collateral_age", "no maximum collateral age");
  } else if (tcb == nullptr) {
    refuse("policy.collateral_age", errc::collateral_required, "max_collateral_age: no collateral given");
  } else {
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - tcb->issue_date());
    if (age > *rules.max_collateral_age()) {
      refuse("policy.collateral_age", errc::collateral_too_old,
             "collateral issued " + std::to_string(age.count()) + " s before now, the policy allows " +
                 std::to_string(rules.max_collateral_age()->count()) + " s");
    } else {
      report.pass("policy.collateral_age", "collateral issued " + std::to_string(age.count()) + " s before now");
    }
  }
  return first;
}

}  // namespace detail

inline cocoon::detail::result<policy> policy::parse(std::string_view text) { return detail::parse_policy(text); }

/// Applies `rules` to a verified quote, with the TCB verdict of its collateral when there is one
/// (`evaluate_tcb`); `now` dates the collateral's age. @throws cocoon::error with
/// `errc::td_attributes_refused`, `measurement_not_allowed`, `tcb_status_refused`,
/// `collateral_required` or `collateral_too_old`.
inline void check_policy(const verified_quote& quote, const std::optional<tcb_report>& tcb, const policy& rules,
                         std::chrono::system_clock::time_point now) {
  verification_report report;
  cocoon::detail::throw_on_failure(
      detail::apply_policy(detail::facts_of(quote), tcb ? &*tcb : nullptr, now, rules, report), "check TD policy");
}

/// The same; false with `ec` set on a violation.
[[nodiscard]] inline bool check_policy(const verified_quote& quote, const std::optional<tcb_report>& tcb,
                                       const policy& rules, std::chrono::system_clock::time_point now, error_code& ec) {
  verification_report report;
  return cocoon::detail::succeeded(
      detail::apply_policy(detail::facts_of(quote), tcb ? &*tcb : nullptr, now, rules, report), ec);
}

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
