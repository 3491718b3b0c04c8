// Bags of cells: parse (which hashes every cell) and serialize again, per BoC given on stdin
// (base64, one per line). Prints one JSON line per input: {"name", "cells", "per_second"}.
// tests/bench/ton_boc.mjs runs it beside @ton/core on the same inputs and prints the ratios.
#include <cocoon/ton/boc.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <set>

#include "bench.hpp"

namespace {

std::size_t count_cells(const cocoon::ton::cell& root) {
  std::set<std::string> seen;
  std::vector<cocoon::ton::cell> todo{root};
  while (!todo.empty()) {
    const auto c = todo.back();
    todo.pop_back();
    if (!seen.insert(c.hash().to_hex()).second) continue;
    for (const auto& child : c.refs()) todo.push_back(child);
  }
  return seen.size();
}

}  // namespace

int main(int argc, char** argv) {
  bench::parse_args(argc, argv);
  for (std::string name, boc; std::cin >> name >> boc;) {
    const auto bytes = cocoon::from_base64(boc);
    const auto root = cocoon::ton::parse_boc(bytes);
    if (cocoon::ton::serialize_boc(root) != bytes) {
      std::cerr << name << ": serialization differs from the input\n";
      return 1;
    }
    const double rate = bench::rate(1, [&] { (void)cocoon::ton::serialize_boc(cocoon::ton::parse_boc(bytes)); });
    std::cout << nlohmann::json{{"name", name}, {"cells", count_cells(root)}, {"per_second", rate}}.dump() << '\n';
  }
  return 0;
}
