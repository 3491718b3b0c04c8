// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon codec hex|base64|base64url encode|decode [INPUT|-]
//
// encode takes the argument's bytes (or standard input with '-' or no argument) and prints the
// encoding; decode prints the decoded bytes as they are. With --json both print
// {"codec", "size", "hex", "encoded"} describing the bytes.
#include "command.hpp"

#include <cocoon/core.hpp>

#include <iostream>
#include <iterator>

namespace {

struct codec {
  std::string_view name;
  std::string (*encode)(cocoon::byte_view);
  cocoon::bytes (*decode)(std::string_view);
};

const codec codecs[] = {
    {"hex", [](cocoon::byte_view data) { return cocoon::to_hex(data); },
     [](std::string_view text) { return cocoon::from_hex(text); }},
    {"base64", [](cocoon::byte_view data) { return cocoon::to_base64(data); },
     [](std::string_view text) { return cocoon::from_base64(text); }},
    // Padded or not: unpadded is what URLs and JWTs use, so it is what we print.
    {"base64url", [](cocoon::byte_view data) { return cocoon::to_base64(data, cocoon::base64_variant::url_unpadded); },
     [](std::string_view text) {
       return cocoon::from_base64(text, text.find('=') == std::string_view::npos ? cocoon::base64_variant::url_unpadded
                                                                                 : cocoon::base64_variant::url);
     }},
};

std::string input(cli::arguments args) {
  cli::no_more_than(args, 1);
  if (!args.empty() && args[0] != "-") return args[0];
  return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
}

// Decoding accepts one trailing newline, as `echo` and most shells produce.
std::string trimmed(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

template <std::size_t Index>
cli::output encode(cli::arguments args) {
  const codec& c = codecs[Index];
  const std::string data = input(args);
  const std::string encoded = c.encode(cocoon::as_bytes(data));
  return {encoded + "\n",
          {{"codec", c.name},
           {"size", data.size()},
           {"hex", cocoon::to_hex(cocoon::as_bytes(data))},
           {"encoded", encoded}}};
}

template <std::size_t Index>
cli::output decode(cli::arguments args) {
  const codec& c = codecs[Index];
  const std::string encoded = trimmed(input(args));
  const cocoon::bytes data = c.decode(encoded);
  return {std::string(cocoon::as_chars(data)),
          {{"codec", c.name}, {"size", data.size()}, {"hex", cocoon::to_hex(data)}, {"encoded", encoded}}};
}

}  // namespace

std::vector<cli::command> cli::codec_commands() {
  return {
      {"codec hex encode", "TEXT|-: print the bytes as lowercase hex", encode<0>},
      {"codec hex decode", "HEX|-: print the bytes that hex encodes", decode<0>},
      {"codec base64 encode", "TEXT|-: print the bytes as base64 (RFC 4648, padded)", encode<1>},
      {"codec base64 decode", "B64|-: print the bytes that base64 encodes", decode<1>},
      {"codec base64url encode", "TEXT|-: print the bytes as url-safe base64, unpadded", encode<2>},
      {"codec base64url decode", "B64URL|-: print the bytes that url-safe base64 encodes", decode<2>},
  };
}
