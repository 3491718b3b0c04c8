// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_CELL_HPP
#define COCOON_TON_CELL_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

inline constexpr std::size_t max_cell_bits = 1023;
inline constexpr std::size_t max_cell_refs = 4;
/// Cells deeper than this are refused, as the TON virtual machine refuses them.
inline constexpr unsigned max_cell_depth = 1024;

/// What a cell is: ordinary, or one of the four exotic kinds (named by the first data byte).
enum class cell_type : std::uint8_t {
  ordinary,
  pruned_branch = 1,
  library = 2,
  merkle_proof = 3,
  merkle_update = 4,
};

namespace detail {
struct cell_body;
}

/// An immutable TON cell: up to 1023 data bits and up to 4 references to other cells.
///
/// A `cell` is a cheap handle: copies share one body, and cells referenced from several parents
/// are stored once. All hashes and depths are computed when the cell is created, so `hash()` is
/// free and a cell that exists is valid: exotic cells (pruned branches, library references,
/// Merkle proofs and updates) have been checked against their layout and their level hashes
/// computed by the rules of the reference implementation. A default-constructed cell is the
/// empty ordinary cell. Build cells with `cell_builder`, read them with `slice`.
class cell {
 public:
  /// The empty ordinary cell.
  cell();

  /// A cell from its first `bit_count` bits of `data` (most significant bit first) and its
  /// references; `exotic` marks a special cell whose first byte names its type.
  /// @throws cocoon::error with `errc::cell_overflow` (too many bits or refs), or
  ///         `errc::cell_invalid` (exotic layout, depth over 1024, bits beyond `data`).
  [[nodiscard]] static cell create(byte_view data, std::size_t bit_count, std::vector<cell> refs = {},
                                   bool exotic = false);
  /// As above; on failure returns `std::nullopt` with `ec` set.
  [[nodiscard]] static std::optional<cell> create(byte_view data, std::size_t bit_count, std::vector<cell> refs,
                                                  bool exotic, error_code& ec);

  [[nodiscard]] std::size_t bit_size() const noexcept;
  /// The data bits, most significant bit first, in `ceil(bit_size() / 8)` bytes; bits past
  /// `bit_size()` are zero.
  [[nodiscard]] byte_view data() const noexcept;
  /// Data bit `index` (0 = first); `index < bit_size()` is required.
  [[nodiscard]] bool bit(std::size_t index) const noexcept;

  [[nodiscard]] std::size_t ref_count() const noexcept;
  [[nodiscard]] std::span<const cell> refs() const noexcept;
  /// @throws std::out_of_range if `index >= ref_count()`.
  [[nodiscard]] const cell& ref(std::size_t index) const;

  [[nodiscard]] cell_type type() const noexcept;
  [[nodiscard]] bool is_exotic() const noexcept { return type() != cell_type::ordinary; }
  /// The 3-bit level mask; 0 for every cell built only from ordinary cells.
  [[nodiscard]] std::uint8_t level_mask() const noexcept;
  [[nodiscard]] unsigned level() const noexcept { return static_cast<unsigned>(std::bit_width(level_mask())); }

  /// The representation hash: what addresses, signatures and BoC roots are identified by.
  [[nodiscard]] const hash256& hash() const noexcept { return hash(3); }
  /// The hash at `level` (0..3); above the cell's level it is the representation hash.
  [[nodiscard]] const hash256& hash(unsigned level) const noexcept;
  /// The depth: 0 without references, else 1 + the deepest reference.
  [[nodiscard]] std::uint16_t depth() const noexcept { return depth(3); }
  [[nodiscard]] std::uint16_t depth(unsigned level) const noexcept;

  /// The data bits in Fift notation: uppercase hex; a length that is not a multiple of 4 is
  /// padded with a 1 bit and 0 bits to the next nibble and marked with a trailing '_'.
  [[nodiscard]] std::string fift_hex() const;
  /// The tree in Fift notation: one `x{...}` line per cell, indented one space per level.
  [[nodiscard]] std::string to_string() const;

  /// Cells are equal when their representation hashes are.
  friend bool operator==(const cell& a, const cell& b) noexcept { return a.hash() == b.hash(); }

