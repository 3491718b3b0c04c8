// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_JOB_OPENAI_HPP
#define COCOON_JOB_OPENAI_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/base64.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN

/// The OpenAI chat-completions wire format as COCOON speaks it: the request body a job becomes,
/// and the answers (whole, or streamed as Server-Sent Events) parsed back, with the token counts
/// and nanoton costs COCOON workers add to `usage`.
namespace openai {

/// Where a request goes, which decides the fields it may carry.
struct request_options {
  /// Add the COCOON client runner's own fields (`max_coefficient`, `timeout` in seconds,
  /// `request_guid`), which the runner reads and removes before forwarding.
  bool client_runner_fields = true;
  /// COCOON workers refuse `seed` in chat requests; the local reference network honours it.
  bool allow_seed = false;
};

/// Token counts as the worker reports them, and COCOON's costs when present.
struct usage {
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
  std::uint64_t total_tokens = 0;
  std::uint64_t cached_tokens = 0;
  std::uint64_t reasoning_tokens = 0;
  std::optional<nanotons> prompt_cost;  ///< usage.prompt_total_cost
  std::optional<nanotons> completion_cost;
  std::optional<nanotons> total_cost;

  friend bool operator==(const usage&, const usage&) = default;
};

/// A finished answer.
struct answer {
  std::string text;
  std::string finish_reason;  ///< "stop", "length", ... (empty if the worker gave none)
  std::string model;
  std::optional<openai::usage> usage;
  std::string error;  ///< when the service answered with an error: its status and message

  friend bool operator==(const answer&, const answer&) = default;
};

namespace detail {

using json = nlohmann::json;

[[nodiscard]] inline cocoon::detail::result<json> content_of(const chat_message& message) {
  if (message.attachments.empty()) return json(message.text);
  json parts = json::array();
  if (!message.text.empty()) parts.push_back({{"type", "text"}, {"text", message.text}});
  for (const auto& attachment : message.attachments) {
    if (attachment.media_type.rfind("image/", 0) != 0) {
      return cocoon::detail::failure{errc::job_unsupported,
                                     "attachment of type " + attachment.media_type + ": only images can be sent"};
    }
    parts.push_back(
        {{"type", "image_url"},
         {"image_url", {{"url", "data:" + attachment.media_type + ";base64," + to_base64(attachment.data)}}}});
  }
  return parts;
}

[[nodiscard]] inline cocoon::detail::result<std::string> chat_request(const job& job, const request_options& options) {
  json body;
  body["model"] = job.model();
  json messages = json::array();
  for (const auto& message : job.messages()) {
    auto content = content_of(message);
    if (!content.has_value()) return content.error();
    messages.push_back({{"role", std::string(to_string(message.role))}, {"content", std::move(content).value()}});
  }
  body["messages"] = std::move(messages);
  if (job.max_tokens()) body["max_tokens"] = *job.max_tokens();
  if (job.temperature()) body["temperature"] = *job.temperature();
  if (job.top_p()) body["top_p"] = *job.top_p();
  if (!job.stop().empty()) body["stop"] = std::vector<std::string>(job.stop().begin(), job.stop().end());
  if (job.seed()) {
    if (!options.allow_seed) {
      return cocoon::detail::failure{errc::job_unsupported, "seed: COCOON workers refuse it in chat requests"};
    }
    body["seed"] = *job.seed();
  }
  if (job.stream()) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  if (options.client_runner_fields) {
    body["max_coefficient"] = job.max_coefficient();
    body["timeout"] = static_cast<double>(job.timeout().count()) / 1000.0;
    if (job.client_request_id()) body["request_guid"] = *job.client_request_id();
  }
  return body.dump();
}

/// A JSON value that must be a non-negative integer (token counts, nanoton costs).
[[nodiscard]] inline std::optional<std::uint64_t> count_at(const json& object, const char* key, bool& malformed) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_unsigned()) {
    if (!(it->is_number_integer() && it->get<std::int64_t>() >= 0)) {
      malformed = true;
      return std::nullopt;
    }
  }
  return it->get<std::uint64_t>();
}

