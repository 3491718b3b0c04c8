// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_PAYMENT_HPP
#define COCOON_TON_PAYMENT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/base64.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/message.hpp>
#include <cocoon/ton/wallet.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace ton {

/// Builds the messages a COCOON client sends to its client contract, then either signs them as a
/// wallet request (COCOON wallet, v4r2 or v5r1) or hands them to the user's wallet as a TON
/// Connect request or `ton://transfer` links:
///
///     const ton::external_message request = ton::payment(wallet)
///         .to(client_contract)
///         .top_up(nanotons::parse("5"))
///         .seqno(seqno)
///         .valid_for(std::chrono::seconds(60))
///         .sign(key);
///
/// Each operation adds one message to the contract set by the last `to()` (or `deploy()`), with
/// the value the official client runner attaches (0.7 TON, a top-up 0.7 TON plus the amount,
/// registration 1 TON, deployment 0.8 TON) unless `value()` changes the last one. Excesses go to
/// the paying wallet unless `excesses_to()` names another address. Operations made before `to()`
/// and any build error are reported by `sign()` and the request builders.
class payment {
 public:
  /// Payments from a wallet whose key the caller holds; `sign()` works for these.
  explicit payment(cocoon_wallet wallet) : from_(wallet.address()), wallet_(std::move(wallet)) {}
  explicit payment(wallet_v4r2 wallet) : from_(wallet.address()), wallet_(std::move(wallet)) {}
  explicit payment(wallet_v5r1 wallet) : from_(wallet.address()), wallet_(std::move(wallet)) {}
  /// Payments from a wallet known only by address (a TON Connect session): no `sign()`.
  explicit payment(const address& from) : from_(from) {}

  /// The contract the next operations go to (bounceable).
  payment& to(const address& contract) {
    to_ = contract;
    return *this;
  }
  /// Deploys `contract` (0.8 TON, not bounceable, its state init, no body); later operations go to it.
  payment& deploy(const state_init& contract) {
    to_ = contract.to_address();
    return add(
        {.destination = *to_, .value = cocoon_client::deploy_value, .bounce = false, .init = contract.to_cell()});
  }
  payment& query_id(std::uint64_t id) {
    query_id_ = id;
    return *this;
  }
  payment& excesses_to(const address& where) {
    excesses_ = where;
    return *this;
  }

  payment& top_up(nanotons amount) {
    return op(cocoon_client::top_up(query_id_, amount, excesses()), sum(cocoon_client::operation_value, amount));
  }
  payment& top_up_reopen(nanotons amount) {
    return op(cocoon_client::top_up_reopen(query_id_, amount, excesses()), sum(cocoon_client::operation_value, amount));
  }
  payment& register_client(std::uint64_t nonce) {
    return op(cocoon_client::register_client(query_id_, nonce, excesses()), cocoon_client::register_value);
  }
  /// `new_stake` is the stake after the operation; the value attached is 0.7 TON plus the
  /// increase the caller passes as `added` (the contract takes the stake from the message value).
  payment& increase_stake(nanotons new_stake, nanotons added) {
    return op(cocoon_client::increase_stake(query_id_, new_stake, excesses()),
              sum(cocoon_client::operation_value, added));
  }
  payment& withdraw() { return op(cocoon_client::withdraw(query_id_, excesses()), cocoon_client::operation_value); }
  payment& request_refund() {
    return op(cocoon_client::request_refund(query_id_, excesses()), cocoon_client::operation_value);
  }
  payment& change_secret_hash(const hash256& secret_hash) {
    return op(cocoon_client::change_secret_hash(query_id_, secret_hash, excesses()), cocoon_client::operation_value);
  }
  /// Submits a proxy-signed charge (already verified) with the excess sent to this payer.
  payment& charge(const cocoon_client::signed_payment& signed_charge) {
    return op(signed_charge.repacked(excesses()).to_cell(), cocoon_client::operation_value);
  }
  /// A plain transfer of `amount` to the current address, without a body.
  payment& send(nanotons amount) {
    if (!to_) return fail("transfer before to()");
    return add({.destination = *to_, .value = amount, .bounce = true});
  }
  /// Any other message body to the current contract.
  payment& body(const cell& message_body, nanotons amount) { return op(message_body, amount); }
  /// Replaces the value of the last message.
  payment& value(nanotons amount) {
    if (messages_.empty()) return fail("value() before any message");
    messages_.back().value = amount;
    return *this;
  }