 private:
  explicit cell(std::shared_ptr<const detail::cell_body> body) noexcept : body_(std::move(body)) {}
  friend struct detail::cell_body;

  std::shared_ptr<const detail::cell_body> body_;
};

namespace detail {

using cocoon::detail::failure;
using cocoon::detail::result;
using cocoon::detail::uchar;

[[nodiscard]] constexpr std::size_t popcount(unsigned mask) noexcept {
  return static_cast<std::size_t>(std::popcount(mask));
}

[[nodiscard]] inline bool get_bit(byte_view data, std::size_t index) noexcept {
  return ((static_cast<unsigned>(data[index / 8]) >> (7 - index % 8)) & 1U) != 0;
}

inline void set_bit(mutable_byte_view data, std::size_t index, bool value) noexcept {
  const auto mask = static_cast<std::byte>(0x80U >> (index % 8));
  if (value) {
    data[index / 8] |= mask;
  } else {
    data[index / 8] &= ~mask;
  }
}

/// The descriptor byte d2: twice the number of full data bytes, plus one for a partial byte.
[[nodiscard]] constexpr std::uint8_t bits_descriptor(std::size_t bits) noexcept {
  return static_cast<std::uint8_t>(bits / 8 + (bits + 7) / 8);
}

/// The data bytes with the completion tag (a 1 bit, then 0 bits) when the length is not whole bytes.
[[nodiscard]] inline bytes padded_data(byte_view data, std::size_t bits) {
  bytes out(data.begin(), data.begin() + static_cast<std::ptrdiff_t>((bits + 7) / 8));
  if (bits % 8 != 0) set_bit(out, bits, true);
  return out;
}

[[nodiscard]] inline std::string fift_hex(byte_view data, std::size_t bits) {
  static constexpr char digits[] = "0123456789ABCDEF";
  const std::size_t padded_bits = (bits + 3) / 4 * 4;
  std::string text;
  for (std::size_t nibble = 0; nibble < padded_bits / 4; ++nibble) {
    unsigned value = 0;
    for (std::size_t i = nibble * 4; i < nibble * 4 + 4; ++i) {
      value = (value << 1U) | (i < bits ? (get_bit(data, i) ? 1U : 0U) : (i == bits ? 1U : 0U));
    }
    text += digits[value];
  }
  if (bits % 4 != 0) text += '_';
  return text;
}

class sha256 {
 public:
  sha256() { crypto_hash_sha256_init(&state_); }
  void feed(byte_view data) { crypto_hash_sha256_update(&state_, uchar(data.data()), data.size()); }
  void feed_byte(std::uint8_t value) { crypto_hash_sha256_update(&state_, &value, 1); }
  [[nodiscard]] hash256 finish() {
    std::array<std::byte, 32> digest{};
    crypto_hash_sha256_final(&state_, uchar(digest.data()));
    return hash256(digest);
  }

 private:
  crypto_hash_sha256_state state_{};
};

struct cell_body {
  std::array<std::byte, 128> data{};
  std::uint16_t bits = 0;
  std::vector<cell> refs;
  cell_type type = cell_type::ordinary;
  std::uint8_t level_mask = 0;
  // Indexed by hash index: one per significant level, the representation hash last. Pruned
  // branches store all but the last in their data.
  std::array<hash256, 4> hashes{};
  std::array<std::uint16_t, 4> depths{};

  [[nodiscard]] std::size_t hash_index(unsigned level) const noexcept {
    const unsigned clamped = std::min(level, 3U);
    return popcount(level_mask & ((1U << clamped) - 1U));
  }

  [[nodiscard]] static cell wrap(std::shared_ptr<const cell_body> body) noexcept { return cell(std::move(body)); }
  [[nodiscard]] static const cell_body& of(const cell& c) noexcept { return *c.body_; }

