// Reads the COCOON contract vectors: the JSON block of shared/research/cocoon-vectors.txt (derived
// with @ton/core and executed in @ton/sandbox) and shared/vectors/cocoon/contract-code.json.
#ifndef COCOON_TESTS_TON_COCOON_VECTORS_HPP
#define COCOON_TESTS_TON_COCOON_VECTORS_HPP

#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cocoon_root.hpp>

#include <nlohmann/json.hpp>

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
