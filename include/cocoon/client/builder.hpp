// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_BUILDER_HPP
#define COCOON_CLIENT_BUILDER_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/collateral_fetch_options.hpp>
#include <cocoon/attest/ratls.hpp>
#include <cocoon/client/client.hpp>
#include <cocoon/client/options.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/client_session.hpp>
#include <cocoon/net/http_endpoint.hpp>
#include <cocoon/ton/cocoon_root.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution_context.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace client {

/// Builds a `client` step by step:
/// `builder().proxy("host:port").policy(p).session(s).timeout(30s).retries(2).build(io)`.
class client_builder {
 public:
  /// Adds a proxy (repeatable; tried in the order given). @throws cocoon::error (`errc::invalid_url`).
  client_builder& proxy(std::string_view host_port) {
    options_.proxies.push_back(proxy_address::parse(host_port));
    return *this;
  }
  /// Adds every proxy the root contract lists, at its client address.
  client_builder& proxies(const ton::cocoon_root_config& root) {
    for (const auto& registered : root.proxies) proxy(registered.address_for_clients());
    return *this;
  }
  /// Adds a client runner's OpenAI-compatible API (`http://host:port`). @throws cocoon::error.
  client_builder& http(std::string_view url) {
    options_.runners.push_back(net::http_endpoint::parse(url));
    return *this;
  }
  client_builder& policy(attest::ratls_policy policy) {
    options_.policy = std::move(policy);
    return *this;
  }
  /// Intel collateral (with its CRLs) for one platform of the proxies (repeatable).
  client_builder& collateral(attest::collateral_bundle bundle) {
    options_.collateral.push_back(std::move(bundle));
    return *this;
  }
  /// Fetches collateral for platforms without a bundle, from Intel's PCS by default or a PCCS.
  client_builder& fetch_collateral(attest::collateral_fetch_options where = {}) {
    options_.collateral_fetch = std::move(where);
    return *this;
  }
  /// The client's identity towards proxies: wallet address, network and the client secret. A root
  /// set with `root()` is kept unless `session` names one.
  client_builder& session(net::session_config session) {
    if (!session.root) session.root = std::move(options_.session.root);
    options_.session = std::move(session);
    return *this;
  }
  /// The root contract the client trusts (`net::session_config::root`): each proxy's contract and
  /// the client contract it names must derive from it; required for long authorisation.
  client_builder& root(ton::cocoon_root_contract root) {
    options_.session.root = std::move(root);
    return *this;
  }
  /// The COCOON wallet that registers the client when a proxy asks for long authorisation (and
  /// the session's `owner_address`, if that is not set).
  client_builder& wallet(wallet_options wallet) {
    options_.wallet = std::move(wallet);
    return *this;
  }
  client_builder& timeout(std::chrono::milliseconds deadline) {
    options_.timeout = deadline;
    return *this;
  }
  client_builder& retries(unsigned count) {
    options_.retries = count;
    return *this;
  }
  client_builder& backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap) {
    options_.backoff = base;
    options_.max_backoff = cap;
    return *this;
  }
  client_builder& connections_per_proxy(std::size_t count) {
    options_.connections_per_proxy = count;
    return *this;
  }
  /// Seals each job to the proxy's attested key (the local reference network takes sealed jobs).
  client_builder& seal_jobs(bool seal = true) {
    options_.seal_jobs = seal;
    return *this;
  }
  /// Solves proxies' proofs of work on `pool` (a `thread_pool`'s executor, say) instead of the
  /// SDK's own two threads.
  client_builder& pow_executor(boost::asio::any_io_executor pool) {
    options_.pow_executor = std::move(pool);
    return *this;
  }
  client_builder& idle_timeout(std::chrono::milliseconds limit) {
    options_.idle_timeout = limit;
    return *this;
  }
  /// The parts an `answer_stream` keeps unread before it stops reading (default 64, at least 1).
  client_builder& stream_buffer(std::size_t parts) {
    options_.stream_buffer = parts;
    return *this;
  }

  [[nodiscard]] const client_options& options() const noexcept { return options_; }

  /// The client, on `executor` (an `io_context`'s, a thread pool's) or an execution context's.
  /// @throws cocoon::error with `errc::client_misconfigured` (see `client`).
  [[nodiscard]] client build(const boost::asio::any_io_executor& executor) const { return {executor, options_}; }
  template <class ExecutionContext>
  requires std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&>
  [[nodiscard]] client build(ExecutionContext& context) const { return {context.get_executor(), options_}; }
  /// As `build`, with a misconfiguration reported through `ec` (and no client) instead of thrown.
  [[nodiscard]] std::optional<client> build(const boost::asio::any_io_executor& executor, error_code& ec) const {
    return client::create(executor, options_, ec);
  }

 private:
  client_options options_;
};

[[nodiscard]] inline client_builder builder() { return {}; }

}  // namespace client
COCOON_SDK_NAMESPACE_END

#endif
