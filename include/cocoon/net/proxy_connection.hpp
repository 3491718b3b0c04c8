// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROXY_CONNECTION_HPP
#define COCOON_NET_PROXY_CONNECTION_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/ratls.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/client_session.hpp>
#include <cocoon/net/models.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/read_gate.hpp>
#include <cocoon/net/sealed_http.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {
class collateral_cache;
}  // namespace attest
namespace net {

/// Long authorisation: what the proxy asked the client to register on chain.
struct registration_request {
  std::int64_t nonce = 0;        ///< for `owner_client_register` (as the unsigned 64-bit value)
  ton::address client_contract;  ///< where to send it: the proxy named it, and it derives from the root
};

/// Sends `owner_client_register(nonce)` to the client contract from the client's COCOON wallet (a
/// signed external message, 1 TON attached) and calls `done` once it is sent, or with why not. It
/// may complete on any thread, but must complete: the connection waits for it.
using registrar = std::function<void(const registration_request&, std::function<void(error_code)> done)>;

/// How a proxy connection is verified and used.
struct proxy_options {
  /// What the proxy's RA-TLS certificate must prove. Required: there is no default policy.
  attest::ratls_policy policy;
  /// The client's identity in the protocol (wallet address, network, secret, proxy checks).
  session_config session;
  /// Intel collateral at hand, one bundle per platform FMSPC, each with its CRLs: a real TDX proxy
  /// is judged with the bundle for its FMSPC.
  std::vector<attest::collateral_bundle> collateral{};
  /// Fetches (and keeps) the collateral of platforms `collateral` has no bundle for.
  std::shared_ptr<attest::collateral_cache> collateral_cache{};
  /// Connecting: TCP, proof of work, TLS and the protocol handshake together.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds{30}};
  /// The highest proof-of-work difficulty accepted (the official client's limit by default).
  std::int32_t max_pow_difficulty = pow_challenge::max_difficulty;
  /// Where the proof of work is solved, away from the connection's executor (`async_solve`);
  /// empty: the SDK's own pool (`default_pow_executor`).
  boost::asio::any_io_executor pow_executor{};
  /// Seal each job to the proxy's attested key (a job envelope, docs/envelope.md) and open its
  /// sealed answer, so only the attested peer reads the job. Only the local reference network
  /// takes envelopes; real COCOON proxies forward plain requests to their workers.
  bool seal_jobs = false;
  /// Long authorisation (the proxy does not know the client, or the secret does not match): without
  /// a registrar, connecting fails with `errc::proxy_registration_needed`. It is called only with a
  /// client contract checked against `session.root` (with a registrar but no root, connecting
  /// fails with `errc::proxy_registration_unverified`).
  registrar register_client{};
  /// How long the registration and the proxy's answer to `client.authorizeWithProxyLong` may take
  /// (the official client's 300 s); replaces `connect_timeout` from the registration on.
  std::chrono::milliseconds long_authorization_timeout{std::chrono::seconds{300}};
};

/// One attested connection to a COCOON proxy: TCP, the proxy's proof of work, TLS 1.3 whose
/// handshake runs the attestation verifier on the proxy's certificate (no application byte is
/// sent unless it passes), then COCOON's framed protocol (`client_session`).
///
/// Operations take Asio completion tokens (callback, `use_future`, `use_awaitable`; `deferred`
/// by default) and keep the token's cancellation slot; queries run one at a time on a connection.
/// Thread safety: use a connection from one strand.
class proxy_connection {
 public:
  COCOON_SDK_DECL proxy_connection(boost::asio::any_io_executor executor, proxy_options options);
  COCOON_SDK_DECL ~proxy_connection();

  proxy_connection(const proxy_connection&) = delete;
  proxy_connection& operator=(const proxy_connection&) = delete;

  /// Connects and completes once the session is ready. Completion: `void(error_code)`.
  /// Errors: the attestation's codes (condition `attestation_rejected`) when the proxy's
  /// certificate does not satisfy the policy, the collateral fetch's (`errc::collateral_fetch_failed`,
  /// `errc::timed_out`, ...) when its collateral cannot be had, `errc::proxy_incompatible`,
  /// `errc::proxy_rejected`, `errc::proxy_contract_mismatch`, `errc::client_contract_mismatch` (see
  /// `session_config::root`), the registration's codes, `errc::pow_too_hard`, `errc::timed_out`, or
  /// the network's.
  template <boost::asio::completion_token_for<void(error_code)> CompletionToken = boost::asio::deferred_t>
  auto async_connect(std::string host, std::string port, CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code)>(
        [this](done_handler handler, std::string h, std::string p) {
          start_connect(std::move(h), std::move(p), std::move(handler));
        },
        token, std::move(host), std::move(port));
  }

  /// Runs `job` and completes with its answer; `on_token` sees the text as it arrives.
  /// Completion: `void(error_code, openai::answer)`. Errors: `errc::answer_error` (the proxy or
  /// worker refused the query, or an error status: the message is in the answer's `error`),
  /// `errc::answer_malformed` (a stream cut short included), the seal's codes, `errc::timed_out`
  /// (the job's timeout), or the network's.
  template <
      boost::asio::completion_token_for<void(error_code, openai::answer)> CompletionToken = boost::asio::deferred_t>
  auto async_query(const job& job, token_handler on_token, CompletionToken&& token = {}) {
    return async_query(job, std::move(on_token), std::shared_ptr<read_gate>{}, std::forward<CompletionToken>(token));
  }

