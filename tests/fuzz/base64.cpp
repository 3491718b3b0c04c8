// Oracle: in every variant, whatever decodes re-encodes to exactly the input (each byte string
// has one accepted encoding), and anything else is refused with errc::invalid_base64.
#include <cocoon/core/base64.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto variant : {cocoon::base64_variant::standard, cocoon::base64_variant::standard_unpadded,
                       cocoon::base64_variant::url, cocoon::base64_variant::url_unpadded}) {
    cocoon::error_code ec;
    const auto decoded = cocoon::from_base64(text, variant, ec);
    if (decoded) {
      FUZZ_CHECK(!ec);
      FUZZ_CHECK(cocoon::to_base64(*decoded, variant) == text);
    } else {
      FUZZ_CHECK(ec == cocoon::errc::invalid_base64);
    }
  }
  return 0;
}