[[nodiscard]] inline cocoon::detail::result<usage> parse_usage(const json& object) {
  if (!object.is_object()) return cocoon::detail::failure{errc::answer_malformed, "usage is not an object"};
  bool malformed = false;
  usage u;
  u.prompt_tokens = count_at(object, "prompt_tokens", malformed).value_or(0);
  u.completion_tokens = count_at(object, "completion_tokens", malformed).value_or(0);
  u.total_tokens = count_at(object, "total_tokens", malformed).value_or(u.prompt_tokens + u.completion_tokens);
  if (const auto details = object.find("prompt_tokens_details"); details != object.end() && details->is_object()) {
    u.cached_tokens = count_at(*details, "cached_tokens", malformed).value_or(0);
  }
  if (const auto details = object.find("completion_tokens_details"); details != object.end() && details->is_object()) {
    u.reasoning_tokens = count_at(*details, "reasoning_tokens", malformed).value_or(0);
  }
  if (auto reasoning = count_at(object, "reasoning_tokens", malformed)) u.reasoning_tokens = *reasoning;
  const auto cost = [&](const char* key) -> std::optional<nanotons> {
    if (auto value = count_at(object, key, malformed)) return nanotons{*value};
    return std::nullopt;
  };
  u.prompt_cost = cost("prompt_total_cost");
  u.completion_cost = cost("completion_total_cost");
  u.total_cost = cost("total_cost");
  if (malformed) return cocoon::detail::failure{errc::answer_malformed, "usage: a count that is not a whole number"};
  return u;
}

[[nodiscard]] inline std::optional<cocoon::detail::failure> error_in(const json& body) {
  // The client runner's {"error_code": N, "error": "..."}, or OpenAI's {"error": {"message": "..."}}.
  const auto error = body.find("error");
  if (error == body.end()) return std::nullopt;
  std::string message = error->is_string() ? error->get<std::string>() : std::string{};
  if (error->is_object() && error->contains("message") && (*error)["message"].is_string()) {
    message = (*error)["message"].get<std::string>();
  }
  if (const auto code = body.find("error_code"); code != body.end() && code->is_number_integer()) {
    message = "error " + std::to_string(code->get<std::int64_t>()) + ": " + message;
  }
  return cocoon::detail::failure{errc::answer_error, message};
}

[[nodiscard]] inline cocoon::detail::result<answer> parse_completion(std::string_view body_text) {
  const json body = json::parse(body_text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return cocoon::detail::failure{errc::answer_malformed, "body is not a JSON object"};
  }
  if (auto why = error_in(body)) return std::move(*why);
  const auto choices = body.find("choices");
  if (choices == body.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
    return cocoon::detail::failure{errc::answer_malformed, "choices"};
  }
  const json& choice = (*choices)[0];
  answer a;
  const auto message = choice.find("message");
  if (message == choice.end() || !message->is_object() || !message->contains("content")) {
    return cocoon::detail::failure{errc::answer_malformed, "choices[0].message.content"};
  }
  if ((*message)["content"].is_string()) a.text = (*message)["content"].get<std::string>();
  if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
    a.finish_reason = choice["finish_reason"].get<std::string>();
  }
  if (body.contains("model") && body["model"].is_string()) a.model = body["model"].get<std::string>();
  if (const auto u = body.find("usage"); u != body.end() && !u->is_null()) {
    auto parsed = parse_usage(*u);
    if (!parsed.has_value()) return parsed.error();
    a.usage = std::move(parsed).value();
  }
  return a;
}

}  // namespace detail

/// The chat-completions request body for `job`.
/// @throws cocoon::error with `errc::job_unsupported` for what the target refuses (a seed for
///         COCOON workers, attachments that are not images).
[[nodiscard]] inline std::string chat_request_body(const job& job, const request_options& options = {}) {
  return cocoon::detail::value_or_throw(detail::chat_request(job, options), "OpenAI request");
}
[[nodiscard]] inline std::optional<std::string> chat_request_body(const job& job, const request_options& options,
                                                                  error_code& ec) {
  return cocoon::detail::value_or_code(detail::chat_request(job, options), ec);
}

/// Parses a whole (non-streamed) chat-completion body.
/// @throws cocoon::error with `errc::answer_error` (the body reports an error, whose message is
///         the error's `where()`) or `errc::answer_malformed`.
[[nodiscard]] inline answer parse_completion(std::string_view body) {
  return cocoon::detail::value_or_throw(detail::parse_completion(body), "OpenAI answer");
}
[[nodiscard]] inline std::optional<answer> parse_completion(std::string_view body, error_code& ec) {
  return cocoon::detail::value_or_code(detail::parse_completion(body), ec);
}

