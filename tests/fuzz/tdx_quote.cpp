// Oracle: a TDX quote either parses, with every view inside the input and the lengths adding up
// to exactly the declared sizes, or fails as malformed or unsupported; the quote without its
// trailing bytes parses the same, one byte less never does; both API forms agree.
#include <cocoon/attest/quote.hpp>

#include "fuzz.hpp"

namespace {
bool inside(cocoon::byte_view part, cocoon::byte_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data), size);
  cocoon::error_code ec;
  const auto quote = cocoon::attest::tdx_quote::parse(input, ec);
  bool threw = false;
  try {
    (void)cocoon::attest::tdx_quote::parse(input);
  } catch (const cocoon::error& failure) {
    threw = failure.code() == ec;
  }
  FUZZ_CHECK(threw == !quote);
  if (!quote) {
    FUZZ_CHECK(ec == cocoon::errc::quote_malformed || ec == cocoon::errc::quote_unsupported);
    return 0;
  }
  FUZZ_CHECK(quote->size() + quote->trailing_size() == size);
  const std::size_t signed_size = quote->signed_region().size();
  FUZZ_CHECK(signed_size == 632 || signed_size == 638 || signed_size == 702);
  FUZZ_CHECK(quote->body().bytes().size() == (quote->body().is_td15() ? 648u : 584u));
  FUZZ_CHECK(inside(quote->body().bytes(), quote->signed_region()));
  FUZZ_CHECK(inside(quote->qe_report().bytes(), input.first(quote->size())));
  FUZZ_CHECK(inside(quote->qe_auth_data(), input.first(quote->size())));
  FUZZ_CHECK(inside(quote->pck_chain(), input.first(quote->size())));
  // Signature data = 134 fixed bytes + QE report (384) + signature (64) + 2 + auth + 6 + chain.
  FUZZ_CHECK(quote->size() ==
             signed_size + 4 + 134 + 384 + 64 + 2 + quote->qe_auth_data().size() + 6 + quote->pck_chain().size());
  FUZZ_CHECK(quote->pck_chain().data() + quote->pck_chain().size() == input.data() + quote->size());

  const auto exact = cocoon::attest::tdx_quote::parse(input.first(quote->size()), ec);
  FUZZ_CHECK(exact && exact->trailing_size() == 0 && exact->signed_region().size() == signed_size);
  FUZZ_CHECK(!cocoon::attest::tdx_quote::parse(input.first(quote->size() - 1), ec));
  FUZZ_CHECK(ec == cocoon::errc::quote_malformed);
  return 0;
}