  [[nodiscard]] std::optional<failure> classify(bool exotic);
  [[nodiscard]] std::optional<failure> compute_hashes();
};

[[nodiscard]] inline std::uint16_t read_u16(byte_view data, std::size_t offset) noexcept {
  return static_cast<std::uint16_t>((static_cast<unsigned>(data[offset]) << 8U) |
                                    static_cast<unsigned>(data[offset + 1]));
}

inline constexpr std::size_t hash_and_depth_bits = 256 + 16;

// Sets the type and level mask and checks the layout an exotic type demands (DataCell.cpp).
inline std::optional<failure> cell_body::classify(bool exotic) {
  if (!exotic) {
    for (const cell& child : refs) level_mask |= of(child).level_mask;
    return std::nullopt;
  }
  if (bits < 8) return failure{errc::cell_invalid, "exotic cell with fewer than 8 bits"};
  const auto type_byte = static_cast<unsigned>(data[0]);
  const auto refuse = [](const char* why) { return failure{errc::cell_invalid, why}; };
  switch (type_byte) {
    case 1: {
      type = cell_type::pruned_branch;
      if (!refs.empty()) return refuse("pruned branch with references");
      if (bits < 16) return refuse("pruned branch without a level mask");
      level_mask = static_cast<std::uint8_t>(data[1]);
      if (level_mask == 0 || level_mask > 7) return refuse("pruned branch level mask not in 1..7");
      if (bits != 16 + popcount(level_mask) * hash_and_depth_bits) {
        return refuse("pruned branch length does not match its level mask");
      }
      return std::nullopt;
    }
    case 2:
      type = cell_type::library;
      if (!refs.empty() || bits != 8 + 256) return refuse("library cell is not 264 bits without references");
      return std::nullopt;
    case 3:
    case 4: {
      type = type_byte == 3 ? cell_type::merkle_proof : cell_type::merkle_update;
      const std::size_t count = type_byte == 3 ? 1 : 2;
      if (refs.size() != count || bits != 8 + count * hash_and_depth_bits) {
        return refuse(type_byte == 3 ? "Merkle proof is not 280 bits with one reference"
                                     : "Merkle update is not 552 bits with two references");
      }
      for (std::size_t i = 0; i < count; ++i) {
        const cell_body& child = of(refs[i]);
        const byte_view stored_hash = std::span(data).subspan(1 + 32 * i, 32);
        if (!(hash256(stored_hash) == child.hashes[child.hash_index(0)]) ||
            read_u16(data, 1 + 32 * count + 2 * i) != child.depths[child.hash_index(0)]) {
          return refuse("Merkle cell hash or depth does not match its reference");
        }
        level_mask |= static_cast<std::uint8_t>(child.level_mask >> 1U);
      }
      return std::nullopt;
    }
    default: return refuse("unknown exotic cell type");
  }
}

// One hash per significant level (level 0, and each level whose mask bit is set), computed as in
// the reference implementation: after the first, the data is replaced by the previous hash.
inline std::optional<failure> cell_body::compute_hashes() {
  const unsigned top_level = static_cast<unsigned>(std::bit_width(level_mask));
  const bool pruned = type == cell_type::pruned_branch;
  const bool merkle = type == cell_type::merkle_proof || type == cell_type::merkle_update;
  const std::size_t first_computed = pruned ? popcount(level_mask) : 0;
  if (pruned) {
    for (std::size_t i = 0; i < first_computed; ++i) {
      hashes[i] = hash256(std::span(data).subspan(2 + 32 * i, 32));
      depths[i] = read_u16(data, 2 + 32 * first_computed + 2 * i);
    }
  }
  std::size_t index = 0;
  for (unsigned level = 0; level <= top_level; ++level) {
    if (level != 0 && ((level_mask >> (level - 1)) & 1U) == 0) continue;
    if (index < first_computed) {
      ++index;
      continue;
    }
    sha256 hasher;
    const auto masked = static_cast<unsigned>(level_mask & ((1U << level) - 1U));
    hasher.feed_byte(static_cast<std::uint8_t>(refs.size() + (type != cell_type::ordinary ? 8U : 0U) + 32U * masked));
    hasher.feed_byte(bits_descriptor(bits));
    if (index == first_computed) {
      hasher.feed(padded_data(data, bits));
    } else {
      hasher.feed(hashes[index - 1].view());
    }
    const unsigned child_level = merkle ? level + 1 : level;
    std::uint16_t depth = 0;
    for (const cell& child : refs) {
      const std::uint16_t child_depth = child.depth(child_level);
      const std::array<std::byte, 2> encoded{std::byte(child_depth >> 8U), std::byte(child_depth & 0xFFU)};
      hasher.feed(encoded);
      depth = std::max<std::uint16_t>(depth, static_cast<std::uint16_t>(child_depth + 1));
    }
    if (depth > max_cell_depth) return failure{errc::cell_invalid, "cell depth over 1024"};
    for (const cell& child : refs) hasher.feed(child.hash(child_level).view());
    hashes[index] = hasher.finish();
    depths[index] = depth;
    ++index;
  }
  return std::nullopt;
}

[[nodiscard]] inline result<cell> make_cell(byte_view data, std::size_t bits, std::vector<cell> refs, bool exotic) {
  if (bits > max_cell_bits) return failure{errc::cell_overflow, std::to_string(bits) + " bits"};
  if (refs.size() > max_cell_refs) return failure{errc::cell_overflow, std::to_string(refs.size()) + " references"};
  if (data.size() * 8 < bits) return failure{errc::cell_invalid, "fewer data bytes than bits"};
  auto body = std::make_shared<cell_body>();
  std::copy_n(data.begin(), (bits + 7) / 8, body->data.begin());
  if (bits % 8 != 0) body->data[bits / 8] &= static_cast<std::byte>(0xFF00U >> (bits % 8));
  body->bits = static_cast<std::uint16_t>(bits);
  body->refs = std::move(refs);
  if (auto why = body->classify(exotic)) return std::move(*why);
  if (auto why = body->compute_hashes()) return std::move(*why);
  return cell_body::wrap(std::move(body));
}

[[nodiscard]] inline const std::shared_ptr<const cell_body>& empty_cell_body() {
  static const std::shared_ptr<const cell_body> empty = [] {
    auto body = std::make_shared<cell_body>();
    (void)body->compute_hashes();
    return body;
  }();
  return empty;
}

inline void dump(const cell& c, std::size_t indent, std::string& out) {
  if (!out.empty()) out += '\n';
  out.append(indent, ' ');
  out += "x{" + c.fift_hex() + "}";
  for (const cell& child : c.refs()) dump(child, indent + 1, out);
}

}  // namespace detail

