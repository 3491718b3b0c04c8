// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_JOB_IMPL_JOB_HPP
#define COCOON_JOB_IMPL_JOB_HPP

#include <cocoon/core/base64.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/job/job_builder.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <initializer_list>
#include <limits>

COCOON_SDK_NAMESPACE_BEGIN

namespace detail {

inline constexpr int job_format_version = 1;

[[nodiscard]] inline nlohmann::json job_document(const job& value) {
  nlohmann::json messages = nlohmann::json::array();
  for (const chat_message& message : value.messages()) {
    nlohmann::json entry = {{"role", to_string(message.role)}, {"text", message.text}};
    if (!message.attachments.empty()) {
      nlohmann::json attachments = nlohmann::json::array();
      for (const attachment& content : message.attachments) {
        nlohmann::json item = {{"media_type", content.media_type}, {"data", to_base64(content.data)}};
        if (!content.name.empty()) item["name"] = content.name;
        attachments.push_back(std::move(item));
      }
      entry["attachments"] = std::move(attachments);
    }
    messages.push_back(std::move(entry));
  }
  nlohmann::json cocoon_fields = {{"max_coefficient", value.max_coefficient()},
                                  {"timeout_ms", value.timeout().count()}};
  if (value.price_cap()) cocoon_fields["price_cap_nanotons"] = std::to_string(value.price_cap()->count());
  if (value.idempotency_key()) cocoon_fields["idempotency_key"] = *value.idempotency_key();
  if (value.client_request_id()) cocoon_fields["client_request_id"] = *value.client_request_id();

  // nlohmann::json objects are ordered maps: keys come out sorted, which the canonical form needs.
  nlohmann::json document = {{"version", job_format_version},
                             {"model", value.model()},
                             {"messages", std::move(messages)},
                             {"stream", value.stream()},
                             {"cocoon", std::move(cocoon_fields)}};
  if (value.max_tokens()) document["max_tokens"] = *value.max_tokens();
  if (value.temperature()) document["temperature"] = *value.temperature();
  if (value.top_p()) document["top_p"] = *value.top_p();
  if (!value.stop().empty()) document["stop"] = std::vector<std::string>(value.stop().begin(), value.stop().end());
  if (value.seed()) document["seed"] = *value.seed();
  return document;
}

/// Reads a JSON document back into a builder, checking structure and types; the builder then
/// checks values. Every refusal names the field.
class job_reader {
 public:
  explicit job_reader(const job_limits& limits) { builder_.limits(limits); }

  [[nodiscard]] std::optional<failure> read(const nlohmann::json& document) {
    if (auto why = keys(document, "",
                        {"cocoon", "max_tokens", "messages", "model", "seed", "stop", "stream", "temperature", "top_p",
                         "version"})) {
      return why;
    }
    const auto* version = field(document, "version", &nlohmann::json::is_number_unsigned);
    if (version == nullptr || version->get<std::uint64_t>() != job_format_version) {
      return failure{errc::job_malformed, "version: expected " + std::to_string(job_format_version)};
    }
    if (const auto* model = field(document, "model", &nlohmann::json::is_string)) {
      builder_.model(model->get<std::string>());
    } else {
      return missing("model");
    }
    const auto* messages = field(document, "messages", &nlohmann::json::is_array);
    if (messages == nullptr) return missing("messages");
    for (std::size_t i = 0; i < messages->size(); ++i) {
      if (auto why = read_message((*messages)[i], "messages[" + std::to_string(i) + "]")) return why;
    }
    const auto* stream = field(document, "stream", &nlohmann::json::is_boolean);
    if (stream == nullptr) return missing("stream");
    builder_.stream(stream->get<bool>());
    if (document.contains("max_tokens")) {
      const auto count = unsigned_field(document, "max_tokens", std::numeric_limits<std::uint32_t>::max());
      if (!count) return wrong("max_tokens");
      builder_.max_tokens(static_cast<std::uint32_t>(*count));
    }
    if (document.contains("temperature")) {
      if (!document["temperature"].is_number_float()) return wrong("temperature");
      builder_.temperature(document["temperature"].get<double>());
    }
    if (document.contains("top_p")) {
      if (!document["top_p"].is_number_float()) return wrong("top_p");
      builder_.top_p(document["top_p"].get<double>());
    }
    if (document.contains("seed")) {
      const auto& seed = document["seed"];
      if (!seed.is_number_integer() || (seed.is_number_unsigned() && seed.get<std::uint64_t>() > INT64_MAX)) {
        return wrong("seed");
      }
      builder_.seed(seed.get<std::int64_t>());
    }
    if (document.contains("stop")) {
      const auto& stop = document["stop"];
      if (!stop.is_array()) return wrong("stop");
      for (const auto& sequence : stop) {
        if (!sequence.is_string()) return wrong("stop");
        builder_.stop(sequence.get<std::string>());
      }
    }
    const auto* cocoon_fields = field(document, "cocoon", &nlohmann::json::is_object);
    if (cocoon_fields == nullptr) return missing("cocoon");
    return read_cocoon_fields(*cocoon_fields);
  }