  payment& seqno(std::uint32_t current) {
    seqno_ = current;
    return *this;
  }
  payment& valid_until(std::uint32_t unix_time) {
    valid_until_ = unix_time;
    return *this;
  }
  /// Valid for `duration` from now (system clock).
  payment& valid_for(std::chrono::seconds duration) {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    valid_until_ = static_cast<std::uint32_t>((now + duration).count());
    return *this;
  }

  [[nodiscard]] const std::vector<internal_message>& messages() const noexcept { return messages_; }
  [[nodiscard]] const address& from() const noexcept { return from_; }

  /// The transfers with the send mode of the paying wallet: the runner's for the COCOON wallet
  /// (0, or 1 for values up to 1 nanoton), 3 (fees separately, ignore errors) otherwise.
  [[nodiscard]] std::vector<transfer> transfers() const {
    std::vector<transfer> out;
    const bool runner_modes = std::holds_alternative<cocoon_wallet>(wallet_);
    for (const internal_message& m : messages_) {
      const std::uint8_t mode = runner_modes ? (m.value.count() > 1 ? 0 : 1) : 3;
      out.push_back({m, mode});
    }
    return out;
  }

  /// The signed external message.
  /// @throws cocoon::error with `errc::wallet_request_invalid` (no messages, too many for the
  ///         wallet, no seqno or validity set, a wallet known only by address, a key that is
  ///         not the wallet's) or a build error of an operation.
  [[nodiscard]] external_message sign(const ed25519_secret_key& key) const {
    return cocoon::detail::value_or_throw(make_signed(key), "payment sign");
  }
  [[nodiscard]] std::optional<external_message> sign(const ed25519_secret_key& key, error_code& ec) const {
    return cocoon::detail::value_or_code(make_signed(key), ec);
  }

  /// The TON Connect `sendTransaction` request as the dApp SDK takes it (camelCase):
  /// `{validUntil, network, from, messages: [{address, amount, payload?, stateInit?}]}`.
  /// Addresses are user-friendly, bounceable as each message bounces, with the testnet flag on
  /// testnet; amounts are decimal nanotons; payload and stateInit are base64 BoCs.
  /// @throws cocoon::error as `sign()`, except for keys and seqno.
  [[nodiscard]] nlohmann::json ton_connect_request(network net) const {
    return cocoon::detail::value_or_throw(make_request(net, false), "TON Connect request");
  }
  /// The wallet-protocol RPC message: `{"method":"sendTransaction","params":["<JSON>"],"id":id}`
  /// whose JSON string uses `valid_until` (snake case), as the bridge carries it.
  [[nodiscard]] nlohmann::json ton_connect_rpc(network net, const std::string& id) const {
    const nlohmann::json wire = cocoon::detail::value_or_throw(make_request(net, true), "TON Connect request");
    return {{"method", "sendTransaction"}, {"params", nlohmann::json::array({wire.dump()})}, {"id", id}};
  }

  /// One `ton://transfer/<address>?amount=..&bin=..&init=..` link per message, for wallets
  /// without a TON Connect session (no result comes back: watch the chain).
  [[nodiscard]] std::vector<std::string> deep_links(network net = network::mainnet) const {
    cocoon::detail::throw_on_failure(check_messages(), "TON transfer link");
    std::vector<std::string> out;
    for (const internal_message& m : messages_) {
      std::string link = "ton://transfer/" + friendly(m, net) + "?amount=" + std::to_string(m.value.count());
      if (m.body) link += "&bin=" + url_encode(serialize_boc_base64(*m.body));
      if (m.init) link += "&init=" + url_encode(serialize_boc_base64(*m.init));
      out.push_back(std::move(link));
    }
    return out;
  }

