// Oracle: a COCOON root data cell that parses has params that rebuild to the exact params cell it
// references, proxies in ascending seqno order and allowed-hash sets without duplicates; anything
// else is refused as invalid input, alike in both error forms.
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cocoon_root.hpp>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data), size);
  cocoon::error_code ec;
  const auto root = cocoon::ton::parse_boc(input, ec);
  if (!root) return 0;
  const auto config = cocoon::ton::parse_cocoon_root_config(*root, ec);
  if (!config) {
    FUZZ_CHECK(ec == cocoon::condition::invalid_input);
    bool threw = false;
    try {
      (void)cocoon::ton::parse_cocoon_root_config(*root);
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
    return 0;
  }
  FUZZ_CHECK(config->params.to_cell() == root->ref(1));
  for (std::size_t i = 1; i < config->proxies.size(); ++i) {
    FUZZ_CHECK(config->proxies[i - 1].seqno < config->proxies[i].seqno);
  }
  for (const auto* set : {&config->proxy_hashes, &config->worker_hashes, &config->model_hashes}) {
    for (std::size_t i = 1; i < set->size(); ++i) FUZZ_CHECK(!((*set)[i - 1] == (*set)[i]));
  }
  return 0;
}
