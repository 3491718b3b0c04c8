#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/slice.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/base64.hpp>

#include "cocoon_vectors.hpp"

#include <vector>

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::parse_address;

namespace {}  // namespace

TEST_CASE("the COCOON wallet address derives from code, key and owner", "[ton][cocoon_wallet][vectors]") {
  CHECK(cocoon_code("cocoon_wallet_code").hash().to_hex() == cocoon::ton::cocoon_wallet_code_hash);
  CHECK(cocoon_vector("cocoon_wallet_code_hash") == cocoon::ton::cocoon_wallet_code_hash);
  const auto wallet = vector_wallet();
  CHECK(wallet.public_key().to_hex() == cocoon_vector("client_wallet_pubkey"));
  CHECK(owner().to_raw() == cocoon_vector("owner_raw"));
  CHECK(wallet.initial_state().data.hash().to_hex() == cocoon_vector("cocoon_wallet_data_hash"));
  CHECK(wallet.initial_state().to_cell().hash().to_hex() == cocoon_vector("cocoon_wallet_stateinit_hash"));
  CHECK(wallet.address().to_raw() == cocoon_vector("cocoon_wallet_address_raw"));
  CHECK(wallet.address().to_friendly({.bounceable = false}) ==
        cocoon_vector("cocoon_wallet_address_friendly_nonbounce"));
}

TEST_CASE("a signed COCOON wallet request is byte-exact", "[ton][cocoon_wallet][vectors]") {
  const auto wallet = vector_wallet();
  // The vector deploys a client contract (0.8 TON, state init, no body, not bounceable) and
  // registers with it (1 TON, bounceable), both with mode 0, as the runner sends them.
  const cell expected = cocoon::ton::parse_boc_hex(cocoon_vector("wallet_ext.message_boc"));
  cocoon::ton::slice body(expected.ref(1));
  body.skip_bits(512 + 96);
  const cell deploy = body.load_ref();
  cocoon::ton::slice deploy_slice(deploy);
  deploy_slice.skip_bits(4 + 2);
  const cocoon::ton::address client_contract = deploy_slice.load_address();
  const std::vector<cocoon::ton::transfer> transfers{
      {{.destination = client_contract, .value = nanotons::parse("0.8"), .bounce = false, .init = deploy.ref(0)}, 0},
      {{.destination = client_contract,
        .value = nanotons::parse("1"),
        .body = cocoon::ton::parse_boc_hex(cocoon_vector("body.owner_client_register.boc"))},
       0}};
  const std::uint32_t valid_until = 1767225600;
  const cell signed_part = cocoon::ton::cocoon_wallet::unsigned_body(0, valid_until, transfers);
  CHECK(signed_part.hash().to_hex() == cocoon_vector("wallet_ext.signed_part_hash"));
  const auto message = wallet.sign(client_seed(), 0, valid_until, transfers);
  REQUIRE(message.init.has_value());
  CHECK(message.body.hash().to_hex() == cocoon_vector("wallet_ext.body_hash"));
  cocoon::ton::slice signature(message.body);
  CHECK(cocoon::to_hex(signature.load_bytes(64)) == cocoon_vector("wallet_ext.signature"));
  CHECK(message.to_cell().hash().to_hex() == cocoon_vector("wallet_ext.message_hash"));
  CHECK(cocoon::ton::serialize_boc_hex(message.to_cell(), no_crc) == cocoon_vector("wallet_ext.message_boc"));

  // Later requests carry no state init; the signature covers seqno and valid_until.
  const auto second = wallet.sign(client_seed(), 1, valid_until, transfers);
  CHECK_FALSE(second.init.has_value());
  CHECK(second.body.hash() != message.body.hash());
  CHECK(wallet.sign(client_seed(), 0, valid_until + 1, transfers).body.hash() != message.body.hash());
}

TEST_CASE("the COCOON wallet refuses wrong code, keys and transfer counts", "[ton][cocoon_wallet][vectors]") {
  const auto key = cocoon::crypto::ed25519_public_key_of(client_seed());
  try {
    (void)cocoon::ton::cocoon_wallet(cocoon_code("fake_ton_client_code"), key, owner());
    FAIL("accepted client contract code as the COCOON wallet");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::wallet_code_mismatch);
  }
  const auto wallet = vector_wallet();
  const cocoon::ton::transfer pay{{.destination = owner(), .value = nanotons{1ULL}, .bounce = false}, 1};
  cocoon::error_code ec;
  const auto other = cocoon::ed25519_secret_key::from_hex(std::string(64, '8'));
  CHECK_FALSE(wallet.sign(other, 3, 100, std::span(&pay, 1), ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  ec.clear();
  CHECK_FALSE(wallet.sign(client_seed(), 3, 100, std::span<const cocoon::ton::transfer>(), ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  const std::vector<cocoon::ton::transfer> five(5, pay);
  ec.clear();
  CHECK_FALSE(wallet.sign(client_seed(), 3, 100, five, ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  ec.clear();
  CHECK(wallet.sign(client_seed(), 3, 100, std::span(five).first(4), ec));
  CHECK_FALSE(ec);
}
