// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon ton amount AMOUNT | --nanotons COUNT
// cocoon ton boc-hash BOC
// cocoon ton address ADDRESS
// cocoon ton cocoon-message TYPE CONTRACT FROM [--amount TON] [--stake TON] [--nonce N] [--secret-hash HEX]
//                           [--query-id N] [--valid-until UNIX] [--testnet]
#include "command.hpp"

#include <cocoon/core.hpp>
#include <cocoon/ton.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace {

constexpr std::string_view message_types =
    "top-up, top-up-reopen, register, increase-stake, withdraw, request-refund, change-secret-hash";

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

/// A BoC given as hex (only hex digits, starting b5ee9c72, the BoC magic) or base64.
cocoon::ton::cell parse_boc_text(const std::string& text) {
  const bool hex = text.size() % 2 == 0 && text.rfind("b5ee9c72", 0) == 0 &&
                   text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
  return hex ? cocoon::ton::parse_boc(cocoon::from_hex(text)) : cocoon::ton::parse_boc_base64(text);
}

cli::output boc_hash(cli::arguments args) {
  const cocoon::ton::cell root = parse_boc_text(cli::required(args, 0, "BOC (hex or base64)"));
  cli::no_more_than(args, 1);
  const std::string hex = root.hash().to_hex();
  const std::string base64 = cocoon::to_base64(root.hash().view());
  const std::string depth = std::to_string(root.depth());
  return {"hash   " + hex + "\nbase64 " + base64 + "\ndepth  " + depth + "\n",
          {{"hash", hex}, {"hash_base64", base64}, {"depth", root.depth()}}};
}

/// Every form of an address, as text and as the JSON fields the tool prints for addresses.
std::pair<std::string, nlohmann::json> address_forms(const cocoon::ton::address& a) {
  const std::string forms[] = {a.to_raw(), a.to_friendly({true, false, true}), a.to_friendly({false, false, true}),
                               a.to_friendly({true, true, true}), a.to_friendly({false, true, true})};
  std::string text = "raw                     " + forms[0] + "\nbounceable              " + forms[1] +
                     "\nnon-bounceable          " + forms[2] + "\nbounceable testnet      " + forms[3] +
                     "\nnon-bounceable testnet  " + forms[4] + "\n";
  nlohmann::json json{{"raw", forms[0]},
                      {"workchain", a.workchain()},
                      {"bounceable", forms[1]},
                      {"non_bounceable", forms[2]},
                      {"testnet_bounceable", forms[3]},
                      {"testnet_non_bounceable", forms[4]}};
  return {text, json};
}

cli::output address(cli::arguments args) {
  const auto parsed = cocoon::ton::parse_address(cli::required(args, 0, "ADDRESS (raw or user-friendly)"));
  cli::no_more_than(args, 1);
  auto [text, json] = address_forms(parsed.address);
  if (parsed.friendly) {
    text += std::string("input: ") + (parsed.flags.bounceable ? "bounceable" : "non-bounceable") +
            (parsed.flags.testnet ? ", testnet only" : "") + "\n";
    json["input"] = {{"bounceable", parsed.flags.bounceable},
                     {"testnet", parsed.flags.testnet},
                     {"url_safe", parsed.flags.url_safe}};
  }
  return {text, json};
}

