// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon ton amount AMOUNT | --nanotons COUNT
#include "command.hpp"

#include <cocoon/core.hpp>

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

}  // namespace

std::vector<cli::command> cli::ton_commands() {
  return {{"ton amount", "AMOUNT | --nanotons COUNT: convert exactly between TON and nanotons", amount}};
}
