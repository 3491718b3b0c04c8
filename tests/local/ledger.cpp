#include <cocoon/local/ledger.hpp>

#include <catch2/catch.hpp>

#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/payment.hpp>
#include <cocoon/ton/wallet.hpp>

#include "ton/cocoon_vectors.hpp"

#include <atomic>
#include <thread>

using cocoon::nanotons;
namespace ton = cocoon::ton;
namespace local = cocoon::local;
using namespace std::chrono_literals;

namespace {

const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1'800'000'000}};
constexpr std::uint32_t valid_until = 1'800'000'060;

ton::address named(std::string_view name) { return {0, cocoon::sha256(cocoon::as_bytes(name))}; }

/// A deployed wallet on a fresh ledger, a proxy, and the client contract between them.
struct fixture {
  local::ledger ledger{local::ledger_params{.price_per_token = 1000}};
  cocoon::ed25519_secret_key wallet_key = cocoon::ed25519_secret_key::generate();
  cocoon::ed25519_secret_key proxy_key = cocoon::ed25519_secret_key::generate();
  ton::address owner = named("owner's own TON wallet");
  ton::address wallet = named("client COCOON wallet");
  ton::address proxy_wallet = named("proxy wallet");
  ton::address contract;

  fixture() {
    ledger.open_wallet(wallet, cocoon::crypto::ed25519_public_key_of(wallet_key), nanotons::parse("10"), true);
    ledger.open_wallet(proxy_wallet, cocoon::crypto::ed25519_public_key_of(proxy_key), nanotons{0U}, true);
    contract = ledger.open_client_contract(wallet, cocoon::crypto::ed25519_public_key_of(proxy_key), proxy_wallet);
  }

  [[nodiscard]] ton::payment pay() const {
    return ton::payment(ton::cocoon_wallet::deployed(wallet, cocoon::crypto::ed25519_public_key_of(wallet_key), owner))
        .to(contract)
        .valid_until(valid_until);
  }
  [[nodiscard]] cocoon::bytes boc(ton::payment& p) {
    return ton::serialize_boc(p.seqno(ledger.seqno(wallet)).sign(wallet_key).to_cell());
  }
  [[nodiscard]] cocoon::bytes charge(std::uint64_t query_id, std::uint64_t tokens) const {
    return ton::serialize_boc(
        local::sign_payment(proxy_key, ton::cocoon_client::op::charge_signed, query_id, tokens, contract, proxy_wallet)
            .to_cell());
  }
};

cocoon::bytes flipped(cocoon::bytes data, std::size_t at) {
  data.at(at) ^= std::byte{0x01};
  return data;
}

}  // namespace

TEST_CASE("the ledger applies a wallet request's register, secret hash and top-up", "[local][ledger]") {
  fixture f;
  const auto total = f.ledger.total();
  auto p = f.pay()
               .query_id(1)
               .register_client(7)
               .change_secret_hash(ton::cocoon_client::secret_hash("local-client-secret"))
               .top_up(nanotons::parse("2"));
  const auto request = f.boc(p);
  const auto receipt = f.ledger.apply_external(request, now);
  CHECK(receipt.operations ==
        std::vector<std::string>{"owner_client_register", "owner_client_change_secret_hash", "ext_client_top_up"});
  const auto c = f.ledger.contract(f.contract);
  CHECK(c.registered_nonce == 7U);
  CHECK(c.registered_nonces == std::set<std::uint64_t>{7U});
  CHECK(c.secret_hash == cocoon::sha256(cocoon::as_bytes("local-client-secret")));
  CHECK(c.balance == nanotons::parse("2"));
  // The operation values (0.7, 1 and 0.7 TON) come back as excesses; only the top-up stays.
  CHECK(f.ledger.wallet_balance(f.wallet) == nanotons::parse("8"));
  CHECK(f.ledger.seqno(f.wallet) == 2);
  CHECK(f.ledger.total() == total);

  // The same request again: its seqno is spent.
  cocoon::error_code ec;
  CHECK_FALSE(f.ledger.apply_external(request, now, ec));
  CHECK(ec == cocoon::errc::ledger_replayed);
  CHECK(f.ledger.contract(f.contract).balance == nanotons::parse("2"));
}

