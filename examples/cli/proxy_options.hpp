// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// The options every command that talks to a COCOON proxy takes.
#ifndef COCOON_EXAMPLES_CLI_PROXY_OPTIONS_HPP
#define COCOON_EXAMPLES_CLI_PROXY_OPTIONS_HPP

#include "command.hpp"

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/net/host_port.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <boost/asio/io_context.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace cli {

struct proxy_flags {
  std::string endpoint;  ///< HOST:PORT
  bool insecure_test_policy = false;
  bool testnet = false;
  std::string secret;
  /// The client's COCOON wallet (any valid form); a placeholder suffices to inspect a proxy.
  std::string owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20";
  /// QuoteCollateralV3 JSON files (as `attest verify --collateral` reads), one per platform.
  std::vector<std::string> collateral_files;
  /// Intel's PCS or a PCCS to fetch the collateral of other platforms from.
  std::string pccs_url;
  /// Accept a real TDX proxy whose TCB status cannot be evaluated (no collateral).
  bool allow_unknown_tcb = false;

  /// The RA-TLS policy the flags name.
  [[nodiscard]] cocoon::attest::ratls_policy policy() const {
    auto policy = insecure_test_policy ? cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests()
                                       : cocoon::attest::ratls_policy::tdx();
    if (allow_unknown_tcb) policy.allow_unknown_tcb_insecure();
    return policy;
  }
  /// The bundles of --collateral. @throws cocoon::error for a file that is not one.
  [[nodiscard]] std::vector<cocoon::attest::collateral_bundle> collateral() const {
    std::vector<cocoon::attest::collateral_bundle> out;
    for (const auto& file : collateral_files)
      out.push_back(cocoon::attest::collateral_bundle::from_json(read_input(file)));
    return out;
  }
  /// Where --pccs fetches from, if given.
  [[nodiscard]] std::optional<cocoon::attest::collateral_fetch_options> collateral_fetch() const {
    if (pccs_url.empty()) return std::nullopt;
    cocoon::attest::collateral_fetch_options where;
    where.base_url = pccs_url;
    return where;
  }
};

/// Reads --insecure-test-policy, --testnet, --secret S, --owner ADDRESS, --collateral FILE
/// (repeatable), --pccs URL, --allow-unknown-tcb and, when `positional`, the HOST:PORT argument;
/// other words are left for the caller when `rest` is given.
inline proxy_flags parse_proxy_flags(arguments args, bool positional, std::vector<std::string>* rest = nullptr) {
  proxy_flags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--insecure-test-policy") {
      flags.insecure_test_policy = true;
      flags.testnet = true;  // the test policy is for test networks
    } else if (word == "--testnet") {
      flags.testnet = true;
    } else if (word == "--secret") {
      flags.secret = required(args, ++i, "S after --secret");
    } else if (word == "--owner") {
      flags.owner_address = required(args, ++i, "ADDRESS after --owner");
    } else if (word == "--collateral") {
      flags.collateral_files.push_back(required(args, ++i, "FILE after --collateral"));
    } else if (word == "--pccs") {
      flags.pccs_url = required(args, ++i, "URL after --pccs");
    } else if (word == "--allow-unknown-tcb") {
      flags.allow_unknown_tcb = true;
    } else if (positional && flags.endpoint.empty() && word.rfind("--", 0) != 0) {
      flags.endpoint = word;
    } else if (rest != nullptr) {
      rest->push_back(word);
    } else {
      throw usage_error("unexpected argument '" + word + "'");
    }
  }
  if (positional && flags.endpoint.empty()) throw usage_error("missing HOST:PORT");
  return flags;
}

/// HOST:PORT as the SDK parses every endpoint. @throws usage_error for anything else.
cocoon::net::host_port split_host_port(const std::string& text);

/// Points a `cocoon::client::client_builder` at the flags' proxy: its address, policy, identity
/// and collateral. @throws usage_error for anything but HOST:PORT.
template <class ClientBuilder>
void use_proxy(ClientBuilder& builder, const proxy_flags& flags) {
  (void)split_host_port(flags.endpoint);
  cocoon::net::session_config session;
  session.owner_address = flags.owner_address;
  session.is_test = flags.testnet;
  if (!flags.secret.empty()) session.secret = flags.secret;
  builder.proxy(flags.endpoint).policy(flags.policy()).session(std::move(session));
  for (auto& bundle : flags.collateral()) builder.collateral(std::move(bundle));
  if (const auto where = flags.collateral_fetch()) builder.fetch_collateral(*where);
}
/// Connects (proof of work, RA-TLS under the flags' policy, authorisation) or throws. With
/// `attested_is_enough`, a proxy that wants on-chain registration first still yields the
/// (attested, unauthorised) connection.
std::unique_ptr<cocoon::net::proxy_connection> connect_to_proxy(boost::asio::io_context& io, const proxy_flags& flags,
                                                                bool attested_is_enough = false);

}  // namespace cli

#endif
