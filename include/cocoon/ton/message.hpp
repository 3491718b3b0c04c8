// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_MESSAGE_HPP
#define COCOON_TON_MESSAGE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/hash.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// The code and initial data of a contract. Its cell hash is the contract's address.
struct state_init {
  cell code;
  cell data;

  /// The `StateInit` cell: bits `00110` (no fixed prefix length, no special, code and data
  /// present, no library) and references to code and data.
  [[nodiscard]] cell to_cell() const {
    return cell_builder().store_uint(0b00110, 5).store_ref(code).store_ref(data).build();
  }

  /// The address of the contract this creates: `workchain : hash(StateInit)`.
  /// @throws cocoon::error with `errc::address_invalid` for a workchain other than 0 or -1.
  [[nodiscard]] address to_address(std::int32_t workchain = 0) const { return {workchain, to_cell().hash()}; }
};

/// A text comment message body: op 0 (32 zero bits), then the UTF-8 text as a snake string.
/// @throws cocoon::error with `errc::cell_invalid` for a text so long its chain is over 1024 deep.
[[nodiscard]] inline cell text_comment(std::string_view text) {
  return cell_builder().store_uint(0, 32).store_snake_text(text).build();
}

/// An internal message as a wallet sends it (`MessageRelaxed`): the source is left out
/// (`addr_none`, filled in by the network), fees, logical time and creation time are zero.
///
/// The state init and the body are always stored as references (the body as an empty cell when
/// there is none): every contract accepts that layout, and it is the one Trust Wallet signs. Other
/// wallets inline what fits, which gives the same message a different hash.
struct internal_message {
  address destination;
  nanotons value;
  bool bounce = true;          ///< bounce back on failure: true for contracts, false for wallets
  std::optional<cell> init{};  ///< a `StateInit` cell to deploy the destination
  std::optional<cell> body{};  ///< the payload; none is sent as an empty cell

  [[nodiscard]] cell to_cell() const { return build(true); }

  /// As `to_cell()`, but a message without body ends in a single 0 bit (an empty inline body),
  /// the layout COCOON's runner signs in its wallet requests.
  [[nodiscard]] cell to_cell_inline_empty_body() const { return build(false); }

 private:
  [[nodiscard]] cell build(bool empty_body_as_reference) const {
    cell_builder b;
    b.store_bit(false)    // int_msg_info$0
        .store_bit(true)  // ihr_disabled
        .store_bit(bounce)
        .store_bit(false)  // bounced
        .store_uint(0, 2)  // src: addr_none
        .store_address(destination)
        .store_coins(value)
        .store_bit(false)    // no extra currencies
        .store_uint(0, 4)    // extra_flags (formerly ihr_fee): 0
        .store_uint(0, 4)    // fwd_fee: 0
        .store_uint(0, 64)   // created_lt
        .store_uint(0, 32);  // created_at
    if (init) {
      b.store_uint(0b11, 2).store_ref(*init);  // Maybe (Either StateInit ^StateInit): the reference
    } else {
      b.store_bit(false);
    }
    if (!body && !empty_body_as_reference) return b.store_bit(false).build();  // Either X ^X: empty X
    return b.store_bit(true).store_ref(body.value_or(cell())).build();         // Either X ^X: the reference
  }
};

/// An inbound external message (`ext_in_msg_info`): how a signed wallet request reaches the
/// chain. The source is `addr_none` and the import fee zero; state init and body are references.
struct external_message {
  address destination;
  std::optional<cell> init{};  ///< a `StateInit` cell when the message deploys its destination
  cell body;

  [[nodiscard]] cell to_cell() const { return build(init); }

  /// The TEP-467 normalized hash: the hash of this message without its state init. Wallets and
  /// services may repack a message (inline or referenced parts); this hash stays the same, so
  /// track a payment by it.
  [[nodiscard]] hash256 normalized_hash() const { return build(std::nullopt).hash(); }

 private:
  [[nodiscard]] cell build(const std::optional<cell>& state) const {
    cell_builder b;
    b.store_uint(0b10, 2)  // ext_in_msg_info$10
        .store_uint(0, 2)  // src: addr_none
        .store_address(destination)
        .store_uint(0, 4);  // import_fee: 0
    if (state) {
      b.store_uint(0b11, 2).store_ref(*state);
    } else {
      b.store_bit(false);
    }
    return b.store_bit(true).store_ref(body).build();
  }
};

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
