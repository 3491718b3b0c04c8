// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROXY_CONNECTION_HPP
#define COCOON_NET_PROXY_CONNECTION_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/attest/ratls.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/net/client_session.hpp>
#include <cocoon/net/frame.hpp>
#include <cocoon/net/http_api.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/pow_solver.hpp>
#include <cocoon/net/tls.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
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

/// The HTTP content types of a sealed job and its sealed answer, and the header naming the
/// answer's own content type inside the seal.
inline constexpr std::string_view sealed_job_content_type = "application/vnd.cocoon.job-envelope";
inline constexpr std::string_view sealed_answer_content_type = "application/vnd.cocoon.sealed-answer";
inline constexpr std::string_view sealed_inner_type_header = "X-Cocoon-Sealed-Content-Type";

/// One attested connection to a COCOON proxy: TCP, the proxy's proof of work, TLS 1.3 whose
/// handshake runs the attestation verifier on the proxy's certificate (no application byte is
/// sent unless it passes), then COCOON's framed protocol (`client_session`).
///
/// Operations take Asio completion tokens (callback, `use_future`, `use_awaitable`); queries run
/// one at a time on a connection. Thread safety: use a connection from one strand.
class proxy_connection {
 public:
  using stream_type = boost::asio::ssl::stream<boost::beast::tcp_stream>;

  proxy_connection(boost::asio::any_io_executor executor, proxy_options options)
      : executor_(std::move(executor)),
        options_(std::move(options)),
        tls_(boost::asio::ssl::context::tls_client),
        refusal_(std::make_shared<std::optional<cocoon::detail::failure>>()),
        session_(options_.session) {
    // An ephemeral client certificate: COCOON proxies require one and accept any valid one.
    apply_cocoon_tls_settings(tls_, make_ed25519_certificate(ed25519_secret_key::generate(), {}));
    require_peer_certificate(
        tls_, [this](byte_view der) { return judge_certificate(der); }, refusal_, false);
    stream_.emplace(executor_, tls_);
  }

  proxy_connection(const proxy_connection&) = delete;
  proxy_connection& operator=(const proxy_connection&) = delete;

  /// Connects and completes once the session is ready. Completion: `void(error_code)`.
  /// Errors: the attestation's codes (condition `attestation_rejected`) when the proxy's
  /// certificate does not satisfy the policy, the collateral fetch's (`errc::collateral_fetch_failed`,
  /// `errc::timed_out`, ...) when its collateral cannot be had, `errc::proxy_incompatible`,
  /// `errc::proxy_rejected`, `errc::proxy_contract_mismatch`, `errc::client_contract_mismatch` (see
  /// `session_config::root`), the registration's codes, `errc::pow_too_hard`, `errc::timed_out`, or
  /// the network's.
  template <class CompletionToken>
  auto async_connect(std::string host, std::string port, CompletionToken&& token) {
    return spawn<void(error_code)>(
        [this, host = std::move(host), port = std::move(port)]() { return connect(host, port); },
        std::forward<CompletionToken>(token));
  }

  /// Runs `job` and completes with its answer; `on_token` sees the text as it arrives.
  /// Completion: `void(error_code, openai::answer)`.
  template <class CompletionToken>
  auto async_query(const job& job, token_handler on_token, CompletionToken&& token) {
    return async_query(job, std::move(on_token), std::shared_ptr<read_gate>{}, std::forward<CompletionToken>(token));
  }

  /// `async_query` whose reads `gate` can hold back (see `read_gate`): while it is paused, no piece
  /// reaches `on_token` and nothing more is read from the connection. The job's timeout keeps running.
  template <class CompletionToken>
  auto async_query(const job& job, token_handler on_token, std::shared_ptr<read_gate> gate, CompletionToken&& token) {
    return spawn<void(error_code, openai::answer)>(
        [this, job, on_token = std::move(on_token), gate = std::move(gate)]() { return query(job, on_token, gate); },
        std::forward<CompletionToken>(token));
  }

  /// The proxy's verified identity (set once its attestation has passed in full).
  [[nodiscard]] const std::optional<attest::ratls_peer>& peer() const noexcept { return peer_; }
  /// What the protocol handshake learned (proxy parameters, client contract, tokens).
  [[nodiscard]] const std::optional<session_ready>& session_info() const noexcept { return ready_; }
  /// The highest charge the proxy has signed for this client contract so far, verified (see
  /// `client_session::best_payment`); send it with `ton::payment::charge` to force the charge.
  [[nodiscard]] const std::optional<ton::cocoon_client::signed_payment>& best_payment() const noexcept {
    return session_.best_payment();
  }

