// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_BACKEND_MODEL_CONFIG_HPP
#define COCOON_BACKEND_MODEL_CONFIG_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace backend {

/// A token: a byte value 0..255, or `end_token`.
using token_id = std::uint32_t;

/// The one special token (256). It opens every sequence (as its first token) and ends a generation.
inline constexpr token_id end_token = 256;

/// The byte-level vocabulary: 256 byte values and `end_token`.
inline constexpr std::size_t byte_vocab_size = 257;

/// The shape of the decoder-only transformer and the seed its weights are generated from.
/// The defaults are the reference network's model: 461,440 parameters (1.8 MB of float32).
struct model_config {
  std::size_t vocab_size = byte_vocab_size;  ///< always `byte_vocab_size`: the model is byte-level
  std::size_t context_length = 256;          ///< positions, including the leading `end_token`
  std::size_t d_model = 128;
  std::size_t n_layers = 2;
  std::size_t n_heads = 4;  ///< must divide d_model
  std::size_t d_ff = 512;
  std::uint64_t seed = 0;

  [[nodiscard]] std::size_t head_dim() const noexcept { return n_heads == 0 ? 0 : d_model / n_heads; }

  friend bool operator==(const model_config&, const model_config&) = default;
};

namespace detail {

/// Shapes the implementations accept: the byte vocabulary (every token but `end_token` is a byte,
/// which generation emits as text), all dimensions positive, heads dividing d_model, and sizes
/// small enough that every tensor index fits in 32 bits (the device kernels index with 32-bit
/// integers).
[[nodiscard]] inline std::optional<cocoon::detail::failure> check_config(const model_config& c) {
  using cocoon::detail::failure;
  constexpr std::size_t limit = std::size_t{1} << 16;
  if (c.vocab_size != byte_vocab_size) return failure{errc::model_invalid_input, "vocab_size"};
  if (c.context_length < 2 || c.context_length > limit) return failure{errc::model_invalid_input, "context_length"};
  if (c.d_model == 0 || c.d_model > 4096) return failure{errc::model_invalid_input, "d_model"};
  if (c.n_layers == 0 || c.n_layers > 64) return failure{errc::model_invalid_input, "n_layers"};
  if (c.n_heads == 0 || c.d_model % c.n_heads != 0) return failure{errc::model_invalid_input, "n_heads"};
  if (c.d_ff == 0 || c.d_ff > 4 * 4096) return failure{errc::model_invalid_input, "d_ff"};
  return std::nullopt;
}

}  // namespace detail

/// Throws `cocoon::error` (`errc::model_invalid_input`, naming the field) for an unusable shape.
inline void validate(const model_config& config) {
  cocoon::detail::throw_on_failure(detail::check_config(config), "model config");
}

/// The error-code form: true for a usable shape.
[[nodiscard]] inline bool validate(const model_config& config, error_code& ec) {
  return cocoon::detail::succeeded(detail::check_config(config), ec);
}

}  // namespace backend
COCOON_SDK_NAMESPACE_END

#endif
