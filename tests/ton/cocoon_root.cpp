#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_root.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/base64.hpp>

#include "cocoon_vectors.hpp"

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::cell_builder;
using cocoon::ton::parse_address;

namespace {

cocoon::ton::address address_of(const std::string& name) { return parse_address(cocoon_vector(name)).address; }

}  // namespace

TEST_CASE("root params cells rebuild bit-exactly", "[ton][cocoon_root][vectors]") {
  CHECK(cocoon_code("fake_ton_proxy_code").hash().to_hex() == cocoon_vector("fake_ton_proxy_code_hash"));
  CHECK(cocoon_code("fake_ton_worker_code").hash().to_hex() == cocoon_vector("fake_ton_worker_code_hash"));
  CHECK(cocoon_code("fake_ton_client_code").hash().to_hex() == cocoon_vector("fake_ton_client_code_hash"));
  const auto params = fake_ton_params();
  CHECK(cocoon::ton::serialize_boc_hex(params.client_params_cell(), no_crc) == cocoon_vector("client_params_cell_boc"));
  CHECK(params.client_params_cell().hash().to_hex() == cocoon_vector("client_params_cell_hash"));
  CHECK(params.proxy_params_cell().hash().to_hex() == cocoon_vector("proxy_params_cell_hash"));

  // The client params cell reads back to the same values, without code.
  auto read = cocoon::ton::detail::read_root_params(params.client_params_cell());
  REQUIRE(read.has_value());
  CHECK(read.value().unique_id == 13);
  CHECK(read.value().price_per_token == nanotons{2ULL});
  CHECK(read.value().client_delay_before_close == 300);
  CHECK(read.value().min_client_stake == nanotons::parse("1"));
  CHECK(read.value().prompt_multiplier == 10000);
  CHECK_FALSE(read.value().client_code.has_value());
  CHECK(read.value().to_cell() == params.client_params_cell());
}

TEST_CASE("proxy and client contract addresses derive from the root config", "[ton][cocoon_root][vectors]") {
  const auto params = fake_ton_params();
  const auto root = address_of("root_raw");
  const auto owner = address_of("owner_raw");
  const auto proxy = cocoon::ton::cocoon_proxy_contract(params, owner, proxy_key(), root);
  CHECK(proxy.to_address().to_raw() == cocoon_vector("proxy_sc_address_raw"));
  CHECK(proxy.to_address().to_friendly({.bounceable = false}) == cocoon_vector("proxy_sc_address_friendly_nonbounce"));

  const auto wallet = address_of("cocoon_wallet_address_raw");
  const auto client = cocoon::ton::cocoon_client_contract(params, wallet, proxy.to_address(), proxy_key());
  CHECK(client.data.hash().to_hex() == cocoon_vector("client_sc_data_hash"));
  CHECK(client.to_address().to_raw() == cocoon_vector("client_sc_address_raw"));
  CHECK(client.to_address().to_friendly({.bounceable = false}) ==
        cocoon_vector("client_sc_address_friendly_nonbounce"));

  // Another stake, owner, proxy key or params version is another contract.
  auto other = params;
  other.min_client_stake = nanotons::parse("2");
  CHECK(cocoon::ton::cocoon_client_contract(other, wallet, proxy.to_address(), proxy_key()).to_address() !=
        client.to_address());
  other = params;
  other.params_version = 2;
  CHECK(cocoon::ton::cocoon_client_contract(other, wallet, proxy.to_address(), proxy_key()).to_address() !=
        client.to_address());
  CHECK(cocoon::ton::cocoon_client_contract(params, owner, proxy.to_address(), proxy_key()).to_address() !=
        client.to_address());

  other = params;
  other.client_code.reset();
  try {
    (void)cocoon::ton::cocoon_client_contract(other, wallet, proxy.to_address(), proxy_key());
    FAIL("derived a client contract without client code");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::root_config_invalid);
  }
}