  /// Asks the proxy for its payment status (`client.updatePaymentStatus`) and completes once the
  /// answer, and every payment sent before it, has been verified; a running keepalive stops
  /// first. Not while a query runs.
  /// Completion: `void(error_code)`; errors as `async_query`'s, `errc::proxy_payment_invalid`.
  template <class CompletionToken>
  auto async_payment_status(CompletionToken&& token) {
    return spawn<void(error_code)>([this]() { return payment_status(); }, std::forward<CompletionToken>(token));
  }

  /// Asks the proxy for the models it offers (`client.getWorkerTypesV2`) and completes with
  /// them; a running keepalive stops first. Not while a query runs.
  /// Completion: `void(error_code, std::vector<model_info>)`; errors as `async_payment_status`'s
  /// (`errc::proxy_rejected` when the proxy refuses the query, which ends the connection).
  template <class CompletionToken>
  auto async_models(CompletionToken&& token) {
    return spawn<void(error_code, std::vector<model_info>)>([this]() { return models(); },
                                                            std::forward<CompletionToken>(token));
  }

  /// Keeps the connection alive while no query runs: frames from the proxy are read and handled
  /// as they come (its pings answered, payment updates taken), and after
  /// `session_config::ping_after` without any frame our ping goes out. The connection fails
  /// (`usable()` turns false, the socket is closed) when the proxy stays silent for
  /// `give_up_after` (`errc::timed_out`), closes the connection, or breaks the protocol; once
  /// `for_at_most` has passed it is closed as well (`errc::timed_out`). A query stops it first, as
  /// `async_stop_keepalive` does. Call it on the connection's strand, once connected, while no
  /// query runs; the connection must not be destroyed before the keepalive has stopped.
  void keep_alive(std::chrono::milliseconds for_at_most) {
    if (keepalive_running_ || !usable()) return;
    keepalive_running_ = true;
    keepalive_stop_ = false;
    keepalive_ended_.expires_at(boost::asio::steady_timer::time_point::max());
    const auto limit = std::min<std::chrono::milliseconds>(for_at_most, std::chrono::hours{24 * 365});  // no overflow
    boost::asio::co_spawn(executor_, keepalive(client_session::clock::now() + limit),
                          [this](std::exception_ptr failure, error_code ec) {
                            if (failure) ec = boost::asio::error::fault;
                            if (ec) {
                              broken_ = ec;
                              close();
                            }
                            keepalive_running_ = false;
                            keepalive_ended_.cancel();
                          });
  }

  /// Stops the keepalive and completes once it has ended, without losing or repeating a frame:
  /// `void(error_code)`, with the reason the connection can no longer serve a query, if it
  /// cannot (then close it). A cancellation closes the connection to stop a write in progress.
  template <class CompletionToken>
  auto async_stop_keepalive(CompletionToken&& token) {
    return spawn<void(error_code)>([this]() { return stop_keepalive(); }, std::forward<CompletionToken>(token));
  }

  /// Connected, ready, and no failure seen (by the keepalive or the session) since.
  [[nodiscard]] bool usable() const noexcept {
    return ready_ && !broken_ && session_.current_state() == client_session::state::ready;
  }

  void close() {
    keepalive_interrupt_->reading = false;  // a closed socket's read is not to be interrupted
    error_code ignored;
    stream_->next_layer().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream_->next_layer().close();
  }

 private:
  using awaitable_code = boost::asio::awaitable<error_code>;

  /// Runs a coroutine that returns an error code (and maybe a value) and completes `token` with
  /// them, the SDK's way (`error_code` first), keeping the token's cancellation slot.
  template <class Signature, class Body, class CompletionToken>
  auto spawn(Body body, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, Signature>(
        [this](auto handler, Body run) {
          auto slot = boost::asio::get_associated_cancellation_slot(handler);
          boost::asio::co_spawn(
              executor_, run(),
              boost::asio::bind_cancellation_slot(
                  slot, [handler = std::move(handler)](std::exception_ptr failure, auto... results) mutable {
                    if (failure) return complete_failed<Signature>(std::move(handler), failure);
                    std::apply(std::move(handler), flatten(std::move(results)...));
                  }));
        },
        token, std::move(body));
  }

