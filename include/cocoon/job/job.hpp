// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_JOB_JOB_HPP
#define COCOON_JOB_JOB_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/message.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

/// Size and count limits a job must respect. The defaults suit COCOON's workers; every limit is
/// checked when a job is built and when one is parsed.
struct job_limits {
  std::size_t max_messages = 256;
  std::size_t max_text_bytes = 1 << 20;           ///< per message
  std::size_t max_attachments = 16;               ///< per message
  std::size_t max_attachment_bytes = 32 << 20;    ///< per attachment
  std::size_t max_serialized_bytes = 128u << 20;  ///< the whole canonical JSON
  std::size_t max_stop_sequences = 4;             ///< as the OpenAI API
  std::size_t max_name_bytes = 256;               ///< model, media type, names, keys and ids
  std::uint32_t max_tokens = 1'000'000;
};

/// An inference job: an OpenAI chat-completions request (model, messages, sampling parameters)
/// plus what COCOON needs to run and bill it. Immutable; built by `job_builder` or parsed from
/// its canonical JSON, both of which validate everything, so a `job` is always valid.
///
/// Canonical form: `to_json()` writes UTF-8 JSON with keys sorted and no whitespace, optional
/// fields omitted when unset, attachment data in padded base64 and amounts as integer strings of
/// nanotons; the same job always gives the same bytes and the same `hash()`.
class job {
 public:
  [[nodiscard]] const std::string& model() const noexcept { return model_; }
  [[nodiscard]] std::span<const chat_message> messages() const noexcept { return messages_; }
  [[nodiscard]] std::optional<std::uint32_t> max_tokens() const noexcept { return max_tokens_; }
  [[nodiscard]] std::optional<double> temperature() const noexcept { return temperature_; }
  [[nodiscard]] std::optional<double> top_p() const noexcept { return top_p_; }
  [[nodiscard]] std::span<const std::string> stop() const noexcept { return stop_; }
  [[nodiscard]] std::optional<std::int64_t> seed() const noexcept { return seed_; }
  [[nodiscard]] bool stream() const noexcept { return stream_; }

  /// The highest worker price coefficient accepted (1000 = 1.0x); COCOON's client default is 4000.
  [[nodiscard]] std::uint32_t max_coefficient() const noexcept { return max_coefficient_; }
  /// The most the job may cost, if capped.
  [[nodiscard]] std::optional<nanotons> price_cap() const noexcept { return price_cap_; }
  [[nodiscard]] std::chrono::milliseconds timeout() const noexcept { return timeout_; }
  /// Marks retries of the same logical job: a job carrying one may be retried safely.
  [[nodiscard]] const std::optional<std::string>& idempotency_key() const noexcept { return idempotency_key_; }
  /// The caller's own identifier, echoed in receipts.
  [[nodiscard]] const std::optional<std::string>& client_request_id() const noexcept { return client_request_id_; }

  /// The canonical JSON (see the class comment).
  [[nodiscard]] std::string to_json() const;

  /// SHA-256 of the canonical JSON.
  [[nodiscard]] hash256 hash() const;

  /// Parses canonical job JSON strictly: unknown or missing fields, wrong types, values the builder
  /// would refuse, anything over `limits`, and JSON that is valid but not in canonical form are
  /// all refused.
  /// @throws cocoon::error with `errc::job_malformed`, `errc::job_invalid` or
  ///         `errc::job_limit_exceeded`, whose `where` names the field.
  [[nodiscard]] static job from_json(std::string_view text, const job_limits& limits = {});
  [[nodiscard]] static std::optional<job> from_json(std::string_view text, const job_limits& limits, error_code& ec);

  friend bool operator==(const job&, const job&) = default;

 private:
  friend class job_builder;
  job() = default;

  std::string model_;
  std::vector<chat_message> messages_;
  std::optional<std::uint32_t> max_tokens_;
  std::optional<double> temperature_;
  std::optional<double> top_p_;
  std::vector<std::string> stop_;
  std::optional<std::int64_t> seed_;
  bool stream_ = false;
  std::uint32_t max_coefficient_ = 4000;
  std::optional<nanotons> price_cap_;
  std::chrono::milliseconds timeout_{120'000};
  std::optional<std::string> idempotency_key_;
  std::optional<std::string> client_request_id_;
};

COCOON_SDK_NAMESPACE_END

// The builder and the serialization code come with the type, whichever header is included first.
#include <cocoon/job/job_builder.hpp>

#endif
