// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_DETAIL_COLLATERAL_JSON_HPP
#define COCOON_ATTEST_DETAIL_COLLATERAL_JSON_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/attest/tcb_status.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/error.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <string_view>

// Reading Intel's collateral JSON: typed fields that name what is wrong, and the exact text
// of a signed member.
COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

namespace detail {

using json = nlohmann::json;

/// A collateral field that is missing or of the wrong type; caught at the top of the evaluation.
struct bad_field {
  std::string where;
};

/// An ASN.1 time on the system clock, saturated at the clock's range.
[[nodiscard]] inline std::chrono::system_clock::time_point from_asn1_time(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) {
    ERR_clear_error();
    return std::chrono::system_clock::time_point::min();  // unreadable: treat as already expired
  }
  const std::chrono::year_month_day day{std::chrono::year{parts.tm_year + 1900},
                                        std::chrono::month{static_cast<unsigned>(parts.tm_mon + 1)},
                                        std::chrono::day{static_cast<unsigned>(parts.tm_mday)}};
  const std::chrono::sys_seconds at = std::chrono::sys_days{day} + std::chrono::hours{parts.tm_hour} +
                                      std::chrono::minutes{parts.tm_min} + std::chrono::seconds{parts.tm_sec};
  // The clock counts nanoseconds (about 1678 to 2262); a certificate may name any year up to 9999.
  using time_point = std::chrono::system_clock::time_point;
  if (at >= std::chrono::floor<std::chrono::seconds>(time_point::max())) return time_point::max();
  if (at <= std::chrono::ceil<std::chrono::seconds>(time_point::min())) return time_point::min();
  return at;
}

[[nodiscard]] inline std::size_t skip_space(std::string_view text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) ++at;
  return at;
}

/// The end of the JSON string starting at `at` (a quote), or npos.
[[nodiscard]] inline std::size_t skip_string(std::string_view text, std::size_t at) {
  for (++at; at < text.size(); ++at) {
    if (text[at] == '\\') {
      ++at;
    } else if (text[at] == '"') {
      return at + 1;
    }
  }
  return std::string_view::npos;
}

/// The end of the JSON value starting at `at`, or npos (brackets balanced, strings skipped; the
/// whole text is validated separately by the JSON parser).
[[nodiscard]] inline std::size_t skip_value(std::string_view text, std::size_t at) {
  std::size_t depth = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '"') {
      at = skip_string(text, at);
      if (at == std::string_view::npos) return at;
      if (depth == 0) return at;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return at;  // end of a scalar at the enclosing object's end
      if (--depth == 0) return at + 1;
    } else if (depth == 0 && c == ',') {
      return at;
    }
    ++at;
  }
  return depth == 0 ? at : std::string_view::npos;
}

/// The exact text of the top-level member `key` of a JSON object (what Intel signs).
[[nodiscard]] inline std::optional<std::string_view> raw_member(std::string_view text, std::string_view key) {
  std::size_t at = skip_space(text, 0);
  if (at >= text.size() || text[at] != '{') return std::nullopt;
  at = skip_space(text, at + 1);
  while (at < text.size() && text[at] == '"') {
    const std::size_t key_end = skip_string(text, at);
    if (key_end == std::string_view::npos) return std::nullopt;
    const std::string_view name = text.substr(at + 1, key_end - at - 2);
    at = skip_space(text, key_end);
    if (at >= text.size() || text[at] != ':') return std::nullopt;
    const std::size_t value = skip_space(text, at + 1);
    const std::size_t value_end = skip_value(text, value);
    if (value_end == std::string_view::npos) return std::nullopt;
    if (name == key) return text.substr(value, value_end - value);
    at = skip_space(text, value_end);
    if (at < text.size() && text[at] == ',') at = skip_space(text, at + 1);
  }
  return std::nullopt;
}

[[nodiscard]] inline const json& field(const json& object, const char* name, json::value_t type,
                                       const std::string& where) {
  const auto found = object.find(name);
  const bool number = type == json::value_t::number_unsigned;
  if (found == object.end() || (number ? !found->is_number_unsigned() : found->type() != type)) {
    throw bad_field{where + "." + name};
  }
  return *found;
}

[[nodiscard]] inline std::string text_field(const json& object, const char* name, const std::string& where) {
  return field(object, name, json::value_t::string, where).get<std::string>();
}

[[nodiscard]] inline std::uint64_t number_field(const json& object, const char* name, const std::string& where) {
  return field(object, name, json::value_t::number_unsigned, where).get<std::uint64_t>();
}

/// Hex text (either case) of exactly `size` bytes.
[[nodiscard]] inline bytes hex_field(const json& object, const char* name, std::size_t size, const std::string& where) {
  error_code ec;
  auto decoded = from_hex(text_field(object, name, where), ec);
  if (!decoded || decoded->size() != size) throw bad_field{where + "." + name};
  return std::move(*decoded);
}

/// "YYYY-MM-DDTHH:MM:SSZ".
[[nodiscard]] inline std::chrono::system_clock::time_point date_field(const json& object, const char* name,
                                                                      const std::string& where) {
  const std::string text = text_field(object, name, where);
  const auto digits = [&](std::size_t at, std::size_t count) {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) throw bad_field{where + "." + name};
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    throw bad_field{where + "." + name};
  }
  const std::chrono::year_month_day day{std::chrono::year{digits(0, 4)},
                                        std::chrono::month{static_cast<unsigned>(digits(5, 2))},
                                        std::chrono::day{static_cast<unsigned>(digits(8, 2))}};
  const int hours = digits(11, 2), minutes = digits(14, 2), seconds = digits(17, 2);
  if (!day.ok() || hours > 23 || minutes > 59 || seconds > 60) throw bad_field{where + "." + name};
  return std::chrono::sys_days{day} + std::chrono::hours{hours} + std::chrono::minutes{minutes} +
         std::chrono::seconds{seconds};
}

[[nodiscard]] inline tcb_status status_field(const json& object, const std::string& where) {
  const std::string name = text_field(object, "tcbStatus", where);
  // Relaunch advice is derived by the evaluation, never read from a collateral level.
  for (const auto status : all_tcb_statuses) {
    if (status == tcb_status::td_relaunch_advised || status == tcb_status::td_relaunch_advised_configuration_needed) {
      continue;
    }
    if (name == to_string(status)) return status;
  }
  throw bad_field{where + ".tcbStatus"};
}

inline void add_advisories(const json& level, std::set<std::string>& out, const std::string& where) {
  const auto found = level.find("advisoryIDs");
  if (found == level.end()) return;
  if (!found->is_array()) throw bad_field{where + ".advisoryIDs"};
  for (const auto& id : *found) {
    if (!id.is_string()) throw bad_field{where + ".advisoryIDs"};
    out.insert(id.get<std::string>());
  }
}

}  // namespace detail

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
