// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_DETAIL_RESULT_HPP
#define COCOON_DETAIL_RESULT_HPP

#include <cocoon/detail/config.hpp>
#include <cocoon/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

COCOON_SDK_NAMESPACE_BEGIN
namespace detail {

/// Why an operation failed: the code, and where in the input (never the input bytes).
struct failure {
  failure(errc failed, std::string location = {}) : code(failed), where(std::move(location)) {}  // NOLINT
  /// A failure of a lower layer (a socket, a parser called through its error-code form) keeps its
  /// category and value.
  failure(error_code failed, std::string location = {}) : code(failed), where(std::move(location)) {}  // NOLINT

  error_code code;
  std::string where;
};

/// `inner`, a lower layer's failure, as seen from `where`: the same code, at "where: inner.where".
[[nodiscard]] inline failure within(std::string_view where, const failure& inner) {
  return {inner.code, inner.where.empty() ? std::string(where) : std::string(where) + ": " + inner.where};
}

/// The outcome of an internal operation. Public APIs never return it: each public operation is
/// one implementation returning `result<T>`, and two thin overloads that either throw
/// (`value_or_throw`) or report through an `error_code&` (`value_or_code`).
template <class T>
class result {
 public:
  result(T value) : state_(std::move(value)) {}    // NOLINT(google-explicit-constructor)
  result(failure why) : state_(std::move(why)) {}  // NOLINT(google-explicit-constructor)
  result(errc code, std::string where = {}) : state_(failure{code, std::move(where)}) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const failure& error() const& { return std::get<1>(state_); }

 private:
  std::variant<T, failure> state_;
};

/// The throwing form: the value, or `cocoon::error` naming `operation` and where it failed.
template <class T>
[[nodiscard]] T value_or_throw(result<T>&& outcome, std::string_view operation) {
  if (!outcome.has_value()) {
    throw_error(outcome.error().code, std::string(operation), outcome.error().where);
  }
  return std::move(outcome).value();
}

/// The error-code form: the value with `ec` cleared, or `std::nullopt` with `ec` set.
template <class T>
[[nodiscard]] std::optional<T> value_or_code(result<T>&& outcome, error_code& ec) {
  if (!outcome.has_value()) {
    ec = outcome.error().code;
    return std::nullopt;
  }
  ec.clear();
  return std::move(outcome).value();
}

/// For operations that write into caller-provided memory and return only a possible failure:
/// the throwing form.
inline void throw_on_failure(const std::optional<failure>& why, std::string_view operation) {
  if (why) throw_error(why->code, std::string(operation), why->where);
}

/// The error-code form of the same: true on success with `ec` cleared, false with `ec` set.
[[nodiscard]] inline bool succeeded(const std::optional<failure>& why, error_code& ec) {
  if (why) {
    ec = why->code;
    return false;
  }
  ec.clear();
  return true;
}

}  // namespace detail
COCOON_SDK_NAMESPACE_END

#endif