  /// `async_query` whose reads `gate` can hold back (see `read_gate`): while it is paused, no piece
  /// reaches `on_token` and nothing more is read from the connection. The job's timeout keeps running.
  template <
      boost::asio::completion_token_for<void(error_code, openai::answer)> CompletionToken = boost::asio::deferred_t>
  auto async_query(const job& job, token_handler on_token, std::shared_ptr<read_gate> gate,
                   CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, openai::answer)>(
        [this](answer_handler handler, const cocoon::job& j, token_handler tokens, std::shared_ptr<read_gate> g) {
          start_query(j, std::move(tokens), std::move(g), std::move(handler));
        },
        token, job, std::move(on_token), std::move(gate));
  }

  /// The proxy's verified identity (set once its attestation has passed in full).
  [[nodiscard]] COCOON_SDK_DECL const std::optional<attest::ratls_peer>& peer() const noexcept;
  /// What the protocol handshake learned (proxy parameters, client contract, tokens).
  [[nodiscard]] COCOON_SDK_DECL const std::optional<session_ready>& session_info() const noexcept;
  /// The highest charge the proxy has signed for this client contract so far, verified (see
  /// `client_session::best_payment`); send it with `ton::payment::charge` to force the charge.
  [[nodiscard]] COCOON_SDK_DECL const std::optional<ton::cocoon_client::signed_payment>& best_payment() const noexcept;

  /// Asks the proxy for its payment status (`client.updatePaymentStatus`) and completes once the
  /// answer, and every payment sent before it, has been verified; a running keepalive stops
  /// first. Not while a query runs.
  /// Completion: `void(error_code)`; errors as `async_query`'s, `errc::proxy_payment_invalid`.
  template <boost::asio::completion_token_for<void(error_code)> CompletionToken = boost::asio::deferred_t>
  auto async_payment_status(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code)>(
        [this](done_handler handler) { start_payment_status(std::move(handler)); }, token);
  }

  /// Asks the proxy for the models it offers (`client.getWorkerTypesV2`) and completes with
  /// them; a running keepalive stops first. Not while a query runs.
  /// Completion: `void(error_code, std::vector<model_info>)`; errors as `async_payment_status`'s
  /// (`errc::proxy_rejected` when the proxy refuses the query, which ends the connection).
  template <boost::asio::completion_token_for<void(error_code, std::vector<model_info>)> CompletionToken =
                boost::asio::deferred_t>
  auto async_models(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, std::vector<model_info>)>(
        [this](models_handler handler) { start_models(std::move(handler)); }, token);
  }

  /// Keeps the connection alive while no query runs: frames from the proxy are read and handled
  /// as they come (its pings answered, payment updates taken), and after
  /// `session_config::ping_after` without any frame our ping goes out. The connection fails
  /// (`usable()` turns false, the socket is closed) when the proxy stays silent for
  /// `give_up_after` (`errc::timed_out`), closes the connection, or breaks the protocol; once
  /// `for_at_most` has passed it is closed as well (`errc::timed_out`). A query stops it first, as
  /// `async_stop_keepalive` does. Call it on the connection's strand, once connected, while no
  /// query runs; the connection must not be destroyed before the keepalive has stopped.
  COCOON_SDK_DECL void keep_alive(std::chrono::milliseconds for_at_most);

  /// Stops the keepalive and completes once it has ended, without losing or repeating a frame:
  /// `void(error_code)`, with the reason the connection can no longer serve a query, if it
  /// cannot (then close it). A cancellation closes the connection to stop a write in progress.
  template <boost::asio::completion_token_for<void(error_code)> CompletionToken = boost::asio::deferred_t>
  auto async_stop_keepalive(CompletionToken&& token = {}) {
    return boost::asio::async_initiate<CompletionToken, void(error_code)>(
        [this](done_handler handler) { start_stop_keepalive(std::move(handler)); }, token);
  }

  /// Connected, ready, and no failure seen (by the keepalive or the session) since.
  [[nodiscard]] COCOON_SDK_DECL bool usable() const noexcept;

  COCOON_SDK_DECL void close();

 private:
  using done_handler = boost::asio::any_completion_handler<void(error_code)>;
  using answer_handler = boost::asio::any_completion_handler<void(error_code, openai::answer)>;
  using models_handler = boost::asio::any_completion_handler<void(error_code, std::vector<model_info>)>;

  COCOON_SDK_DECL void start_connect(std::string host, std::string port, done_handler handler);
  COCOON_SDK_DECL void start_query(const job& job, token_handler on_token, std::shared_ptr<read_gate> gate,
                                   answer_handler handler);
  COCOON_SDK_DECL void start_payment_status(done_handler handler);
  COCOON_SDK_DECL void start_models(models_handler handler);
  COCOON_SDK_DECL void start_stop_keepalive(done_handler handler);

  /// The streams, the session and the coroutines that drive them (`impl/proxy_connection.ipp`).
  class impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#if COCOON_SDK_HEADER_ONLY
#include <cocoon/net/impl/proxy_connection.ipp>
#endif

#endif
