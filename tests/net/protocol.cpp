#include <cocoon/net/protocol.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

#include <boost/crc.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace proto = cocoon::net::proto;

namespace {

// Hex from shared/research/cocoon-vectors.txt, produced by an independent TL encoder and checked
// against COCOON's compiled schema.
const std::string connect_to_proxy_hex =
    "f4a05fff0300000030555143646a343362424479654a6c66653646565370574c6673444d70345948626d7a356c6361352d744e7a2d66783230"
    "000000379779bc010000000200000007000000";
const std::string http_request_hex =
    "e52d494704504f5354000000142f76312f636861742f636f6d706c6574696f6e7300000008485454502f312e31000000020000000c436f6e74"
    "656e742d54797065000000106170706c69636174696f6e2f6a736f6e0000000e436f6e74656e742d4c656e6774680002383500557b226d6f"
    "64656c223a225177656e2f5177656e332d3842222c226d65737361676573223a5b7b22726f6c65223a2275736572222c22636f6e74656e74"
    "223a226869227d5d2c226d61785f746f6b656e73223a31367d0000";
const std::string run_query_ex_hex =
    "4bb74cf50d5177656e2f5177656e332d38420000c4e52d494704504f5354000000142f76312f636861742f636f6d706c6574696f6e730000"
    "0008485454502f312e31000000020000000c436f6e74656e742d54797065000000106170706c69636174696f6e2f6a736f6e0000000e436f"
    "6e74656e742d4c656e6774680002383500557b226d6f64656c223a225177656e2f5177656e332d3842222c226d65737361676573223a5b7b"
    "22726f6c65223a2275736572222c22636f6e74656e74223a226869227d5d2c226d61785f746f6b656e73223a31367d0000000000a00f0000"
    "100000000000000000805c40000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0700000001000000379779bc";

proto::connect_to_proxy sample_connect() {
  proto::connect_to_proxy c;
  c.params.client_owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
  c.params.is_test = false;
  c.params.proto_versions = {{1, 2}};
  c.min_config_version = 7;
  return c;
}

proto::http_request sample_http_request() {
  return {"POST",
          "/v1/chat/completions",
          "HTTP/1.1",
          {{"Content-Type", "application/json"}, {"Content-Length", "85"}},
          cocoon::to_bytes(R"({"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"hi"}],"max_tokens":16})")};
}

proto::run_query_ex sample_run_query() {
  proto::run_query_ex q;
  q.model_name = "Qwen/Qwen3-8B";
  q.query = proto::serialize(sample_http_request());
  q.max_coefficient = 4000;
  q.max_tokens = 16;
  q.timeout = 114.0;
  q.request_id = cocoon::hash256::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  q.min_config_version = 7;
  q.enable_debug = false;
  return q;
}

template <class T>
cocoon::error_code parse_code(const cocoon::bytes& data) {
  cocoon::error_code ec;
  (void)proto::parse<T>(data, ec);
  return ec;
}

}  // namespace

TEST_CASE("client messages serialize to the bytes of an independent encoder", "[net][protocol]") {
  CHECK(cocoon::to_hex(proto::serialize(proto::tcp_connect{0x0102030405060708})) == "61427ca50807060504030201");
  CHECK(cocoon::to_hex(proto::serialize(proto::tcp_connected{0x0102030405060708})) == "d6416d630807060504030201");
  CHECK(cocoon::to_hex(proto::serialize(proto::tcp_ping{1})) == "7c62e9bb0100000000000000");
  CHECK(cocoon::to_hex(proto::serialize(sample_connect())) == connect_to_proxy_hex);
  CHECK(cocoon::to_hex(proto::serialize(proto::tcp_query{0x1111111111111111, proto::serialize(sample_connect())})) ==
        "0819f53a11111111111111114c" + connect_to_proxy_hex + "000000");
  CHECK(cocoon::to_hex(proto::serialize(proto::authorize_with_proxy_short{cocoon::to_bytes("my-client-secret")})) ==
        "2367276c106d792d636c69656e742d736563726574000000");
  CHECK(cocoon::to_hex(proto::serialize(proto::authorize_with_proxy_long{})) == "034347d3");
  CHECK(cocoon::to_hex(proto::serialize(proto::get_worker_types_v2{})) == "723d13b2");
  CHECK(cocoon::to_hex(proto::serialize(proto::update_payment_status{})) == "97c6d19e");
  CHECK(cocoon::to_hex(proto::serialize(sample_http_request())) == http_request_hex);
  CHECK(cocoon::to_hex(proto::serialize(sample_run_query())) == run_query_ex_hex);
  CHECK(cocoon::to_hex(proto::serialize(proto::tcp_packet{proto::serialize(sample_run_query())})) ==
        "f8ba179cfe180100" + run_query_ex_hex);
}

