#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/wallet.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/base64.hpp>
#include <cocoon/core/hex.hpp>

#include "cocoon_vectors.hpp"

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::parse_address;
namespace client = cocoon::ton::cocoon_client;

namespace {

// The vectors send excesses to the COCOON wallet of the fake-network client.
cocoon::ton::address excesses() { return parse_address(cocoon_vector("cocoon_wallet_address_raw")).address; }

void check_body(const cell& body, const std::string& name) {
  INFO(name);
  CHECK(body.hash().to_hex() == cocoon_vector("body." + name + ".hash"));
  CHECK(cocoon::ton::serialize_boc_hex(body, no_crc) == cocoon_vector("body." + name + ".boc"));
}

cocoon::bytes signed_payment_boc() {
  return cocoon::from_hex(cocoon_vector("charge.signed_payment_boc(proxy form, excesses=0:abab..)"));
}

}  // namespace

TEST_CASE("client contract message bodies are byte-exact", "[ton][cocoon_client][vectors]") {
  const auto secret = client::secret_hash("my-client-secret");
  CHECK(secret.to_hex() == cocoon_vector("secret_hash_sha256(\"my-client-secret\")"));
  CHECK(client::secret_hash("").to_hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  check_body(client::register_client(query_id, 0x0102030405060708, excesses()), "owner_client_register");
  check_body(client::change_secret_hash(query_id, secret, excesses()), "owner_client_change_secret_hash");
  check_body(client::change_secret_hash_and_top_up(query_id, nanotons::parse("5"), secret, excesses()),
             "owner_client_change_secret_hash_and_top_up");
  check_body(client::top_up(query_id, nanotons::parse("5"), excesses()), "ext_client_top_up");
  check_body(client::top_up_reopen(query_id, nanotons::parse("5"), excesses()), "owner_client_top_up_reopen");
  check_body(client::increase_stake(query_id, nanotons::parse("2"), excesses()),
             "owner_client_increase_stake_contract_format");
  check_body(client::withdraw(query_id, excesses()), "owner_client_withdraw");
  check_body(client::request_refund(query_id, excesses()), "owner_client_request_refund");
}

TEST_CASE("a proxy-signed charge verifies and re-packs byte-exactly", "[ton][cocoon_client][vectors]") {
  const auto payment = client::verify_signed_payment(signed_payment_boc(), proxy_key(), client_contract());
  CHECK(payment.op == client::op::charge_signed);
  CHECK(payment.query_id == query_id);
  CHECK(payment.new_tokens_used == 12345);
  CHECK(payment.client_contract == client_contract());
  CHECK(payment.send_excesses_to.to_raw() == "0:abababababababababababababababababababababababababababababababab");
  CHECK(payment.payload.hash().to_hex() == cocoon_vector("charge.inner.hash"));
  CHECK(cocoon::to_hex(payment.signature) == cocoon_vector("charge.signature"));
  // Parsing keeps every bit: the body serializes back to the proxy's bytes.
  CHECK(cocoon::ton::serialize_boc(payment.to_cell(), no_crc) == signed_payment_boc());

  const auto repacked = payment.repacked(excesses());
  CHECK(repacked.to_cell().hash().to_hex() == cocoon_vector("charge.repacked_by_client.hash"));
  CHECK(cocoon::ton::serialize_boc_hex(repacked.to_cell(), no_crc) == cocoon_vector("charge.repacked_by_client.boc"));
  // The re-packed body still verifies: the excess address is outside the signature.
  CHECK(client::verify_signed_payment(repacked.to_cell(), proxy_key(), client_contract()).new_tokens_used == 12345);
}

TEST_CASE("the proxy signature is Ed25519 by the fake proxy key over the payload hash",
          "[ton][cocoon_client][vectors]") {
  // Re-signing the payload with the fake proxy seed reproduces the published signature
  // (Ed25519 is deterministic), so the verifier checks the right bytes with the right key.
  const auto seed =
      cocoon::ed25519_secret_key::from_bytes(cocoon::from_base64("ml+7xELuOQtfp9q9mSWtHiSWx5aSBV6p3xCfwPmHOwY="));
  CHECK(cocoon::crypto::ed25519_public_key_of(seed) == proxy_key());
  const auto payment = client::verify_signed_payment(signed_payment_boc(), proxy_key(), client_contract());
  auto signature = cocoon::ton::detail::sign_hash(seed, proxy_key(), payment.payload.hash());
  REQUIRE(signature.has_value());
  CHECK(signature.value() == payment.signature);
}

TEST_CASE("tampered, foreign and misdirected signed payments are refused", "[ton][cocoon_client][vectors]") {
  const auto good = client::verify_signed_payment(signed_payment_boc(), proxy_key(), client_contract());
  auto refused = [](const cell& body, const cocoon::ed25519_public_key& key, const cocoon::ton::address& contract,
                    cocoon::errc expected) {
    cocoon::error_code ec;
    CHECK_FALSE(client::verify_signed_payment(body, key, contract, ec));
    CHECK(ec == expected);
  };

  // Every single-bit flip of the signature.
  for (std::size_t bit = 0; bit < 512; bit += 7) {
    auto tampered = good;
    tampered.signature[bit / 8] ^= static_cast<std::byte>(0x80U >> (bit % 8));
    refused(tampered.to_cell(), proxy_key(), client_contract(), cocoon::errc::payment_signature_invalid);
  }
  // A higher amount under the proxy's signature.
  {
    auto tampered = good;
    tampered.payload = cocoon::ton::cell_builder()
                           .store_uint(client::op::charge_signed, 32)
                           .store_uint(query_id, 64)
                           .store_uint(12346, 64)
                           .store_address(client_contract())
                           .build();
    refused(tampered.to_cell(), proxy_key(), client_contract(), cocoon::errc::payment_signature_invalid);
  }
  // Another key.
  std::string other_hex = cocoon_vector("proxy_pubkey");
  other_hex[1] = other_hex[1] == '5' ? '4' : '5';
  const auto other_key = cocoon::ed25519_public_key::from_hex(other_hex);
  refused(good.to_cell(), other_key, client_contract(), cocoon::errc::payment_signature_invalid);
  refused(good.to_cell(), cocoon::ed25519_public_key::from_hex(cocoon_vector("client_wallet_pubkey")),
          client_contract(), cocoon::errc::payment_signature_invalid);
  // Signed, but for another client contract.
  refused(good.to_cell(), proxy_key(), excesses(), cocoon::errc::payment_wrong_client);
  // The outer op must match the signed one (a charge is not a refund grant).
  {
    auto tampered = good;
    tampered.op = client::op::grant_refund_signed;
    refused(tampered.to_cell(), proxy_key(), client_contract(), cocoon::errc::contract_message_invalid);
    tampered.op = client::op::top_up;
    refused(tampered.to_cell(), proxy_key(), client_contract(), cocoon::errc::contract_message_invalid);
  }
  // Another query id outside than inside.
  {
    auto tampered = good;
    tampered.query_id ^= 1;
    refused(tampered.to_cell(), proxy_key(), client_contract(), cocoon::errc::contract_message_invalid);
  }
  // Truncated body, extra bits, missing payload.
  const cell body = good.to_cell();
  refused(cocoon::ton::cell_builder().store_bits(body.data(), body.bit_size() - 1).store_ref(body.ref(0)).build(),
          proxy_key(), client_contract(), cocoon::errc::contract_message_invalid);
  refused(cocoon::ton::cell_builder().store_cell(body).store_bit(false).build(), proxy_key(), client_contract(),
          cocoon::errc::contract_message_invalid);
  refused(cocoon::ton::cell_builder().store_bits(body.data(), body.bit_size()).build(), proxy_key(), client_contract(),
          cocoon::errc::contract_message_invalid);
  // Bytes that are not a bag of cells.
  auto boc = signed_payment_boc();
  boc.pop_back();
  cocoon::error_code ec;
  CHECK_FALSE(client::verify_signed_payment(boc, proxy_key(), client_contract(), ec));
  CHECK(ec == cocoon::errc::boc_malformed);
}

TEST_CASE("of a proxy's charges the one with the most tokens is kept, whatever order they come in",
          "[ton][cocoon_client]") {
  const auto charge = [](std::uint64_t tokens, std::uint64_t id) {
    client::signed_payment payment;
    payment.new_tokens_used = tokens;
    payment.query_id = id;
    return payment;
  };
  std::optional<client::signed_payment> kept;
  client::keep_highest_charge(kept, charge(100, 1));
  REQUIRE(kept);
  CHECK(kept->query_id == 1);
  client::keep_highest_charge(kept, charge(250, 2));
  CHECK(kept->query_id == 2);
  client::keep_highest_charge(kept, charge(120, 3));  // late and stale: the contract would refuse it
  CHECK(kept->query_id == 2);
  client::keep_highest_charge(kept, charge(250, 4));  // as many tokens: not newer
  CHECK(kept->query_id == 2);
  CHECK(kept->new_tokens_used == 250);
}
