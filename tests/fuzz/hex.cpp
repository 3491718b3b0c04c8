// Oracle: decoding succeeds exactly for even-length hex, and re-encoding gives the input in
// lowercase; the error-code and throwing forms agree.
#include <cocoon/core/hex.hpp>

#include "fuzz.hpp"

#include <algorithm>
#include <cctype>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cocoon::error_code ec;
  const auto decoded = cocoon::from_hex(text, ec);
  const bool is_hex = size % 2 == 0 && std::all_of(text.begin(), text.end(), [](char c) {
                        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                      });
  FUZZ_CHECK(decoded.has_value() == is_hex);
  if (decoded) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    FUZZ_CHECK(cocoon::to_hex(*decoded) == lower);
  } else {
    FUZZ_CHECK(ec == cocoon::errc::invalid_hex);
    bool threw = false;
    try {
      (void)cocoon::from_hex(text);
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
  }
  return 0;
}
