// Oracle for the scanner that finds the exact signed text of a collateral document
// (`{"tcbInfo":{...},"signature":"..."}`): whatever it returns lies inside the input, and when the
// input is a JSON object the text it returns parses to that member's value; it finds the member
// whenever the JSON parser does and the key occurs once.
#include <cocoon/attest/collateral.hpp>

#include "fuzz.hpp"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto raw = cocoon::attest::detail::raw_member(text, "tcbInfo");
  if (raw) FUZZ_CHECK(raw->data() >= text.data() && raw->data() + raw->size() <= text.data() + text.size());
  const auto whole = nlohmann::json::parse(text, nullptr, false);
  if (whole.is_discarded() || !whole.is_object() || !whole.contains("tcbInfo")) return 0;
  // Duplicate keys: the parser keeps the last, the scanner the first; the verifier refuses both.
  if (text.find("tcbInfo") != text.rfind("tcbInfo")) return 0;
  FUZZ_CHECK(raw.has_value());
  const auto member = nlohmann::json::parse(*raw, nullptr, false);
  FUZZ_CHECK(!member.is_discarded());
  FUZZ_CHECK(member == whole.at("tcbInfo"));
  return 0;
}
