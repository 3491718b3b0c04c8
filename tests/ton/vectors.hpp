// Reads the TON vector files (tests tagged [vectors]).
#ifndef COCOON_TESTS_TON_VECTORS_HPP
#define COCOON_TESTS_TON_VECTORS_HPP

#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

inline nlohmann::json ton_vectors(const std::string& file) {
  std::ifstream in(std::string(COCOON_VECTORS_DIR) + "/ton/" + file);
  if (!in) throw std::runtime_error("missing vector file ton/" + file);
  return nlohmann::json::parse(in);
}

inline const nlohmann::json& ton_vector(const nlohmann::json& file, const std::string& name) {
  for (const auto& entry : file.at("vectors")) {
    if (entry.at("name") == name) return entry;
  }
  throw std::runtime_error("no vector named " + name);
}

// A wallet contract's code from wallets.json, by name ("wallet_v4r2", "wallet_v5r1").
inline cocoon::ton::cell wallet_code(const std::string& name) {
  const auto file = ton_vectors("wallets.json");
  for (const auto& code : file.at("codes")) {
    if (code.at("name") != name) continue;
    return code.contains("boc_base64") ? cocoon::ton::parse_boc_base64(code.at("boc_base64").get<std::string>())
                                       : cocoon::ton::parse_boc_hex(code.at("boc_hex").get<std::string>());
  }
  throw std::runtime_error("no code " + name);
}

#endif
