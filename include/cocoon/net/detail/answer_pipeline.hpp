// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_DETAIL_ANSWER_PIPELINE_HPP
#define COCOON_NET_DETAIL_ANSWER_PIPELINE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/read_gate.hpp>
#include <cocoon/net/sealed_http.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

namespace detail {

/// One answer as either transport (the runner's HTTP API, a proxy's TL queries) receives it: its
/// head, then its body in parts, sealed or plain, an event stream or one JSON body; the streamed
/// text goes to the caller piece by piece as the read gate allows, and the answer is judged once
/// the body has ended. The transports only move bytes: every rule about an answer lives here.
class answer_pipeline {
 public:
  /// `opener`: the job went sealed, so its answer must come sealed, and opens with it.
  explicit answer_pipeline(token_handler on_token, std::optional<envelope::response_opener> opener = std::nullopt,
                           std::size_t max_body = std::size_t{64} << 20)
      : on_token_(std::move(on_token)), opener_(std::move(opener)), max_body_(max_body) {}

  /// The answer's HTTP status and `Content-Type`, and for a sealed answer the content type inside
  /// the seal. A sealed job's answer in clear is refused: the worker did not take the seal.
  [[nodiscard]] error_code on_head(unsigned status, std::string_view content_type, std::string_view sealed_inner_type) {
    status_ = status;
    if (opener_ && content_type != sealed_answer_content_type) return errc::envelope_malformed;
    const auto inner = opener_ ? sealed_inner_type : content_type;
    streamed_ = status == 200 && inner.starts_with("text/event-stream");
    return {};
  }

  /// A part of the body as it arrived.
  [[nodiscard]] error_code on_body(byte_view data) {
    received_ += data.size();
    if (received_ > max_body_) return errc::answer_malformed;
    if (!opener_) return take(as_chars(data));
    error_code ec;
    auto chunks = opener_->feed(data, ec);
    if (!chunks) return ec;
    for (const auto& chunk : *chunks) {
      if ((ec = take(as_chars(chunk)))) return ec;
    }
    return {};
  }
  [[nodiscard]] error_code on_body(std::string_view text) { return on_body(as_bytes(text)); }

  /// Hands the text read so far to the caller, piece by piece: true once all of it went on, false
  /// when `gate` (null: never paused) is paused; then wait for it to open and call again.
  [[nodiscard]] bool hand_on(const read_gate* gate) {
    while (handed_ < pending_.size()) {
      if (gate && gate->paused()) return false;
      on_token_(pending_[handed_++]);
    }
    pending_.clear();
    handed_ = 0;
    return true;
  }

  /// The body has ended: the answer, or why it is none. A sealed answer must close its seal, a
  /// stream must end with `data: [DONE]` (an answer cut short is not a shorter answer), and an
  /// error status carries the service's own message.
  [[nodiscard]] std::pair<error_code, openai::answer> finish() {
    error_code ec;
    if (opener_ && !opener_->finish(ec)) return {ec, {}};
    if (status_ != 200) {
      openai::answer failed;
      failed.error = "HTTP " + std::to_string(status_);
      const auto parsed = openai::detail::parse_completion(body_);
      if (!parsed.has_value() && parsed.error().code == errc::answer_error) failed.error += ": " + parsed.error().where;
      return {errc::answer_error, std::move(failed)};
    }
    if (streamed_) {
      auto finished = assembler_.finish(ec);
      if (!finished) return {ec, assembler_.result()};
      return {error_code{}, std::move(*finished)};
    }
    auto parsed = openai::parse_completion(body_, ec);
    if (!parsed) return {ec, {}};
    if (on_token_ && !parsed->text.empty()) on_token_(parsed->text);
    return {error_code{}, std::move(*parsed)};
  }

 private:
  [[nodiscard]] error_code take(std::string_view text) {
    if (!streamed_) {
      body_ += text;
      return {};
    }
    error_code ec;
    auto deltas = assembler_.feed(text, ec);
    if (!deltas) return ec;
    if (on_token_) {
      for (auto& delta : *deltas) pending_.push_back(std::move(delta));
    }
    return {};
  }

  token_handler on_token_;
  std::optional<envelope::response_opener> opener_;
  std::size_t max_body_;
  std::size_t received_ = 0;
  unsigned status_ = 0;
  bool streamed_ = false;
  std::string body_;  ///< a whole (not streamed) body, or an error status's
  openai::stream_assembler assembler_;
  std::vector<std::string> pending_;  ///< text read but not handed on yet (the gate is paused)
  std::size_t handed_ = 0;            ///< how many of `pending_` went on already
};

}  // namespace detail
}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
