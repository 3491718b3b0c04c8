// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_JOB_JOB_BUILDER_HPP
#define COCOON_JOB_JOB_BUILDER_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/nanotons.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/detail/utf8.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/message.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

namespace detail {
class job_reader;
}  // namespace detail

/// Builds a `job` fluently:
///
///     const cocoon::job job = cocoon::job_builder()
///         .model("Qwen/Qwen3-8B")
///         .system("You are terse.")
///         .user("Summarise this contract.")
///         .attach({"application/pdf", pdf_bytes, "contract.pdf"})
///         .max_tokens(512)
///         .price_cap(0.05_ton)
///         .build();
///
/// A builder is a cheap mutable value. Setters store what they are given and never throw;
/// `build()` checks everything and names the first field it refuses.
class job_builder {
 public:
  job_builder& model(std::string name) { return set(draft_.model_, std::move(name)); }

  /// Appends a message.
  job_builder& message(role speaker, std::string text, std::vector<attachment> attachments = {}) {
    draft_.messages_.push_back({speaker, std::move(text), std::move(attachments)});
    return *this;
  }
  job_builder& system(std::string text) { return message(role::system, std::move(text)); }
  job_builder& developer(std::string text) { return message(role::developer, std::move(text)); }
  job_builder& user(std::string text) { return message(role::user, std::move(text)); }
  job_builder& assistant(std::string text) { return message(role::assistant, std::move(text)); }

  /// Attaches binary content to the last message (a build error if there is none yet).
  job_builder& attach(attachment content) {
    if (draft_.messages_.empty()) {
      orphan_attachment_ = true;
    } else {
      draft_.messages_.back().attachments.push_back(std::move(content));
    }
    return *this;
  }

  job_builder& max_tokens(std::uint32_t count) { return set(draft_.max_tokens_, count); }
  /// Sampling temperature, 0 to 2.
  job_builder& temperature(double value) { return set(draft_.temperature_, value); }
  /// Nucleus sampling mass, 0 to 1.
  job_builder& top_p(double value) { return set(draft_.top_p_, value); }
  /// Adds a stop sequence (at most 4).
  job_builder& stop(std::string sequence) {
    draft_.stop_.push_back(std::move(sequence));
    return *this;
  }
  job_builder& seed(std::int64_t value) { return set(draft_.seed_, value); }
  job_builder& stream(bool enabled = true) { return set(draft_.stream_, enabled); }
  job_builder& max_coefficient(std::uint32_t coefficient) { return set(draft_.max_coefficient_, coefficient); }
  job_builder& price_cap(nanotons cap) { return set(draft_.price_cap_, cap); }
  job_builder& timeout(std::chrono::milliseconds limit) { return set(draft_.timeout_, limit); }
  job_builder& idempotency_key(std::string key) { return set(draft_.idempotency_key_, std::move(key)); }
  job_builder& client_request_id(std::string id) { return set(draft_.client_request_id_, std::move(id)); }
  job_builder& limits(const job_limits& limits) { return set(limits_, limits); }

  /// The validated job.
  /// @throws cocoon::error with `errc::job_invalid` or `errc::job_limit_exceeded`; `where` names
  ///         the field, e.g. "messages[1].text: invalid UTF-8 at byte 17".
  [[nodiscard]] job build() const { return detail::value_or_throw(validated(), "job"); }
  [[nodiscard]] std::optional<job> build(error_code& ec) const { return detail::value_or_code(validated(), ec); }

 private:
  template <class Field, class Value>
  job_builder& set(Field& field, Value&& value) {
    field = std::forward<Value>(value);
    return *this;
  }

  friend class detail::job_reader;  // reads JSON into a builder and keeps the builder's `where`
  [[nodiscard]] detail::result<job> validated() const;

  job draft_;
  job_limits limits_;
  bool orphan_attachment_ = false;
};

