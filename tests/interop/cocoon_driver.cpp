// The SDK side of the COCOON payments interop test (cocoon.mjs). Reads one JSON request on
// stdin and writes one JSON answer:
//   {"cmd":"bodies", "query_id", "nonce", "amount", "stake", "secret", "excesses"}
//       -> every client-contract body as a base64 BoC
//   {"cmd":"wallet", "kind": "cocoon"|"v4r2"|"v5r1", "code" (hex) | "code_base64", "seed", "owner",
//    "seqno", "valid_until", "query_id", "to" | "deploy", "ops":[...]}
//       -> the wallet's address and state init, the signed external message built with
//          ton::payment, and the messages it carries
//   {"cmd":"root", "data"} -> the parsed root config
//   {"cmd":"contracts", "root_data", "root", "proxy_owner", "proxy_key", "wallet"}
//       -> proxy and client contract addresses derived from a root's data cell
//   {"cmd":"verify", "boc", "proxy_key", "client"} -> the verified payment or the error code
// BoCs are base64, keys and seeds hex, addresses raw.
#include <cocoon/ton.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>
#include <string>

namespace {

namespace ton = cocoon::ton;
using nlohmann::json;

ton::address addr(const json& j) { return ton::parse_address(j.get<std::string>()).address; }
ton::cell boc(const json& j) { return ton::parse_boc_base64(j.get<std::string>()); }
std::string b64(const ton::cell& c) { return ton::serialize_boc_base64(c); }
cocoon::nanotons coins(const json& j) { return cocoon::nanotons{std::stoull(j.get<std::string>())}; }

json bodies(const json& in) {
  namespace client = ton::cocoon_client;
  const std::uint64_t qid = std::stoull(in.at("query_id").get<std::string>());
  const ton::address excesses = addr(in.at("excesses"));
  const auto secret = client::secret_hash(in.at("secret").get<std::string>());
  const auto amount = coins(in.at("amount"));
  return {{"register", b64(client::register_client(qid, std::stoull(in.at("nonce").get<std::string>()), excesses))},
          {"top_up", b64(client::top_up(qid, amount, excesses))},
          {"top_up_reopen", b64(client::top_up_reopen(qid, amount, excesses))},
          {"increase_stake", b64(client::increase_stake(qid, coins(in.at("stake")), excesses))},
          {"withdraw", b64(client::withdraw(qid, excesses))},
          {"request_refund", b64(client::request_refund(qid, excesses))},
          {"change_secret_hash", b64(client::change_secret_hash(qid, secret, excesses))},
          {"change_secret_hash_and_top_up", b64(client::change_secret_hash_and_top_up(qid, amount, secret, excesses))},
          {"secret_hash", secret.to_hex()}};
}

// The request's operations, added to `pay` in order.
void add_ops(ton::payment& pay, const json& in) {
  pay.query_id(std::stoull(in.at("query_id").get<std::string>()));
  if (in.contains("deploy")) {
    pay.deploy({boc(in.at("deploy").at("code")), boc(in.at("deploy").at("data"))});
  } else {
    pay.to(addr(in.at("to")));
  }
  for (const auto& op : in.at("ops")) {
    const std::string name = op.at("op");
    if (name == "top_up") pay.top_up(coins(op.at("amount")));
    if (name == "withdraw") pay.withdraw();
    if (name == "register") pay.register_client(std::stoull(op.at("nonce").get<std::string>()));
    if (name == "pay") pay.send(coins(op.at("amount")));
  }
}

json wallet(const json& in) {
  const auto seed = cocoon::ed25519_secret_key::from_hex(in.at("seed").get<std::string>());
  const auto key = cocoon::crypto::ed25519_public_key_of(seed);
  const std::string kind = in.value("kind", "cocoon");
  const ton::cell code =
      in.contains("code_base64") ? boc(in.at("code_base64")) : ton::parse_boc_hex(in.at("code").get<std::string>());
  std::optional<ton::payment> pay;
  json out;
  if (kind == "cocoon") {
    const ton::cocoon_wallet w(code, key, addr(in.at("owner")));
    out = {{"address", w.address().to_raw()}, {"state_init", b64(w.initial_state().to_cell())}};
    pay.emplace(w);
  } else if (kind == "v4r2") {
    const ton::wallet_v4r2 w(code, key);
    out = {{"address", w.address().to_raw()}, {"state_init", b64(w.initial_state().to_cell())}};
    pay.emplace(w);
  } else {
    const ton::wallet_v5r1 w(code, key);
    out = {{"address", w.address().to_raw()}, {"state_init", b64(w.initial_state().to_cell())}};
    pay.emplace(w);
  }
  add_ops(*pay, in);
  const auto message =
      pay->seqno(in.at("seqno").get<std::uint32_t>()).valid_until(in.at("valid_until").get<std::uint32_t>()).sign(seed);
  json bodies = json::array();
  for (const auto& m : pay->messages()) {
    bodies.push_back({{"to", m.destination.to_raw()},
                      {"value", std::to_string(m.value.count())},
                      {"bounce", m.bounce},
                      {"body_hash", m.body ? json(m.body->hash().to_hex()) : json()}});
  }
  out["external"] = b64(message.to_cell());
  out["normalized_hash"] = message.normalized_hash().to_hex();
  out["messages"] = bodies;
  return out;
}

json root(const json& in) {
  const auto config = ton::parse_cocoon_root_config(boc(in.at("data")));
  json proxies = json::array();
  for (const auto& p : config.proxies) proxies.push_back({{"seqno", p.seqno}, {"text", p.text}});
  auto hashes = [](const std::vector<cocoon::hash256>& set) {
    json out = json::array();
    for (const auto& h : set) out.push_back(h.to_hex());
    return out;
  };
  const auto& p = config.params;
  json out{{"owner", config.owner ? json(config.owner->to_raw()) : json()},
           {"version", config.version},
           {"last_proxy_seqno", config.last_proxy_seqno},
           {"proxies", proxies},
           {"proxy_hashes", hashes(config.proxy_hashes)},
           {"worker_hashes", hashes(config.worker_hashes)},
           {"model_hashes", hashes(config.model_hashes)},
           {"struct_version", p.struct_version},
           {"params_version", p.params_version},
           {"unique_id", p.unique_id},
           {"is_test", p.is_test},
           {"price_per_token", std::to_string(p.price_per_token.count())},
           {"worker_fee_per_token", std::to_string(p.worker_fee_per_token.count())},
           {"multipliers", {p.prompt_multiplier, p.cached_multiplier, p.completion_multiplier, p.reasoning_multiplier}},
           {"delays", {p.proxy_delay_before_close, p.client_delay_before_close}},
           {"stakes", {std::to_string(p.min_proxy_stake.count()), std::to_string(p.min_client_stake.count())}},
           {"client_params", b64(p.client_params_cell())},
           {"proxy_params", b64(p.proxy_params_cell())}};
  if (config.key_manager_public_key) {
    json keys = json::array();
    for (const auto& k : config.managed_keys) {
      keys.push_back({{"key", k.public_key.to_hex()}, {"type", k.type}, {"expire_at", k.expire_at}});
    }
    out["key_manager"] = {{"keys", keys},
                          {"public_key", config.key_manager_public_key->to_hex()},
                          {"image_hash", config.key_manager_image_hash->to_hex()},
                          {"address", config.key_manager_address ? json(*config.key_manager_address) : json()}};
  }
  return out;
}

json contracts(const json& in) {
  const auto config = ton::parse_cocoon_root_config(boc(in.at("root_data")));
  const auto key = cocoon::ed25519_public_key::from_hex(in.at("proxy_key").get<std::string>());
  const auto proxy = ton::cocoon_proxy_contract(config.params, addr(in.at("proxy_owner")), key, addr(in.at("root")));
  const auto client = ton::cocoon_client_contract(config.params, addr(in.at("wallet")), proxy.to_address(), key);
  return {{"proxy", proxy.to_address().to_raw()}, {"client", client.to_address().to_raw()}};
}

json verify(const json& in) {
  cocoon::error_code ec;
  const auto payment = ton::cocoon_client::verify_signed_payment(
      cocoon::from_base64(in.at("boc").get<std::string>()),
      cocoon::ed25519_public_key::from_hex(in.at("proxy_key").get<std::string>()), addr(in.at("client")), ec);
  if (!payment) return {{"error", ec.value()}};
  return {{"op", payment->op},
          {"query_id", std::to_string(payment->query_id)},
          {"tokens", std::to_string(payment->new_tokens_used)},
          {"repacked", b64(payment->repacked(addr(in.at("client"))).to_cell())}};
}

}  // namespace

int main() try {
  const json in = json::parse(std::cin);
  const std::string cmd = in.at("cmd");
  json out;
  if (cmd == "bodies") out = bodies(in);
  if (cmd == "wallet") out = wallet(in);
  if (cmd == "root") out = root(in);
  if (cmd == "contracts") out = contracts(in);
  if (cmd == "verify") out = verify(in);
  if (out.is_null()) {
    std::cerr << "unknown command\n";
    return 2;
  }
  std::cout << out.dump() << '\n';
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
