#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/slice.hpp>
#include <cocoon/ton/wallet.hpp>

#include <catch2/catch.hpp>

#include "vectors.hpp"

#include <vector>

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::parse_address;

namespace {

std::uint32_t field_u32(const nlohmann::json& entry, const char* field) { return entry.at(field).get<std::uint32_t>(); }

cocoon::ton::network network_of(const nlohmann::json& global_id) {
  return global_id.get<int>() == -3 ? cocoon::ton::network::testnet : cocoon::ton::network::mainnet;
}

}  // namespace

TEST_CASE("wallet code BoCs hash to the published code hashes", "[ton][wallet][vectors]") {
  const auto file = ton_vectors("wallets.json");
  for (const auto& code : file.at("codes")) {
    INFO(code.at("name").get<std::string>());
    const cell c = code.contains("boc_base64") ? cocoon::ton::parse_boc_base64(code.at("boc_base64").get<std::string>())
                                               : cocoon::ton::parse_boc_hex(code.at("boc_hex").get<std::string>());
    CHECK(c.hash().to_hex() == code.at("hash_hex"));
  }
  CHECK(wallet_code("wallet_v4r2").hash().to_hex() == cocoon::ton::wallet_v4r2_code_hash);
  CHECK(wallet_code("wallet_v5r1").hash().to_hex() == cocoon::ton::wallet_v5r1_code_hash);
}

TEST_CASE("wallet ids and addresses from public keys", "[ton][wallet][vectors]") {
  const auto file = ton_vectors("wallets.json");
  for (const auto& id : file.at("wallet_ids")) {
    if (id.at("version") != "v5r1") {
      CHECK(cocoon::ton::wallet_v4r2::default_wallet_id == field_u32(id, "default_wallet_id"));
      continue;
    }
    INFO(id.dump());
    CHECK(cocoon::ton::wallet_v5r1::wallet_id_for(network_of(id.at("network_global_id")), id.at("workchain").get<int>(),
                                                  field_u32(id, "subwallet_number")) ==
          id.at("wallet_id").get<std::int64_t>());
  }
  const cell v4 = wallet_code("wallet_v4r2");
  const cell v5 = wallet_code("wallet_v5r1");
  std::size_t checked = 0;
  for (const auto& a : file.at("addresses")) {
    INFO(a.dump());
    const auto key = cocoon::ed25519_public_key::from_hex(a.at("public_key_hex").get<std::string>());
    const auto expected = parse_address(a.at("address_raw").get<std::string>()).address;
    if (a.at("version") == "v4r2") {
      const cocoon::ton::wallet_v4r2 wallet(v4, key);
      CHECK(wallet.wallet_id() == a.at("wallet_id").get<std::int64_t>());
      CHECK(wallet.address() == expected);
      CHECK(wallet.address().to_friendly() == a.at("address_bounceable"));
      ++checked;
    } else if (a.at("version") == "v5r1") {
      // The seed gives the published public key.
      const auto seed = cocoon::ed25519_secret_key::from_hex(a.at("ed25519_seed_hex").get<std::string>());
      CHECK(cocoon::crypto::ed25519_public_key_of(seed) == key);
      const cocoon::ton::wallet_v5r1 wallet(v5, key, network_of(a.at("network_global_id")), 0,
                                            field_u32(a, "subwallet_number"));
      CHECK(wallet.wallet_id() == a.at("wallet_id").get<std::int64_t>());
      CHECK(wallet.address() == expected);
      ++checked;
    }
  }
  CHECK(checked == 4);
}