// A message to a COCOON client contract paid from the user's own wallet: the payload, the TON
// Connect request a Mini App hands to the wallet, and the equivalent ton://transfer link.
cli::output cocoon_message(cli::arguments args) {
  const std::string& type = cli::required(args, 0, "TYPE (" + std::string(message_types) + ")");
  const auto contract = cocoon::ton::parse_address(cli::required(args, 1, "CONTRACT (the client contract address)"));
  const auto from = cocoon::ton::parse_address(cli::required(args, 2, "FROM (the paying wallet's address)"));
  std::uint64_t query_id = 0;
  std::optional<std::uint32_t> valid_until;
  std::optional<cocoon::nanotons> amount;
  std::optional<cocoon::nanotons> stake;
  std::optional<std::uint64_t> nonce;
  std::optional<cocoon::hash256> secret_hash;
  auto net = cocoon::ton::network::mainnet;
  for (std::size_t i = 3; i < args.size(); ++i) {
    const std::string& option = args[i];
    if (option == "--testnet") {
      net = cocoon::ton::network::testnet;
    } else if (option == "--query-id") {
      query_id = parse_count(cli::required(args, ++i, "N after --query-id")).count();
    } else if (option == "--valid-until") {
      const std::uint64_t until = parse_count(cli::required(args, ++i, "UNIX time after --valid-until")).count();
      if (until > UINT32_MAX) throw cocoon::error(cocoon::errc::amount_overflow, "valid-until");
      valid_until = static_cast<std::uint32_t>(until);
    } else if (option == "--amount") {
      amount = cocoon::nanotons::parse(cli::required(args, ++i, "TON after --amount"));
    } else if (option == "--stake") {
      stake = cocoon::nanotons::parse(cli::required(args, ++i, "TON after --stake"));
    } else if (option == "--nonce") {
      nonce = parse_count(cli::required(args, ++i, "N after --nonce")).count();
    } else if (option == "--secret-hash") {
      secret_hash = cocoon::hash256::from_hex(cli::required(args, ++i, "HEX after --secret-hash"));
    } else {
      throw cli::usage_error("unexpected argument '" + option + "'");
    }
  }
  auto need = [](const auto& value, const char* what) {
    if (!value) throw cli::usage_error(std::string("missing ") + what);
    return *value;
  };
  cocoon::ton::payment pay(from.address);
  pay.to(contract.address).query_id(query_id);
  if (type == "top-up") {
    pay.top_up(need(amount, "--amount TON"));
  } else if (type == "top-up-reopen") {
    pay.top_up_reopen(need(amount, "--amount TON"));
  } else if (type == "register") {
    pay.register_client(need(nonce, "--nonce N"));
  } else if (type == "increase-stake") {
    pay.increase_stake(need(stake, "--stake TON (the new stake)"), need(amount, "--amount TON (the increase)"));
  } else if (type == "withdraw") {
    pay.withdraw();
  } else if (type == "request-refund") {
    pay.request_refund();
  } else if (type == "change-secret-hash") {
    pay.change_secret_hash(need(secret_hash, "--secret-hash HEX"));
  } else {
    throw cli::usage_error("unknown message type '" + type + "' (" + std::string(message_types) + ")");
  }
  if (valid_until) {
    pay.valid_until(*valid_until);
  } else {
    pay.valid_for(std::chrono::seconds(300));
  }
  const auto& message = pay.messages().front();
  const std::string payload = cocoon::ton::serialize_boc_base64(*message.body);
  const std::string link = pay.deep_links(net).front();
  const nlohmann::json request = pay.ton_connect_request(net);
  const std::string to = request.at("messages").at(0).at("address");
  return {"to        " + to + "\nvalue     " + message.value.to_string() + " TON (" +
              std::to_string(message.value.count()) + " nanotons)\npayload   " + payload + "\nhash      " +
              message.body->hash().to_hex() + "\nlink      " + link + "\nTON Connect request:\n" + request.dump(2) +
              "\n",
          {{"to", to},
           {"value_nanotons", std::to_string(message.value.count())},
           {"payload", payload},
           {"payload_hash", message.body->hash().to_hex()},
           {"link", link},
           {"ton_connect", request}}};
}

}  // namespace

// The address of a standard wallet for a public key. The SDK ships no contract code: the wallet's
// code BoC comes from the caller (any copy of the published code; its hash is checked).
cli::output wallet_address(cli::arguments args) {
  std::string public_key, version, code;
  std::int32_t workchain = 0;
  bool testnet = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--pubkey") {
      public_key = cli::required(args, ++i, "HEX after --pubkey");
    } else if (args[i] == "--version") {
      version = cli::required(args, ++i, "v4r2 or v5r1 after --version");
    } else if (args[i] == "--code") {
      code = cli::required(args, ++i, "BOC after --code");
    } else if (args[i] == "--workchain") {
      const std::string& text = cli::required(args, ++i, "N after --workchain");
      if (text != "0" && text != "-1") throw cli::usage_error("--workchain is 0 or -1");
      workchain = std::stoi(text);
    } else if (args[i] == "--testnet") {
      testnet = true;
    } else {
      throw cli::usage_error("unexpected argument '" + args[i] + "'");
    }
  }
  if (public_key.empty() || (version != "v4r2" && version != "v5r1") || code.empty()) {
    throw cli::usage_error("wallet-address needs --pubkey HEX, --version v4r2|v5r1 and --code BOC (the wallet's code)");
  }
  const auto key = cocoon::ed25519_public_key::from_hex(public_key);
  const auto wallet_code = parse_boc_text(code);
  const cocoon::ton::address a =
      version == "v4r2"
          ? cocoon::ton::wallet_v4r2(wallet_code, key, workchain).address()
          : cocoon::ton::wallet_v5r1(wallet_code, key,
                                     testnet ? cocoon::ton::network::testnet : cocoon::ton::network::mainnet, workchain)
                .address();
  auto [text, json] = address_forms(a);
  json["version"] = version;
  return {text, json};
}

std::vector<cli::command> cli::ton_commands() {
  return {
      {"ton amount", "AMOUNT | --nanotons COUNT: convert exactly between TON and nanotons", amount},
      {"ton boc-hash", "BOC: the representation hash and depth of a bag of cells (hex or base64, one root)", boc_hash},
      {"ton address", "ADDRESS: a raw or user-friendly TON address in all its forms", address},
      {"ton wallet-address",
       "--pubkey HEX --version v4r2|v5r1 --code BOC [--workchain N] [--testnet]: a standard wallet's address",
       wallet_address},
      {"ton cocoon-message",
       "TYPE CONTRACT FROM [--amount TON] [--stake TON] [--nonce N] [--secret-hash HEX] [--query-id N] "
       "[--valid-until UNIX] [--testnet]: a message to a COCOON client contract paid from your wallet "
       "(payload, TON Connect request, ton:// link)",
       cocoon_message}};
}
