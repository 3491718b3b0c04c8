// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_BOC_HPP
#define COCOON_TON_BOC_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/base64.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/detail/crc.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// How `serialize_boc` writes a bag of cells. The defaults are what @ton/core's `toBoc()` writes.
struct boc_options {
  bool index = false;  ///< write the cell offset index (`has_idx`)
  bool crc32c = true;  ///< append the CRC32C of the bytes before it (`has_crc32c`)
};

namespace detail {

inline constexpr std::uint32_t boc_magic = 0xb5ee9c72;

[[nodiscard]] inline std::size_t bytes_for(std::uint64_t value) noexcept {
  std::size_t count = 1;
  while (count < 8 && (value >> (8 * count)) != 0) ++count;
  return count;
}

inline void put_be(bytes& out, std::uint64_t value, std::size_t width) {
  for (std::size_t i = width; i > 0; --i) out.push_back(static_cast<std::byte>((value >> (8 * (i - 1))) & 0xFFU));
}

[[nodiscard]] inline std::string raw_key(const hash256& h) { return std::string(as_chars(h.view())); }

// The cell order of @ton/core: a depth-first post-order walk from the root that visits
// references last to first, reversed. Parents come before their references; shared cells once.
inline void post_order(const cell& c, std::map<std::string, std::size_t>& seen, std::vector<cell>& order) {
  if (seen.contains(raw_key(c.hash()))) return;
  seen.emplace(raw_key(c.hash()), 0);
  const auto refs = c.refs();
  for (auto it = refs.rbegin(); it != refs.rend(); ++it) post_order(*it, seen, order);
  order.push_back(c);
}

[[nodiscard]] inline bytes serialize_boc(const cell& root, const boc_options& options) {
  std::map<std::string, std::size_t> position;
  std::vector<cell> order;
  post_order(root, position, order);
  std::reverse(order.begin(), order.end());
  for (std::size_t i = 0; i < order.size(); ++i) position[raw_key(order[i].hash())] = i;

  const std::size_t ref_size = bytes_for(order.size());
  bytes cells;
  std::vector<std::uint64_t> ends;
  for (const cell& c : order) {
    cells.push_back(static_cast<std::byte>(c.ref_count() + (c.is_exotic() ? 8U : 0U) + 32U * c.level_mask()));
    cells.push_back(static_cast<std::byte>(bits_descriptor(c.bit_size())));
    const bytes data = padded_data(c.data(), c.bit_size());
    cells.insert(cells.end(), data.begin(), data.end());
    for (const cell& child : c.refs()) put_be(cells, position.at(raw_key(child.hash())), ref_size);
    ends.push_back(cells.size());
  }
  const std::size_t offset_size = bytes_for(cells.size());

  bytes out;
  put_be(out, boc_magic, 4);
  out.push_back(static_cast<std::byte>((options.index ? 0x80U : 0U) | (options.crc32c ? 0x40U : 0U) | ref_size));
  out.push_back(static_cast<std::byte>(offset_size));
  put_be(out, order.size(), ref_size);
  put_be(out, 1, ref_size);  // roots
  put_be(out, 0, ref_size);  // absent
  put_be(out, cells.size(), offset_size);
  put_be(out, 0, ref_size);  // the root is the first cell
  if (options.index) {
    for (const std::uint64_t end : ends) put_be(out, end, offset_size);
  }
  out.insert(out.end(), cells.begin(), cells.end());
  if (options.crc32c) {
    const std::uint32_t crc = crc32c(out);
    for (unsigned i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((crc >> (8 * i)) & 0xFFU));
  }
  return out;
}

class boc_reader {
 public:
  explicit boc_reader(byte_view input) : in_(input) {}

