// Oracle: a policy that parses prints to JSON that parses back to an equal policy and prints
// identically; input that does not parse is refused as policy_malformed by both forms.
#include <cocoon/attest/policy.hpp>

#include "fuzz.hpp"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cocoon::error_code ec;
  const auto parsed = cocoon::attest::policy::from_json(text, ec);
  if (parsed) {
    const std::string printed = parsed->to_json();
    const auto again = cocoon::attest::policy::from_json(printed, ec);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *parsed);
    FUZZ_CHECK(again->to_json() == printed);
  } else {
    FUZZ_CHECK(ec == cocoon::errc::policy_malformed);
    bool threw = false;
    try {
      (void)cocoon::attest::policy::from_json(text);
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec && !failure.where().empty();
    }
    FUZZ_CHECK(threw);
  }
  return 0;
}