TEST_CASE("the same bytes parse back to equal objects", "[net][protocol]") {
  CHECK(proto::parse<proto::connect_to_proxy>(cocoon::from_hex(connect_to_proxy_hex)) == sample_connect());
  CHECK(proto::parse<proto::run_query_ex>(cocoon::from_hex(run_query_ex_hex)) == sample_run_query());
  const auto call = proto::parse<proto::client_call>(cocoon::from_hex(run_query_ex_hex));
  REQUIRE(std::holds_alternative<proto::run_query_ex>(call));
  CHECK(proto::parse<proto::http_request>(std::get<proto::run_query_ex>(call).query) == sample_http_request());
}

TEST_CASE("proxy packets of every kind round trip, the old error replies included", "[net][protocol]") {
  proto::query_final_info final_info;
  final_info.tokens = {10, 2, 30, 5, 47};
  final_info.debug = proto::query_final_info::debug_info{"worker log", "proxy log"};
  final_info.times = proto::query_final_info::timings{1.5, 2.5, 1.75, 2.25};
  const auto id = cocoon::hash256::from_hex("ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const std::vector<proto::proxy_packet> packets = {
      proto::query_answer_ex{id, cocoon::to_bytes("first"), 0, std::nullopt},
      proto::query_answer_part_ex{id, cocoon::to_bytes("more"), 0, final_info},
      proto::query_answer_error_ex{id, 503, "no workers", 0, final_info},
      proto::query_answer{cocoon::to_bytes("v0"), true, id, final_info.tokens},
      proto::query_answer_part{cocoon::to_bytes("v0 part"), false, id, {}},
      proto::query_answer_error{400, "can run this query with coefficient=2000", id, {}},
      proto::query_answer_part_error{500, "worker failed", id, final_info.tokens},
      proto::client_request_payment{id, {cocoon::to_bytes("boc")}, 1, 2, 3},
      proto::signed_payment{},
  };
  for (const auto& packet : packets) {
    const auto wire = proto::serialize(packet);
    INFO(cocoon::to_hex(wire));
    CHECK(proto::parse<proto::proxy_packet>(wire) == packet);
    CHECK(wire.size() % 4 == 0);
  }
}

