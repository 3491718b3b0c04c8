// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_COCOON_ROOT_HPP
#define COCOON_TON_COCOON_ROOT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/hash.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/detail/hashmap.hpp>
#include <cocoon/ton/message.hpp>
#include <cocoon/ton/slice.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// The parameters cell of the COCOON root contract: prices, multipliers, delays, stakes and the
/// code of the proxy, worker and client contracts. Its layout grows with `struct_version` (0..4):
/// stakes from 1, cached and reasoning multipliers from 2, prompt and completion multipliers
/// from 3; absent fields keep their defaults (multipliers 10000 = 1.0x, stakes 1 TON).
struct cocoon_root_params {
  std::uint8_t struct_version = 3;
  std::uint32_t params_version = 0;  ///< a change means: reconnect, close old client contracts
  std::uint32_t unique_id = 0;
  bool is_test = false;
  nanotons price_per_token{0ULL};
  nanotons worker_fee_per_token{0ULL};
  std::uint32_t prompt_multiplier = 10000;
  std::uint32_t cached_multiplier = 10000;
  std::uint32_t completion_multiplier = 10000;
  std::uint32_t reasoning_multiplier = 10000;
  std::uint32_t proxy_delay_before_close = 0;
  std::uint32_t client_delay_before_close = 0;
  nanotons min_proxy_stake{1'000'000'000ULL};
  nanotons min_client_stake{1'000'000'000ULL};
  std::optional<cell> proxy_code;
  std::optional<cell> worker_code;
  std::optional<cell> client_code;

  /// The cell with the code references given (all three as stored in the root by default).
  [[nodiscard]] cell to_cell(bool with_proxy_code = true, bool with_worker_code = true,
                             bool with_client_code = true) const {
    cell_builder b;
    b.store_uint(struct_version, 8)
        .store_uint(params_version, 32)
        .store_uint(unique_id, 32)
        .store_bit(is_test)
        .store_coins(price_per_token)
        .store_coins(worker_fee_per_token);
    if (struct_version >= 3) b.store_uint(prompt_multiplier, 32);
    if (struct_version >= 2) b.store_uint(cached_multiplier, 32);
    if (struct_version >= 3) b.store_uint(completion_multiplier, 32);
    if (struct_version >= 2) b.store_uint(reasoning_multiplier, 32);
    b.store_uint(proxy_delay_before_close, 32).store_uint(client_delay_before_close, 32);
    if (struct_version >= 1) b.store_coins(min_proxy_stake).store_coins(min_client_stake);
    b.store_maybe_ref(with_proxy_code ? proxy_code : std::nullopt)
        .store_maybe_ref(with_worker_code ? worker_code : std::nullopt)
        .store_maybe_ref(with_client_code ? client_code : std::nullopt);
    return b.build();
  }

  /// The params cell client and worker contracts keep: no code references.
  [[nodiscard]] cell client_params_cell() const { return to_cell(false, false, false); }
  /// The params cell proxy contracts keep: worker and client code, no proxy code.
  [[nodiscard]] cell proxy_params_cell() const { return to_cell(false, true, true); }
};

/// A root contract a client trusts: where it is and the params it holds (with the proxy and
/// client code), from which every proxy contract and client contract under it derives.
struct cocoon_root_contract {
  ton::address address;
  cocoon_root_params params;
};

/// A proxy registered in the root: its sequence number and the address text it was registered
/// with (`ip:port`, or `workers_ip:port clients_ip:port`).
struct cocoon_registered_proxy {
  std::uint32_t seqno = 0;
  std::string text;

  /// Where clients connect: the second address when there are two, else the only one.
  [[nodiscard]] std::string address_for_clients() const {
    const std::size_t space = text.find(' ');
    return space == std::string::npos ? text : text.substr(space + 1);
  }
};

/// A key the struct_version 4 key manager publishes, with its type and expiry (unix time).
struct cocoon_managed_key {
  hash256 public_key;
  std::uint8_t type = 0;
  std::uint32_t expire_at = 0;
};

/// What a client reads from the COCOON root contract's data cell.
struct cocoon_root_config {
  std::optional<address> owner;
  std::uint32_t version = 0;          ///< the config version (`min_config_version` of the protocol)
  std::vector<hash256> proxy_hashes;  ///< allowed proxy image hashes
  std::vector<cocoon_registered_proxy> proxies;
  std::uint32_t last_proxy_seqno = 0;
  std::vector<hash256> worker_hashes;  ///< allowed worker image hashes
  std::vector<hash256> model_hashes;   ///< SHA-256 of the allowed `name@commit:verity` model strings
  cocoon_root_params params;
  // struct_version 4: the key manager.
  std::vector<cocoon_managed_key> managed_keys;
  std::optional<hash256> key_manager_public_key;
  std::optional<hash256> key_manager_image_hash;
  std::optional<std::string> key_manager_address;

  [[nodiscard]] bool allows_proxy_image(const hash256& image_hash) const { return contains(proxy_hashes, image_hash); }
  [[nodiscard]] bool allows_worker_image(const hash256& image_hash) const {
    return contains(worker_hashes, image_hash);
  }
  [[nodiscard]] bool allows_model(const hash256& model_hash) const { return contains(model_hashes, model_hash); }

 private:
  static bool contains(const std::vector<hash256>& set, const hash256& value) {
    for (const hash256& h : set) {
      if (h == value) return true;
    }
    return false;
  }
};

/// Bounds on what a root config may make its reader do. It comes from a TON API the client may
/// not trust, and a dictionary's branches may share cells, so a small bag of cells can describe a
/// huge dictionary; each dictionary is refused past the limit, counting every path.
struct cocoon_root_limits {
  std::size_t max_dictionary_entries = 16384;  ///< per dictionary: allowed hashes, proxies, managed keys
};

namespace detail {

using cocoon::detail::failure;
using cocoon::detail::result;

[[nodiscard]] inline failure root_failure(const std::string& where, const error_code& ec) {
  return failure{errc::root_config_invalid, where + ": " + ec.message()};
}

[[nodiscard]] inline result<cocoon_root_params> read_root_params(const cell& params_cell) {
  error_code ec;
  slice s(params_cell);
  cocoon_root_params p;
  const auto version = s.load_uint(8, ec);
  if (!version) return root_failure("params", ec);
  if (*version > 4) return failure{errc::root_config_invalid, "params struct_version over 4"};
  p.struct_version = static_cast<std::uint8_t>(*version);
  auto u32 = [&](std::uint32_t& field) {
    const auto v = s.load_uint(32, ec);
    if (v) field = static_cast<std::uint32_t>(*v);
    return v.has_value();
  };
  auto coins = [&](nanotons& field) {
    const auto v = s.load_coins(ec);
    if (v) field = *v;
    return v.has_value();
  };
  auto code = [&](std::optional<cell>& field) {
    const auto v = s.load_maybe_ref(ec);
    if (v) field = *v;
    return v.has_value();
  };
  const auto is_test = (u32(p.params_version) && u32(p.unique_id)) ? s.load_bit(ec) : std::nullopt;
  if (!is_test) return root_failure("params", ec);
  p.is_test = *is_test;
  bool ok = coins(p.price_per_token) && coins(p.worker_fee_per_token);
  if (ok && p.struct_version >= 3) ok = u32(p.prompt_multiplier);
  if (ok && p.struct_version >= 2) ok = u32(p.cached_multiplier);
  if (ok && p.struct_version >= 3) ok = u32(p.completion_multiplier);
  if (ok && p.struct_version >= 2) ok = u32(p.reasoning_multiplier);
  ok = ok && u32(p.proxy_delay_before_close) && u32(p.client_delay_before_close);
  if (ok && p.struct_version >= 1) ok = coins(p.min_proxy_stake) && coins(p.min_client_stake);
  ok = ok && code(p.proxy_code) && code(p.worker_code) && code(p.client_code) && s.end_parse(ec);
  if (!ok) return root_failure("params", ec);
  return p;
}

// A proxy address as the root stores it: 1 bit type, then for type 0 (text) a 7-bit length and the
// bytes, and nothing after them. Entries of the other type have a layout clients do not read; they
// are skipped (nothing is returned, the rest of the slice is left unread).
[[nodiscard]] inline result<std::optional<std::string>> read_proxy_text(slice& s, const std::string& where) {
  error_code ec;
  const auto type = s.load_bit(ec);
  if (!type) return root_failure(where, ec);
  if (*type) return std::optional<std::string>{};
  const auto length = s.load_uint(7, ec);
  const auto text = length ? s.load_bytes(static_cast<std::size_t>(*length), ec) : std::nullopt;
  if (!text || !s.end_parse(ec)) return root_failure(where, ec);
  return std::optional<std::string>(std::string(as_chars(*text)));
}

// A dictionary's failure in the root config: over the budget stays that, the rest is an invalid config.
[[nodiscard]] inline failure dictionary_failure(const std::string& where, const failure& why) {
  return failure{why.code == errc::dictionary_too_large ? why.code : errc::root_config_invalid,
                 where + ": " + why.where};
}

[[nodiscard]] inline result<std::vector<hash256>> read_hash_set(slice& s, const char* where,
                                                                const cocoon_root_limits& limits) {
  auto entries = load_hashmap_e(s, 256, limits.max_dictionary_entries);
  if (!entries.has_value()) return dictionary_failure(where, entries.error());
  std::vector<hash256> out;
  for (const hashmap_entry& e : entries.value()) {
    std::array<std::byte, 32> key{};
    for (std::size_t i = 0; i < 256; ++i) {
      if (e.key[i]) key[i / 8] |= static_cast<std::byte>(0x80U >> (i % 8));
    }
    out.emplace_back(key);
  }
  return out;
}

[[nodiscard]] inline result<cocoon_root_config> read_root_config(const cell& data, const cocoon_root_limits& limits) {
  error_code ec;
  cocoon_root_config config;
  slice root(data);
  const auto owner = root.load_maybe_address(ec);
  const auto version = owner ? root.load_uint(32, ec) : std::nullopt;
  if (!version) return root_failure("root", ec);
  config.owner = *owner;
  config.version = static_cast<std::uint32_t>(*version);
  if (root.remaining_bits() != 0 || root.remaining_refs() < 2) {
    return failure{errc::root_config_invalid, "root: not owner, version and two or three references"};
  }
  const cell state = root.load_ref();
  auto params = read_root_params(root.load_ref());
  if (!params.has_value()) return params.error();
  config.params = std::move(params).value();
  const bool has_key_manager = config.params.struct_version >= 4;
  if (root.remaining_refs() != (has_key_manager ? 1U : 0U)) {
    return failure{errc::root_config_invalid, "root: a key manager reference exactly when struct_version is 4"};
  }

  slice s(state);
  auto proxy_hashes = read_hash_set(s, "proxy_hashes", limits);
  if (!proxy_hashes.has_value()) return proxy_hashes.error();
  config.proxy_hashes = std::move(proxy_hashes).value();
  auto proxies = load_hashmap_e(s, 32, limits.max_dictionary_entries);
  if (!proxies.has_value()) return dictionary_failure("registered_proxies", proxies.error());
  for (hashmap_entry& e : proxies.value()) {
    const auto seqno = static_cast<std::uint32_t>(key_uint(e.key));
    auto text = read_proxy_text(e.value, "registered proxy " + std::to_string(seqno));
    if (!text.has_value()) return text.error();
    if (text.value()) config.proxies.push_back({seqno, std::move(*text.value())});
  }
  const auto last = s.load_uint(32, ec);
  if (!last) return root_failure("last_proxy_seqno", ec);
  config.last_proxy_seqno = static_cast<std::uint32_t>(*last);
  auto worker_hashes = read_hash_set(s, "worker_hashes", limits);
  if (!worker_hashes.has_value()) return worker_hashes.error();
  config.worker_hashes = std::move(worker_hashes).value();
  auto model_hashes = read_hash_set(s, "model_hashes", limits);
  if (!model_hashes.has_value()) return model_hashes.error();
  config.model_hashes = std::move(model_hashes).value();
  if (!s.end_parse(ec)) return root_failure("root data", ec);

  if (has_key_manager) {
    slice k(root.load_ref());
    auto keys = load_hashmap_e(k, 256, limits.max_dictionary_entries);
    if (!keys.has_value()) return dictionary_failure("public_keys", keys.error());
    for (hashmap_entry& e : keys.value()) {
      std::array<std::byte, 32> key{};
      for (std::size_t i = 0; i < 256; ++i) {
        if (e.key[i]) key[i / 8] |= static_cast<std::byte>(0x80U >> (i % 8));
      }
      const auto type = e.value.load_uint(8, ec);
      const auto expire = type ? e.value.load_uint(32, ec) : std::nullopt;
      if (!expire || !e.value.end_parse(ec)) return root_failure("public_keys value", ec);
      config.managed_keys.push_back(
          {hash256(key), static_cast<std::uint8_t>(*type), static_cast<std::uint32_t>(*expire)});
    }
    const auto manager_key = k.load_bytes(32, ec);
    const auto image = manager_key ? k.load_bytes(32, ec) : std::nullopt;
    if (!image) return root_failure("key manager", ec);
    config.key_manager_public_key = hash256(*manager_key);
    config.key_manager_image_hash = hash256(*image);
    auto text = read_proxy_text(k, "key manager address");
    if (!text.has_value()) return text.error();
    config.key_manager_address = text.value();
  }
  return config;
}

}  // namespace detail

/// Reads the COCOON root contract's data cell (struct_version 0 to 4): owner, config version,
/// allowed proxy, worker and model hashes, registered proxies (text entries; other types are
/// skipped), the params and, for version 4, the key manager.
/// @throws cocoon::error with `errc::root_config_invalid` naming the part that does not parse, or
///         `errc::dictionary_too_large` naming the dictionary over `limits`.
[[nodiscard]] inline cocoon_root_config parse_cocoon_root_config(const cell& data,
                                                                 const cocoon_root_limits& limits = {}) {
  return cocoon::detail::value_or_throw(detail::read_root_config(data, limits), "COCOON root config");
}
[[nodiscard]] inline std::optional<cocoon_root_config> parse_cocoon_root_config(const cell& data,
                                                                                const cocoon_root_limits& limits,
                                                                                error_code& ec) {
  return cocoon::detail::value_or_code(detail::read_root_config(data, limits), ec);
}
[[nodiscard]] inline std::optional<cocoon_root_config> parse_cocoon_root_config(const cell& data, error_code& ec) {
  return parse_cocoon_root_config(data, {}, ec);
}

/// The proxy contract of `proxy_owner` with `proxy_key` under the root at `root`: what a client
/// checks the proxy's claimed contract address against.
/// @throws cocoon::error with `errc::root_config_invalid` when the params have no proxy code.
[[nodiscard]] inline state_init cocoon_proxy_contract(const cocoon_root_params& params, const address& proxy_owner,
                                                      const ed25519_public_key& proxy_key, const address& root) {
  if (!params.proxy_code) {
    cocoon::detail::throw_error(errc::root_config_invalid, "COCOON proxy contract", "params without proxy code");
  }
  return {*params.proxy_code, cell_builder()
                                  .store_address(proxy_owner)
                                  .store_bytes(proxy_key.view())
                                  .store_address(root)
                                  .store_uint(0, 2)             // state
                                  .store_coins(nanotons{0ULL})  // balance
                                  .store_coins(nanotons{0ULL})  // stake
                                  .store_uint(0, 32)            // unlock_ts
                                  .store_ref(params.proxy_params_cell())
                                  .build()};
}

/// The client contract of `owner` (the COCOON wallet that pays) with the proxy contract
/// `proxy_contract` and its key, as first deployed: running, no balance, the root's minimum
/// client stake, no tokens used, no secret hash. Its address is where the client pays.
/// @throws cocoon::error with `errc::root_config_invalid` when the params have no client code.
[[nodiscard]] inline state_init cocoon_client_contract(const cocoon_root_params& params, const address& owner,
                                                       const address& proxy_contract,
                                                       const ed25519_public_key& proxy_key) {
  if (!params.client_code) {
    cocoon::detail::throw_error(errc::root_config_invalid, "COCOON client contract", "params without client code");
  }
  const cell constants =
      cell_builder().store_address(owner).store_address(proxy_contract).store_bytes(proxy_key.view()).build();
  return {*params.client_code, cell_builder()
                                   .store_uint(0, 2)             // state: running
                                   .store_coins(nanotons{0ULL})  // balance
                                   .store_coins(params.min_client_stake)
                                   .store_uint(0, 64)  // tokens_used
                                   .store_uint(0, 32)  // unlock_ts
                                   .store_hash(hash256())
                                   .store_ref(constants)
                                   .store_ref(params.client_params_cell())
                                   .build()};
}

/// The contracts between a client and a proxy under one root.
struct cocoon_contract_addresses {
  address proxy;   ///< the proxy's contract
  address client;  ///< the client contract the client pays into
};

namespace detail {
[[nodiscard]] inline result<cocoon_contract_addresses> contracts_of(const cocoon_root_contract& root,
                                                                    const address& proxy_owner,
                                                                    const ed25519_public_key& proxy_key,
                                                                    const address& client_owner) {
  if (!root.params.proxy_code || !root.params.client_code) {
    return failure{errc::root_config_invalid, "params without proxy or client code"};
  }
  const address proxy = cocoon_proxy_contract(root.params, proxy_owner, proxy_key, root.address).to_address();
  return cocoon_contract_addresses{proxy,
                                   cocoon_client_contract(root.params, client_owner, proxy, proxy_key).to_address()};
}
}  // namespace detail

/// Where the proxy of `proxy_owner` with `proxy_key` has its contract under `root`, and where the
/// client contract of `client_owner` (a COCOON wallet) with that proxy is: the addresses a proxy
/// must name in `client.connectedToProxy`.
/// @throws cocoon::error with `errc::root_config_invalid` when the params have no proxy or client code.
[[nodiscard]] inline cocoon_contract_addresses cocoon_contracts(const cocoon_root_contract& root,
                                                                const address& proxy_owner,
                                                                const ed25519_public_key& proxy_key,
                                                                const address& client_owner) {
  return cocoon::detail::value_or_throw(detail::contracts_of(root, proxy_owner, proxy_key, client_owner),
                                        "COCOON contracts");
}
[[nodiscard]] inline std::optional<cocoon_contract_addresses> cocoon_contracts(const cocoon_root_contract& root,
                                                                               const address& proxy_owner,
                                                                               const ed25519_public_key& proxy_key,
                                                                               const address& client_owner,
                                                                               error_code& ec) {
  return cocoon::detail::value_or_code(detail::contracts_of(root, proxy_owner, proxy_key, client_owner), ec);
}

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
