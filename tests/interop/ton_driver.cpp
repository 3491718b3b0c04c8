// The SDK side of the @ton/core interop test (ton.mjs):
//   ton_driver emit            JSON lines: cells the SDK builds (BoCs, hashes, depths) and addresses
//   ton_driver parse <base64>  the hash and depth of a bag of cells, or exit 1 with the error
//   ton_driver address <text>  the raw form and all eight friendly forms of an address
//   ton_driver random SEED N   JSON lines: N random cell DAGs the SDK builds (BoC, hash, depth)
//   ton_driver parse-lines     for each base64 BoC on stdin: its hash, depth and the SDK's own
//                              serialization of it (no index, CRC32C), or {"error": ...}
#include <cocoon/ton.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace {

using cocoon::ton::cell;
using cocoon::ton::cell_builder;

nlohmann::json describe(const std::string& name, const cell& c) {
  return {{"kind", "cell"},
          {"name", name},
          {"boc", cocoon::ton::serialize_boc_base64(c)},
          {"boc_idx", cocoon::ton::serialize_boc_base64(c, {true, true})},
          {"hash", c.hash().to_hex()},
          {"depth", c.depth()}};
}

nlohmann::json forms(const cocoon::ton::address& a) {
  nlohmann::json out{{"kind", "address"}, {"raw", a.to_raw()}};
  for (const bool bounceable : {false, true}) {
    for (const bool testnet : {false, true}) {
      for (const bool url_safe : {false, true}) {
        const std::string key = std::string(bounceable ? "b" : "n") + (testnet ? "t" : "m") + (url_safe ? "u" : "s");
        out[key] = a.to_friendly({bounceable, testnet, url_safe});
      }
    }
  }
  return out;
}

void emit() {
  std::cout << describe("empty", cell()).dump() << '\n';
  std::cout << describe("u34", cell_builder().store_uint(123456789, 34).build()).dump() << '\n';
  const cell shared = cell_builder().store_uint(5, 7).build();
  const cell mid = cell_builder().store_bit(true).store_ref(shared).store_ref(cell()).build();
  const cell dag = cell_builder().store_int(-42, 13).store_ref(mid).store_ref(shared).store_ref(mid).build();
  std::cout << describe("dag", dag).dump() << '\n';
  cell chain;
  for (unsigned i = 0; i < 100; ++i) chain = cell_builder().store_uint(i, 10).store_ref(chain).build();
  std::cout << describe("chain", chain).dump() << '\n';
  std::array<std::byte, 128> ones{};
  ones.fill(std::byte{0xA5});
  std::cout << describe("full", cell_builder().store_bits(ones, 1023).build()).dump() << '\n';
  // Inputs ton.mjs rebuilds with @ton/core's own builder: comments, coins, addresses.
  for (const std::size_t length : {0U, 6U, 123U, 124U, 400U}) {
    std::string text;
    for (std::size_t i = 0; i < length; ++i) text += static_cast<char>('a' + i % 26);
    std::cout << describe("comment:" + text, cell_builder().store_uint(0, 32).store_snake_text(text).build()).dump()
              << '\n';
  }
  for (const std::uint64_t amount : {0ULL, 1ULL, 255ULL, 256ULL, 1500000000ULL, 18446744073709551615ULL}) {
    std::cout << describe("coins:" + std::to_string(amount),
                          cell_builder().store_coins(cocoon::nanotons{amount}).build())
                     .dump()
              << '\n';
  }
  const cocoon::ton::address basechain(0, cocoon::hash256::from_hex(std::string(62, '7') + "0f"));
  const cocoon::ton::address masterchain(-1, cocoon::hash256::from_hex(std::string(64, 'e')));
  for (const auto& a : {basechain, masterchain}) {
    std::cout << describe("address:" + a.to_raw(), cell_builder().store_address(a).build()).dump() << '\n';
    std::cout << forms(a).dump() << '\n';
  }
}

/// A random cell DAG: random bit lengths and values, up to 4 references, earlier cells reused
/// now and then so that cells are shared. splitmix64 keeps it reproducible from the seed.
struct random_trees {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }

  cell make(unsigned budget, std::vector<cell>& pool) {
    cell_builder b;
    for (std::size_t left = below(1024 - 64); left > 0;) {
      const std::size_t width = std::min<std::size_t>(left, 1 + below(64));
      b.store_uint(next() & (width == 64 ? ~0ULL : ((1ULL << width) - 1)), static_cast<unsigned>(width));
      left -= width;
    }
    const std::uint64_t refs = budget > 0 ? below(5) : 0;
    for (std::uint64_t i = 0; i < refs; ++i) {
      b.store_ref(!pool.empty() && below(3) == 0 ? pool[below(pool.size())] : make(budget - 1, pool));
    }
    pool.push_back(b.build());
    return pool.back();
  }
};

void random(std::uint64_t seed, std::size_t count) {
  random_trees trees{seed};
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<cell> pool;
    std::cout << describe("random " + std::to_string(i), trees.make(static_cast<unsigned>(trees.below(6)), pool)).dump()
              << '\n';
  }
}

void parse_lines() {
  for (std::string line; std::getline(std::cin, line);) {
    cocoon::error_code ec;
    const auto c = cocoon::ton::parse_boc_base64(line, ec);
    if (!c) {
      std::cout << nlohmann::json{{"error", ec.message()}}.dump() << '\n';
      continue;
    }
    const nlohmann::json answer{
        {"hash", c->hash().to_hex()}, {"depth", c->depth()}, {"boc", cocoon::ton::serialize_boc_base64(*c)}};
    std::cout << answer.dump() << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "emit" && argc == 2) {
    emit();
  } else if (command == "parse" && argc == 3) {
    const cell c = cocoon::ton::parse_boc_base64(argv[2]);
    std::cout << nlohmann::json{{"hash", c.hash().to_hex()}, {"depth", c.depth()}}.dump() << '\n';
  } else if (command == "random" && argc == 4) {
    random(std::stoull(argv[2]), std::stoull(argv[3]));
  } else if (command == "parse-lines" && argc == 2) {
    parse_lines();
  } else if (command == "address" && argc == 3) {
    std::cout << forms(cocoon::ton::parse_address(argv[2]).address).dump() << '\n';
  } else {
    std::cerr << "usage: ton_driver emit | parse BASE64 | address TEXT | random SEED N | parse-lines\n";
    return 2;
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
