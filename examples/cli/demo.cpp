// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon demo: a tour of what the SDK does today, step by step with real work. It grows into the
// end-to-end confidential job on the local reference network as those parts land.
#include "command.hpp"

#include <cocoon/cocoon.hpp>

#include <sstream>

namespace {

using namespace cocoon::literals;

cli::output demo(cli::arguments args) {
  cli::no_more_than(args, 0);
  std::ostringstream text;
  nlohmann::json json = {{"sdk", cocoon::version()}};
  text << "cocoon-sdk " << cocoon::version() << " demo\n";

  text << "\n[1/3] Exact TON amounts (integers in nanotons, never floating point)\n";
  const auto price_per_token = cocoon::nanotons::parse("0.000000125");
  const std::uint64_t tokens = 1843;
  const auto budget = 1.5_ton;
  const auto charge = price_per_token * tokens;
  const auto remaining = budget - charge;
  text << "  budget          " << budget << " = " << budget.count() << " nanotons\n"
       << "  price per token " << price_per_token << '\n'
       << "  " << tokens << " tokens cost " << charge << ", leaving " << remaining << '\n';
  cocoon::error_code ec;
  (void)cocoon::nanotons::parse("0.0000000001", ec);
  text << "  \"0.0000000001\" is refused: " << ec.message() << '\n';
  json["amounts"] = {{"budget_nanotons", std::to_string(budget.count())},
                     {"charge_nanotons", std::to_string(charge.count())},
                     {"remaining_nanotons", std::to_string(remaining.count())},
                     {"too_precise_refused", ec == cocoon::errc::amount_precision}};

  text << "\n[2/3] Secrets in guarded memory (locked, wiped on destruction, never printed)\n";
  const auto key = cocoon::x25519_secret_key::generate();
  std::ostringstream printed;
  printed << key;
  text << "  generated a " << key.size() << "-byte X25519 secret key; printing it gives " << printed.str() << '\n';
  json["secret_key"] = {{"size", key.size()}, {"printed_as", printed.str()}};

  text << "\n[3/3] Codecs on libsodium's constant-time implementations\n";
  const auto message = cocoon::as_bytes("confidential prompt");
  const auto hex = cocoon::to_hex(message);
  const auto b64 = cocoon::to_base64(message);
  const auto b64url = cocoon::to_base64(message, cocoon::base64_variant::url_unpadded);
  text << "  hex       " << hex << "\n  base64    " << b64 << "\n  base64url " << b64url << '\n';
  const bool round_trips = cocoon::from_hex(hex) == cocoon::from_base64(b64) &&
                           cocoon::from_base64(b64url, cocoon::base64_variant::url_unpadded) == cocoon::from_hex(hex);
  text << "  all three decode back to the same " << message.size() << " bytes: " << (round_trips ? "yes" : "NO")
       << '\n';
  json["codecs"] = {{"hex", hex}, {"base64", b64}, {"base64url", b64url}, {"round_trips", round_trips}};

  text << "\ndone.\n";
  return {text.str(), json};
}

}  // namespace

std::vector<cli::command> cli::demo_commands() {
  return {{"demo", "walk through the SDK's capabilities with real work", demo}};
}
