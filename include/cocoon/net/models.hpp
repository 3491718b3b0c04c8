// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_MODELS_HPP
#define COCOON_NET_MODELS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/protocol.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// One worker serving a model: its price and its load.
struct model_worker {
  std::int32_t coefficient = 0;  ///< 1000 = 1.0x the base price
  std::int32_t running_requests = 0;
  std::int32_t max_running_requests = 0;
  friend bool operator==(const model_worker&, const model_worker&) = default;
};

/// Protocol 0 lists no workers, only this summary of them (`client.workerType`). A real proxy
/// counts INT32_MAX among the coefficients, so with one worker the median and highest read INT32_MAX.
struct model_workers_summary {
  std::int32_t active_workers = 0;
  std::int32_t coefficient_min = 0, coefficient_median = 0, coefficient_max = 0;
  friend bool operator==(const model_workers_summary&, const model_workers_summary&) = default;
};

/// A model on offer, from a proxy (`client.workerTypesV2`, or `client.workerTypes` at protocol 0)
/// or from a client runner's `GET /v1/models`: one type for both.
struct model_info {
  std::string name;
  /// Each worker, as the proxy lists them (cheapest first); empty at protocol 0.
  std::vector<model_worker> workers;
  /// Set only from `client.workerTypes` (protocol 0).
  std::optional<model_workers_summary> summary;
  friend bool operator==(const model_info&, const model_info&) = default;
};

[[nodiscard]] inline std::vector<model_info> models_from(const proto::worker_types_v2& list) {
  std::vector<model_info> out;
  for (const auto& type : list.types) {
    auto& model = out.emplace_back(model_info{type.name, {}, std::nullopt});
    for (const auto& worker : type.workers) {
      model.workers.push_back({worker.coefficient, worker.active_requests, worker.max_active_requests});
    }
  }
  return out;
}

[[nodiscard]] inline std::vector<model_info> models_from(const proto::worker_types& list) {
  std::vector<model_info> out;
  for (const auto& type : list.types) {
    out.push_back({type.name,
                   {},
                   model_workers_summary{type.active_workers, type.coefficient_min, type.coefficient_bucket50,
                                         type.coefficient_max}});
  }
  return out;
}

namespace detail {
/// The client runner's model list: `{"object":"list","data":[{"id":NAME,...,"workers":[...]}]}`,
/// "workers" absent when the runner speaks protocol 0 to its proxy.
[[nodiscard]] inline cocoon::detail::result<std::vector<model_info>> parse_models_json(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  const auto malformed = [](const char* what) { return cocoon::detail::failure{errc::answer_malformed, what}; };
  if (json.is_discarded() || !json.is_object()) return malformed("models: not a JSON object");
  const auto data = json.find("data");
  if (data == json.end() || !data->is_array()) return malformed("models: no data array");
  const auto int32 = [](const nlohmann::json& object, const char* key) -> std::optional<std::int32_t> {
    const auto value = object.find(key);
    if (value == object.end() || !value->is_number_integer()) return std::nullopt;
    // Read as unsigned, a number above INT64_MAX would wrap into range.
    if (value->is_number_unsigned() && value->get<std::uint64_t>() > std::numeric_limits<std::int32_t>::max()) {
      return std::nullopt;
    }
    const auto number = value->get<std::int64_t>();
    if (number < std::numeric_limits<std::int32_t>::min() || number > std::numeric_limits<std::int32_t>::max()) {
      return std::nullopt;
    }
    return static_cast<std::int32_t>(number);
  };
  std::vector<model_info> out;
  for (const auto& entry : *data) {
    if (!entry.is_object()) return malformed("models: data entry is not an object");
    const auto id = entry.find("id");
    if (id == entry.end() || !id->is_string()) return malformed("models: id");
    auto& model = out.emplace_back(model_info{id->get<std::string>(), {}, std::nullopt});
    const auto workers = entry.find("workers");
    if (workers == entry.end()) continue;
    if (!workers->is_array()) return malformed("models: workers");
    for (const auto& worker : *workers) {
      if (!worker.is_object()) return malformed("models: worker");
      const auto coefficient = int32(worker, "coefficient");
      const auto running = int32(worker, "running_requests");
      const auto max_running = int32(worker, "max_running_requests");
      if (!coefficient || !running || !max_running) return malformed("models: worker fields");
      model.workers.push_back({*coefficient, *running, *max_running});
    }
  }
  return out;
}
}  // namespace detail

/// Parses a client runner's `GET /v1/models` body.
/// @throws cocoon::error with `errc::answer_malformed` when it is not that list.
[[nodiscard]] inline std::vector<model_info> parse_models_json(std::string_view body) {
  return cocoon::detail::value_or_throw(detail::parse_models_json(body), "model list");
}
[[nodiscard]] inline std::optional<std::vector<model_info>> parse_models_json(std::string_view body, error_code& ec) {
  return cocoon::detail::value_or_code(detail::parse_models_json(body), ec);
}

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
