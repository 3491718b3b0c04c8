// Shared by the attest tests: the real TDX quotes under COCOON_VECTORS_DIR/tdx, read at run time.
#ifndef COCOON_TESTS_ATTEST_VECTORS_HPP
#define COCOON_TESTS_ATTEST_VECTORS_HPP

#include <cocoon/core/base64.hpp>
#include <cocoon/core/bytes.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace attest_test {

inline std::string vector_path(const std::string& relative) { return std::string(COCOON_VECTORS_DIR) + "/" + relative; }

inline cocoon::bytes read_file(const std::string& relative) {
  std::ifstream in(vector_path(relative), std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + vector_path(relative));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return cocoon::to_bytes(text);
}

/// A quote file, or the teekit JSON whose `.tdx.quote` holds the quote in base64.
inline cocoon::bytes read_quote(const std::string& relative) {
  if (relative.size() > 5 && relative.substr(relative.size() - 5) == ".json") {
    const auto json = nlohmann::json::parse(cocoon::as_chars(read_file(relative)));
    return cocoon::from_base64(json.at("tdx").at("quote").get<std::string>());
  }
  return read_file(relative);
}

/// Every real TDX quote in the vectors (all verify offline to the production root).
inline const char* const all_quotes[] = {
    "tdx/cocoon/quote.dat",
    "tdx/venice-dstack-2026-06-10/quote.bin",
    "tdx/migtd-bundle-2025-11/flashtestations-b0c06f.bin",
    "tdx/migtd-bundle-2025-11/teekit-gcp-00806f.json",
    "tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat",
    "tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat",
    "tdx/openenclave-v5-eval21/tdx_quote_v5.bin",
    "tdx/edgeless-qpl-2023/quote.bin",
    "tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat",
    "tdx/go-tdx-guest/quote_v5_sample.dat",
    "tdx/dcap-qvl/tdx_quote.bin",
};

}  // namespace attest_test

#endif
