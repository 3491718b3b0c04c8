#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/message.hpp>
#include <cocoon/ton/slice.hpp>

#include <catch2/catch.hpp>

#include "vectors.hpp"

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::cell_builder;
using cocoon::ton::parse_address;

TEST_CASE("contract addresses are the hash of their state init", "[ton][message][vectors]") {
  const auto boc_file = ton_vectors("boc.json");
  const auto& golden = ton_vector(boc_file, "state_init_golden");
  const cocoon::ton::state_init init{cell_builder().store_uint(1, 8).build(), cell_builder().store_uint(2, 8).build()};
  CHECK(cocoon::ton::serialize_boc_base64(init.to_cell()) == golden.at("boc_base64_idx0_crc1"));
  CHECK(init.to_address().to_raw() == golden.at("contract_address_raw"));
  CHECK(init.to_address().to_friendly() == golden.at("contract_address_wc0_bounceable"));

  // The TON Connect demo deploys a contract whose address is the hash of the StateInit it sends
  // (a BoC whose root lists its references out of index order).
  const auto tonconnect = ton_vectors("tonconnect.json");
  const auto& demo = ton_vector(tonconnect, "demo_dapp_echo_contract");
  const auto& message = demo.at("sdk_request").at("messages").at(0);
  const cell state = cocoon::ton::parse_boc_base64(message.at("stateInit").get<std::string>());
  CHECK(state.hash().to_hex() == demo.at("checks").at("state_init_hash_hex"));
  CHECK(parse_address(message.at("address").get<std::string>()).address == cocoon::ton::address(0, state.hash()));
  cocoon::ton::slice s(state);
  CHECK(s.load_uint(5) == 0b00110);
  const cocoon::ton::state_init parsed{s.load_ref(), s.load_ref()};
  CHECK(parsed.to_cell() == state);
  // Its payload is a text comment.
  const cell payload = cocoon::ton::parse_boc_base64(message.at("payload").get<std::string>());
  CHECK(payload == cocoon::ton::text_comment(demo.at("checks").at("payload_text").get<std::string>()));
}

TEST_CASE("text comments match published cells", "[ton][message][vectors]") {
  const auto file = ton_vectors("comments.json");
  for (const char* name : {"tonconnect_demo_hello", "tw_test_comment"}) {
    const auto& v = ton_vector(file, name);
    CHECK(cocoon::ton::text_comment(v.at("text").get<std::string>()).hash().to_hex() == v.at("cell_hash_hex"));
  }
  const auto& hello = ton_vector(file, "tonconnect_demo_hello");
  cocoon::ton::slice s(cocoon::ton::parse_boc_base64(hello.at("boc_base64").get<std::string>()));
  CHECK(s.load_uint(32) == 0);
  CHECK(s.load_snake_text() == hello.at("text"));
}

TEST_CASE("the TEP-467 normalized hash drops init, fees, source and anycast", "[ton][message][vectors]") {
  const auto file = ton_vectors("tonconnect.json");
  const auto& v = ton_vector(file, "tep467_normalized_external_hash");
  const cocoon::ton::external_message message{
      parse_address("-1:adfd5f1d28db13e50591d5c76a976c15d8ab6cad90554748ab254871390d9334").address,
      cocoon::ton::state_init{cell_builder().store_uint(102, 32).build(), cell()}.to_cell(),
      cell_builder().store_uint(200, 32).build()};
  CHECK(message.normalized_hash().to_hex() == v.at("normalized_hash_hex"));
  CHECK_FALSE(message.to_cell().hash() == message.normalized_hash());
}

TEST_CASE("internal message layout", "[ton][message]") {
  const cocoon::ton::address dest(0, cocoon::hash256::from_hex(std::string(64, '1')));
  const cocoon::ton::internal_message plain{.destination = dest, .value = nanotons{1'000'000'000U}};
  const cell c = plain.to_cell();
  cocoon::ton::slice s(c);
  CHECK(s.load_uint(6) == 0x18);  // 0, ihr_disabled, bounce, not bounced, addr_none: bounceable prefix
  CHECK(s.load_address() == dest);
  CHECK(s.load_coins() == nanotons{1'000'000'000U});
  CHECK(s.load_uint(1 + 4 + 4) == 0);  // no extra currencies, extra_flags 0, fwd_fee 0
  CHECK(s.load_uint(64) == 0);         // created_lt
  CHECK(s.load_uint(32) == 0);         // created_at
  CHECK_FALSE(s.load_bit());           // no state init
  CHECK(s.load_bit());                 // body as a reference
  CHECK(s.load_ref() == cell());       // an empty body
  s.end_parse();

  cocoon::ton::internal_message deploy{dest, nanotons{1U}, false, cell_builder().store_uint(7, 3).build(),
                                       cocoon::ton::text_comment("hi")};
  cocoon::ton::slice d(deploy.to_cell());
  CHECK(d.load_uint(6) == 0x10);  // non-bounceable prefix
  d.skip_bits(267);
  CHECK(d.load_coins() == nanotons{1U});
  d.skip_bits(1 + 4 + 4 + 64 + 32);
  CHECK(d.load_uint(2) == 0b11);
  CHECK(d.load_ref().fift_hex() == "F_");
  CHECK(d.load_bit());
  CHECK(d.load_ref() == cocoon::ton::text_comment("hi"));
  d.end_parse();
}