  template <class Signature, class Handler>
  static void complete_failed(Handler&& handler, std::exception_ptr failure) {
    error_code ec = errc::crypto_failure;
    try {
      std::rethrow_exception(failure);
    } catch (const boost::system::system_error& e) {
      ec = e.code();
    } catch (const cocoon::error& e) {
      ec = static_cast<errc>(e.code().value());
    } catch (...) {
    }
    if constexpr (std::is_same_v<Signature, void(error_code)>) {
      std::move(handler)(ec);
    } else if constexpr (std::is_same_v<Signature, void(error_code, openai::answer)>) {
      std::move(handler)(ec, openai::answer{});
    } else {
      std::move(handler)(ec, std::vector<model_info>{});
    }
  }

  static std::tuple<error_code> flatten(error_code ec) { return {ec}; }
  template <class T>
  static std::tuple<error_code, T> flatten(std::pair<error_code, T> result) {
    return {result.first, std::move(result.second)};
  }

  boost::asio::awaitable<error_code> connect(std::string host, std::string port) {
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    error_code ec;
    auto& tcp = stream_->next_layer();
    const auto deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
    tcp.expires_at(deadline);
    boost::asio::ip::tcp::resolver resolver(executor_);
    const auto endpoints = co_await resolver.async_resolve(host, port, redirect_error(use_awaitable, ec));
    if (ec) co_return ec;
    co_await tcp.async_connect(endpoints, redirect_error(use_awaitable, ec));
    if (ec) co_return timeout_or(ec);

    // Proof of work, in clear, before TLS.
    std::array<std::byte, pow_challenge::size> challenge_bytes{};
    co_await boost::asio::async_read(tcp, boost::asio::buffer(challenge_bytes), redirect_error(use_awaitable, ec));
    if (ec) co_return timeout_or(ec);
    auto challenge = pow_challenge::parse(challenge_bytes, ec);
    if (!challenge) co_return ec;
    if (challenge->difficulty > options_.max_pow_difficulty) co_return errc::pow_too_hard;
    const auto pool = options_.pow_executor ? options_.pow_executor : default_pow_executor();
    const auto nonce = co_await async_solve(*challenge, pool, deadline, redirect_error(use_awaitable, ec));
    if (ec) co_return ec;
    const auto answer = pow_challenge::response(nonce);
    co_await boost::asio::async_write(tcp, boost::asio::buffer(answer), redirect_error(use_awaitable, ec));
    if (ec) co_return timeout_or(ec);

    // TLS: the verifier runs inside the handshake.
    co_await stream_->async_handshake(boost::asio::ssl::stream_base::client, redirect_error(use_awaitable, ec));
    if (*refusal_) co_return (*refusal_)->code;
    if (ec) co_return timeout_or(ec);
    if (pending_) {  // genuine, but judged only with collateral fetched now, before any frame
      ec = co_await attest_with_fetched_collateral();
      if (ec) {
        close();
        co_return ec;
      }
    }

    session_.start(client_session::clock::now());
    while (!ready_) {
      if (auto why = co_await exchange()) co_return *why;
      auto events = session_.take_events();  // named: a registration below awaits while they live
      for (auto& event : events) {
        if (auto* ready = std::get_if<session_ready>(&event)) ready_ = std::move(*ready);
        if (auto* needed = std::get_if<registration_needed>(&event)) {
          if (!options_.register_client) co_return errc::proxy_registration_needed;
          // Registering pays the client contract: only one checked against the trusted root.
          if (!needed->client_contract) co_return errc::proxy_registration_unverified;
          tcp.expires_after(options_.long_authorization_timeout);
          const registration_request request{needed->nonce, *needed->client_contract};
          if (co_await register_client(request)) co_return errc::proxy_registration_failed;
          session_.registered();
        }
      }
    }
    tcp.expires_never();
    co_return error_code{};
  }

