// Reads the TON vector files (tests tagged [vectors]).
#ifndef COCOON_TESTS_TON_VECTORS_HPP
#define COCOON_TESTS_TON_VECTORS_HPP

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

#endif