  /// The job read, as the builder validates it.
  [[nodiscard]] result<job> validated() const { return builder_.validated(); }

 private:
  using type_check = bool (nlohmann::json::*)() const noexcept;

  static std::optional<failure> keys(const nlohmann::json& object, const std::string& prefix,
                                     std::initializer_list<std::string_view> allowed) {
    if (!object.is_object()) return failure{errc::job_malformed, (prefix.empty() ? "job" : prefix) + ": not an object"};
    for (const auto& [key, unused] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return failure{errc::job_malformed, prefix + (prefix.empty() ? "" : ".") + key + ": unknown field"};
      }
    }
    return std::nullopt;
  }
  static const nlohmann::json* field(const nlohmann::json& object, const char* name, type_check is_type) {
    const auto found = object.find(name);
    return found != object.end() && ((*found).*is_type)() ? &*found : nullptr;
  }
  static std::optional<std::uint64_t> unsigned_field(const nlohmann::json& object, const char* name,
                                                     std::uint64_t max) {
    const auto* value = field(object, name, &nlohmann::json::is_number_unsigned);
    if (value == nullptr || value->get<std::uint64_t>() > max) return std::nullopt;
    return value->get<std::uint64_t>();
  }
  static failure missing(const std::string& name) { return {errc::job_malformed, name + ": missing or wrong type"}; }
  static failure wrong(const std::string& name) { return {errc::job_malformed, name + ": wrong type or range"}; }

  std::optional<failure> read_message(const nlohmann::json& entry, const std::string& name) {
    if (auto why = keys(entry, name, {"attachments", "role", "text"})) return why;
    const auto* role_name = field(entry, "role", &nlohmann::json::is_string);
    if (role_name == nullptr) return missing(name + ".role");
    const auto speaker = role_from_string(role_name->get<std::string>());
    if (!speaker) return failure{errc::job_invalid, name + ".role: unknown"};
    const auto* text = field(entry, "text", &nlohmann::json::is_string);
    if (text == nullptr) return missing(name + ".text");
    std::vector<attachment> attachments;
    if (entry.contains("attachments")) {
      const auto& list = entry["attachments"];
      if (!list.is_array()) return wrong(name + ".attachments");
      for (std::size_t k = 0; k < list.size(); ++k) {
        const std::string item_name = name + ".attachments[" + std::to_string(k) + "]";
        const auto& item = list[k];
        if (auto why = keys(item, item_name, {"data", "media_type", "name"})) return why;
        const auto* media_type = field(item, "media_type", &nlohmann::json::is_string);
        const auto* data = field(item, "data", &nlohmann::json::is_string);
        if (media_type == nullptr) return missing(item_name + ".media_type");
        if (data == nullptr) return missing(item_name + ".data");
        error_code ec;
        auto decoded = from_base64(data->get_ref<const std::string&>(), base64_variant::standard, ec);
        if (!decoded) return failure{errc::job_malformed, item_name + ".data: not padded base64"};
        std::string file_name;
        if (item.contains("name")) {
          if (!item["name"].is_string()) return wrong(item_name + ".name");
          file_name = item["name"].get<std::string>();
        }
        attachments.push_back({media_type->get<std::string>(), std::move(*decoded), std::move(file_name)});
      }
    }
    builder_.message(*speaker, text->get<std::string>(), std::move(attachments));
    return std::nullopt;
  }

