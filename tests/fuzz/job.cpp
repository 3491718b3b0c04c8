// Oracle: a job that parses is in canonical form (serializing it gives the input back), parses
// again to an equal job with the same hash; anything else is refused with an invalid-input code.
#include <cocoon/job/job.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cocoon::error_code ec;
  const auto parsed = cocoon::job::from_json(text, {}, ec);
  if (!parsed) {
    FUZZ_CHECK(ec == cocoon::condition::invalid_input);
    return 0;
  }
  const std::string canonical = parsed->to_json();
  FUZZ_CHECK(canonical == text);
  const auto again = cocoon::job::from_json(canonical);
  FUZZ_CHECK(again == *parsed);
  FUZZ_CHECK(again.hash() == parsed->hash());
  return 0;
}