/// Assembles a streamed answer from Server-Sent Events as they arrive: feed body bytes in pieces
/// of any size; each call returns the text deltas it completed (the tokens, for display). Handles
/// the whole stream arriving in one block (what COCOON workers do today), `data: [DONE]`, and a
/// final chunk that only carries `usage`.
class stream_assembler {
 public:
  /// Lines longer than this are refused (a bound on what is buffered).
  static constexpr std::size_t max_line = 4 << 20;

  /// @throws cocoon::error with `errc::answer_malformed` or `errc::answer_error`.
  [[nodiscard]] std::vector<std::string> feed(std::string_view data) {
    return cocoon::detail::value_or_throw(feed_result(data), "OpenAI stream");
  }
  [[nodiscard]] std::optional<std::vector<std::string>> feed(std::string_view data, error_code& ec) {
    return cocoon::detail::value_or_code(feed_result(data), ec);
  }

  /// True once `data: [DONE]` arrived.
  [[nodiscard]] bool done() const noexcept { return done_; }

  /// The answer so far: all text, the finish reason, the model, and the usage if sent.
  [[nodiscard]] const answer& result() const noexcept { return answer_; }

  /// The answer of a stream that ended: whatever the transport, only `data: [DONE]` marks it
  /// complete, since a stream cut short reads as a whole shorter answer.
  /// @throws cocoon::error with `errc::answer_malformed` before `data: [DONE]`.
  [[nodiscard]] answer finish() const { return cocoon::detail::value_or_throw(finish_result(), "OpenAI stream"); }
  [[nodiscard]] std::optional<answer> finish(error_code& ec) const {
    return cocoon::detail::value_or_code(finish_result(), ec);
  }

 private:
  [[nodiscard]] cocoon::detail::result<answer> finish_result() const {
    if (!done_) return cocoon::detail::failure{errc::answer_malformed, "stream ended before [DONE]"};
    return answer_;
  }

  [[nodiscard]] cocoon::detail::result<std::vector<std::string>> feed_result(std::string_view data) {
    std::vector<std::string> deltas;
    while (!data.empty()) {
      const auto newline = data.find('\n');
      const auto piece = data.substr(0, newline);
      line_.append(piece);
      if (line_.size() > max_line) return cocoon::detail::failure{errc::answer_malformed, "event line over 4 MiB"};
      if (newline == std::string_view::npos) break;
      data.remove_prefix(newline + 1);
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      if (auto why = take_line(deltas)) return std::move(*why);
      line_.clear();
    }
    return deltas;
  }

  [[nodiscard]] std::optional<cocoon::detail::failure> take_line(std::vector<std::string>& deltas) {
    // Only "data:" lines carry content; comments (":"), "event:", "id:", "retry:" and blank
    // separators do not.
    if (line_.rfind("data:", 0) != 0) return std::nullopt;
    std::string_view payload(line_);
    payload.remove_prefix(5);
    if (!payload.empty() && payload.front() == ' ') payload.remove_prefix(1);
    if (done_) return cocoon::detail::failure{errc::answer_malformed, "data after [DONE]"};
    if (payload == "[DONE]") {
      done_ = true;
      return std::nullopt;
    }
    const auto chunk = detail::json::parse(payload, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object()) {
      return cocoon::detail::failure{errc::answer_malformed, "event " + std::to_string(events_) + " is not JSON"};
    }
    ++events_;
    if (auto why = detail::error_in(chunk)) return why;
    if (chunk.contains("model") && chunk["model"].is_string()) answer_.model = chunk["model"].get<std::string>();
    if (const auto u = chunk.find("usage"); u != chunk.end() && !u->is_null()) {
      auto parsed = detail::parse_usage(*u);
      if (!parsed.has_value()) return parsed.error();
      answer_.usage = std::move(parsed).value();
    }
    const auto choices = chunk.find("choices");
    if (choices == chunk.end() || !choices->is_array() || choices->empty()) return std::nullopt;
    const auto& choice = (*choices)[0];
    if (!choice.is_object()) return cocoon::detail::failure{errc::answer_malformed, "choices[0]"};
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
      answer_.finish_reason = choice["finish_reason"].get<std::string>();
    }
    if (const auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
      if (delta->contains("content") && (*delta)["content"].is_string()) {
        auto text = (*delta)["content"].get<std::string>();
        if (!text.empty()) {
          answer_.text += text;
          deltas.push_back(std::move(text));
        }
      }
    }
    return std::nullopt;
  }

  std::string line_;
  answer answer_;
  std::size_t events_ = 0;
  bool done_ = false;
};

}  // namespace openai
COCOON_SDK_NAMESPACE_END

#endif