  /// The handshake's judgement of the proxy's certificate. A genuine real TDX quote is judged in
  /// full with the collateral for its platform when some is at hand; when it must be fetched, the
  /// judgement waits for the end of the handshake (`pending_`) and no frame is sent before it.
  std::optional<cocoon::detail::failure> judge_certificate(byte_view der) {
    const auto now = std::chrono::system_clock::now();
    error_code ec;
    auto genuine = attest::detail::verify_ratls_genuine(der, options_.policy, now, ec);
    if (!genuine) return cocoon::detail::failure{static_cast<errc>(ec.value()), "proxy certificate"};
    if (!genuine->quote()) {  // fake TDX: judged in full already
      peer_ = std::move(*genuine);
      return std::nullopt;
    }
    const auto& platform = genuine->quote()->platform_fmspc();
    for (const auto& bundle : options_.collateral) {
      if (attest::detail::collateral_fmspc(bundle) == platform) return judge_with(der, &bundle, now);
    }
    if (!options_.collateral_cache) return judge_with(der, nullptr, now);
    const auto quote = attest::tdx_quote::parse(genuine->quote_bytes(), ec);
    const auto ca = quote ? attest::pck_ca_of(*quote) : std::nullopt;
    if (!ca) {
      return cocoon::detail::failure{errc::collateral_fetch_failed, "proxy certificate: PCK issuer names no Intel CA"};
    }
    if (const auto kept = options_.collateral_cache->find(platform, *ca, now)) return judge_with(der, &*kept, now);
    pending_.emplace(pending_attestation{bytes(der.begin(), der.end()), platform, *ca});
    return std::nullopt;
  }

  /// The complete verification, with `collateral` and its CRLs when given.
  std::optional<cocoon::detail::failure> judge_with(byte_view der, const attest::collateral_bundle* collateral,
                                                    std::chrono::system_clock::time_point now) {
    error_code ec;
    attest::verification_report report;
    auto peer = attest::verify_ratls_certificate(der, options_.policy, now,
                                                 collateral ? std::optional(collateral->tdx()) : std::nullopt,
                                                 collateral ? collateral->crls() : std::nullopt, report, ec);
    if (!peer) return cocoon::detail::failure{static_cast<errc>(ec.value()), "proxy certificate"};
    peer_ = std::move(*peer);
    return std::nullopt;
  }