TEST_CASE("both contracts a client checks derive together from the root", "[ton][cocoon_root][vectors]") {
  const cocoon::ton::cocoon_root_contract root{address_of("root_raw"), fake_ton_params()};
  const auto wallet = address_of("cocoon_wallet_address_raw");
  const auto contracts = cocoon::ton::cocoon_contracts(root, address_of("owner_raw"), proxy_key(), wallet);
  CHECK(contracts.proxy.to_raw() == cocoon_vector("proxy_sc_address_raw"));
  CHECK(contracts.client.to_raw() == cocoon_vector("client_sc_address_raw"));

  for (const bool proxy_code : {false, true}) {
    auto codeless = root;
    (proxy_code ? codeless.params.proxy_code : codeless.params.client_code).reset();
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::ton::cocoon_contracts(codeless, address_of("owner_raw"), proxy_key(), wallet, ec));
    CHECK(ec == cocoon::errc::root_config_invalid);
    CHECK_THROWS_AS(cocoon::ton::cocoon_contracts(codeless, address_of("owner_raw"), proxy_key(), wallet),
                    cocoon::error);
  }
}

TEST_CASE("the runner's first wallet request deploys and registers with the derived client contract",
          "[ton][cocoon_root][vectors]") {
  // Everything rebuilt from keys, owner and root params: the COCOON wallet, the client contract's
  // state init and the register body, signed as the runner signs them.
  const auto seed =
      cocoon::ed25519_secret_key::from_bytes(cocoon::from_base64("gaEatwGNgLGOeFI/TRGfPdJG/K4G8picYHQkDHpLQ9w="));
  const cocoon::ton::cocoon_wallet wallet(cocoon_code("cocoon_wallet_code"),
                                          cocoon::crypto::ed25519_public_key_of(seed), address_of("owner_raw"));
  const auto params = fake_ton_params();
  const auto proxy =
      cocoon::ton::cocoon_proxy_contract(params, address_of("owner_raw"), proxy_key(), address_of("root_raw"));
  const auto client = cocoon::ton::cocoon_client_contract(params, wallet.address(), proxy.to_address(), proxy_key());
  const std::vector<cocoon::ton::transfer> transfers{
      {{.destination = client.to_address(), .value = nanotons::parse("0.8"), .bounce = false, .init = client.to_cell()},
       0},
      {{.destination = client.to_address(),
        .value = nanotons::parse("1"),
        .body = cocoon::ton::cocoon_client::register_client(0x1122334455667788, 0x0102030405060708, wallet.address())},
       0}};
  const auto message = wallet.sign(seed, 0, 1767225600, transfers);
  CHECK(cocoon::ton::serialize_boc_hex(message.to_cell(), no_crc) == cocoon_vector("wallet_ext.message_boc"));
}

namespace {

// Dictionary edges written by hand from the TL-B of HashmapE: hml_long$10 n:(#<= m) s:(n * Bit),
// hml_same$11 v:Bit n:(#<= m), hml_short$0 (unary n) s:(n * Bit).
cell single_hash_dictionary(const cocoon::hash256& key, const cell& value) {
  return cell_builder().store_uint(0b10, 2).store_uint(256, 9).store_hash(key).store_cell(value).build();
}

cell proxy_entry(std::string_view text) {
  return cell_builder().store_bit(false).store_uint(text.size(), 7).store_bytes(cocoon::as_bytes(text)).build();
}

// Keys 1 and 2 of a HashmapE 32: 30 common zero bits, then a fork, each side a 1-bit label.
cell two_proxies() {
  const cell left = cell_builder()
                        .store_bit(false)
                        .store_uint(0b10, 2)
                        .store_bit(true)
                        .store_cell(proxy_entry("10.0.0.1:8000"))
                        .build();
  const cell right = cell_builder()
                         .store_bit(false)
                         .store_uint(0b10, 2)
                         .store_bit(false)
                         .store_cell(proxy_entry("10.0.0.2:8000 203.0.113.7:9000"))
                         .build();
  return cell_builder().store_uint(0b11, 2).store_bit(false).store_uint(30, 6).store_ref(left).store_ref(right).build();
}

cell root_data(const cocoon::ton::cocoon_root_params& params, std::optional<cell> key_manager = std::nullopt,
               const cell& proxies = two_proxies()) {
  const auto proxy_hash = cocoon::hash256::from_hex(std::string(64, 'a'));
  const auto model_hash = cocoon::hash256::from_hex(std::string(64, 'c'));
  const cell state = cell_builder()
                         .store_maybe_ref(single_hash_dictionary(proxy_hash, cell()))
                         .store_maybe_ref(proxies)
                         .store_uint(2, 32)
                         .store_bit(false)  // no worker hashes
                         .store_maybe_ref(single_hash_dictionary(model_hash, cell()))
                         .build();
  cell_builder b;
  b.store_address(parse_address("0:" + std::string(64, '5')).address)
      .store_uint(7, 32)
      .store_ref(state)
      .store_ref(params.to_cell());
  if (key_manager) b.store_ref(*key_manager);
  return b.build();
}

}  // namespace

