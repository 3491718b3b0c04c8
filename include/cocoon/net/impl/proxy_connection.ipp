// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_IMPL_PROXY_CONNECTION_IPP
#define COCOON_NET_IMPL_PROXY_CONNECTION_IPP

#include <cocoon/net/proxy_connection.hpp>

#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/net/detail/answer_pipeline.hpp>
#include <cocoon/net/frame.hpp>
#include <cocoon/net/pow_solver.hpp>
#include <cocoon/net/tls.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <array>
#include <exception>
#include <string_view>
#include <tuple>
#include <variant>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

class proxy_connection::impl {
 public:
  using stream_type = boost::asio::ssl::stream<boost::beast::tcp_stream>;

  impl(boost::asio::any_io_executor executor, proxy_options options)
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

  /// Runs a coroutine that returns an error code (and maybe a value) and completes `handler` with
  /// them, the SDK's way (`error_code` first), keeping the handler's cancellation slot.
  template <class Handler, class Awaitable>
  void spawn(Handler handler, Awaitable body) {
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    boost::asio::co_spawn(
        executor_, std::move(body),
        boost::asio::bind_cancellation_slot(
            slot, [handler = std::move(handler)](std::exception_ptr failure, auto... results) mutable {
              if (failure) return complete_failed(std::move(handler), failure);
              std::apply(std::move(handler), flatten(std::move(results)...));
            }));
  }

  boost::asio::awaitable<error_code> connect(std::string host, std::string port) {
    const auto deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
    stream_->next_layer().expires_at(deadline);
    if (auto ec = co_await open_tcp(host, port)) co_return ec;
    if (auto ec = co_await answer_proof_of_work(deadline)) co_return ec;
    if (auto ec = co_await attested_handshake()) co_return ec;
    if (auto ec = co_await authorize()) co_return ec;
    stream_->next_layer().expires_never();
    co_return error_code{};
  }

  boost::asio::awaitable<std::pair<error_code, openai::answer>> query(job job, token_handler on_token,
                                                                      std::shared_ptr<read_gate> gate) {
    if (const auto why = co_await ready_for_request()) co_return std::pair{why, openai::answer{}};
    error_code ec;
    auto request = prepare_query(job, ec);
    if (!request) co_return std::pair{ec, openai::answer{}};
    detail::answer_pipeline answer(std::move(on_token), std::move(request->opener));
    session_.submit(request->call);
    stream_->next_layer().expires_after(job.timeout());
    openai::answer refused;  // the proxy's or worker's refusal of the query, if it is refused
    ec = co_await read_answer(request->call.request_id, answer, gate.get(), refused);
    if (ec) co_return std::pair{ec, std::move(refused)};
    stream_->next_layer().expires_never();
    co_return answer.finish();
  }

  boost::asio::awaitable<error_code> payment_status() {
    if (const auto why = co_await ready_for_request()) co_return why;
    session_.request_payment_status();
    stream_->next_layer().expires_after(options_.connect_timeout);
    for (bool answered = false; !answered;) {
      if (auto why = co_await exchange()) co_return *why;
      for (const auto& event : session_.take_events()) {
        if (const auto* update = std::get_if<payment_update>(&event)) answered = answered || update->status_answer;
      }
    }
    stream_->next_layer().expires_never();
    co_return error_code{};
  }

  boost::asio::awaitable<std::pair<error_code, std::vector<model_info>>> models() {
    if (const auto why = co_await ready_for_request()) co_return std::pair{why, std::vector<model_info>{}};
    session_.request_worker_types();
    stream_->next_layer().expires_after(options_.connect_timeout);
    std::optional<std::vector<model_info>> answer;
    while (!answer) {
      if (auto why = co_await exchange()) co_return std::pair{*why, std::vector<model_info>{}};
      for (auto& event : session_.take_events()) {
        if (auto* types = std::get_if<worker_types_answer>(&event)) answer = std::move(types->models);
      }
    }
    stream_->next_layer().expires_never();
    co_return std::pair{error_code{}, std::move(*answer)};
  }

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

  [[nodiscard]] bool usable() const noexcept {
    return ready_ && !broken_ && session_.current_state() == client_session::state::ready;
  }

  void close() {
    keepalive_interrupt_->reading = false;  // a closed socket's read is not to be interrupted
    error_code ignored;
    stream_->next_layer().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream_->next_layer().close();
  }

  [[nodiscard]] const std::optional<attest::ratls_peer>& peer() const noexcept { return peer_; }
  [[nodiscard]] const std::optional<session_ready>& session_info() const noexcept { return ready_; }
  [[nodiscard]] const std::optional<ton::cocoon_client::signed_payment>& best_payment() const noexcept {
    return session_.best_payment();
  }

