// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_DETAIL_HASHMAP_HPP
#define COCOON_TON_DETAIL_HASHMAP_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/slice.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {
namespace detail {

/// One entry of a dictionary: the key bits (most significant first) and the value's slice.
struct hashmap_entry {
  std::vector<bool> key;
  slice value;
};

// Reads `#<= n` (a length up to n in the fewest bits that hold n).
[[nodiscard]] inline std::optional<std::uint64_t> load_length(slice& s, std::size_t n, error_code& ec) {
  return s.load_uint(static_cast<unsigned>(std::bit_width(n)), ec);
}

// Reads a `Hashmap n` edge and its subtree (label, then a value at the leaves or two branches).
// Branches may be one shared cell, so a subtree is walked once per path to it and a small bag can
// hold exponentially many entries: the walk stops at `max_entries`. That also bounds the cells it
// visits: every fork has two branches ending in entries or a failure, and the depth is at most
// n + 1, so a walk that read e entries visited at most 2e + n + 1 cells.
[[nodiscard]] inline std::optional<cocoon::detail::failure> read_hashmap(const cell& root, std::size_t n,
                                                                         std::vector<bool>& prefix,
                                                                         std::vector<hashmap_entry>& out,
                                                                         std::size_t max_entries, unsigned depth) {
  using cocoon::detail::failure;
  if (depth > n + 1) return failure{errc::cell_malformed, "dictionary deeper than its key"};
  error_code ec;
  slice s(root);
  std::size_t length = 0;
  const auto first = s.load_bit(ec);
  if (!first) return failure{errc::cell_malformed, "dictionary label: " + ec.message()};
  const std::size_t before = prefix.size();
  if (!*first) {  // hml_short: unary length, then the bits
    for (;;) {
      const auto one = s.load_bit(ec);
      if (!one) return failure{errc::cell_malformed, "dictionary label: " + ec.message()};
      if (!*one) break;
      ++length;
    }
    if (length > n) return failure{errc::cell_malformed, "dictionary label longer than the key"};
    for (std::size_t i = 0; i < length; ++i) {
      const auto bit = s.load_bit(ec);
      if (!bit) return failure{errc::cell_malformed, "dictionary label: " + ec.message()};
      prefix.push_back(*bit);
    }
  } else {
    const auto second = s.load_bit(ec);
    if (!second) return failure{errc::cell_malformed, "dictionary label: " + ec.message()};
    if (!*second) {  // hml_long: length, then the bits
      const auto len = load_length(s, n, ec);
      if (!len) return failure{errc::cell_malformed, "dictionary label: " + ec.message()};
      if (*len > n) return failure{errc::cell_malformed, "dictionary label longer than the key"};
      length = static_cast<std::size_t>(*len);
      for (std::size_t i = 0; i < length; ++i) {
        const auto bit = s.load_bit(ec);
        if (!bit) return failure{errc::cell_malformed, "dictionary label: " + ec.message()};
        prefix.push_back(*bit);
      }
    } else {  // hml_same: one bit repeated
      const auto bit = s.load_bit(ec);
      const auto len = bit ? load_length(s, n, ec) : std::nullopt;
      if (!len) return failure{errc::cell_malformed, "dictionary label: " + ec.message()};
      if (*len > n) return failure{errc::cell_malformed, "dictionary label longer than the key"};
      length = static_cast<std::size_t>(*len);
      prefix.insert(prefix.end(), length, *bit);
    }
  }
  if (length == n) {
    if (out.size() == max_entries) {
      return failure{errc::dictionary_too_large, "dictionary over " + std::to_string(max_entries) + " entries"};
    }
    out.push_back({prefix, s});
  } else {
    if (s.remaining_refs() != 2 || s.remaining_bits() != 0) {
      return failure{errc::cell_malformed, "dictionary fork is not two references"};
    }
    for (bool branch : {false, true}) {
      prefix.push_back(branch);
      if (auto why = read_hashmap(s.load_ref(), n - length - 1, prefix, out, max_entries, depth + 1)) return why;
      prefix.pop_back();
    }
  }
  prefix.resize(before);
  return std::nullopt;
}

/// The entries of a `HashmapE n` read from `s` (a 0 bit, or a 1 bit and a reference), in key order;
/// `errc::dictionary_too_large` past `max_entries`, counting every path through shared cells.
[[nodiscard]] inline cocoon::detail::result<std::vector<hashmap_entry>> load_hashmap_e(slice& s, std::size_t n,
                                                                                       std::size_t max_entries) {
  error_code ec;
  const auto root = s.load_maybe_ref(ec);
  if (!root) return cocoon::detail::failure{errc::cell_malformed, "dictionary: " + ec.message()};
  std::vector<hashmap_entry> out;
  if (!*root) return out;
  std::vector<bool> prefix;
  if (auto why = read_hashmap(**root, n, prefix, out, max_entries, 0)) return std::move(*why);
  return out;
}

/// The first `bits` bits of `key` (at most 64) as an unsigned integer.
[[nodiscard]] inline std::uint64_t key_uint(const std::vector<bool>& key) {
  std::uint64_t out = 0;
  for (bool b : key) out = (out << 1U) | (b ? 1U : 0U);
  return out;
}

}  // namespace detail
}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
