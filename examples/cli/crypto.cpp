// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon crypto keygen
// cocoon crypto seal --recipient HEX [--info S] [--aad S]
// cocoon crypto open --secret-file F [--info S] [--aad S]
//
// Single-shot HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
// ChaCha20-Poly1305, on standard input and output: `seal` writes the 32-byte encapsulated key
// followed by the ciphertext, `open` reads that and writes the plaintext. `keygen` prints a fresh
// X25519 key pair; with --json it is {"public_key": HEX, "secret_key": HEX}, which `open
// --secret-file` reads back (as it reads a file holding the secret key's hex alone).
#include "command.hpp"

#include <cocoon/core.hpp>
#include <cocoon/crypto.hpp>

#include <sodium.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace {

constexpr std::size_t enc_size = cocoon::x25519_public_key::size();

std::string read_stdin() { return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()}; }

/// --info S and --aad S, shared by seal and open; other words go to `rest`.
struct context_flags {
  std::string info, aad;
};

context_flags parse_context_flags(cli::arguments args, std::vector<std::string>& rest) {
  context_flags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--info") {
      flags.info = cli::required(args, ++i, "S after --info");
    } else if (args[i] == "--aad") {
      flags.aad = cli::required(args, ++i, "S after --aad");
    } else {
      rest.push_back(args[i]);
    }
  }
  return flags;
}

/// The value after `flag` in `rest` (which must hold exactly that flag and its value).
const std::string& only_flag(const std::vector<std::string>& rest, std::string_view flag, std::string_view what) {
  if (rest.empty() || rest[0] != flag) {
    throw cli::usage_error(rest.empty() ? "missing " + std::string(flag) + " " + std::string(what)
                                        : "unexpected argument '" + rest[0] + "'");
  }
  cli::no_more_than(rest, 2);
  return cli::required(rest, 1, std::string(what) + " after " + std::string(flag));
}

cli::output keygen(cli::arguments args) {
  cli::no_more_than(args, 0);
  const auto secret = cocoon::x25519_secret_key::generate();
  const std::string public_hex = cocoon::crypto::public_key_of(secret).to_hex();
  // Printing the secret is what this command is for; it goes to stdout only, never to stderr.
  const std::string secret_hex = cocoon::to_hex(secret.reveal());
  return {"public_key " + public_hex + "\nsecret_key " + secret_hex + "\n",
          {{"public_key", public_hex}, {"secret_key", secret_hex}}};
}

cli::output seal(cli::arguments args) {
  std::vector<std::string> rest;
  const context_flags flags = parse_context_flags(args, rest);
  const auto recipient = cocoon::x25519_public_key::from_hex(only_flag(rest, "--recipient", "HEX"));
  const std::string plaintext = read_stdin();
  auto sender = cocoon::crypto::hpke_sender::setup(
      recipient, {.aead = cocoon::crypto::hpke_aead::chacha20_poly1305, .info = cocoon::as_bytes(flags.info)});
  const cocoon::bytes ciphertext = sender.seal(cocoon::as_bytes(plaintext), cocoon::as_bytes(flags.aad));
  std::string sealed(cocoon::as_chars(sender.encapsulated_key().view()));
  sealed += cocoon::as_chars(ciphertext);
  return {std::move(sealed), {{"enc", sender.encapsulated_key().to_hex()}, {"ciphertext", cocoon::to_hex(ciphertext)}}};
}

/// A secret key file: the key's hex, or the JSON `keygen --json` prints.
cocoon::x25519_secret_key read_secret_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read the secret file " + path);
  std::ostringstream text;
  text << file.rdbuf();
  std::string content = text.str();
  std::optional<cocoon::x25519_secret_key> key;
  cocoon::error_code ec;
  if (content.find('{') != std::string::npos) {
    const auto json = nlohmann::json::parse(content, nullptr, false);
    const auto found = json.is_object() ? json.find("secret_key") : json.end();
    if (json.is_object() && found != json.end() && found->is_string()) {
      key = cocoon::x25519_secret_key::from_hex(found->get_ref<const std::string&>(), ec);
    }
  } else {
    const auto end = content.find_last_not_of(" \t\r\n");
    key = cocoon::x25519_secret_key::from_hex(std::string_view(content).substr(0, end + 1), ec);
  }
  sodium_memzero(content.data(), content.size());
  if (!key) {
    throw std::runtime_error(path + ": not a secret key (64 hex digits, or keygen's JSON with \"secret_key\")");
  }
  return std::move(*key);
}

cli::output open(cli::arguments args) {
  std::vector<std::string> rest;
  const context_flags flags = parse_context_flags(args, rest);
  const auto secret = read_secret_file(only_flag(rest, "--secret-file", "F"));
  const std::string sealed = read_stdin();
  if (sealed.size() < enc_size + cocoon::crypto::aead_tag_size) {
    throw cocoon::error(cocoon::errc::decryption_failed, "crypto open",
                        "input shorter than the 32-byte enc and the 16-byte tag");
  }
  const auto input = cocoon::as_bytes(sealed);
  auto recipient = cocoon::crypto::hpke_recipient::setup(
      cocoon::x25519_public_key(input.first(enc_size)), secret,
      {.aead = cocoon::crypto::hpke_aead::chacha20_poly1305, .info = cocoon::as_bytes(flags.info)});
  const cocoon::bytes plaintext = recipient.open(input.subspan(enc_size), cocoon::as_bytes(flags.aad));
  return {std::string(cocoon::as_chars(plaintext)),
          {{"size", plaintext.size()}, {"plaintext_hex", cocoon::to_hex(plaintext)}}};
}

}  // namespace

std::vector<cli::command> cli::crypto_commands() {
  return {
      {"crypto keygen", "print a fresh X25519 key pair; with --json {\"public_key\", \"secret_key\"} in hex", keygen},
      {"crypto seal",
       "--recipient HEX [--info S] [--aad S]: HPKE-seal standard input to an X25519 key (base mode, "
       "ChaCha20-Poly1305); writes enc (32 bytes) || ciphertext",
       seal},
      {"crypto open",
       "--secret-file F [--info S] [--aad S]: open what `crypto seal` wrote (F: the secret key's hex, or "
       "keygen's JSON)",
       open},
  };
}
