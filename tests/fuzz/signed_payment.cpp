// Oracle: a proxy-signed payment that verifies (against a fixed test key and client contract)
// serializes back to a body with the same hash, verifies again after re-packing to another
// excess address, and keeps the amount; anything else is refused as invalid input or an
// integrity failure, alike in both error forms.
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/wallet.hpp>

#include "fuzz.hpp"

namespace {
// The seed corpus is signed with the key of seed 07 07 .. 07 for contract 0:0101..01.
const cocoon::ed25519_public_key& test_key() {
  static const auto key =
      cocoon::crypto::ed25519_public_key_of(cocoon::ed25519_secret_key::from_hex(std::string(64, '7')));
  return key;
}
const cocoon::ton::address& test_contract() {
  static const cocoon::ton::address contract = cocoon::ton::parse_address("0:" + std::string(64, '1')).address;
  return contract;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace client = cocoon::ton::cocoon_client;
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data), size);
  cocoon::error_code ec;
  const auto payment = client::verify_signed_payment(input, test_key(), test_contract(), ec);
  if (!payment) {
    FUZZ_CHECK(ec == cocoon::condition::invalid_input || ec == cocoon::condition::integrity_failure);
    bool threw = false;
    try {
      (void)client::verify_signed_payment(input, test_key(), test_contract());
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
    return 0;
  }
  FUZZ_CHECK(payment->to_cell() == cocoon::ton::parse_boc(input));
  const auto repacked = payment->repacked(cocoon::ton::address());
  const auto again = client::verify_signed_payment(repacked.to_cell(), test_key(), test_contract(), ec);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->new_tokens_used == payment->new_tokens_used);
  FUZZ_CHECK(again->payload == payment->payload);
  return 0;
}