namespace detail {

/// Printable ASCII without spaces: model names, media types, keys and ids.
[[nodiscard]] inline bool is_token(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

[[nodiscard]] inline std::optional<failure> check_text(std::string_view field, std::string_view text,
                                                       std::size_t limit) {
  if (text.size() > limit) {
    return failure{errc::job_limit_exceeded, std::string(field) + ": over " + std::to_string(limit) + " bytes"};
  }
  if (const auto bad = invalid_utf8_offset(text)) {
    return failure{errc::job_invalid, std::string(field) + ": invalid UTF-8 at byte " + std::to_string(*bad)};
  }
  return std::nullopt;
}

[[nodiscard]] inline std::optional<failure> check_token(std::string_view field, std::string_view text,
                                                        std::size_t limit) {
  if (text.empty()) return failure{errc::job_invalid, std::string(field) + ": empty"};
  if (text.size() > limit) {
    return failure{errc::job_limit_exceeded, std::string(field) + ": over " + std::to_string(limit) + " bytes"};
  }
  if (!is_token(text)) {
    return failure{errc::job_invalid, std::string(field) + ": only printable ASCII without spaces is allowed"};
  }
  return std::nullopt;
}

}  // namespace detail

inline detail::result<job> job_builder::validated() const {
  using detail::failure;
  const job_limits& limits = limits_;
  if (orphan_attachment_) return failure{errc::job_invalid, "attachments: attach() before any message"};
  if (auto why = detail::check_token("model", draft_.model_, limits.max_name_bytes)) return std::move(*why);
  if (draft_.messages_.empty()) return failure{errc::job_invalid, "messages: none"};
  if (draft_.messages_.size() > limits.max_messages) {
    return failure{errc::job_limit_exceeded, "messages: more than " + std::to_string(limits.max_messages)};
  }
  for (std::size_t i = 0; i < draft_.messages_.size(); ++i) {
    const chat_message& message = draft_.messages_[i];
    const std::string field = "messages[" + std::to_string(i) + "]";
    if (!role_from_string(to_string(message.role))) return failure{errc::job_invalid, field + ".role: unknown"};
    if (auto why = detail::check_text(field + ".text", message.text, limits.max_text_bytes)) return std::move(*why);
    if (message.text.empty() && message.attachments.empty()) return failure{errc::job_invalid, field + ": empty"};
    if (message.attachments.size() > limits.max_attachments) {
      return failure{errc::job_limit_exceeded,
                     field + ".attachments: more than " + std::to_string(limits.max_attachments)};
    }
    for (std::size_t k = 0; k < message.attachments.size(); ++k) {
      const attachment& content = message.attachments[k];
      const std::string item = field + ".attachments[" + std::to_string(k) + "]";
      if (auto why = detail::check_token(item + ".media_type", content.media_type, limits.max_name_bytes)) {
        return std::move(*why);
      }
      if (content.media_type.find('/') == std::string::npos) {
        return failure{errc::job_invalid, item + ".media_type: not type/subtype"};
      }
      if (auto why = detail::check_text(item + ".name", content.name, limits.max_name_bytes)) return std::move(*why);
      if (content.data.size() > limits.max_attachment_bytes) {
        return failure{errc::job_limit_exceeded,
                       item + ".data: over " + std::to_string(limits.max_attachment_bytes) + " bytes"};
      }
    }
  }
  if (draft_.max_tokens_ && (*draft_.max_tokens_ == 0 || *draft_.max_tokens_ > limits.max_tokens)) {
    return failure{errc::job_invalid, "max_tokens: must be 1 to " + std::to_string(limits.max_tokens)};
  }
  // `!(x >= low && x <= high)` is also true for NaN.
  if (draft_.temperature_ && !(*draft_.temperature_ >= 0.0 && *draft_.temperature_ <= 2.0)) {
    return failure{errc::job_invalid, "temperature: must be 0 to 2"};
  }
  if (draft_.top_p_ && !(*draft_.top_p_ >= 0.0 && *draft_.top_p_ <= 1.0)) {
    return failure{errc::job_invalid, "top_p: must be 0 to 1"};
  }
  if (draft_.stop_.size() > limits.max_stop_sequences) {
    return failure{errc::job_limit_exceeded, "stop: more than " + std::to_string(limits.max_stop_sequences)};
  }
  for (std::size_t i = 0; i < draft_.stop_.size(); ++i) {
    const std::string field = "stop[" + std::to_string(i) + "]";
    if (draft_.stop_[i].empty()) return failure{errc::job_invalid, field + ": empty"};
    if (auto why = detail::check_text(field, draft_.stop_[i], limits.max_name_bytes)) return std::move(*why);
  }
  if (draft_.max_coefficient_ == 0 || draft_.max_coefficient_ > 1'000'000) {
    return failure{errc::job_invalid, "max_coefficient: must be 1 to 1000000 (1000 = 1.0x)"};
  }
  if (draft_.timeout_ <= std::chrono::milliseconds::zero() || draft_.timeout_ > std::chrono::hours(1)) {
    return failure{errc::job_invalid, "timeout: must be above 0 and at most 1 hour"};
  }
  if (draft_.idempotency_key_) {
    if (auto why = detail::check_token("idempotency_key", *draft_.idempotency_key_, limits.max_name_bytes)) {
      return std::move(*why);
    }
  }
  if (draft_.client_request_id_) {
    if (auto why = detail::check_token("client_request_id", *draft_.client_request_id_, limits.max_name_bytes)) {
      return std::move(*why);
    }
  }
  return draft_;
}

COCOON_SDK_NAMESPACE_END

#include <cocoon/job/impl/job.hpp>

#endif
