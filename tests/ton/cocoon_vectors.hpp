// Reads the COCOON contract vectors: the JSON block of shared/research/cocoon-vectors.txt (derived
// with @ton/core and executed in @ton/sandbox) and shared/vectors/cocoon/contract-code.json.
#ifndef COCOON_TESTS_TON_COCOON_VECTORS_HPP
#define COCOON_TESTS_TON_COCOON_VECTORS_HPP

#include <cocoon/core/base64.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cocoon_root.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

inline const nlohmann::json& cocoon_vectors() {
  static const nlohmann::json parsed = [] {
    const std::string path = std::string(COCOON_VECTORS_DIR) + "/../research/cocoon-vectors.txt";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("missing " + path);
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    const std::size_t begin = all.find("\n{\n \"cocoon_wallet_code_hash\"");
    const std::size_t end = all.find("\n}\n", begin);
    if (begin == std::string::npos || end == std::string::npos) throw std::runtime_error("no JSON block in " + path);
    return nlohmann::json::parse(all.substr(begin + 1, end - begin + 1));
  }();
  return parsed;
}

inline std::string cocoon_vector(const std::string& name) { return cocoon_vectors().at(name).get<std::string>(); }

inline cocoon::ton::cell cocoon_code(const std::string& name) {
  static const nlohmann::json codes = [] {
    std::ifstream in(std::string(COCOON_VECTORS_DIR) + "/cocoon/contract-code.json");
    if (!in) throw std::runtime_error("missing vector file cocoon/contract-code.json");
    return nlohmann::json::parse(in);
  }();
  return cocoon::ton::parse_boc_hex(codes.at(name + "_boc_hex").get<std::string>());
}

// The query id the message vectors were derived with.
inline constexpr std::uint64_t query_id = 0x1122334455667788;

// The vectors' bags of cells carry neither an index nor a CRC.
inline constexpr cocoon::ton::boc_options no_crc{.index = false, .crc32c = false};

// The fake-network keys and owner of COCOON's launch scripts, from which the vectors were derived.
inline cocoon::ed25519_secret_key client_seed() {
  return cocoon::ed25519_secret_key::from_bytes(cocoon::from_base64("gaEatwGNgLGOeFI/TRGfPdJG/K4G8picYHQkDHpLQ9w="));
}
inline cocoon::ton::address owner() { return cocoon::ton::parse_address(cocoon_vector("owner_raw")).address; }
inline cocoon::ed25519_public_key proxy_key() {
  return cocoon::ed25519_public_key::from_hex(cocoon_vector("proxy_pubkey"));
}
inline cocoon::ton::address client_contract() {
  return cocoon::ton::parse_address(cocoon_vector("client_sc_address_raw")).address;
}
// The fake-network client's COCOON wallet.
inline cocoon::ton::cocoon_wallet vector_wallet() {
  return {cocoon_code("cocoon_wallet_code"), cocoon::crypto::ed25519_public_key_of(client_seed()), owner()};
}

// The pseudo root of COCOON's fake-TON mode (struct_version 1, params_version 1, unique_id 13,
// test, price 2, worker fee 1, delays 600/300, stakes 1 TON) with its contract code.
inline cocoon::ton::cocoon_root_params fake_ton_params() {
  cocoon::ton::cocoon_root_params p;
  p.struct_version = 1;
  p.params_version = 1;
  p.unique_id = 13;
  p.is_test = true;
  p.price_per_token = cocoon::nanotons{2ULL};
  p.worker_fee_per_token = cocoon::nanotons{1ULL};
  p.proxy_delay_before_close = 600;
  p.client_delay_before_close = 300;
  p.proxy_code = cocoon_code("fake_ton_proxy_code");
  p.worker_code = cocoon_code("fake_ton_worker_code");
  p.client_code = cocoon_code("fake_ton_client_code");
  return p;
}

#endif