 private:
  using wallet_kind = std::variant<std::monostate, cocoon_wallet, wallet_v4r2, wallet_v5r1>;

  [[nodiscard]] address excesses() const { return excesses_.value_or(from_); }

  nanotons sum(nanotons a, nanotons b) {
    if (b.count() > nanotons::max().count() - a.count()) {
      fail("value overflow");
      return a;
    }
    return nanotons{a.count() + b.count()};
  }

  payment& fail(const std::string& why) {
    if (!error_) error_ = cocoon::detail::failure{errc::wallet_request_invalid, why};
    return *this;
  }

  payment& add(internal_message message) {
    messages_.push_back(std::move(message));
    return *this;
  }

  payment& op(const cell& message_body, nanotons amount) {
    if (!to_) return fail("operation before to()");
    return add({.destination = *to_, .value = amount, .bounce = true, .body = message_body});
  }

  [[nodiscard]] std::optional<cocoon::detail::failure> check_messages() const {
    if (error_) return error_;
    if (messages_.empty()) return cocoon::detail::failure{errc::wallet_request_invalid, "no messages"};
    return std::nullopt;
  }

  [[nodiscard]] cocoon::detail::result<external_message> make_signed(const ed25519_secret_key& key) const {
    if (auto why = check_messages()) return std::move(*why);
    if (!seqno_) return cocoon::detail::failure{errc::wallet_request_invalid, "no seqno set"};
    if (!valid_until_) return cocoon::detail::failure{errc::wallet_request_invalid, "no validity set"};
    if (std::holds_alternative<std::monostate>(wallet_)) {
      return cocoon::detail::failure{errc::wallet_request_invalid, "a wallet known only by address cannot sign"};
    }
    const std::vector<transfer> all = transfers();
    error_code ec;
    std::optional<external_message> out;
    std::visit(
        [&](const auto& wallet) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(wallet)>, std::monostate>) {
            out = wallet.sign(key, *seqno_, *valid_until_, all, ec);
          }
        },
        wallet_);
    if (!out) return cocoon::detail::failure{errc::wallet_request_invalid, "wallet sign: " + ec.message()};
    return std::move(*out);
  }

  [[nodiscard]] static std::string friendly(const internal_message& m, network net) {
    return m.destination.to_friendly({.bounceable = m.bounce, .testnet = net == network::testnet, .url_safe = true});
  }

  [[nodiscard]] cocoon::detail::result<nlohmann::json> make_request(network net, bool wire) const {
    if (auto why = check_messages()) return std::move(*why);
    if (!valid_until_) return cocoon::detail::failure{errc::wallet_request_invalid, "no validity set"};
    nlohmann::json messages = nlohmann::json::array();
    for (const internal_message& m : messages_) {
      nlohmann::json entry = {{"address", friendly(m, net)}, {"amount", std::to_string(m.value.count())}};
      if (m.body) entry["payload"] = serialize_boc_base64(*m.body);
      if (m.init) entry["stateInit"] = serialize_boc_base64(*m.init);
      messages.push_back(std::move(entry));
    }
    return nlohmann::json{{wire ? "valid_until" : "validUntil", *valid_until_},
                          {"network", std::to_string(static_cast<std::int32_t>(net))},
                          {"from", from_.to_raw()},
                          {"messages", std::move(messages)}};
  }

  // Percent-encodes everything but RFC 3986 unreserved characters.
  [[nodiscard]] static std::string url_encode(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
          u == '.' || u == '~') {
        out += c;
      } else {
        out += '%';
        out += digits[u >> 4U];
        out += digits[u & 0xFU];
      }
    }
    return out;
  }

  address from_;
  wallet_kind wallet_;
  std::optional<address> to_;
  std::optional<address> excesses_;
  std::uint64_t query_id_ = 0;
  std::optional<std::uint32_t> seqno_;
  std::optional<std::uint32_t> valid_until_;
  std::vector<internal_message> messages_;
  std::optional<cocoon::detail::failure> error_;
};

}  // namespace ton
COCOON_SDK_NAMESPACE_END

#endif
