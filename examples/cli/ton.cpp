// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon ton amount AMOUNT | --nanotons COUNT
// cocoon ton boc-hash BOC
// cocoon ton address ADDRESS
#include "command.hpp"

#include <cocoon/core.hpp>
#include <cocoon/ton.hpp>

#include <charconv>

namespace {

cocoon::nanotons parse_count(const std::string& text) {
  std::uint64_t count = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (status == std::errc::result_out_of_range) throw cocoon::error(cocoon::errc::amount_overflow, "nanotons");
  if (status != std::errc{} || end != text.data() + text.size() || text.empty()) {
    throw cocoon::error(cocoon::errc::amount_syntax, "nanotons",
                        "offset " + std::to_string(status == std::errc{} ? end - text.data() : 0));
  }
  return cocoon::nanotons{count};
}

cli::output amount(cli::arguments args) {
  const std::string& first = cli::required(args, 0, "AMOUNT (e.g. 1.5) or --nanotons COUNT");
  const bool from_count = first == "--nanotons";
  cli::no_more_than(args, from_count ? 2 : 1);
  const cocoon::nanotons value =
      from_count ? parse_count(cli::required(args, 1, "COUNT after --nanotons")) : cocoon::nanotons::parse(first);
  const std::string count = std::to_string(value.count());
  return {value.to_string() + " TON = " + count + " nanotons\n", {{"ton", value.to_string()}, {"nanotons", count}}};
}

cli::output boc_hash(cli::arguments args) {
  const cocoon::ton::cell root = cocoon::ton::parse_boc_base64(cli::required(args, 0, "BOC (base64)"));
  cli::no_more_than(args, 1);
  const std::string hex = root.hash().to_hex();
  const std::string base64 = cocoon::to_base64(root.hash().view());
  const std::string depth = std::to_string(root.depth());
  return {"hash   " + hex + "\nbase64 " + base64 + "\ndepth  " + depth + "\n",
          {{"hash", hex}, {"hash_base64", base64}, {"depth", root.depth()}}};
}

cli::output address(cli::arguments args) {
  const auto parsed = cocoon::ton::parse_address(cli::required(args, 0, "ADDRESS (raw or user-friendly)"));
  cli::no_more_than(args, 1);
  const auto& a = parsed.address;
  const std::string forms[] = {a.to_raw(), a.to_friendly({true, false, true}), a.to_friendly({false, false, true}),
                               a.to_friendly({true, true, true}), a.to_friendly({false, true, true})};
  std::string text = "raw                     " + forms[0] + "\nbounceable              " + forms[1] +
                     "\nnon-bounceable          " + forms[2] + "\nbounceable testnet      " + forms[3] +
                     "\nnon-bounceable testnet  " + forms[4] + "\n";
  nlohmann::json json{{"raw", forms[0]},
                      {"workchain", a.workchain()},
                      {"bounceable", forms[1]},
                      {"non_bounceable", forms[2]},
                      {"bounceable_testnet", forms[3]},
                      {"non_bounceable_testnet", forms[4]}};
  if (parsed.friendly) {
    text += std::string("input: ") + (parsed.flags.bounceable ? "bounceable" : "non-bounceable") +
            (parsed.flags.testnet ? ", testnet only" : "") + "\n";
    json["input"] = {{"bounceable", parsed.flags.bounceable},
                     {"testnet", parsed.flags.testnet},
                     {"url_safe", parsed.flags.url_safe}};
  }
  return {text, json};
}

}  // namespace

std::vector<cli::command> cli::ton_commands() {
  return {{"ton amount", "AMOUNT | --nanotons COUNT: convert exactly between TON and nanotons", amount},
          {"ton boc-hash", "BOC: the representation hash and depth of a base64 bag of cells (one root)", boc_hash},
          {"ton address", "ADDRESS: a raw or user-friendly TON address in all its forms", address}};
}
