// Oracle: on a fresh test ledger (a funded wallet, a proxy, their client contract, all with fixed
// keys), an input is a wallet request (first byte 0) or a proxy-signed payment (first byte 1) as
// a bag of cells. A refused input changes nothing; an applied one keeps the sum of all balances
// and cannot be applied a second time (a spent seqno or query id, tokens already charged); the
// error-code and throwing forms agree.
#include <cocoon/local/ledger.hpp>
#include <cocoon/ton/wallet.hpp>

#include "fuzz.hpp"

#include <chrono>
#include <string>

namespace {

// The seed corpus is signed with the wallet key of seed 07 07 .. 07 and the proxy key of seed
// 09 09 .. 09; the wallet is 0:0101..01, the proxy's wallet 0:0202..02.
struct setup {
  cocoon::local::ledger ledger;
  cocoon::ton::address wallet = cocoon::ton::parse_address("0:" + std::string(64, '1')).address;
  cocoon::ton::address proxy_wallet = cocoon::ton::parse_address("0:" + std::string(64, '2')).address;
  cocoon::ton::address contract;

  setup() {
    using cocoon::crypto::ed25519_public_key_of;
    const auto proxy_key = ed25519_public_key_of(cocoon::ed25519_secret_key::from_hex(std::string(64, '9')));
    ledger.open_wallet(wallet, ed25519_public_key_of(cocoon::ed25519_secret_key::from_hex(std::string(64, '7'))),
                       cocoon::nanotons::parse("10"), true);
    ledger.open_wallet(proxy_wallet, proxy_key, cocoon::nanotons{0U}, true);
    contract = ledger.open_client_contract(wallet, proxy_key, proxy_wallet);
  }

  struct snapshot {
    std::uint64_t total, wallet, proxy, balance, tokens;
    std::uint32_t seqno;
    bool operator==(const snapshot&) const = default;
  };
  [[nodiscard]] snapshot state() const {
    const auto c = ledger.contract(contract);
    return {ledger.total().count(),
            ledger.wallet_balance(wallet).count(),
            ledger.wallet_balance(proxy_wallet).count(),
            c.balance.count(),
            c.tokens_used,
            ledger.seqno(wallet)};
  }
};

const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || data[0] > 1) return 0;
  const bool external = data[0] == 0;
  const cocoon::byte_view boc(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  setup s;
  const auto apply = [&](cocoon::error_code& ec) {
    return external ? s.ledger.apply_external(boc, now, ec).has_value()
                    : s.ledger.apply_signed_payment(s.contract, boc, now, ec).has_value();
  };
  const auto before = s.state();
  cocoon::error_code ec;
  if (!apply(ec)) {
    FUZZ_CHECK(ec.failed());
    FUZZ_CHECK(s.state() == before);
    bool threw = false;
    try {
      if (external) {
        (void)s.ledger.apply_external(boc, now);
      } else {
        (void)s.ledger.apply_signed_payment(s.contract, boc, now);
      }
    } catch (const cocoon::error& failure) {
      threw = failure.code() == ec;
    }
    FUZZ_CHECK(threw);
    return 0;
  }
  FUZZ_CHECK(s.ledger.total().count() == before.total);
  const auto after = s.state();
  cocoon::error_code again;
  FUZZ_CHECK(!apply(again));
  FUZZ_CHECK(s.state() == after);
  return 0;
}