TEST_CASE("root contract data parses: hashes, proxies, params, key manager", "[ton][cocoon_root][vectors]") {
  auto params = fake_ton_params();
  params.struct_version = 3;
  params.prompt_multiplier = 12000;
  params.cached_multiplier = 1000;
  params.completion_multiplier = 30000;
  params.reasoning_multiplier = 40000;
  const auto config = cocoon::ton::parse_cocoon_root_config(root_data(params));
  CHECK(config.owner == parse_address("0:" + std::string(64, '5')).address);
  CHECK(config.version == 7);
  CHECK(config.last_proxy_seqno == 2);
  REQUIRE(config.proxies.size() == 2);
  CHECK(config.proxies[0].seqno == 1);
  CHECK(config.proxies[0].address_for_clients() == "10.0.0.1:8000");
  CHECK(config.proxies[1].seqno == 2);
  CHECK(config.proxies[1].address_for_clients() == "203.0.113.7:9000");
  CHECK(config.allows_proxy_image(cocoon::hash256::from_hex(std::string(64, 'a'))));
  CHECK_FALSE(config.allows_proxy_image(cocoon::hash256::from_hex(std::string(64, 'c'))));
  CHECK(config.allows_model(cocoon::hash256::from_hex(std::string(64, 'c'))));
  CHECK(config.worker_hashes.empty());
  CHECK(config.params.completion_multiplier == 30000);
  CHECK(config.params.reasoning_multiplier == 40000);
  CHECK(config.params.to_cell() == params.to_cell());
  CHECK(config.params.client_params_cell() == params.client_params_cell());
  CHECK_FALSE(config.key_manager_public_key.has_value());

  // Version 4 adds the key manager as a third reference.
  params.struct_version = 4;
  const auto key = cocoon::hash256::from_hex(std::string(64, 'e'));
  const cell key_manager = cell_builder()
                               .store_maybe_ref(single_hash_dictionary(
                                   key, cell_builder().store_uint(1, 8).store_uint(1800000000, 32).build()))
                               .store_hash(cocoon::hash256::from_hex(std::string(64, 'd')))
                               .store_hash(cocoon::hash256::from_hex(std::string(64, 'b')))
                               .store_cell(proxy_entry("10.0.0.9:7000"))
                               .build();
  const auto v4 = cocoon::ton::parse_cocoon_root_config(root_data(params, key_manager));
  REQUIRE(v4.managed_keys.size() == 1);
  CHECK(v4.managed_keys[0].public_key == key);
  CHECK(v4.managed_keys[0].expire_at == 1800000000);
  CHECK(v4.key_manager_public_key == cocoon::hash256::from_hex(std::string(64, 'd')));
  CHECK(v4.key_manager_address == "10.0.0.9:7000");

  auto refused = [](const cell& data) {
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::ton::parse_cocoon_root_config(data, ec));
    CHECK(ec == cocoon::errc::root_config_invalid);
  };
  refused(root_data(params));  // version 4 without the key manager

  // A registered proxy of the non-text type is skipped, whatever follows its type bit; a text
  // entry with bits after its text is refused.
  const auto one_proxy = [](const cell& value) {
    return cell_builder().store_uint(0b10, 2).store_uint(32, 6).store_uint(5, 32).store_cell(value).build();
  };
  params.struct_version = 3;
  const auto skipped = cocoon::ton::parse_cocoon_root_config(
      root_data(params, std::nullopt, one_proxy(cell_builder().store_bit(true).store_uint(0x1234567, 27).build())));
  CHECK(skipped.proxies.empty());
  const auto kept =
      cocoon::ton::parse_cocoon_root_config(root_data(params, std::nullopt, one_proxy(proxy_entry("a:1"))));
  REQUIRE(kept.proxies.size() == 1);
  CHECK(kept.proxies[0].seqno == 5);
  CHECK(kept.proxies[0].text == "a:1");
  refused(root_data(params, std::nullopt,
                    one_proxy(cell_builder().store_cell(proxy_entry("a:1")).store_bit(false).build())));
  refused(root_data(params, key_manager));  // a third reference before version 4
  params.struct_version = 5;
  refused(root_data(params));
  refused(cell());
  const cell good = root_data(fake_ton_params());
  refused(cell_builder()
              .store_bits(good.data(), good.bit_size() - 1)
              .store_ref(good.ref(0))
              .store_ref(good.ref(1))
              .build());
  refused(cell_builder().store_bits(good.data(), good.bit_size()).store_ref(good.ref(0)).build());
  // A dictionary label longer than its key.
  const cell bad_label = cell_builder().store_uint(0b10, 2).store_uint(257, 9).build();
  refused(cell_builder()
              .store_bits(good.data(), good.bit_size())
              .store_ref(
                  cell_builder().store_maybe_ref(bad_label).store_bit(false).store_uint(0, 32).store_uint(0, 2).build())
              .store_ref(good.ref(1))
              .build());
}