TEST_CASE("the handshake answer and worker list round trip", "[net][protocol]") {
  proto::connected_to_proxy connected;
  connected.params.proxy_public_key =
      cocoon::ed25519_public_key::from_hex("559087582b7e5ea2b2b986c258e0067b806a59b154e955decf00429610eab095");
  connected.params.proxy_owner_address = "owner";
  connected.params.proxy_sc_address = "proxy contract";
  connected.params.is_test = true;
  connected.params.proto_version = 2;
  connected.client_sc_address = "client contract";
  connected.auth = proto::proxy_connection_auth_short{cocoon::hash256{}, 42};
  connected.payment = {cocoon::to_bytes("signed")};
  CHECK(proto::parse<proto::connected_to_proxy>(proto::serialize(connected)) == connected);
  connected.auth = proto::proxy_connection_auth_long{43};
  CHECK(proto::parse<proto::connected_to_proxy>(proto::serialize(connected)) == connected);

  proto::worker_types_v2 types{{{"Qwen/Qwen3-8B", {{0, 1000, 1, 8}, {0, 1500, 0, 8}}}, {"empty", {}}}};
  CHECK(proto::parse<proto::worker_types_v2>(proto::serialize(types)) == types);
  // The protocol-0 list, as a real proxy fills it: the median and highest of one worker's
  // coefficient and INT32_MAX are INT32_MAX.
  proto::worker_types old{{{"Qwen/Qwen3-8B", 1, 1000, 2147483647, 2147483647}}};
  CHECK(cocoon::to_hex(proto::serialize(old)) ==
        "010e4ef6010000000d5177656e2f5177656e332d3842000001000000e8030000ffffff7fffffff7f");
  CHECK(proto::parse<proto::worker_types>(proto::serialize(old)) == old);
  CHECK(cocoon::to_hex(proto::serialize(proto::get_worker_types{})) == "db2b067f");
}

TEST_CASE("truncated, padded, overlong and unknown TL is refused with the field and offset", "[net][protocol]") {
  const auto wire = cocoon::from_hex(run_query_ex_hex);
  for (std::size_t size = 0; size < wire.size(); ++size) {
    const cocoon::bytes cut(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(size));
    CHECK(parse_code<proto::run_query_ex>(cut) == cocoon::errc::tl_malformed);
  }
  auto trailing = wire;
  trailing.insert(trailing.end(), 4, std::byte{0});
  CHECK(parse_code<proto::run_query_ex>(trailing) == cocoon::errc::tl_malformed);

  CHECK(parse_code<proto::proxy_packet>(cocoon::from_hex("0000000000000000")) == cocoon::errc::tl_unknown_constructor);
  CHECK(parse_code<proto::connect_to_proxy>(cocoon::from_hex("61427ca50807060504030201")) ==
        cocoon::errc::tl_unknown_constructor);
  // A short string in the long length form, a 0xff length byte, a non-Bool, a huge vector count.
  CHECK(parse_code<proto::authorize_with_proxy_short>(cocoon::from_hex("2367276cfe01000061000000")) ==
        cocoon::errc::tl_malformed);
  CHECK(parse_code<proto::authorize_with_proxy_short>(cocoon::from_hex("2367276cff000000")) ==
        cocoon::errc::tl_malformed);
  auto not_bool = wire;
  not_bool[not_bool.size() - 1] ^= std::byte{1};
  CHECK(parse_code<proto::run_query_ex>(not_bool) == cocoon::errc::tl_malformed);
  CHECK(parse_code<proto::worker_types_v2>(cocoon::from_hex("67dcf00cffffff7f")) == cocoon::errc::tl_malformed);

  try {
    (void)proto::parse<proto::run_query_ex>(cocoon::byte_view(wire).first(30));
    FAIL("parsed");
  } catch (const cocoon::error& failure) {
    CHECK(failure.where() == "client.runQueryEx.query: truncated at offset 21");
  }
}

