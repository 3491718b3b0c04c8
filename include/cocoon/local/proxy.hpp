// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_LOCAL_PROXY_HPP
#define COCOON_LOCAL_PROXY_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/backend/model_config.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/local/ledger.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cocoon_root.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN

/// The local reference network: COCOON's proxy and worker on loopback, for tests, demos and
/// development without the real network. They speak exactly what a real proxy speaks (proof of
/// work, RA-TLS with COCOON's fake TDX certificates, the TL protocol), so the SDK's client path is
/// the same; they prove nothing, so clients reach them only under the explicit test policy.
namespace local {

/// An RA-TLS certificate for the proxy to present: its DER and the seed of its Ed25519 key.
struct proxy_certificate {
  bytes der;
  std::shared_ptr<const ed25519_secret_key> seed;
};

/// Where a streamed answer stops when it is cut short: before `data: [DONE]`, in the middle of
/// its last event, or before the last event (finish reason and usage).
enum class stream_cut { none, before_done, mid_event, before_usage };

struct proxy_options {
  /// The loopback port to listen on; 0 picks a free one.
  std::uint16_t port = 0;
  /// The proof-of-work difficulty demanded of clients (real proxies use 20).
  std::int32_t pow_difficulty = 8;
  /// The test mode the proxy announces and demands: a real proxy refuses a client whose
  /// `is_test` differs. False gives a proxy that behaves as a production one (fake TDX aside).
  bool is_test = true;
  /// The root config version the proxy runs: a client's `min_config_version` above it is refused.
  std::uint32_t config_version = 0;
  /// The clock of the times the proxy and worker report (timing headers, `final_info`); tests
  /// and transcripts fix it.
  std::function<std::chrono::system_clock::time_point()> clock = [] { return std::chrono::system_clock::now(); };
  /// The secret of the client contract this proxy knows (short authorisation).
  std::string client_secret = "local-client-secret";
  /// The model the worker serves, under this name.
  std::string model_name = "cocoon/reference-byte-lm";
  backend::model_config model{};
  /// Price per token in nanotons (for the usage it reports); with a ledger, the ledger's price.
  std::uint64_t price_per_token = 1000;
  /// The test ledger the proxy charges: when set, each client needs a funded client contract
  /// there (its owner wallet opened on the ledger), and each answer is paid by a charge the
  /// proxy signs and applies before the answer is sent.
  std::shared_ptr<local::ledger> ledger{};
  /// Ask every client for long authorisation (`client.proxyConnectionAuthLong` with a random nonce)
  /// instead of its secret: `client.authorizeWithProxyLong` then succeeds only if the ledger has
  /// applied `owner_client_register` with that nonce to the client's contract by the time the
  /// query arrives (the proxy does not wait for it). Needs `ledger`.
  bool long_authorization = false;
  /// When the proxy's RA-TLS certificate starts and stops being valid (tests set it in the past).
  std::chrono::system_clock::time_point certificate_time = std::chrono::system_clock::now();
  /// Cut streamed answers short, as a worker that stops mid-answer does (for client tests).
  stream_cut cut_streams = stream_cut::none;
  /// Present this certificate instead of a fake TDX one (tests of real TDX attestation, with a
  /// test PKI); its key is then also the key jobs are sealed to.
  std::optional<proxy_certificate> certificate{};
  /// For tests of the client's checks: name this client contract (a proxy redirecting the client's
  /// payments) or this proxy contract in `client.connectedToProxy` instead of the derived ones.
  std::optional<ton::address> announced_client_contract{};
  std::optional<ton::address> announced_proxy_contract{};
  /// The key that signs this proxy's charges (its `proxy_public_key`, from which its wallet and
  /// contracts derive); a fresh one when unset. Tests that replay frames byte for byte fix it.
  std::shared_ptr<const ed25519_secret_key> payment_key{};
};

/// What the proxy has seen, for tests: the attestation tests check that a refused handshake
/// carried no application byte.
struct proxy_counters {
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> handshakes_completed{0};
  std::atomic<std::size_t> frames_received{0};
  std::atomic<std::size_t> queries{0};
  std::atomic<std::size_t> sealed_queries{0};  ///< of `queries`, those that came as job envelopes
  std::atomic<std::size_t> charges{0};         ///< signed charges applied to the ledger
  std::atomic<std::size_t> pings{0};           ///< tcp.ping frames from clients
};

/// A COCOON proxy with its worker, listening on 127.0.0.1 on a free port.
class proxy {
 public:
  COCOON_SDK_DECL proxy(boost::asio::any_io_executor executor, proxy_options options);
  COCOON_SDK_DECL ~proxy();
  proxy(const proxy&) = delete;
  proxy& operator=(const proxy&) = delete;

  /// Starts accepting connections (each served by its own coroutine).
  COCOON_SDK_DECL void start();
  COCOON_SDK_DECL void stop();

  /// While silent, the proxy reads what clients send but answers nothing, pings included (tests
  /// of a proxy that hangs).
  COCOON_SDK_DECL void set_silent(bool silent) noexcept;

  [[nodiscard]] COCOON_SDK_DECL std::uint16_t port() const;
  [[nodiscard]] COCOON_SDK_DECL const proxy_options& options() const noexcept;
  [[nodiscard]] COCOON_SDK_DECL const proxy_counters& counters() const noexcept;
  /// The key that signs this proxy's charges, and the wallet that owns the proxy (on the ledger,
  /// when there is one: its charges are paid there).
  [[nodiscard]] COCOON_SDK_DECL ed25519_public_key payment_public_key() const;
  [[nodiscard]] COCOON_SDK_DECL const ton::address& wallet() const noexcept;
  /// The root the proxy's contracts derive from: the ledger's, or the default local root.
  [[nodiscard]] COCOON_SDK_DECL const ton::cocoon_root_contract& root() const noexcept;

 private:
  // The proxy's sockets, TLS, worker and ledger state: out of this header, so that a program
  // built against cocoon::sdk_compiled compiles none of it.
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace local
COCOON_SDK_NAMESPACE_END

#if COCOON_SDK_HEADER_ONLY
#include <cocoon/local/impl/proxy.ipp>
#endif

#endif