  result<std::vector<cell>> parse() {
    if (in_.size() < 6) return fail(0, "shorter than the header");
    if (read(0, 4) != boc_magic) return fail(0, "unknown magic");
    const auto flags = static_cast<unsigned>(in_[4]);
    const bool has_index = (flags & 0x80U) != 0;
    const bool has_crc = (flags & 0x40U) != 0;
    const bool has_cache_bits = (flags & 0x20U) != 0;
    ref_size_ = flags & 7U;
    if ((flags & 0x18U) != 0) return fail(4, "reserved flag bits set");
    if (ref_size_ < 1 || ref_size_ > 4) return fail(4, "reference size not 1..4");
    if (has_cache_bits && !has_index) return fail(4, "cache bits without an index");
    const auto offset_size = static_cast<std::size_t>(in_[5]);
    if (offset_size < 1 || offset_size > 8) return fail(5, "offset size not 1..8");

    std::size_t at = 6;
    if (in_.size() < at + 3 * ref_size_ + offset_size) return fail(at, "shorter than the header");
    const std::uint64_t cell_count = read(at, ref_size_);
    const std::uint64_t root_count = read(at + ref_size_, ref_size_);
    const std::uint64_t absent = read(at + 2 * ref_size_, ref_size_);
    const std::uint64_t total_size = read(at + 3 * ref_size_, offset_size);
    if (cell_count == 0) return fail(at, "no cells");
    if (root_count == 0) return fail(at + ref_size_, "no roots");
    if (root_count > cell_count) return fail(at + ref_size_, "more roots than cells");
    if (absent != 0) return fail(at + 2 * ref_size_, "absent cells are not supported");
    if (total_size > in_.size()) return fail(at + 3 * ref_size_, "shorter than the declared cell data");
    if (total_size < cell_count * 2) return fail(at + 3 * ref_size_, "cell data too small for the cell count");
    if (total_size > cell_count * (2 + 128 + 4 * 34 + 4 * std::uint64_t{ref_size_})) {
      return fail(at + 3 * ref_size_, "cell data too large for the cell count");
    }
    at += 3 * ref_size_ + offset_size;

    const std::uint64_t expected =
        at + root_count * ref_size_ + (has_index ? cell_count * offset_size : 0) + total_size + (has_crc ? 4 : 0);
    if (in_.size() < expected) return fail(in_.size(), "shorter than declared");
    if (in_.size() > expected) return fail(static_cast<std::size_t>(expected), "trailing bytes");
    if (has_crc) {
      const std::size_t end = in_.size() - 4;
      const std::uint32_t stored = static_cast<std::uint32_t>(read_le32(end));
      if (stored != crc32c(in_.first(end))) {
        return failure{errc::boc_checksum_mismatch, "offset " + std::to_string(end) + ": CRC32C"};
      }
    }
    const auto cells = static_cast<std::size_t>(cell_count);
    std::vector<std::size_t> roots;
    for (std::uint64_t i = 0; i < root_count; ++i, at += ref_size_) {
      const std::uint64_t root = read(at, ref_size_);
      if (root >= cell_count) return fail(at, "root index out of range");
      roots.push_back(static_cast<std::size_t>(root));
    }
    std::vector<std::uint64_t> index;
    std::vector<bool> cache_bits;
    for (std::size_t i = 0; has_index && i < cells; ++i, at += offset_size) {
      const std::uint64_t entry = read(at, offset_size);
      index.push_back(has_cache_bits ? entry >> 1U : entry);
      cache_bits.push_back(has_cache_bits && (entry & 1U) != 0);
    }
    const std::size_t data_start = at;

    std::vector<raw_cell> raw(cells);
    for (std::size_t i = 0; i < cells; ++i) {
      if (auto why = read_cell(i, at, cells, raw[i])) return std::move(*why);
      if (has_index && index[i] != at - data_start) {
        return fail(data_start,
                    "index entry " + std::to_string(i) + " does not match the end of cell " + std::to_string(i));
      }
    }
    if (at - data_start != total_size) return fail(at, "cells do not fill the declared cell data");

    // Build from the last cell back: references always point to later cells.
    std::vector<std::optional<cell>> built(cells);
    std::map<std::string, std::size_t> first_of;
    for (std::size_t i = cells; i-- > 0;) {
      const raw_cell& r = raw[i];
      std::vector<cell> refs;
      for (const std::size_t ref : r.refs) refs.push_back(*built[ref]);
      auto made = make_cell(r.data, r.bits, std::move(refs), r.exotic);
      const std::string where = "cell " + std::to_string(i) + " at offset " + std::to_string(r.offset);
      if (!made.has_value()) return cocoon::detail::within(where, made.error());
      cell c = std::move(made).value();
      if (c.level_mask() != r.level_mask) return failure{errc::cell_invalid, where + ": level mask mismatch"};
      if (auto why = check_stored_hashes(c, r, where)) return std::move(*why);
      const auto [existing, inserted] = first_of.emplace(raw_key(c.hash()), i);
      if (!inserted)
        return fail(r.offset, "cell " + std::to_string(i) + " duplicates cell " + std::to_string(existing->second));
      built[i] = std::move(c);
    }

    // Every cell must be reachable from a root, and the cache bits must say which cells are
    // referenced more than once (root list entries included).
    std::vector<std::size_t> uses(cells, 0);
    std::vector<bool> reachable(cells, false);
    for (const std::size_t root : roots) {
      ++uses[root];
      reachable[root] = true;
    }
    for (std::size_t i = 0; i < cells; ++i) {
      for (const std::size_t ref : raw[i].refs) {
        ++uses[ref];
        if (reachable[i]) reachable[ref] = true;
      }
    }
    for (std::size_t i = 0; i < cells; ++i) {
      if (!reachable[i]) return fail(raw[i].offset, "cell " + std::to_string(i) + " is not reachable from a root");
      if (has_cache_bits && cache_bits[i] != (uses[i] > 1)) {
        return fail(data_start, "cache bit of cell " + std::to_string(i) + " is wrong");
      }
    }
    std::vector<cell> out;
    for (const std::size_t root : roots) {
      if (built[root]->level() != 0) return fail(raw[root].offset, "root cell of non-zero level");
      out.push_back(*built[root]);
    }
    return out;
  }