TEST_CASE("constructor ids equal the CRC32 of COCOON's schema", "[net][protocol][vectors]") {
  // Each combinator's id is CRC32 (IEEE) of its text normalised as "name field:type ... = Type"
  // (comments, explicit ids and parentheses removed, single spaces), unless the schema gives one.
  std::ifstream file(std::string(COCOON_VECTORS_DIR) + "/cocoon/cocoon_api.tl");
  REQUIRE(file);
  std::stringstream text;
  for (std::string line; std::getline(file, line);) {
    if (const auto comment = line.find("//"); comment != std::string::npos) line.erase(comment);
    if (line.rfind("---", 0) == 0) continue;
    text << line << ' ';
  }
  std::map<std::string, std::uint32_t> ids;
  std::string all = text.str();
  std::size_t start = 0;
  for (std::size_t end; (end = all.find(';', start)) != std::string::npos; start = end + 1) {
    std::string combinator = std::regex_replace(all.substr(start, end - start), std::regex("[()]"), "");
    combinator = std::regex_replace(combinator, std::regex("\\s+"), " ");
    combinator = std::regex_replace(combinator, std::regex("^ | $"), "");
    if (combinator.empty()) continue;
    const auto name_end = combinator.find(' ');
    std::string name = combinator.substr(0, name_end);
    std::uint32_t id = 0;
    if (const auto hash = name.find('#'); hash != std::string::npos) {
      id = static_cast<std::uint32_t>(std::stoul(name.substr(hash + 1), nullptr, 16));
      name.erase(hash);
    } else {
      boost::crc_32_type crc;
      crc.process_bytes(combinator.data(), combinator.size());
      id = crc.checksum();
    }
    ids[name] = id;
  }
  REQUIRE(ids.size() > 90);
  const std::pair<const char*, std::uint32_t> ours[] = {
      {"tcp.connect", proto::tcp_connect::id},
      {"tcp.connected", proto::tcp_connected::id},
      {"tcp.ping", proto::tcp_ping::id},
      {"tcp.pong", proto::tcp_pong::id},
      {"tcp.packet", proto::tcp_packet::id},
      {"tcp.query", proto::tcp_query::id},
      {"tcp.queryAnswer", proto::tcp_query_answer::id},
      {"tcp.queryError", proto::tcp_query_error::id},
      {"tokensUsed", proto::tokens_used::id},
      {"proxy.signedPayment", proto::signed_payment::id_payment},
      {"proxy.signedPaymentEmpty", proto::signed_payment::id_empty},
      {"client.params", proto::client_params::id},
      {"proxy.params", proto::proxy_params::id},
      {"client.connectToProxy", proto::connect_to_proxy::id},
      {"client.proxyConnectionAuthShort", proto::proxy_connection_auth_short::id},
      {"client.proxyConnectionAuthLong", proto::proxy_connection_auth_long::id},
      {"client.connectedToProxy", proto::connected_to_proxy::id},
      {"client.authorizeWithProxyShort", proto::authorize_with_proxy_short::id},
      {"client.authorizeWithProxyLong", proto::authorize_with_proxy_long::id},
      {"client.authorizationWithProxySuccess", proto::authorization_success::id},
      {"client.authorizationWithProxyFailed", proto::authorization_failed::id},
      {"http.header", proto::http_header::id},
      {"http.request", proto::http_request::id},
      {"http.response", proto::http_response::id},
      {"client.runQueryEx", proto::run_query_ex::id},
      {"client.queryFinalInfo", proto::query_final_info::id},
      {"client.queryAnswerEx", proto::query_answer_ex::id},
      {"client.queryAnswerPartEx", proto::query_answer_part_ex::id},
      {"client.queryAnswerErrorEx", proto::query_answer_error_ex::id},
      {"client.queryAnswer", proto::query_answer::id},
      {"client.queryAnswerPart", proto::query_answer_part::id},
      {"client.queryAnswerError", proto::query_answer_error::id},
      {"client.queryAnswerPartError", proto::query_answer_part_error::id},
      {"proxy.clientRequestPayment", proto::client_request_payment::id},
      {"client.updatePaymentStatus", proto::update_payment_status::id},
      {"client.paymentStatus", proto::payment_status::id},
      {"client.getWorkerTypes", proto::get_worker_types::id},
      {"client.workerTypes", proto::worker_types::id},
      {"client.getWorkerTypesV2", proto::get_worker_types_v2::id},
      {"client.workerTypesV2", proto::worker_types_v2::id},
  };
  for (const auto& [name, id] : ours) {
    INFO(name);
    REQUIRE(ids.count(name) == 1);
    CHECK(ids.at(name) == id);
  }
}