inline cell::cell() : body_(detail::empty_cell_body()) {}

inline cell cell::create(byte_view data, std::size_t bit_count, std::vector<cell> refs, bool exotic) {
  return cocoon::detail::value_or_throw(detail::make_cell(data, bit_count, std::move(refs), exotic), "cell create");
}

inline std::optional<cell> cell::create(byte_view data, std::size_t bit_count, std::vector<cell> refs, bool exotic,
                                        error_code& ec) {
  return cocoon::detail::value_or_code(detail::make_cell(data, bit_count, std::move(refs), exotic), ec);
}

inline std::size_t cell::bit_size() const noexcept { return body_->bits; }
inline byte_view cell::data() const noexcept { return std::span(body_->data).first((body_->bits + 7U) / 8U); }
inline bool cell::bit(std::size_t index) const noexcept { return detail::get_bit(body_->data, index); }
inline std::size_t cell::ref_count() const noexcept { return body_->refs.size(); }
inline std::span<const cell> cell::refs() const noexcept { return body_->refs; }
inline const cell& cell::ref(std::size_t index) const {
  if (index >= body_->refs.size())
    throw std::out_of_range("cocoon::ton::cell::ref: no reference " + std::to_string(index));
  return body_->refs[index];
}
inline cell_type cell::type() const noexcept { return body_->type; }
inline std::uint8_t cell::level_mask() const noexcept { return body_->level_mask; }
inline const hash256& cell::hash(unsigned level) const noexcept { return body_->hashes[body_->hash_index(level)]; }
inline std::uint16_t cell::depth(unsigned level) const noexcept { return body_->depths[body_->hash_index(level)]; }
inline std::string cell::fift_hex() const { return detail::fift_hex(body_->data, body_->bits); }
inline std::string cell::to_string() const {
  std::string out;
  detail::dump(*this, 0, out);
  return out;
}

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
