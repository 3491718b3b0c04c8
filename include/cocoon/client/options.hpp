// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_OPTIONS_HPP
#define COCOON_CLIENT_OPTIONS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/collateral_fetch_options.hpp>
#include <cocoon/attest/ratls.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/client_session.hpp>
#include <cocoon/net/host_port.hpp>
#include <cocoon/net/http_endpoint.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace client {

/// A COCOON proxy's client port: `host:port` (an IPv6 host in brackets), parsed by the SDK's one
/// endpoint parser.
using proxy_address = net::host_port;

/// The client's COCOON wallet, for long authorisation: when a proxy asks for it, the SDK signs
/// `owner_client_register(nonce)` to the client contract (1 TON attached) as a wallet request and
/// hands its BoC to `broadcast`. The SDK has no chain access: `seqno` and `broadcast` are the
/// user's TON API (e.g. a get-method call and `sendBoc`).
struct wallet_options {
  /// The COCOON wallet; its address is the client's identity towards proxies.
  ton::cocoon_wallet wallet;
  /// The wallet's key (the runner's `node_wallet_key`).
  std::shared_ptr<const ed25519_secret_key> key;
  /// Reads the wallet's current seqno from the chain and calls `done(ec, seqno)`.
  std::function<void(std::function<void(error_code, std::uint32_t)> done)> seqno;
  /// Sends the BoC of a signed external message and calls `done` once it is accepted.
  std::function<void(bytes boc, std::function<void(error_code)> done)> broadcast;
  /// How long a signed request stays valid.
  std::chrono::seconds valid_for{std::chrono::seconds{60}};
};

/// The highest charge a proxy has signed for this client, verified (see `client::payments`).
struct proxy_payment {
  proxy_address proxy;
  ton::cocoon_client::signed_payment payment;
};

/// Everything a client is built from (see `client_builder`).
struct client_options {
  /// Proxies, tried in order; a failed connection moves on to the next.
  std::vector<proxy_address> proxies;
  /// OpenAI-compatible HTTP APIs (the COCOON client runner's), after the proxies.
  std::vector<net::http_endpoint> runners;
  /// What each proxy's RA-TLS certificate must prove; required when there are proxies.
  std::optional<attest::ratls_policy> policy;
  /// Intel collateral at hand for the proxies' platforms (`net::proxy_options::collateral`).
  std::vector<attest::collateral_bundle> collateral;
  /// Where to fetch the collateral of platforms `collateral` has no bundle for (Intel's PCS or a
  /// PCCS); what is fetched is kept until its nextUpdate, for all of the client's connections.
  std::optional<attest::collateral_fetch_options> collateral_fetch;
  /// The client's identity towards proxies (wallet address, network, secret) and the root
  /// contract their contracts are checked against (`net::session_config::root`).
  net::session_config session;
  /// The COCOON wallet that registers the client for long authorisation, paying only client
  /// contracts checked against `session.root` (required with a wallet); without one, a proxy that
  /// asks for it is refused with `errc::proxy_registration_needed`.
  std::optional<wallet_options> wallet;
  /// Each job's deadline, from submission to the last byte of its answer, retries included.
  /// A job whose own `timeout()` is shorter keeps that.
  std::chrono::milliseconds timeout{std::chrono::seconds{30}};
  /// Further attempts after the first, when retrying is safe (see `client::async_submit`).
  unsigned retries = 2;
  /// Backoff before retry k: a random wait up to min(max_backoff, backoff * 2^(k-1)).
  std::chrono::milliseconds backoff{std::chrono::milliseconds{100}};
  std::chrono::milliseconds max_backoff{std::chrono::seconds{2}};
  /// Attested connections kept per proxy; jobs beyond wait for one to come free.
  std::size_t connections_per_proxy = 4;
  /// How long a connection is kept idle in the pool at all. While idle it is kept alive (the
  /// proxy's pings answered, ours sent after `session.ping_after` of silence); one that fails
  /// meanwhile is dropped, never handed to a job.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes{5}};
  /// The highest proof-of-work difficulty accepted from a proxy.
  std::int32_t max_pow_difficulty = net::pow_challenge::max_difficulty;
  /// Where proofs of work are solved, away from the client's executor
  /// (`net::proxy_options::pow_executor`); empty: the SDK's own pool.
  boost::asio::any_io_executor pow_executor{};
  /// Seal each job to the proxy's attested key (`net::proxy_options::seal_jobs`); only the local
  /// reference network takes sealed jobs.
  bool seal_jobs = false;
  /// The parts an `answer_stream` keeps unread: once this many wait, the SDK reads no further from
  /// the job's connection until the reader takes one (TCP flow control then slows the sender).
  std::size_t stream_buffer = 64;
};

/// What a client has done so far (read on its executor, or once the `io_context` has stopped).
struct client_stats {
  std::size_t jobs = 0;              ///< jobs submitted
  std::size_t attempts = 0;          ///< attempts made: first tries and retries
  std::size_t retries = 0;           ///< attempts repeated after a failure
  std::size_t failovers = 0;         ///< retries that moved to another endpoint
  std::size_t connects = 0;          ///< attested proxy connections established
  std::size_t connect_failures = 0;  ///< proxy connections that failed (network, attestation, authorisation)
  std::size_t reuses = 0;            ///< jobs (and model lists) sent over a connection that had served before
  std::size_t idle_dropped = 0;      ///< idle connections found failed or expired, and closed
};

/// Called with each piece of decrypted answer text as it arrives.
using part_handler = std::function<void(std::string_view)>;

}  // namespace client
COCOON_SDK_NAMESPACE_END

#endif