 private:
  struct raw_cell {
    std::size_t offset = 0;
    bool exotic = false;
    std::uint8_t level_mask = 0;
    byte_view stored;  // inline hashes then depths, when the cell carries them
    byte_view data;
    std::size_t bits = 0;
    std::vector<std::size_t> refs;
  };

  [[nodiscard]] static failure fail(std::uint64_t offset, const std::string& what) {
    return {errc::boc_malformed, "offset " + std::to_string(offset) + ": " + what};
  }

  [[nodiscard]] std::uint64_t read(std::size_t at, std::size_t width) const noexcept {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value = (value << 8U) | static_cast<std::uint64_t>(in_[at + i]);
    return value;
  }

  [[nodiscard]] std::uint64_t read_le32(std::size_t at) const noexcept {
    std::uint64_t value = 0;
    for (std::size_t i = 4; i > 0; --i) value = (value << 8U) | static_cast<std::uint64_t>(in_[at + i - 1]);
    return value;
  }

  std::optional<failure> read_cell(std::size_t i, std::size_t& at, std::size_t cells, raw_cell& out) const {
    out.offset = at;
    const std::string name = "cell " + std::to_string(i);
    if (in_.size() - at < 2) return fail(at, name + ": truncated descriptor");
    const auto d1 = static_cast<unsigned>(in_[at]);
    const auto d2 = static_cast<unsigned>(in_[at + 1]);
    const std::size_t ref_count = d1 & 7U;
    out.exotic = (d1 & 8U) != 0;
    out.level_mask = static_cast<std::uint8_t>(d1 >> 5U);
    if (ref_count > 4) return fail(at, name + ": more than 4 references");
    if (d2 > 2 * 128 - 1) return fail(at + 1, name + ": more than 1023 bits");
    std::size_t stored_size = 0;
    if ((d1 & 16U) != 0) stored_size = (popcount(out.level_mask) + 1) * (32 + 2);
    const std::size_t data_size = (d2 + 1) / 2;
    at += 2;
    if (in_.size() - at < stored_size + data_size + ref_count * ref_size_) return fail(at, name + ": truncated");
    out.stored = in_.subspan(at, stored_size);
    at += stored_size;
    out.data = in_.subspan(at, data_size);
    out.bits = data_size * 8;
    if ((d2 & 1U) != 0) {
      const auto last = static_cast<unsigned>(in_[at + data_size - 1]);
      if (last == 0) return fail(at + data_size - 1, name + ": partial byte without a completion tag");
      if (last == 0x80) return fail(at + data_size - 1, name + ": partial byte with no data bits");
      out.bits = data_size * 8 - 1 - static_cast<std::size_t>(std::countr_zero(last));
    }
    at += data_size;
    for (std::size_t r = 0; r < ref_count; ++r, at += ref_size_) {
      const std::uint64_t ref = read(at, ref_size_);
      if (ref <= i) return fail(at, name + ": reference to an earlier cell or itself");
      if (ref >= cells) return fail(at, name + ": reference index out of range");
      out.refs.push_back(static_cast<std::size_t>(ref));
    }
    return std::nullopt;
  }

  [[nodiscard]] static std::optional<failure> check_stored_hashes(const cell& c, const raw_cell& r,
                                                                  const std::string& where) {
    if (r.stored.empty()) return std::nullopt;
    const std::size_t count = r.stored.size() / 34;
    std::size_t index = 0;
    for (unsigned level = 0; level <= 3 && index < count; ++level) {
      if (level != 0 && ((r.level_mask >> (level - 1)) & 1U) == 0) continue;
      const bool hash_ok = hash256(r.stored.subspan(32 * index, 32)) == c.hash(level);
      const std::size_t depth_at = 32 * count + 2 * index;
      const bool depth_ok = read_u16(r.stored, depth_at) == c.depth(level);
      if (!hash_ok || !depth_ok) return failure{errc::cell_invalid, where + ": stored hash or depth mismatch"};
      ++index;
    }
    return std::nullopt;
  }