  std::optional<failure> read_cocoon_fields(const nlohmann::json& fields) {
    if (auto why =
            keys(fields, "cocoon",
                 {"client_request_id", "idempotency_key", "max_coefficient", "price_cap_nanotons", "timeout_ms"})) {
      return why;
    }
    const auto coefficient = unsigned_field(fields, "max_coefficient", std::numeric_limits<std::uint32_t>::max());
    if (!coefficient) return missing("cocoon.max_coefficient");
    builder_.max_coefficient(static_cast<std::uint32_t>(*coefficient));
    const auto timeout = unsigned_field(fields, "timeout_ms", std::numeric_limits<std::int64_t>::max());
    if (!timeout) return missing("cocoon.timeout_ms");
    builder_.timeout(std::chrono::milliseconds(static_cast<std::int64_t>(*timeout)));
    if (fields.contains("price_cap_nanotons")) {
      const auto* cap = field(fields, "price_cap_nanotons", &nlohmann::json::is_string);
      if (cap == nullptr) return wrong("cocoon.price_cap_nanotons");
      const auto& digits = cap->get_ref<const std::string&>();
      std::uint64_t count = 0;
      const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
      if (digits.empty() || status != std::errc{} || end != digits.data() + digits.size()) {
        return failure{errc::job_malformed, "cocoon.price_cap_nanotons: not an integer string of nanotons"};
      }
      builder_.price_cap(nanotons{count});
    }
    for (const char* name : {"idempotency_key", "client_request_id"}) {
      if (!fields.contains(name)) continue;
      const auto* value = field(fields, name, &nlohmann::json::is_string);
      if (value == nullptr) return wrong(std::string("cocoon.") + name);
      if (std::string_view(name) == "idempotency_key") {
        builder_.idempotency_key(value->get<std::string>());
      } else {
        builder_.client_request_id(value->get<std::string>());
      }
    }
    return std::nullopt;
  }

  job_builder builder_;
};

[[nodiscard]] inline result<job> parse_job(std::string_view text, const job_limits& limits) {
  if (text.size() > limits.max_serialized_bytes) {
    return failure{errc::job_limit_exceeded, "over " + std::to_string(limits.max_serialized_bytes) + " bytes"};
  }
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) return failure{errc::job_malformed, "not JSON"};
  job_reader reader(limits);
  if (auto why = reader.read(document)) return std::move(*why);
  auto parsed = reader.validated();
  if (!parsed.has_value()) return cocoon::detail::within("values refused by the builder", parsed.error());
  // Whitespace, key order, number spelling, escapes or duplicate keys make other bytes for the
  // same job; only the canonical bytes are accepted, so a job has exactly one serialization.
  if (parsed.value().to_json() != text) return failure{errc::job_malformed, "not in canonical form"};
  return parsed;
}

}  // namespace detail

inline std::string job::to_json() const {
  return detail::job_document(*this).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

inline hash256 job::hash() const { return sha256(as_bytes(to_json())); }

inline job job::from_json(std::string_view text, const job_limits& limits) {
  return detail::value_or_throw(detail::parse_job(text, limits), "job parse");
}

inline std::optional<job> job::from_json(std::string_view text, const job_limits& limits, error_code& ec) {
  return detail::value_or_code(detail::parse_job(text, limits), ec);
}

COCOON_SDK_NAMESPACE_END

#endif