namespace {

// A HashmapE 256 of `forks` levels whose two branches are the same cell: a bag of cells stores
// each cell once, so `forks` cells and a leaf read as 2^forks entries.
cell shared_subtree_dictionary(unsigned forks) {
  cell node = cell_builder().store_uint(0b110, 3).store_uint(256 - forks, 8).build();  // hml_same, 0 bits
  for (unsigned i = 0; i < forks; ++i)
    node = cell_builder().store_uint(0b00, 2).store_ref(node).store_ref(node).build();
  return node;
}

cell root_with_proxy_hashes(const cell& dictionary) {
  const cell state = cell_builder()
                         .store_maybe_ref(dictionary)
                         .store_bit(false)  // no proxies
                         .store_uint(0, 32)
                         .store_bit(false)  // no worker hashes
                         .store_bit(false)  // no model hashes
                         .build();
  return cell_builder()
      .store_bit(false)
      .store_bit(false)
      .store_uint(1, 32)
      .store_ref(state)
      .store_ref(cocoon::ton::cocoon_root_params{}.to_cell())
      .build();
}

}  // namespace

TEST_CASE("a root config whose dictionary shares sub-trees is refused past its entry budget",
          "[ton][cocoon_root][vectors]") {
  // 20 forks over one leaf: 21 distinct cells in a small bag, a million paths.
  const cell hostile = root_with_proxy_hashes(shared_subtree_dictionary(20));
  const auto reparsed = cocoon::ton::parse_boc(cocoon::ton::serialize_boc(hostile));
  CHECK(cocoon::ton::serialize_boc(hostile).size() < 200);
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::ton::parse_cocoon_root_config(reparsed, ec));
  CHECK(ec == cocoon::errc::dictionary_too_large);
  try {
    (void)cocoon::ton::parse_cocoon_root_config(reparsed);
    FAIL("parsed a dictionary of a million entries");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::dictionary_too_large);
    CHECK(std::string(e.what()).find("proxy_hashes") != std::string::npos);
  }

  // Shared sub-trees within the budget count every path: 3 forks are 8 distinct keys.
  const auto small = cocoon::ton::parse_cocoon_root_config(root_with_proxy_hashes(shared_subtree_dictionary(3)));
  REQUIRE(small.proxy_hashes.size() == 8);
  CHECK(small.proxy_hashes[1] == cocoon::hash256::from_hex("20" + std::string(62, '0')));

  // The budget is the caller's: 7 entries refuse those 8, 8 accept them.
  const cocoon::ton::cocoon_root_limits seven{.max_dictionary_entries = 7};
  CHECK_FALSE(cocoon::ton::parse_cocoon_root_config(root_with_proxy_hashes(shared_subtree_dictionary(3)), seven, ec));
  CHECK(ec == cocoon::errc::dictionary_too_large);
  CHECK(cocoon::ton::parse_cocoon_root_config(root_with_proxy_hashes(shared_subtree_dictionary(3)),
                                              {.max_dictionary_entries = 8}, ec));
  CHECK_FALSE(ec);
}

TEST_CASE("dictionary reads stop at their entry budget, not after the walk", "[ton][cocoon_root]") {
  // 40 forks are 2^40 paths: the read ends when the budget is spent, with that many entries read.
  cocoon::ton::slice s(cell_builder().store_maybe_ref(shared_subtree_dictionary(40)).build());
  auto entries = cocoon::ton::detail::load_hashmap_e(s, 256, 1000);
  REQUIRE_FALSE(entries.has_value());
  CHECK(entries.error().code == cocoon::errc::dictionary_too_large);
}