TEST_CASE("signed wallet messages reproduce the published message hashes", "[ton][wallet][vectors]") {
  const cell v4 = wallet_code("wallet_v4r2");
  const cell v5 = wallet_code("wallet_v5r1");
  const auto file = ton_vectors("wallet-messages.json");
  for (const auto& v : file.at("signed_external_messages")) {
    INFO(v.at("name").get<std::string>());
    const auto seed = cocoon::ed25519_secret_key::from_hex(v.at("ed25519_seed_hex").get<std::string>());
    const auto key = cocoon::crypto::ed25519_public_key_of(seed);
    std::vector<cocoon::ton::transfer> transfers;
    for (const auto& m : v.at("messages")) {
      cocoon::ton::internal_message message{.destination = parse_address(m.at("dest_raw").get<std::string>()).address,
                                            .value = nanotons{std::stoull(m.at("amount_nanotons").get<std::string>())},
                                            .bounce = m.at("bounce").get<bool>()};
      if (m.at("body").at("type") == "comment") {
        message.body = cocoon::ton::text_comment(m.at("body").at("text").get<std::string>());
      }
      if (!m.at("state_init_boc_base64").is_null()) {
        message.init = cocoon::ton::parse_boc_base64(m.at("state_init_boc_base64").get<std::string>());
      }
      transfers.push_back({message, m.at("send_mode").get<std::uint8_t>()});
    }
    const auto seqno = field_u32(v, "seqno");
    const auto valid_until = field_u32(v, "valid_until_signed");
    const std::string expected_hash = v.at("expected_ext_message_hash_hex");
    // The published BoC (in its own cell order) has the published hash.
    CHECK(cocoon::ton::parse_boc_base64(v.at("expected_boc_base64").get<std::string>()).hash().to_hex() ==
          expected_hash);

    std::optional<cocoon::ton::external_message> signed_message;
    if (v.at("wallet") == "v4r2") {
      const cocoon::ton::wallet_v4r2 wallet(v4, key, v.at("workchain").get<int>(), field_u32(v, "wallet_id"));
      signed_message = wallet.sign(seed, seqno, valid_until, transfers);
    } else {
      const cocoon::ton::wallet_v5r1 wallet(v5, key);
      CHECK(wallet.wallet_id() == v.at("wallet_id").get<std::int64_t>());
      signed_message = wallet.sign(seed, seqno, valid_until, transfers);
    }
    CHECK(signed_message->init.has_value() == v.at("includes_state_init").get<bool>());
    CHECK(signed_message->to_cell().hash().to_hex() == expected_hash);
  }
}

