// The C++ side of tests/interop/hpke.mjs: each command takes hex arguments (a value given as "-"
// is read from stdin, for payloads of several MiB), runs the SDK, and prints hex results on
// stdout, so an independent HPKE implementation can check ours both ways.
//
//   public-key <seed>                                      X25519 public key of DeriveKeyPair(seed)
//   seal <pkR> <aead> <info> <aad> <pt> [<sender seed>]    prints enc, ciphertext, Export("interop", 32)
//   open <seed> <enc> <aead> <info> <aad> <ct> [<pkS>]     prints the plaintext
//   envelope <pkR> <prompt text>                           prints a job envelope, then reads the sealed
//                                                          answer (hex) from stdin and prints its text
#include <cocoon/core/hex.hpp>
#include <cocoon/crypto/hpke.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job_builder.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace {

using cocoon::crypto::hpke_aead;

hpke_aead aead_of(const std::string& id) { return static_cast<hpke_aead>(std::stoi(id, nullptr, 16)); }

int run(std::vector<std::string> args) {
  for (auto& arg : args) {
    if (arg == "-" && args.at(0) != "envelope") std::getline(std::cin, arg);
  }
  const auto& command = args.at(0);
  if (command == "public-key") {
    std::cout << cocoon::crypto::derive_key_pair(cocoon::from_hex(args.at(1))).public_key.to_hex() << '\n';
    return 0;
  }
  if (command == "seal") {
    const cocoon::x25519_public_key recipient = cocoon::x25519_public_key::from_hex(args.at(1));
    const auto info = cocoon::from_hex(args.at(3));
    std::optional<cocoon::crypto::x25519_key_pair> sender_keys;
    if (args.size() > 6) sender_keys = cocoon::crypto::derive_key_pair(cocoon::from_hex(args.at(6)));
    auto sender = cocoon::crypto::hpke_sender::setup(
        recipient,
        {.aead = aead_of(args.at(2)), .info = info, .sender_key = sender_keys ? &sender_keys->secret_key : nullptr});
    std::cout << sender.encapsulated_key().to_hex() << '\n'
              << cocoon::to_hex(sender.seal(cocoon::from_hex(args.at(5)), cocoon::from_hex(args.at(4)))) << '\n'
              << cocoon::to_hex(sender.export_secret(cocoon::as_bytes("interop"), 32)) << '\n';
    return 0;
  }
  if (command == "open") {
    const auto keys = cocoon::crypto::derive_key_pair(cocoon::from_hex(args.at(1)));
    const auto info = cocoon::from_hex(args.at(4));
    std::optional<cocoon::x25519_public_key> sender;
    if (args.size() > 7) sender = cocoon::x25519_public_key::from_hex(args.at(7));
    auto recipient = cocoon::crypto::hpke_recipient::setup(
        cocoon::x25519_public_key::from_hex(args.at(2)), keys.secret_key,
        {.aead = aead_of(args.at(3)), .info = info, .sender_public_key = sender ? &*sender : nullptr});
    std::cout << cocoon::to_hex(recipient.open(cocoon::from_hex(args.at(6)), cocoon::from_hex(args.at(5)))) << '\n';
    return 0;
  }
  if (command == "envelope") {
    // Stands in for the attestation verifier, as the local network's test policy does.
    const auto worker = cocoon::attest::detail::attested_key_access::make(
        cocoon::x25519_public_key::from_hex(args.at(1)), cocoon::hash256{});
    const auto job = cocoon::job_builder().model("interop-model").user(args.at(2)).build();
    const auto sealed = cocoon::seal(job, worker);
    std::cout << cocoon::to_hex(sealed.bytes_to_send()) << '\n' << std::flush;
    std::string answer_hex;
    std::getline(std::cin, answer_hex);
    auto reader = sealed.open_response();
    std::string text;
    for (const auto& piece : reader.feed(cocoon::from_hex(answer_hex))) text += cocoon::as_chars(piece);
    reader.finish();
    std::cout << text << '\n';
    return 0;
  }
  std::cerr << "unknown command " << command << '\n';
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run({argv + 1, argv + argc});
  } catch (const std::exception& failure) {
    std::cerr << "hpke_driver: " << failure.what() << '\n';
    return 1;
  }
}