 private:
  template <class Handler>
  static void complete_failed(Handler&& handler, std::exception_ptr failure) {
    error_code ec = errc::crypto_failure;
    try {
      std::rethrow_exception(failure);
    } catch (const boost::system::system_error& e) {
      ec = e.code();
    } catch (const cocoon::error& e) {
      ec = e.code();
    } catch (...) {
    }
    using handler_type = std::decay_t<Handler>;
    if constexpr (std::is_same_v<handler_type, done_handler>) {
      std::move(handler)(ec);
    } else if constexpr (std::is_same_v<handler_type, answer_handler>) {
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

  // Connecting, step by step.

  boost::asio::awaitable<error_code> open_tcp(const std::string& host, const std::string& port) {
    error_code ec;
    boost::asio::ip::tcp::resolver resolver(executor_);
    const auto endpoints =
        co_await resolver.async_resolve(host, port, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return ec;
    co_await stream_->next_layer().async_connect(endpoints,
                                                 boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    co_return timeout_or(ec);
  }

  /// The proxy's proof of work, in clear before TLS, solved away from this executor.
  boost::asio::awaitable<error_code> answer_proof_of_work(std::chrono::steady_clock::time_point deadline) {
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    error_code ec;
    auto& tcp = stream_->next_layer();
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
    co_return timeout_or(ec);
  }

  /// TLS, whose verifier judges the proxy's certificate inside the handshake; a judgement that
  /// waits for fetched collateral completes before any frame is sent.
  boost::asio::awaitable<error_code> attested_handshake() {
    error_code ec;
    co_await stream_->async_handshake(boost::asio::ssl::stream_base::client,
                                      boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (*refusal_) co_return (*refusal_)->code;
    if (ec) co_return timeout_or(ec);
    if (!pending_) co_return error_code{};
    ec = co_await attest_with_fetched_collateral();
    if (ec) close();
    co_return ec;
  }

  /// The protocol handshake, with long authorisation through the registrar when the proxy asks.
  boost::asio::awaitable<error_code> authorize() {
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
          stream_->next_layer().expires_after(options_.long_authorization_timeout);
          const registration_request request{needed->nonce, *needed->client_contract};
          if (co_await register_client(request)) co_return errc::proxy_registration_failed;
          session_.registered();
        }
      }
    }
    co_return error_code{};
  }

  /// The handshake's judgement of the proxy's certificate. A genuine real TDX quote is judged in
  /// full with the collateral for its platform when some is at hand; when it must be fetched, the
  /// judgement waits for the end of the handshake (`pending_`) and no frame is sent before it.
  std::optional<cocoon::detail::failure> judge_certificate(byte_view der) {
    const auto now = std::chrono::system_clock::now();
    auto genuine = attest::detail::verify_ratls_genuine(der, options_.policy, now);
    if (!genuine.has_value()) return cocoon::detail::within("proxy certificate", genuine.error());
    if (!genuine.value().quote()) {  // fake TDX: judged in full already
      peer_ = std::move(genuine).value();
      return std::nullopt;
    }
    const auto& platform = genuine.value().quote()->platform_fmspc();
    for (const auto& bundle : options_.collateral) {
      if (attest::detail::collateral_fmspc(bundle) == platform) return judge_with(der, &bundle, now);
    }
    if (!options_.collateral_cache) return judge_with(der, nullptr, now);
    error_code ec;
    const auto quote = attest::tdx_quote::parse(genuine.value().quote_bytes(), ec);
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
    attest::verification_report report;
    const auto tdx = collateral ? std::optional(collateral->tdx()) : std::nullopt;
    const auto crls = collateral ? collateral->crls() : std::nullopt;
    auto peer = attest::verify_ratls_certificate_impl(der, options_.policy, now, tdx ? &*tdx : nullptr,
                                                      crls ? &*crls : nullptr, report, false);
    if (!peer.has_value()) return cocoon::detail::within("proxy certificate", peer.error());
    peer_ = std::move(peer).value();
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

  // A query, step by step.

  /// The connection back from the keepalive (which gives it up first), ready for a request.
  boost::asio::awaitable<error_code> ready_for_request() {
    if (keepalive_running_ || broken_) {
      if (const auto why = co_await stop_keepalive()) co_return why;
    }
    if (!ready_) co_return errc::session_not_ready;
    co_return error_code{};
  }

  /// A job as the proxy takes it: `client.runQueryEx` around an HTTP request, its body the
  /// OpenAI request or, sealed, its envelope (with the opener of its answer).
  struct prepared_query {
    proto::run_query_ex call;
    std::optional<envelope::response_opener> opener;
  };

  std::optional<prepared_query> prepare_query(const job& job, error_code& ec) const {
    prepared_query prepared;
    bytes payload;
    std::string_view content_type = "application/json";
    if (options_.seal_jobs) {
      if (!peer_) {
        ec = errc::session_not_ready;
        return std::nullopt;
      }
      auto sealed = envelope::seal(job, peer_->sealing_key(), {}, ec);
      if (!sealed) return std::nullopt;
      payload = sealed->bytes_to_send();
      content_type = sealed_job_content_type;
      prepared.opener.emplace(sealed->open_response());
    } else {
      auto body = openai::chat_request_body(job, {.client_runner_fields = false}, ec);
      if (!body) return std::nullopt;
      payload = to_bytes(*body);
    }
    const proto::http_request request{
        "POST",
        "/v1/chat/completions",
        "HTTP/1.1",
        {{"Content-Type", std::string(content_type)}, {"Content-Length", std::to_string(payload.size())}},
        std::move(payload)};
    auto& call = prepared.call;
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
    return prepared;
  }

  /// Reads the answer to query `id` into `answer` until the proxy ends it, handing its text on as
  /// `gate` allows after each read. `refused`: the proxy's or worker's refusal, if it refused.
  boost::asio::awaitable<error_code> read_answer(const hash256& id, detail::answer_pipeline& answer, read_gate* gate,
                                                 openai::answer& refused) {
    for (bool ended = false; !ended;) {
      if (auto why = co_await exchange()) co_return *why;
      error_code failed;
      for (auto& event : session_.take_events()) {
        failed = take_answer_event(event, id, answer, ended, refused);
        if (failed) break;
      }
      // What this read brought goes on piece by piece; a paused gate holds it, and the next read.
      while (!answer.hand_on(gate)) {
        error_code ec;
        co_await gate->async_wait_open(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        if (ec) co_return ec;
      }
      if (failed) co_return failed;
    }
    co_return error_code{};
  }

  /// One session event: a part of the answer to query `id` goes to `answer`; events of other
  /// queries are dropped.
  static error_code take_answer_event(const session_event& event, const hash256& id, detail::answer_pipeline& answer,
                                      bool& ended, openai::answer& refused) {
    if (const auto* head = std::get_if<answer_head>(&event); head && head->request_id == id) {
      const auto& response = head->response;
      const auto status = static_cast<unsigned>(std::max<std::int32_t>(response.status_code, 0));
      if (auto ec = answer.on_head(status, header_value(response, "Content-Type"),
                                   header_value(response, sealed_inner_type_header))) {
        return ec;
      }
      return answer.on_body(response.payload);
    }
    if (const auto* part = std::get_if<answer_body>(&event); part && part->request_id == id) {
      return answer.on_body(part->data);
    }
    if (const auto* failed = std::get_if<answer_failed>(&event); failed && failed->request_id == id) {
      refused.error = "error " + std::to_string(failed->code) + ": " + failed->message;
      return errc::answer_error;
    }
    if (const auto* end = std::get_if<answer_end>(&event); end && end->request_id == id) ended = true;
    return {};
  }

  static std::string_view header_value(const proto::http_response& response, std::string_view name) {
    for (const auto& header : response.headers) {
      if (boost::beast::iequals(header.name, name)) return header.value;
    }
    return {};
  }

  // The frames.

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

COCOON_SDK_DECL proxy_connection::proxy_connection(boost::asio::any_io_executor executor, proxy_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options))) {}

COCOON_SDK_DECL proxy_connection::~proxy_connection() = default;

COCOON_SDK_DECL void proxy_connection::start_connect(std::string host, std::string port, done_handler handler) {
  impl_->spawn(std::move(handler), impl_->connect(std::move(host), std::move(port)));
}

COCOON_SDK_DECL void proxy_connection::start_query(const job& job, token_handler on_token,
                                                   std::shared_ptr<read_gate> gate, answer_handler handler) {
  impl_->spawn(std::move(handler), impl_->query(job, std::move(on_token), std::move(gate)));
}

COCOON_SDK_DECL void proxy_connection::start_payment_status(done_handler handler) {
  impl_->spawn(std::move(handler), impl_->payment_status());
}

COCOON_SDK_DECL void proxy_connection::start_models(models_handler handler) {
  impl_->spawn(std::move(handler), impl_->models());
}

COCOON_SDK_DECL void proxy_connection::start_stop_keepalive(done_handler handler) {
  impl_->spawn(std::move(handler), impl_->stop_keepalive());
}

COCOON_SDK_DECL const std::optional<attest::ratls_peer>& proxy_connection::peer() const noexcept {
  return impl_->peer();
}

COCOON_SDK_DECL const std::optional<session_ready>& proxy_connection::session_info() const noexcept {
  return impl_->session_info();
}

COCOON_SDK_DECL const std::optional<ton::cocoon_client::signed_payment>& proxy_connection::best_payment()
    const noexcept {
  return impl_->best_payment();
}

COCOON_SDK_DECL void proxy_connection::keep_alive(std::chrono::milliseconds for_at_most) {
  impl_->keep_alive(for_at_most);
}

COCOON_SDK_DECL bool proxy_connection::usable() const noexcept { return impl_->usable(); }

COCOON_SDK_DECL void proxy_connection::close() { impl_->close(); }

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