TEST_CASE("wallets refuse wrong code, wrong keys and requests the contract would burn", "[ton][wallet][vectors]") {
  const cell v4 = wallet_code("wallet_v4r2");
  const cell v5 = wallet_code("wallet_v5r1");
  const auto seed = cocoon::ed25519_secret_key::from_hex(std::string(64, '7'));
  const auto other = cocoon::ed25519_secret_key::from_hex(std::string(64, '8'));
  const auto key = cocoon::crypto::ed25519_public_key_of(seed);

  try {
    (void)cocoon::ton::wallet_v4r2(v5, key);
    FAIL("accepted v5r1 code as v4r2");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::wallet_code_mismatch);
  }
  CHECK_THROWS_AS(cocoon::ton::wallet_v5r1(v4, key), cocoon::error);
  CHECK_THROWS_AS(cocoon::ton::wallet_v5r1(v5, key, cocoon::ton::network::mainnet, 0, 1U << 15), cocoon::error);
  CHECK_THROWS_AS(cocoon::ton::wallet_v4r2(v4, key, 1), cocoon::error);

  const cocoon::ton::wallet_v4r2 w4(v4, key);
  const cocoon::ton::wallet_v5r1 w5(v5, key, cocoon::ton::network::testnet);
  CHECK_FALSE(w5.address() == cocoon::ton::wallet_v5r1(v5, key).address());  // the network changes the address
  const cocoon::ton::transfer pay{{.destination = w4.address(), .value = nanotons{1U}, .bounce = false}, 3};
  const std::vector<cocoon::ton::transfer> one{pay};
  cocoon::error_code ec;
  CHECK_FALSE(w4.sign(other, 1, 100, one, ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  CHECK_FALSE(w5.sign(other, 1, 100, one, ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  CHECK_FALSE(w4.sign(seed, 1, 100, std::vector<cocoon::ton::transfer>(5, pay), ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  CHECK_FALSE(w4.sign(seed, 1, 100, {}, ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  CHECK(w5.sign(seed, 1, 100, std::vector<cocoon::ton::transfer>(255, pay), ec).has_value());
  CHECK_FALSE(w5.sign(seed, 1, 100, std::vector<cocoon::ton::transfer>(256, pay), ec));
  const std::vector<cocoon::ton::transfer> no_ignore_errors{{pay.message, 1}};
  CHECK_FALSE(w5.sign(seed, 1, 100, no_ignore_errors, ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
  CHECK(w4.sign(seed, 1, 100, no_ignore_errors, ec).has_value());  // v4r2 has no such trap

  // Signatures verify with the wallet key over the hash of the signed part.
  const auto message = w5.sign(seed, 0, 100, one);
  REQUIRE(message.init.has_value());
  CHECK(*message.init == w5.initial_state().to_cell());
  const cell& body = message.body;
  const std::size_t signed_bits = body.bit_size() - 512;
  cocoon::ton::cell_builder unsigned_part;
  unsigned_part.store_bits(body.data(), signed_bits);
  for (const cell& ref : body.refs()) unsigned_part.store_ref(ref);
  cocoon::bytes signature(64);
  for (std::size_t i = 0; i < 512; ++i) {
    if (body.bit(signed_bits + i)) signature[i / 8] |= static_cast<std::byte>(0x80U >> (i % 8));
  }
  const auto digest = unsigned_part.build().hash();
  CHECK(crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                    reinterpret_cast<const unsigned char*>(digest.data()), 32,
                                    reinterpret_cast<const unsigned char*>(key.data())) == 0);
}

TEST_CASE("real wallet requests read back with slice: header, body fields, outgoing messages",
          "[ton][wallet][vectors]") {
  const auto file = ton_vectors("wallet-messages.json");
  for (const auto& v : file.at("real_external_messages")) {
    INFO(v.at("name").get<std::string>());
    const cell message = cocoon::ton::parse_boc_base64(v.at("boc_base64").get<std::string>());
    cocoon::ton::slice s(message);
    CHECK(s.load_uint(2) == 0b10);                    // ext_in_msg_info
    CHECK_FALSE(s.load_maybe_address().has_value());  // src: addr_none
    CHECK(s.load_address() == parse_address(v.at("wallet_address").get<std::string>()).address);
    CHECK(s.load_coins() == nanotons{0U});  // import fee
    REQUIRE_FALSE(s.load_bit());            // no state init
    cocoon::ton::slice body = s.load_bit() ? cocoon::ton::slice(s.load_ref()) : s;

    const auto& fields = v.at("body_fields");
    const bool v5 = v.at("wallet") == "v5r1";
    if (!v5) body.skip_bits(512);  // v4: the signature comes first
    if (v5) CHECK(body.load_uint(32) == 0x7369676e);
    CHECK(static_cast<std::int64_t>(body.load_uint(32)) == fields.at("wallet_id").get<std::int64_t>());
    CHECK(body.load_uint(32) == fields.at("valid_until").get<std::uint64_t>());
    CHECK(body.load_uint(32) == fields.at("seqno").get<std::uint64_t>());

    std::vector<std::pair<std::uint64_t, cell>> sent;
    if (v5) {
      // The action list: each node holds the previous list and one action; the first is deepest.
      std::optional<cell> node = body.load_maybe_ref();
      CHECK_FALSE(body.load_bit());  // no extended actions
      CHECK(body.remaining_bits() == 512);
      while (node && node->ref_count() > 0) {
        cocoon::ton::slice action(*node);
        const cell previous = action.load_ref();
        CHECK(action.load_uint(32) == 0x0ec3c86d);
        const std::uint64_t mode = action.load_uint(8);
        sent.insert(sent.begin(), {mode, action.load_ref()});
        action.end_parse();
        node = previous;
      }
    } else {
      CHECK(body.load_uint(8) == fields.at("op").get<std::uint64_t>());
      while (body.remaining_refs() > 0) {
        const std::uint64_t mode = body.load_uint(8);
        sent.emplace_back(mode, body.load_ref());
      }
      body.end_parse();
    }
    const auto& expected = v.at("expected_out_messages");
    REQUIRE(sent.size() == expected.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
      CHECK(sent[i].first == expected.at(i).at("mode").get<std::uint64_t>());
      CHECK(sent[i].second ==
            cocoon::ton::parse_boc_base64(expected.at(i).at("message_boc_base64").get<std::string>()));
    }
  }
}