TEST_CASE("the ledger refuses tampered, misdirected, expired and unfunded wallet requests", "[local][ledger]") {
  fixture f;
  const auto total = f.ledger.total();
  auto p = f.pay().query_id(1).top_up(nanotons::parse("1"));
  const auto request = f.boc(p);
  cocoon::error_code ec;

  SECTION("every flipped byte is refused") {
    for (std::size_t at = 0; at < request.size(); ++at) {
      CAPTURE(at);
      CHECK_FALSE(f.ledger.apply_external(flipped(request, at), now, ec));
    }
  }
  SECTION("a truncated bag of cells") {
    CHECK_FALSE(f.ledger.apply_external(cocoon::byte_view(request).first(request.size() - 1), now, ec));
  }
  SECTION("signed by another key") {
    const auto other = cocoon::ed25519_secret_key::generate();
    auto forged =
        ton::payment(ton::cocoon_wallet::deployed(f.wallet, cocoon::crypto::ed25519_public_key_of(other), f.owner))
            .to(f.contract)
            .query_id(1)
            .top_up(nanotons::parse("1"))
            .seqno(1)
            .valid_until(valid_until)
            .sign(other);
    CHECK_FALSE(f.ledger.apply_external(ton::serialize_boc(forged.to_cell()), now, ec));
    CHECK(ec == cocoon::errc::ledger_signature_invalid);
    CHECK(ec == cocoon::condition::integrity_failure);
  }
  SECTION("past its valid_until") {
    CHECK_FALSE(f.ledger.apply_external(request, now + 60s, ec));
    CHECK(ec == cocoon::errc::ledger_expired);
  }
  SECTION("a seqno ahead of the wallet's") {
    auto ahead = f.pay().query_id(2).top_up(nanotons::parse("1")).seqno(5).sign(f.wallet_key);
    CHECK_FALSE(f.ledger.apply_external(ton::serialize_boc(ahead.to_cell()), now, ec));
    CHECK(ec == cocoon::errc::ledger_operation_refused);
  }
  SECTION("more than the wallet holds") {
    auto big = f.pay().query_id(2).top_up(nanotons::parse("9.5"));
    CHECK_FALSE(f.ledger.apply_external(f.boc(big), now, ec));
    CHECK(ec == cocoon::errc::ledger_insufficient_funds);
  }
  SECTION("a top-up of more than the value attached") {
    auto short_value = f.pay().query_id(2).top_up(nanotons::parse("3")).value(nanotons::parse("1"));
    CHECK_FALSE(f.ledger.apply_external(f.boc(short_value), now, ec));
    CHECK(ec == cocoon::errc::ledger_insufficient_funds);
  }
  SECTION("an owner operation from another wallet, a top-up from anyone") {
    const auto stranger_key = cocoon::ed25519_secret_key::generate();
    const auto stranger = named("someone else");
    f.ledger.open_wallet(stranger, cocoon::crypto::ed25519_public_key_of(stranger_key), nanotons::parse("5"), true);
    const auto from_stranger = [&](ton::payment& q) {
      return ton::serialize_boc(q.seqno(f.ledger.seqno(stranger)).sign(stranger_key).to_cell());
    };
    const auto stranger_wallet =
        ton::cocoon_wallet::deployed(stranger, cocoon::crypto::ed25519_public_key_of(stranger_key), f.owner);
    auto withdraw = ton::payment(stranger_wallet).to(f.contract).query_id(3).withdraw().valid_until(valid_until);
    CHECK_FALSE(f.ledger.apply_external(from_stranger(withdraw), now, ec));
    CHECK(ec == cocoon::errc::ledger_operation_refused);
    auto top_up =
        ton::payment(stranger_wallet).to(f.contract).query_id(3).top_up(nanotons::parse("1")).valid_until(valid_until);
    CHECK(f.ledger.apply_external(from_stranger(top_up), now, ec));
    CHECK(f.ledger.contract(f.contract).balance == nanotons::parse("1"));
    return;
  }
  // Nothing was applied, not even the seqno.
  CHECK(f.ledger.seqno(f.wallet) == 1);
  CHECK(f.ledger.wallet_balance(f.wallet) == nanotons::parse("10"));
  CHECK(f.ledger.contract(f.contract).balance == nanotons{0U});
  CHECK(f.ledger.total() == total);
  // The original still applies.
  CHECK(f.ledger.apply_external(request, now, ec));
  CHECK(f.ledger.contract(f.contract).balance == nanotons::parse("1"));
}

