// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_MODEL_BACKEND_HPP
#define COCOON_BACKEND_MODEL_BACKEND_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/backend/model_config.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

/// Whether a backend reuses the keys and values of a sequence's unchanged prefix between calls.
enum class cache_mode {
  kv_cache,   ///< process only the tokens after the longest prefix shared with the previous call
  recompute,  ///< process every token on every call (the baseline the cache is measured against)
};

/// A language model that computes next-token logits: the interface of the CPU reference and the
/// CUDA backend.
///
/// `forward(tokens)` is a pure function of the weights and `tokens`: the logits (vocab_size
/// floats) for the token after the last one. Implementations may keep a KV cache of the last
/// sequence they saw and process only the new suffix when the next call extends it (as a
/// generation loop does); a call with any other sequence recomputes from the first differing
/// token, so the cache never changes the result. A backend is not thread-safe: one caller at a time.
class model_backend {
 public:
  model_backend() = default;
  model_backend(const model_backend&) = delete;
  model_backend& operator=(const model_backend&) = delete;
  virtual ~model_backend() = default;

  [[nodiscard]] virtual const model_config& config() const noexcept = 0;

  /// A short name for reports ("cpu", "cuda").
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;

  /// Logits for the position after `tokens` (1 ..= context_length tokens, each < vocab_size).
  /// @throws cocoon::error: `errc::model_invalid_input` (empty, or a token out of the vocabulary,
  /// located by index), `errc::model_context_exceeded`, `errc::model_device_failure`.
  [[nodiscard]] std::vector<float> forward(std::span<const token_id> tokens) {
    return cocoon::detail::value_or_throw(checked_forward(tokens), "model forward");
  }

  /// The error-code form of `forward`.
  [[nodiscard]] std::optional<std::vector<float>> forward(std::span<const token_id> tokens, error_code& ec) {
    return cocoon::detail::value_or_code(checked_forward(tokens), ec);
  }

 protected:
  /// Writes `logits` (vocab_size floats) for validated `tokens`.
  [[nodiscard]] virtual std::optional<cocoon::detail::failure> do_forward(std::span<const token_id> tokens,
                                                                          std::span<float> logits) = 0;

 private:
  [[nodiscard]] cocoon::detail::result<std::vector<float>> checked_forward(std::span<const token_id> tokens) {
    const model_config& c = config();
    if (tokens.empty()) return cocoon::detail::failure{errc::model_invalid_input, "no tokens"};
    if (tokens.size() > c.context_length) {
      return cocoon::detail::failure{errc::model_context_exceeded, std::to_string(tokens.size()) + " tokens, context " +
                                                                       std::to_string(c.context_length)};
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i] >= c.vocab_size) {
        return cocoon::detail::failure{errc::model_invalid_input, "token at index " + std::to_string(i)};
      }
    }
    std::vector<float> logits(c.vocab_size);
    if (auto why = do_forward(tokens, logits)) return std::move(*why);
    return logits;
  }
};

}  // namespace backend
COCOON_SDK_NAMESPACE_END

#endif
