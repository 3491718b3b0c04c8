#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cocoon_root.hpp>
#include <cocoon/ton/payment.hpp>
#include <cocoon/ton/slice.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/base64.hpp>

#include "cocoon_vectors.hpp"
#include "vectors.hpp"

#include <regex>

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::parse_address;
namespace ton = cocoon::ton;

namespace {

// The fake-TON client contract's state init, as cocoon_root.cpp derives it.
ton::state_init fake_client_contract(const ton::address& wallet) {
  const ton::cocoon_root_params p = fake_ton_params();
  const auto root = parse_address(cocoon_vector("root_raw")).address;
  const auto proxy = ton::cocoon_proxy_contract(p, owner(), proxy_key(), root);
  return ton::cocoon_client_contract(p, wallet, proxy.to_address(), proxy_key());
}

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the payment builder signs the runner's first request byte-exactly", "[ton][payment][vectors]") {
  const auto wallet = vector_wallet();
  const auto message = ton::payment(wallet)
                           .query_id(query_id)
                           .deploy(fake_client_contract(wallet.address()))
                           .register_client(0x0102030405060708)
                           .seqno(0)
                           .valid_until(1767225600)
                           .sign(client_seed());
  CHECK(ton::serialize_boc_hex(message.to_cell(), no_crc) == cocoon_vector("wallet_ext.message_boc"));
}

TEST_CASE("a top-up carries the amount plus the operation value", "[ton][payment][vectors]") {
  const auto wallet = vector_wallet();
  auto pay = ton::payment(wallet).to(client_contract()).query_id(query_id).top_up(nanotons::parse("5"));
  REQUIRE(pay.messages().size() == 1);
  CHECK(pay.messages()[0].value == nanotons::parse("5.7"));
  CHECK(pay.messages()[0].bounce);
  CHECK(pay.messages()[0].body->hash().to_hex() == cocoon_vector("body.ext_client_top_up.hash"));
  CHECK(pay.transfers()[0].mode == 0);

  // Signed and read back: the wallet request carries exactly that message.
  const auto signed_message = pay.seqno(5).valid_for(std::chrono::seconds(60)).sign(client_seed());
  CHECK_FALSE(signed_message.init.has_value());
  ton::slice body(signed_message.body);
  body.skip_bits(512 + 32);
  const auto valid_until = body.load_uint(32);
  const auto now = static_cast<std::uint64_t>(std::time(nullptr));
  CHECK(valid_until >= now + 55);
  CHECK(valid_until <= now + 65);
  CHECK(body.load_uint(32) == 5);
  CHECK(body.load_uint(8) == 0);
  CHECK(body.load_ref() == pay.messages()[0].to_cell_inline_empty_body());
  body.end_parse();

  // From the user's own wallets: v4r2 and v5r1 sign the same messages with mode 3.
  const auto key = cocoon::crypto::ed25519_public_key_of(client_seed());
  for (const bool v5 : {false, true}) {
    auto user = v5 ? ton::payment(ton::wallet_v5r1(wallet_code("wallet_v5r1"), key))
                   : ton::payment(ton::wallet_v4r2(wallet_code("wallet_v4r2"), key));
    user.to(client_contract()).query_id(query_id).top_up(nanotons::parse("5")).seqno(3).valid_until(1767225600);
    CHECK(user.transfers()[0].mode == 3);
    const auto request = user.sign(client_seed());
    CHECK(request.destination == user.from());
    // The excess goes back to the paying wallet, so the body differs from the COCOON wallet's.
    CHECK(user.messages()[0].body != pay.messages()[0].body);
  }
}

TEST_CASE("TON Connect requests follow the wallet protocol", "[ton][payment][vectors]") {
  const auto wallet = vector_wallet();
  const auto user = parse_address("0:348bcf827469c5fc38541c77fdd91d4e347eac200f6f2d9fd62dc08885f0415f").address;
  auto pay = ton::payment(user)
                 .query_id(query_id)
                 .deploy(fake_client_contract(wallet.address()))
                 .top_up(nanotons::parse("5"))
                 .valid_until(1658253458);
  const auto request = pay.ton_connect_request(ton::network::mainnet);
  const auto tonconnect = ton_vectors("tonconnect.json");
  const auto rules = ton_vector(tonconnect, "sdk_validation_rules").at("rules");
  for (const auto& [key, value] : request.items()) {
    CHECK(std::find(rules.at("top_level_keys").begin(), rules.at("top_level_keys").end(), key) !=
          rules.at("top_level_keys").end());
  }
  CHECK(request.at("validUntil") == 1658253458);
  CHECK(request.at("network") == "-239");
  CHECK(request.at("from") == user.to_raw());
  REQUIRE(request.at("messages").size() == 2);
  const std::regex amount(R"(^[0-9]+$)");
  for (const auto& m : request.at("messages")) {
    for (const auto& [key, value] : m.items()) {
      CHECK(std::find(rules.at("message_keys").begin(), rules.at("message_keys").end(), key) !=
            rules.at("message_keys").end());
    }
    CHECK(std::regex_match(m.at("amount").get<std::string>(), amount));
    const auto address = parse_address(m.at("address").get<std::string>());
    CHECK(address.friendly);  // raw addresses are refused by wallets
    CHECK(address.address == pay.messages()[0].destination);
  }
  const auto& deploy = request.at("messages").at(0);
  CHECK(deploy.at("amount") == "800000000");
  CHECK_FALSE(parse_address(deploy.at("address").get<std::string>()).flags.bounceable);
  CHECK(deploy.at("stateInit").get<std::string>().starts_with("te6cc"));
  CHECK(ton::parse_boc_base64(deploy.at("stateInit").get<std::string>()) == *pay.messages()[0].init);
  CHECK_FALSE(deploy.contains("payload"));
  const auto& top_up = request.at("messages").at(1);
  CHECK(top_up.at("amount") == "5700000000");
  CHECK(parse_address(top_up.at("address").get<std::string>()).flags.bounceable);
  CHECK(ton::parse_boc_base64(top_up.at("payload").get<std::string>()) == *pay.messages()[1].body);

  // The wire form inside the RPC envelope has the field names of the specification's example.
  const auto spec = ton_vector(tonconnect, "spec_example_wire_payload");
  const auto rpc = pay.ton_connect_rpc(ton::network::testnet, "7");
  CHECK(rpc.at("method") == spec.at("rpc_envelope").at("method"));
  CHECK(rpc.at("id") == "7");
  const auto wire = nlohmann::json::parse(rpc.at("params").at(0).get<std::string>());
  for (const auto& [key, value] : spec.at("wire_json").items()) {
    CHECK(wire.contains(key));
    CHECK(wire.at(key).type() == value.type());
  }
  CHECK(wire.at("network") == "-3");
  CHECK(parse_address(wire.at("messages").at(0).at("address").get<std::string>()).flags.testnet);
}