  /// Fetches the pending certificate's collateral (or takes it from the cache) and judges it.
  boost::asio::awaitable<error_code> attest_with_fetched_collateral() {
    const auto pending = std::move(*pending_);
    pending_.reset();
    error_code ec;
    const auto now = std::chrono::system_clock::now();
    auto fetched = co_await options_.collateral_cache->async_get(
        pending.platform, pending.ca, now, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return ec;
    if (auto why = judge_with(pending.der, &*fetched.collateral, std::chrono::system_clock::now())) co_return why->code;
    co_return error_code{};
  }

  /// Runs the user's registrar and waits for it, resuming on the connection's executor.
  boost::asio::awaitable<error_code> register_client(const registration_request& request) {
    using token_type = decltype(boost::asio::redirect_error(boost::asio::use_awaitable, std::declval<error_code&>()));
    error_code ec;
    token_type token = boost::asio::redirect_error(boost::asio::use_awaitable, ec);
    auto initiation = [this, &request](auto handler) {
      // Completed at most once, on the connection's executor, however the registrar calls back.
      auto shared = std::make_shared<std::optional<decltype(handler)>>(std::move(handler));
      options_.register_client(request, [shared, executor = executor_](error_code result) {
        boost::asio::post(executor, [shared, result]() {
          if (!*shared) return;
          auto complete = std::move(**shared);
          shared->reset();
          std::move(complete)(result);
        });
      });
    };
    co_await boost::asio::async_initiate<token_type, void(error_code)>(initiation, token);
    co_return ec;
  }

  boost::asio::awaitable<error_code> payment_status() {
    if (keepalive_running_ || broken_) {  // the idle loop gives the connection back first
      if (const auto why = co_await stop_keepalive()) co_return why;
    }
    if (!ready_) co_return errc::session_not_ready;
    session_.request_payment_status();
    auto& tcp = stream_->next_layer();
    tcp.expires_after(options_.connect_timeout);
    for (bool answered = false; !answered;) {
      if (auto why = co_await exchange()) co_return *why;
      for (const auto& event : session_.take_events()) {
        if (const auto* update = std::get_if<payment_update>(&event)) answered = answered || update->status_answer;
      }
    }
    tcp.expires_never();
    co_return error_code{};
  }

  boost::asio::awaitable<std::pair<error_code, std::vector<model_info>>> models() {
    if (keepalive_running_ || broken_) {  // the idle loop gives the connection back first
      if (const auto why = co_await stop_keepalive()) co_return std::pair{why, std::vector<model_info>{}};
    }
    if (!ready_) co_return std::pair{error_code(errc::session_not_ready), std::vector<model_info>{}};
    session_.request_worker_types();
    auto& tcp = stream_->next_layer();
    tcp.expires_after(options_.connect_timeout);
    std::optional<std::vector<model_info>> answer;
    while (!answer) {
      if (auto why = co_await exchange()) co_return std::pair{*why, std::vector<model_info>{}};
      for (auto& event : session_.take_events()) {
        if (auto* types = std::get_if<worker_types_answer>(&event)) answer = std::move(types->models);
      }
    }
    tcp.expires_never();
    co_return std::pair{error_code{}, std::move(*answer)};
  }

  boost::asio::awaitable<std::pair<error_code, openai::answer>> query(job job, token_handler on_token,
                                                                      std::shared_ptr<read_gate> gate) {
    openai::answer answer;
    if (keepalive_running_ || broken_) {  // the idle loop gives the connection back first
      if (const auto why = co_await stop_keepalive()) co_return std::pair{why, std::move(answer)};
    }
    if (!ready_) co_return std::pair{error_code(errc::session_not_ready), std::move(answer)};
    error_code ec;
    bytes payload;
    std::string_view content_type = "application/json";
    std::optional<envelope::response_opener> opener;  // set when the job goes sealed
    if (options_.seal_jobs) {
      auto sealed = seal_to_peer(job, ec);
      if (!sealed) co_return std::pair{ec, std::move(answer)};
      payload = sealed->bytes_to_send();
      content_type = sealed_job_content_type;
      opener.emplace(sealed->open_response());
    } else {
      auto body = openai::chat_request_body(job, {.client_runner_fields = false}, ec);
      if (!body) co_return std::pair{ec, std::move(answer)};
      payload = to_bytes(*body);
    }

    proto::http_request request{
        "POST",
        "/v1/chat/completions",
        "HTTP/1.1",
        {{"Content-Type", std::string(content_type)}, {"Content-Length", std::to_string(payload.size())}},
        std::move(payload)};
    proto::run_query_ex call;
    call.model_name = job.model();
    call.query = proto::serialize(request);
    call.max_coefficient = static_cast<std::int32_t>(job.max_coefficient());
    call.max_tokens = static_cast<std::int32_t>(job.max_tokens().value_or(1000));
    call.timeout = static_cast<double>(job.timeout().count()) / 1000.0 * 0.95;  // as the official client
    std::array<std::byte, 32> request_id{};
    randombytes_buf(request_id.data(), request_id.size());
    call.request_id = hash256(request_id);
    call.min_config_version = options_.session.min_config_version;
    call.enable_debug = false;
    session_.submit(call);

    auto& tcp = stream_->next_layer();
    tcp.expires_after(job.timeout());
    std::optional<std::int32_t> status;
    bool streamed = false;
    std::string body_text;
    openai::stream_assembler assembler;
    std::deque<std::string> pending;  // pieces read but not handed to `on_token` yet
    const auto take = [&](byte_view data) -> std::optional<error_code> {
      bytes opened;
      if (opener) {  // the answer's plaintext, chunk by chunk as it arrives
        error_code open_error;
        auto chunks = opener->feed(data, open_error);
        if (!chunks) return open_error;
        for (const auto& chunk : *chunks) opened.insert(opened.end(), chunk.begin(), chunk.end());
        data = opened;
      }
      const auto text = as_chars(data);
      if (status != 200 || !streamed) {
        body_text += text;
        return std::nullopt;
      }
      error_code feed_error;
      auto deltas = assembler.feed(text, feed_error);
      if (!deltas) return feed_error;
      if (on_token) {
        for (auto& delta : *deltas) pending.push_back(std::move(delta));
      }
      return std::nullopt;
    };
    for (bool done = false; !done;) {
      if (auto why = co_await exchange()) co_return std::pair{*why, std::move(answer)};
      std::optional<error_code> failed_with;
      auto events = session_.take_events();
      for (auto& event : events) {
        if (auto* head = std::get_if<answer_head>(&event); head && head->request_id == call.request_id) {
          status = head->response.status_code;
          bool sealed_answer = false;
          for (const auto& header : head->response.headers) {
            if (boost::beast::iequals(header.name, "Content-Type")) {
              streamed = header.value.starts_with("text/event-stream");
              sealed_answer = header.value == sealed_answer_content_type;
            }
          }
          if (opener && !sealed_answer) {
            answer.error = "the worker answered a sealed job in clear";
            failed_with = error_code(errc::envelope_malformed);
            break;
          }
          for (const auto& header : head->response.headers) {
            if (opener && boost::beast::iequals(header.name, sealed_inner_type_header))
              streamed = header.value.starts_with("text/event-stream");
          }
          failed_with = take(head->response.payload);
        } else if (auto* part = std::get_if<answer_body>(&event); part && part->request_id == call.request_id) {
          failed_with = take(part->data);
        } else if (auto* failed = std::get_if<answer_failed>(&event); failed && failed->request_id == call.request_id) {
          answer.error = "error " + std::to_string(failed->code) + ": " + failed->message;
          failed_with = error_code(errc::answer_error);
        } else if (auto* end = std::get_if<answer_end>(&event); end && end->request_id == call.request_id) {
          done = true;
        }
        if (failed_with) break;
      }
      // What this read brought goes on piece by piece; a paused gate holds it, and the next read.
      while (!pending.empty()) {
        if (gate && gate->paused()) {
          co_await gate->async_wait_open(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
          if (ec) co_return std::pair{ec, std::move(answer)};
          continue;
        }
        const auto piece = std::move(pending.front());
        pending.pop_front();
        on_token(piece);
      }
      if (failed_with) co_return std::pair{*failed_with, std::move(answer)};
    }
    tcp.expires_never();
    if (opener && !opener->finish(ec)) co_return std::pair{ec, std::move(answer)};  // the answer was cut short
    if (status != 200) {
      answer.error = "HTTP " + std::to_string(status.value_or(0)) + ": " + body_text;
      co_return std::pair{error_code(errc::answer_error), std::move(answer)};
    }
    if (streamed) {
      auto finished = assembler.finish(ec);
      if (!finished) co_return std::pair{ec, assembler.result()};
      co_return std::pair{error_code{}, std::move(*finished)};
    }
    auto parsed = openai::parse_completion(body_text, ec);
    if (!parsed) co_return std::pair{ec, std::move(answer)};
    if (on_token && !parsed->text.empty()) on_token(parsed->text);
    co_return std::pair{error_code{}, std::move(*parsed)};
  }

  /// The job sealed to the verified peer's attested key.
  std::optional<envelope::sealed_job> seal_to_peer(const job& job, error_code& ec) const {
    if (!peer_) {
      ec = errc::session_not_ready;
      return std::nullopt;
    }
    return envelope::seal(job, peer_->sealing_key(), {}, ec);
  }

  /// Sends what the session queued, then reads until at least one frame has been handled.
  boost::asio::awaitable<std::optional<error_code>> exchange() {
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    error_code ec;
    for (const auto& payload : session_.take_outgoing()) {
      const auto frame = encoder_.encode(payload);
      co_await boost::asio::async_write(*stream_, boost::asio::buffer(frame), redirect_error(use_awaitable, ec));
      if (ec) co_return timeout_or(ec);
    }
    std::array<std::byte, 16384> buffer{};
    const std::size_t n =
        co_await stream_->async_read_some(boost::asio::buffer(buffer), redirect_error(use_awaitable, ec));
    if (ec) co_return timeout_or(ec);
    auto payloads = decoder_.feed(byte_view(buffer).first(n), ec);
    if (!payloads) co_return ec;
    for (const auto& payload : *payloads) {
      if (auto why = session_.on_payload(payload, client_session::clock::now())) co_return error_code(why->code);
    }
    // Answers to the proxy's pings go out on the next exchange; send them now if nothing else will.
    if (auto why = session_.on_tick(client_session::clock::now())) co_return error_code(why->code);
    co_return std::nullopt;
  }

  boost::asio::awaitable<error_code> stop_keepalive() {
    // Cancellation must not leave the loop running on a connection its owner is about to drop;
    // the caller's own setting (a query's) is restored afterwards.
    const bool throwing = co_await boost::asio::this_coro::throw_if_cancelled();
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    keepalive_stop_ = true;
    if (keepalive_interrupt_->reading) keepalive_interrupt_->signal.emit(boost::asio::cancellation_type::terminal);
    while (keepalive_running_) {
      error_code ec;
      co_await keepalive_ended_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (keepalive_running_) close();  // cancelled while a write may still hang: end it
    }
    co_await boost::asio::this_coro::throw_if_cancelled(throwing);
    if (broken_) co_return *broken_;
    if (session_.failure()) co_return session_.failure()->code;
    if (!ready_) co_return errc::session_not_ready;
    co_return error_code{};
  }

  /// The idle loop (see `keep_alive`). Writes are never interrupted; the read is, by the tick or a
  /// stop, which loses nothing: bytes already received stay in the TLS engine and the decoder.
  boost::asio::awaitable<error_code> keepalive(client_session::clock::time_point until) {
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    const auto& config = options_.session;
    const auto period = std::max(std::chrono::milliseconds{1}, std::min(config.ping_after, config.give_up_after) / 4);
    boost::asio::steady_timer tick(executor_);
    std::array<std::byte, 16384> buffer{};
    for (;;) {
      error_code ec;
      for (const auto& payload : session_.take_outgoing()) {
        const auto frame = encoder_.encode(payload);
        co_await boost::asio::async_write(*stream_, boost::asio::buffer(frame), redirect_error(use_awaitable, ec));
        if (ec) co_return ec;
      }
      if (keepalive_stop_) co_return error_code{};
      const auto now = client_session::clock::now();
      if (now >= until) co_return errc::timed_out;
      // The tick's handler holds only the signal: it may run late, when it interrupts nothing.
      tick.expires_at(std::min(now + period, until));
      tick.async_wait([interrupt = keepalive_interrupt_](error_code waited) {
        if (!waited && interrupt->reading) interrupt->signal.emit(boost::asio::cancellation_type::terminal);
      });
      keepalive_interrupt_->reading = true;
      const std::size_t n = co_await stream_->async_read_some(
          boost::asio::buffer(buffer),
          boost::asio::bind_cancellation_slot(keepalive_interrupt_->signal.slot(), redirect_error(use_awaitable, ec)));
      keepalive_interrupt_->reading = false;
      keepalive_interrupt_->signal.slot().clear();
      tick.cancel();
      if (ec == boost::asio::error::operation_aborted) {
        if (keepalive_stop_) co_return error_code{};
      } else if (ec) {
        co_return timeout_or(ec);
      } else {
        auto payloads = decoder_.feed(byte_view(buffer).first(n), ec);
        if (!payloads) co_return ec;
        for (const auto& payload : *payloads) {
          if (auto why = session_.on_payload(payload, client_session::clock::now())) co_return error_code(why->code);
        }
        // Between queries nothing waits for events (payment updates and the like).
        (void)session_.take_events();
      }
      if (auto why = session_.on_tick(client_session::clock::now())) co_return error_code(why->code);
    }
  }

  [[nodiscard]] static error_code timeout_or(error_code ec) {
    return ec == boost::beast::error::timeout ? error_code(errc::timed_out) : ec;
  }

  boost::asio::any_io_executor executor_;
  proxy_options options_;
  boost::asio::ssl::context tls_;
  std::shared_ptr<std::optional<cocoon::detail::failure>> refusal_;
  std::optional<stream_type> stream_;
  client_session session_;
  frame_encoder encoder_;
  frame_decoder decoder_;
  std::optional<attest::ratls_peer> peer_;
  /// A genuine certificate whose collateral is to be fetched once the handshake is over.
  struct pending_attestation {
    bytes der;
    attest::fmspc platform;
    attest::pck_ca ca;
  };
  std::optional<pending_attestation> pending_;
  std::optional<session_ready> ready_;
  /// What interrupts the keepalive's read, shared with its tick (which may fire late).
  struct keepalive_interrupt {
    boost::asio::cancellation_signal signal;
    bool reading = false;  ///< a read on the open socket is bound to `signal`
  };
  // The keepalive (`keep_alive`): whether it runs, was asked to stop; its interrupt; a timer
  // cancelled when it ends; why it failed.
  bool keepalive_running_ = false;
  bool keepalive_stop_ = false;
  std::shared_ptr<keepalive_interrupt> keepalive_interrupt_ = std::make_shared<keepalive_interrupt>();
  boost::asio::steady_timer keepalive_ended_{executor_};
  std::optional<error_code> broken_;
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
