// Oracle: a bag of cells that parses re-serializes (with the input's index and CRC flags) to
// bytes that parse to the same roots, and serializing that parse again gives the same bytes;
// anything else is refused as invalid input or an integrity failure, alike in both error forms.
#include <cocoon/ton/boc.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data), size);
  cocoon::error_code ec;
  const auto roots = cocoon::ton::parse_boc_roots(input, ec);
  if (!roots) {
    FUZZ_CHECK(ec == cocoon::condition::invalid_input || ec == cocoon::condition::integrity_failure);
    bool threw = false;
    try {
      (void)cocoon::ton::parse_boc_roots(input);
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
    return 0;
  }
  FUZZ_CHECK(!roots->empty());
  const auto flags = static_cast<unsigned>(input[4]);
  const cocoon::ton::boc_options options{(flags & 0x80U) != 0, (flags & 0x40U) != 0};
  for (const auto& root : *roots) {
    FUZZ_CHECK(root.level() == 0);
    const cocoon::bytes again = cocoon::ton::serialize_boc(root, options);
    const auto reparsed = cocoon::ton::parse_boc(again, ec);
    FUZZ_CHECK(reparsed.has_value());
    FUZZ_CHECK(*reparsed == root);
    FUZZ_CHECK(reparsed->depth() == root.depth());
    FUZZ_CHECK(cocoon::ton::serialize_boc(*reparsed, options) == again);
  }
  if (roots->size() == 1) FUZZ_CHECK(cocoon::ton::parse_boc(input) == roots->front());
  return 0;
}