TEST_CASE("ton://transfer links carry the body and state init", "[ton][payment][vectors]") {
  const auto wallet = vector_wallet();
  auto pay = ton::payment(wallet)
                 .query_id(query_id)
                 .deploy(fake_client_contract(wallet.address()))
                 .top_up(nanotons::parse("5"));
  const auto links = pay.deep_links();
  REQUIRE(links.size() == 2);
  const std::regex shape(R"(^ton://transfer/([A-Za-z0-9_-]{48})\?amount=([0-9]+)(&bin=([^&]+))?(&init=([^&]+))?$)");
  std::smatch m;
  REQUIRE(std::regex_match(links[0], m, shape));
  CHECK(parse_address(m[1].str()).address == client_contract());
  CHECK(m[2].str() == "800000000");
  CHECK_FALSE(m[3].matched);
  CHECK(ton::parse_boc_base64(url_decode(m[6].str())) == *pay.messages()[0].init);
  REQUIRE(std::regex_match(links[1], m, shape));
  CHECK(m[2].str() == "5700000000");
  CHECK(ton::parse_boc_base64(url_decode(m[4].str())).hash().to_hex() == cocoon_vector("body.ext_client_top_up.hash"));
  CHECK_FALSE(m[5].matched);
}

TEST_CASE("the payment builder reports what is missing", "[ton][payment][vectors]") {
  const auto wallet = vector_wallet();
  auto refused = [](const ton::payment& pay) {
    cocoon::error_code ec;
    CHECK_FALSE(pay.sign(client_seed(), ec));
    CHECK(ec == cocoon::errc::wallet_request_invalid);
  };
  refused(ton::payment(wallet).top_up(nanotons{1ULL}).seqno(1).valid_until(100));           // no to()
  refused(ton::payment(wallet).to(client_contract()).seqno(1).valid_until(100));            // nothing to send
  refused(ton::payment(wallet).to(client_contract()).withdraw().valid_until(100));          // no seqno
  refused(ton::payment(wallet).to(client_contract()).withdraw().seqno(1));                  // no validity
  refused(ton::payment(owner()).to(client_contract()).withdraw().seqno(1).valid_until(1));  // no key
  auto five = ton::payment(wallet).to(client_contract()).seqno(1).valid_until(100);
  for (int i = 0; i < 5; ++i) five.withdraw();
  refused(five);
  refused(ton::payment(wallet).to(client_contract()).top_up(nanotons::max()).seqno(1).valid_until(100));
  CHECK_THROWS_AS(ton::payment(wallet).to(client_contract()).ton_connect_request(ton::network::mainnet), cocoon::error);
  CHECK_THROWS_AS(ton::payment(wallet).deep_links(), cocoon::error);
  // A signed charge is re-packed with this payer as the excess address.
  const auto charge = ton::cocoon_client::verify_signed_payment(
      cocoon::from_hex(cocoon_vector("charge.signed_payment_boc(proxy form, excesses=0:abab..)")), proxy_key(),
      client_contract());
  auto pay = ton::payment(wallet).to(client_contract()).charge(charge);
  CHECK(pay.messages()[0].body->hash().to_hex() == cocoon_vector("charge.repacked_by_client.hash"));
  CHECK(pay.messages()[0].value == nanotons::parse("0.7"));
}

TEST_CASE("payment options: excess address, values, plain transfers", "[ton][payment][vectors]") {
  const auto wallet = vector_wallet();
  const auto elsewhere = parse_address("0:" + std::string(64, '3')).address;
  auto pay = ton::payment(wallet)
                 .to(client_contract())
                 .query_id(query_id)
                 .excesses_to(elsewhere)
                 .withdraw()
                 .value(nanotons::parse("0.3"))
                 .to(owner())
                 .send(nanotons{1ULL});
  REQUIRE(pay.messages().size() == 2);
  CHECK(pay.messages()[0].value == nanotons::parse("0.3"));
  CHECK(*pay.messages()[0].body == ton::cocoon_client::withdraw(query_id, elsewhere));
  CHECK(pay.messages()[1].destination == owner());
  CHECK_FALSE(pay.messages()[1].body.has_value());
  // The runner's modes: 0 for real values, 1 (fees paid separately) for a 1-nanoton message.
  CHECK(pay.transfers()[0].mode == 0);
  CHECK(pay.transfers()[1].mode == 1);
  cocoon::error_code ec;
  CHECK_FALSE(ton::payment(wallet).value(nanotons{1ULL}).seqno(1).valid_until(1).sign(client_seed(), ec));
  CHECK(ec == cocoon::errc::wallet_request_invalid);
}