TEST_CASE("proxy-signed charges move tokens' worth once, and never beyond the balance", "[local][ledger]") {
  fixture f;
  auto top_up = f.pay().query_id(1).top_up(nanotons::parse("1"));
  REQUIRE_NOTHROW(f.ledger.apply_external(f.boc(top_up), now));
  const auto total = f.ledger.total();

  const auto first = f.charge(10, 500);
  const auto receipt = f.ledger.apply_signed_payment(f.contract, first, now);
  CHECK(receipt.charged == nanotons{500'000U});
  CHECK(f.ledger.contract(f.contract).balance == nanotons{1'000'000'000U - 500'000U});
  CHECK(f.ledger.contract(f.contract).tokens_used == 500);
  CHECK(f.ledger.wallet_balance(f.proxy_wallet) == nanotons{500'000U});

  cocoon::error_code ec;
  // The same charge again, and a new query for tokens already charged: nothing is charged twice.
  CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, first, now, ec));
  CHECK(ec == cocoon::errc::ledger_replayed);
  CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, f.charge(11, 500), now, ec));
  CHECK(ec == cocoon::errc::ledger_replayed);
  CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, f.charge(12, 400), now, ec));
  CHECK(ec == cocoon::errc::ledger_replayed);

  // Signed by another key, for another contract, tampered.
  const auto other = cocoon::ed25519_secret_key::generate();
  const auto forged =
      local::sign_payment(other, ton::cocoon_client::op::charge_signed, 13, 900, f.contract, f.proxy_wallet);
  CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, ton::serialize_boc(forged.to_cell()), now, ec));
  CHECK(ec == cocoon::errc::payment_signature_invalid);
  const auto elsewhere = local::sign_payment(f.proxy_key, ton::cocoon_client::op::charge_signed, 13, 900,
                                             named("another contract"), f.proxy_wallet);
  CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, ton::serialize_boc(elsewhere.to_cell()), now, ec));
  CHECK(ec == cocoon::errc::payment_wrong_client);
  const auto good = f.charge(13, 900);
  for (std::size_t at = 0; at < good.size(); ++at) {
    CAPTURE(at);
    CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, flipped(good, at), now, ec));
  }
  // An overdraft: 2,000,000 tokens cost 2 TON, the balance holds 0.9995.
  CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, f.charge(14, 2'000'000), now, ec));
  CHECK(ec == cocoon::errc::ledger_insufficient_funds);
  CHECK(f.ledger.contract(f.contract).tokens_used == 500);
  CHECK(f.ledger.total() == total);

  // The client may submit the proxy's charge itself, repacked, from its wallet.
  const auto signed_charge = ton::cocoon_client::verify_signed_payment(
      ton::parse_boc(good), cocoon::crypto::ed25519_public_key_of(f.proxy_key), f.contract);
  auto repacked = f.pay().charge(signed_charge);
  const auto applied = f.ledger.apply_external(f.boc(repacked), now);
  CHECK(applied.charged == nanotons{400'000U});
  CHECK(f.ledger.contract(f.contract).tokens_used == 900);
  CHECK(f.ledger.wallet_balance(f.wallet) == nanotons::parse("9"));  // the 0.7 TON value came back
  CHECK_FALSE(f.ledger.apply_signed_payment(f.contract, good, now, ec));
  CHECK(ec == cocoon::errc::ledger_replayed);
  CHECK(f.ledger.total() == total);
}

TEST_CASE("concurrent submissions of one charge apply it once", "[local][ledger]") {
  fixture f;
  auto top_up = f.pay().query_id(1).top_up(nanotons::parse("1"));
  REQUIRE_NOTHROW(f.ledger.apply_external(f.boc(top_up), now));
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t tokens = 1; tokens <= 50; ++tokens) {
        cocoon::error_code ec;
        // Every thread submits the same 50 charges (query id = token count).
        if (f.ledger.apply_signed_payment(f.contract, f.charge(tokens, tokens * 10), now, ec)) ++applied;
      }
      (void)t;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(f.ledger.contract(f.contract).tokens_used == 500);
  CHECK(f.ledger.wallet_balance(f.proxy_wallet) == nanotons{500'000U});
  CHECK(applied <= 50);
}

TEST_CASE("stake, withdraw and the refund when the contract closes", "[local][ledger]") {
  fixture f;
  auto setup =
      f.pay().query_id(1).top_up(nanotons::parse("3")).increase_stake(nanotons::parse("1"), nanotons::parse("1"));
  REQUIRE_NOTHROW(f.ledger.apply_external(f.boc(setup), now));
  CHECK(f.ledger.contract(f.contract).stake == nanotons::parse("1"));
  CHECK(f.ledger.wallet_balance(f.wallet) == nanotons::parse("6"));
  const auto total = f.ledger.total();

  auto withdraw = f.pay().query_id(2).withdraw();  // returns the balance above the stake
  REQUIRE_NOTHROW(f.ledger.apply_external(f.boc(withdraw), now));
  CHECK(f.ledger.contract(f.contract).balance == nanotons::parse("1"));
  CHECK(f.ledger.wallet_balance(f.wallet) == nanotons::parse("8"));

  SECTION("closed by the owner after the delay") {
    auto close = f.pay().query_id(3).request_refund();
    REQUIRE_NOTHROW(f.ledger.apply_external(f.boc(close), now));
    CHECK(f.ledger.contract(f.contract).state == local::contract_state::closing);
    cocoon::error_code ec;
    auto early = f.pay().query_id(4).request_refund();
    CHECK_FALSE(f.ledger.apply_external(f.boc(early), now + 10s, ec));
    CHECK(ec == cocoon::errc::ledger_operation_refused);
    auto top_up = f.pay().query_id(5).top_up(nanotons::parse("1"));
    CHECK_FALSE(f.ledger.apply_external(f.boc(top_up), now, ec));  // closing: only a reopening top-up
    auto forced = f.pay().query_id(4).request_refund().valid_until(valid_until + 3600);
    REQUIRE_NOTHROW(f.ledger.apply_external(f.boc(forced), now + 3600s));
  }
  SECTION("closed by the proxy's refund grant, after its last charge") {
    const auto grant = local::sign_payment(f.proxy_key, ton::cocoon_client::op::grant_refund_signed, 9, 1000,
                                           f.contract, f.proxy_wallet);
    const auto receipt = f.ledger.apply_signed_payment(f.contract, ton::serialize_boc(grant.to_cell()), now);
    CHECK(receipt.charged == nanotons{1'000'000U});
    CHECK(f.ledger.wallet_balance(f.proxy_wallet) == nanotons{1'000'000U});
  }
  const auto c = f.ledger.contract(f.contract);
  CHECK(c.state == local::contract_state::closed);
  CHECK(c.balance == nanotons{0U});
  CHECK(c.stake == nanotons{0U});
  CHECK(f.ledger.wallet_balance(f.wallet).count() + f.ledger.wallet_balance(f.proxy_wallet).count() ==
        nanotons::parse("10").count());
  CHECK(f.ledger.total() == total);
  cocoon::error_code ec;
  auto after = f.pay().query_id(6).top_up(nanotons::parse("1"));
  CHECK_FALSE(f.ledger.apply_external(f.boc(after), now, ec));
  CHECK(ec == cocoon::errc::ledger_operation_refused);
}

TEST_CASE("the ledger applies the official runner's first request, deploying the wallet", "[local][ledger][vectors]") {
  const auto client_seed =
      cocoon::ed25519_secret_key::from_bytes(cocoon::from_base64("gaEatwGNgLGOeFI/TRGfPdJG/K4G8picYHQkDHpLQ9w="));
  const auto wallet_key = cocoon::ed25519_public_key::from_hex(cocoon_vector("client_wallet_pubkey"));
  REQUIRE(cocoon::crypto::ed25519_public_key_of(client_seed) == wallet_key);
  const auto wallet = ton::parse_address(cocoon_vector("cocoon_wallet_address_raw")).address;
  const auto client_contract = ton::parse_address(cocoon_vector("client_sc_address_raw")).address;
  const auto proxy_key = cocoon::ed25519_public_key::from_hex(cocoon_vector("proxy_pubkey"));
  // The vectors' proxy is owned by owner_raw under the fake-TON root.
  const auto proxy_wallet = ton::parse_address(cocoon_vector("owner_raw")).address;

  local::ledger ledger(
      ton::cocoon_root_contract{ton::parse_address(cocoon_vector("root_raw")).address, fake_ton_params()});
  ledger.open_wallet(wallet, wallet_key, nanotons::parse("5"));  // funded, not deployed
  ledger.open_wallet(proxy_wallet, proxy_key, nanotons{0U}, true);
  REQUIRE(ledger.open_client_contract(wallet, proxy_key, proxy_wallet) == client_contract);
  CHECK(ledger.params().price_per_token == 2);
  CHECK(ledger.params().client_delay_before_close == 300s);
  const auto total = ledger.total();

  // Built by @ton/core (research/cocoon-vectors.txt): the wallet's state init, a deployment of
  // the client contract (0.8 TON) and owner_client_register (1 TON), valid until 1767225600.
  const auto request = cocoon::from_hex(cocoon_vector("wallet_ext.message_boc"));
  const auto at = std::chrono::system_clock::time_point{std::chrono::seconds{1767225600 - 100}};
  cocoon::error_code ec;
  CHECK_FALSE(ledger.apply_external(request, at + 200s, ec));
  CHECK(ec == cocoon::errc::ledger_expired);
  const auto receipt = ledger.apply_external(request, at);
  CHECK(receipt.operations == std::vector<std::string>{"deploy", "owner_client_register"});
  CHECK(ledger.seqno(wallet) == 1);
  CHECK(ledger.contract(client_contract).registered_nonce == 0x0102030405060708U);
  CHECK(ledger.contract(client_contract).idle == nanotons::parse("0.8"));
  CHECK(ledger.wallet_balance(wallet) == nanotons::parse("4.2"));
  CHECK(ledger.total() == total);
  CHECK_FALSE(ledger.apply_external(request, at, ec));
  CHECK(ec == cocoon::errc::ledger_replayed);

  // The wallet built from its code and the one known only by address sign the same request.
  const ton::cocoon_wallet with_code(cocoon_code("cocoon_wallet_code"), wallet_key,
                                     ton::parse_address(cocoon_vector("owner_raw")).address);
  REQUIRE(with_code.address() == wallet);
  const auto deployed = ton::cocoon_wallet::deployed(wallet, wallet_key, with_code.owner());
  const auto next = [&](const ton::cocoon_wallet& w) {
    return ton::serialize_boc(ton::payment(w)
                                  .to(client_contract)
                                  .query_id(2)
                                  .top_up(nanotons::parse("1"))
                                  .seqno(1)
                                  .valid_until(1767225600)
                                  .sign(client_seed)
                                  .to_cell());
  };
  CHECK(next(deployed) == next(with_code));
  CHECK_THROWS_AS(ton::payment(deployed).to(client_contract).withdraw().seqno(0).valid_until(1).sign(client_seed),
                  cocoon::error);
  ledger.apply_external(next(deployed), at);
  CHECK(ledger.contract(client_contract).balance == nanotons::parse("1"));

  // An undeployed wallet's first request needs the state init its address commits to.
  const auto fresh = named("fresh wallet");
  ledger.open_wallet(fresh, wallet_key, nanotons::parse("5"));
  // A seqno-0 request of the wallet with code, redirected: the signature still holds (it does not
  // cover the destination), the state init is another address's.
  auto with_init = ton::payment(with_code).to(client_contract).query_id(3).top_up(nanotons::parse("1"));
  const auto signed_message = with_init.seqno(0).valid_until(1767225600).sign(client_seed);
  ton::external_message redirected{fresh, signed_message.init, signed_message.body};
  CHECK_FALSE(ledger.apply_external(ton::serialize_boc(redirected.to_cell()), at, ec));
  CHECK(ec == cocoon::errc::ledger_operation_refused);
  redirected.init.reset();
  CHECK_FALSE(ledger.apply_external(ton::serialize_boc(redirected.to_cell()), at, ec));
  CHECK(ec == cocoon::errc::ledger_operation_refused);
}

TEST_CASE("client contracts live at the addresses the ledger's root derives", "[local][ledger]") {
  fixture f;
  const auto& root = f.ledger.root();
  CHECK(root.params.is_test);
  CHECK(root.params.price_per_token == nanotons{1000U});
  CHECK(root.params.client_delay_before_close == 3600);
  const auto proxy_key = cocoon::crypto::ed25519_public_key_of(f.proxy_key);
  // The proxy's wallet owns its contract; the client contract derives from our wallet and it.
  CHECK(f.contract == ton::cocoon_contracts(root, f.proxy_wallet, proxy_key, f.wallet).client);
  CHECK(f.contract == f.ledger.client_contract_address(f.wallet, proxy_key, f.proxy_wallet));
  CHECK(f.ledger.open_client_contract(f.wallet, proxy_key, f.proxy_wallet) == f.contract);  // once
  // Another proxy owner, key or root price is another contract.
  CHECK(f.ledger.client_contract_address(f.wallet, proxy_key, f.wallet) != f.contract);
  CHECK(f.ledger.client_contract_address(f.wallet, cocoon::crypto::ed25519_public_key_of(f.wallet_key),
                                         f.proxy_wallet) != f.contract);
  CHECK(local::ledger(local::ledger_params{.price_per_token = 7})
            .client_contract_address(f.wallet, proxy_key, f.proxy_wallet) != f.contract);

  auto codeless = local::local_root();
  codeless.params.client_code.reset();
  try {
    local::ledger refused(codeless);
    FAIL("a ledger without client code");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::root_config_invalid);
  }
}