  byte_view in_;
  std::size_t ref_size_ = 0;
};

[[nodiscard]] inline result<cell> parse_single(byte_view input) {
  auto roots = boc_reader(input).parse();
  if (!roots.has_value()) return roots.error();
  if (roots.value().size() != 1) return failure{errc::boc_malformed, "offset 6: more than one root"};
  return std::move(roots.value().front());
}

[[nodiscard]] inline result<cell> parse_single_base64(std::string_view text) {
  // Standard base64 as TON Connect carries BoCs; the URL-safe alphabet is accepted too.
  const bool url = text.find_first_of("-_") != std::string_view::npos;
  auto decoded = cocoon::detail::decode_base64(text, url ? base64_variant::url : base64_variant::standard);
  if (!decoded.has_value()) return decoded.error();
  return parse_single(decoded.value());
}

[[nodiscard]] inline result<cell> parse_single_hex(std::string_view text) {
  auto decoded = cocoon::detail::decode_hex(text);
  if (!decoded.has_value()) return decoded.error();
  return parse_single(decoded.value());
}

}  // namespace detail

/// Serializes the tree under `root` as a bag of cells with one root, in @ton/core's cell order
/// and with the smallest reference and offset sizes, so @ton/core writes the same bytes.
[[nodiscard]] inline bytes serialize_boc(const cell& root, const boc_options& options = {}) {
  return detail::serialize_boc(root, options);
}
/// `serialize_boc` as standard base64 (`te6cc...`), the form TON Connect and wallets use.
[[nodiscard]] inline std::string serialize_boc_base64(const cell& root, const boc_options& options = {}) {
  return to_base64(detail::serialize_boc(root, options));
}
[[nodiscard]] inline std::string serialize_boc_hex(const cell& root, const boc_options& options = {}) {
  return to_hex(detail::serialize_boc(root, options));
}

/// Parses a bag of cells with exactly one root, strictly: every size field, the index, the
/// CRC32C, reference order (only to later cells, so no cycles), completion tags, level masks,
/// stored hashes and cache bits are checked; trailing bytes, duplicate cells, cells unreachable
/// from the root and a root of non-zero level are refused.
/// @throws cocoon::error with `errc::boc_malformed` (naming the byte offset),
///         `errc::boc_checksum_mismatch`, or `errc::cell_invalid` (naming the cell and offset).
[[nodiscard]] inline cell parse_boc(byte_view boc) {
  return cocoon::detail::value_or_throw(detail::parse_single(boc), "bag of cells parse");
}
[[nodiscard]] inline std::optional<cell> parse_boc(byte_view boc, error_code& ec) {
  return cocoon::detail::value_or_code(detail::parse_single(boc), ec);
}

/// As `parse_boc`, for bags of cells with several roots (blocks, proofs): the roots in order.
[[nodiscard]] inline std::vector<cell> parse_boc_roots(byte_view boc) {
  return cocoon::detail::value_or_throw(detail::boc_reader(boc).parse(), "bag of cells parse");
}
[[nodiscard]] inline std::optional<std::vector<cell>> parse_boc_roots(byte_view boc, error_code& ec) {
  return cocoon::detail::value_or_code(detail::boc_reader(boc).parse(), ec);
}

/// `parse_boc` of base64 text (standard alphabet with padding, or the URL-safe one).
/// @throws cocoon::error with `errc::invalid_base64` or any `parse_boc` error.
[[nodiscard]] inline cell parse_boc_base64(std::string_view text) {
  return cocoon::detail::value_or_throw(detail::parse_single_base64(text), "bag of cells parse");
}
[[nodiscard]] inline std::optional<cell> parse_boc_base64(std::string_view text, error_code& ec) {
  return cocoon::detail::value_or_code(detail::parse_single_base64(text), ec);
}

/// `parse_boc` of hex text. @throws cocoon::error with `errc::invalid_hex` or any `parse_boc` error.
[[nodiscard]] inline cell parse_boc_hex(std::string_view text) {
  return cocoon::detail::value_or_throw(detail::parse_single_hex(text), "bag of cells parse");
}
[[nodiscard]] inline std::optional<cell> parse_boc_hex(std::string_view text, error_code& ec) {
  return cocoon::detail::value_or_code(detail::parse_single_hex(text), ec);
}

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
