// Oracle: an address that parses prints back to the input (the friendly form with the flags and
// alphabet it was read with; the raw form in lowercase), and both forms parse to the same
// address; anything else is refused as invalid input or a checksum failure, alike in both forms.
#include <cocoon/ton/address.hpp>

#include "fuzz.hpp"

#include <algorithm>
#include <cctype>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cocoon::error_code ec;
  const auto parsed = cocoon::ton::parse_address(text, ec);
  if (!parsed) {
    FUZZ_CHECK(ec == cocoon::errc::address_invalid || ec == cocoon::errc::address_checksum_mismatch);
    bool threw = false;
    try {
      (void)cocoon::ton::parse_address(text);
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
    return 0;
  }
  const auto& address = parsed->address;
  FUZZ_CHECK(address.workchain() == 0 || address.workchain() == -1);
  if (parsed->friendly) {
    FUZZ_CHECK(address.to_friendly(parsed->flags) == text);
  } else {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    FUZZ_CHECK(address.to_raw() == lower);
  }
  FUZZ_CHECK(cocoon::ton::parse_address(address.to_raw()).address == address);
  for (const bool bounceable : {false, true}) {
    for (const bool testnet : {false, true}) {
      for (const bool url_safe : {false, true}) {
        const auto again = cocoon::ton::parse_address(address.to_friendly({bounceable, testnet, url_safe}));
        FUZZ_CHECK(again.address == address);
        FUZZ_CHECK(again.flags.bounceable == bounceable && again.flags.testnet == testnet);
      }
    }
  }
  return 0;
}
