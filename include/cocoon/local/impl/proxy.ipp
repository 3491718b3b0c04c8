// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_LOCAL_IMPL_PROXY_IPP
#define COCOON_LOCAL_IMPL_PROXY_IPP

#include <cocoon/local/proxy.hpp>

#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/generate.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/x25519.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/local/ledger.hpp>
#include <cocoon/net/frame.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/protocol.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/net/tls.hpp>
#include <cocoon/ton/wallet.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace local {

struct proxy::impl {
  impl(boost::asio::any_io_executor executor, proxy_options options)
      : executor_(std::move(executor)),
        options_(std::move(options)),
        acceptor_(executor_, {boost::asio::ip::make_address("127.0.0.1"), options_.port}),
        tls_(boost::asio::ssl::context::tls_server),
        payment_key_(options_.payment_key ? ed25519_secret_key::from_bytes(options_.payment_key->reveal())
                                          : ed25519_secret_key::generate()),
        tls_key_(options_.certificate ? ed25519_secret_key::from_bytes(options_.certificate->seed->reveal())
                                      : ed25519_secret_key::generate()),
        // The local proxy and worker are one process with one attested key: the certificate's
        // Ed25519 key, whose X25519 form clients seal jobs to (`ratls_peer::sealing_key`).
        recipient_(crypto::x25519_from_ed25519(tls_key_)),
        proxy_wallet_(0, sha256(payment_public_key().view())),
        root_(options_.ledger ? options_.ledger->root() : local_root()),
        model_(options_.model) {
    if (options_.certificate) {
      const std::shared_ptr<EVP_PKEY> key(
          EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, cocoon::detail::uchar(tls_key_.reveal().data()),
                                       tls_key_.size()),
          EVP_PKEY_free);
      if (!key) cocoon::detail::throw_error(errc::crypto_failure, "proxy certificate key");
      net::apply_cocoon_tls_settings(tls_, {options_.certificate->der, key});
    } else {
      net::apply_cocoon_tls_settings(tls_, net::make_fake_tdx_certificate(tls_key_, options_.certificate_time));
    }
    if (options_.ledger) {
      options_.price_per_token = options_.ledger->params().price_per_token;
      options_.ledger->open_wallet(proxy_wallet_, payment_public_key(), nanotons{0U}, true);
    }
    // Clients present any self-signed Ed25519 certificate, as COCOON's proxies accept ("any" policy).
    net::require_peer_certificate(tls_, &check_client_certificate,
                                  std::make_shared<std::optional<cocoon::detail::failure>>(), true);
  }

  /// Starts accepting connections (each served by its own coroutine).
  void start() { boost::asio::co_spawn(executor_, accept_loop(), boost::asio::detached); }

  void stop() {
    error_code ignored;
    acceptor_.close(ignored);
  }

  /// While silent, the proxy reads what clients send but answers nothing, pings included (tests
  /// of a proxy that hangs).
  void set_silent(bool silent) noexcept { silent_ = silent; }

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] const proxy_options& options() const noexcept { return options_; }
  [[nodiscard]] const proxy_counters& counters() const noexcept { return counters_; }
  /// The key that signs this proxy's charges, and the wallet that owns the proxy (on the ledger,
  /// when there is one: its charges are paid there).
  [[nodiscard]] ed25519_public_key payment_public_key() const {
    return cocoon::crypto::ed25519_public_key_of(payment_key_);
  }
  [[nodiscard]] const ton::address& wallet() const noexcept { return proxy_wallet_; }
  /// The root the proxy's contracts derive from: the ledger's, or the default local root.
  [[nodiscard]] const ton::cocoon_root_contract& root() const noexcept { return root_; }

  using stream_type = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

  static std::optional<cocoon::detail::failure> check_client_certificate(byte_view der) {
    const auto* in = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<X509, net::detail::x509_deleter> certificate(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
    EVP_PKEY* key = certificate ? X509_get0_pubkey(certificate.get()) : nullptr;
    if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519 || X509_verify(certificate.get(), key) != 1) {
      return cocoon::detail::failure{errc::ratls_certificate_invalid, "client certificate"};
    }
    return std::nullopt;
  }

  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      auto socket = co_await acceptor_.async_accept(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) co_return;  // stopped
      ++counters_.connections;
      boost::asio::co_spawn(executor_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  /// One client: proof of work, TLS, then the protocol until the client leaves.
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    error_code ec;
    net::pow_challenge challenge;
    challenge.difficulty = options_.pow_difficulty;
    randombytes_buf(challenge.salt.data(), challenge.salt.size());
    const auto challenge_bytes = challenge.serialize();
    co_await boost::asio::async_write(socket, boost::asio::buffer(challenge_bytes), redirect_error(use_awaitable, ec));
    std::array<std::byte, 12> response{};
    if (!ec) co_await boost::asio::async_read(socket, boost::asio::buffer(response), redirect_error(use_awaitable, ec));
    if (ec) co_return;
    const auto nonce = net::pow_challenge::parse_response(response, ec);  // a wrong magic: not a COCOON client
    if (!nonce || !challenge.accepts(*nonce)) co_return;

    stream_type stream(std::move(socket), tls_);
    co_await stream.async_handshake(boost::asio::ssl::stream_base::server, redirect_error(use_awaitable, ec));
    if (ec) co_return;
    ++counters_.handshakes_completed;

    connection c{stream};
    std::array<std::byte, 16384> buffer{};
    for (;;) {
      const std::size_t n =
          co_await stream.async_read_some(boost::asio::buffer(buffer), redirect_error(use_awaitable, ec));
      if (ec) co_return;
      auto payloads = c.decoder.feed(byte_view(buffer).first(n), ec);
      if (!payloads) co_return;
      for (const auto& payload : *payloads) {
        ++counters_.frames_received;
        auto message = net::proto::parse<net::proto::tcp_message>(payload, ec);
        if (!message) co_return;
        const bool keep_going = handle(c, *message);
        if (silent_) c.outbox.clear();
        co_await boost::asio::async_write(stream, boost::asio::buffer(c.outbox), redirect_error(use_awaitable, ec));
        c.outbox.clear();
        if (ec || !keep_going) co_return;
      }
    }
  }

  struct connection {
    stream_type& stream;
    net::frame_encoder encoder{};
    net::frame_decoder decoder{};
    /// As a real proxy's connection: `client.connectToProxy` first, then one authorisation query.
    enum class stage { connect, authorize, ready } stage = stage::connect;
    std::int32_t proto_version = 0;                 ///< chosen at `client.connectToProxy`
    std::optional<ton::address> client_contract{};  ///< on the ledger, when the proxy has one
    std::optional<std::int64_t> long_nonce{};       ///< the nonce of a long authorisation asked for
    bytes outbox{};                                 ///< frames waiting to be written
  };

  // Handling a message only queues frames; the connection's coroutine writes them. (Keeping
  // coroutines out of message handling also keeps clear of g++ 12's bugs with temporaries in
  // co_await expressions.)
  template <class T>
  static bool send(connection& c, const T& message) {
    const auto frame = c.encoder.encode(net::proto::serialize(net::proto::tcp_message{message}));
    c.outbox.insert(c.outbox.end(), frame.begin(), frame.end());
    return true;
  }

  template <class T>
  static bool send_packet(connection& c, const T& packet) {
    return send(c, net::proto::tcp_packet{net::proto::serialize(packet)});
  }

  bool handle(connection& c, const net::proto::tcp_message& message) {
    namespace proto = net::proto;
    if (const auto* connect = std::get_if<proto::tcp_connect>(&message)) {
      return send(c, proto::tcp_connected{connect->connection_id});
    }
    if (const auto* ping = std::get_if<proto::tcp_ping>(&message)) {
      ++counters_.pings;
      return send(c, proto::tcp_pong{ping->ping_id});
    }
    if (const auto* query = std::get_if<proto::tcp_query>(&message)) {
      error_code ec;
      auto call = proto::parse<proto::client_call>(query->data, ec);
      if (!call) return false;
      if (c.stage != connection::stage::ready) return handshake(c, query->query_id, *call);
      if (std::holds_alternative<proto::update_payment_status>(*call)) {
        const auto tokens = tokens_used(c);
        return send(c, proto::tcp_query_answer{query->query_id, proto::serialize(proto::payment_status{
                                                                    latest_payment(c), tokens, tokens})});
      }
      if (std::holds_alternative<proto::get_worker_types_v2>(*call) ||
          std::holds_alternative<proto::get_worker_types>(*call)) {
        // One worker: the reference model at the base price, generating one answer at a time.
        const std::int32_t coefficient = 1000;
        const auto running = static_cast<std::int32_t>(running_.load());
        if (std::holds_alternative<proto::get_worker_types>(*call)) {
          // A real proxy sorts its workers' coefficients with INT32_MAX added, so with one worker the
          // median and the maximum are INT32_MAX.
          constexpr auto sentinel = std::numeric_limits<std::int32_t>::max();
          const proto::worker_types::type type{options_.model_name, 1, coefficient, sentinel, sentinel};
          return send(c, proto::tcp_query_answer{query->query_id, proto::serialize(proto::worker_types{{type}})});
        }
        const proto::worker_types_v2::type type{options_.model_name, {{0, coefficient, running, 1}}};
        return send(c, proto::tcp_query_answer{query->query_id, proto::serialize(proto::worker_types_v2{{type}})});
      }
      return send(c, proto::tcp_query_error{query->query_id, 400, "unsupported query"});
    }
    if (const auto* packet = std::get_if<proto::tcp_packet>(&message); packet && c.stage == connection::stage::ready) {
      error_code ec;
      auto call = proto::parse<proto::client_call>(packet->data, ec);
      if (!call) return false;
      if (const auto* run = std::get_if<proto::run_query_ex>(&*call)) return run_query(c, *run);
    }
    return false;  // anything else ends the connection, as a real proxy does
  }

  // TON's error codes, which a real proxy's refusals carry.
  static constexpr std::int32_t error_code_error = 602;
  static constexpr std::int32_t error_code_protoviolation = 621;
  static constexpr std::int32_t error_code_notready = 651;
  // What a real proxy speaks: protocol versions 0 to 2.
  static constexpr std::int32_t min_proto_version = 0;
  static constexpr std::int32_t max_proto_version = 2;

  /// A query before the connection is authorised. As a real proxy, every refusal is a
  /// `tcp.queryError` and the end of the connection.
  bool handshake(connection& c, std::int64_t query_id, const net::proto::client_call& call) {
    namespace proto = net::proto;
    const auto refuse = [&](std::int32_t code, std::string message) {
      send(c, proto::tcp_query_error{query_id, code, std::move(message)});
      return false;
    };
    if (c.stage == connection::stage::connect) {
      const auto* connect = std::get_if<proto::connect_to_proxy>(&call);
      if (connect == nullptr) return refuse(error_code_protoviolation, "expected client.connectToProxy");
      const auto& params = connect->params;
      if (!params.is_test) return refuse(error_code_error, "tool old client");  // sic, as a real proxy says it
      if (*params.is_test != options_.is_test) return refuse(error_code_error, "test mode mismatch");
      // The client's wallet address in any form.
      error_code ec;
      const auto owner = ton::parse_address(params.client_owner_address, ec);
      if (!owner) return refuse(error_code_error, "cannot parse client owner address");
      if (connect->min_config_version < 0 ||
          static_cast<std::uint32_t>(connect->min_config_version) > options_.config_version) {
        return refuse(error_code_error, "active config version is too low");
      }
      // A client without versions is protocol 0.
      const auto [client_min, client_max] = params.proto_versions.value_or(std::pair{0, 0});
      if (client_max < min_proto_version || max_proto_version < client_min) {
        return refuse(error_code_protoviolation, "cannot choose common protocol version");
      }
      c.proto_version = std::min(client_max, max_proto_version);
      c.stage = connection::stage::authorize;
      return send(c, proto::tcp_query_answer{query_id, proto::serialize(connected(c, owner->address))});
    }
    if (const auto* authorize = std::get_if<proto::authorize_with_proxy_short>(&call)) {
      if (c.long_nonce || sha256(authorize->data) != sha256(as_bytes(options_.client_secret))) {
        return refuse(0, "sha256 mismatch");
      }
      return send(c, proto::tcp_query_answer{query_id, authorized(c)});
    }
    if (std::holds_alternative<proto::authorize_with_proxy_long>(call)) {
      // The client contract must have forwarded this connection's nonce by now; a real proxy would
      // wait for it, this one answers at once, and refuses as a real proxy gives up: answered, then closed.
      if (!c.long_nonce || !c.client_contract ||
          !options_.ledger->contract(*c.client_contract)
               .registered_nonces.contains(static_cast<std::uint64_t>(*c.long_nonce))) {
        send(c, proto::tcp_query_answer{query_id, proto::serialize(proto::authorization_failed{
                                                      error_code_error, "no owner_client_register with this nonce"})});
        return false;
      }
      return send(c, proto::tcp_query_answer{query_id, authorized(c)});
    }
    return refuse(error_code_error, "expected auth message");
  }

  /// The answer to `client.connectToProxy`, for the client contract of `owner`.
  net::proto::connected_to_proxy connected(connection& c, const ton::address& owner) {
    namespace proto = net::proto;
    const auto contracts = ton::cocoon_contracts(root_, proxy_wallet_, payment_public_key(), owner);
    proto::connected_to_proxy answer;
    answer.params.proxy_public_key = payment_public_key();
    answer.params.proxy_owner_address = proxy_wallet_.to_friendly({.bounceable = false, .testnet = true});
    answer.params.proxy_sc_address =
        options_.announced_proxy_contract.value_or(contracts.proxy).to_friendly({.bounceable = true, .testnet = true});
    answer.params.is_test = options_.is_test;
    if (c.proto_version > 0) answer.params.proto_version = c.proto_version;  // protocol 0: flags.1 clear
    answer.client_sc_address = options_.announced_client_contract.value_or(contracts.client)
                                   .to_friendly({.bounceable = true, .testnet = true});
    if (options_.ledger) {
      // The owner's wallet must be open on the ledger; its client contract is deployed now.
      try {
        c.client_contract = options_.ledger->open_client_contract(owner, payment_public_key(), proxy_wallet_);
      } catch (const cocoon::error&) {  // no wallet on the ledger: queries will be refused
      }
    }
    if (options_.long_authorization) {
      std::int64_t nonce = 0;
      randombytes_buf(&nonce, sizeof nonce);
      c.long_nonce = nonce;
      answer.auth = proto::proxy_connection_auth_long{nonce};
    } else {
      answer.auth = proto::proxy_connection_auth_short{sha256(as_bytes(options_.client_secret)), 1};
    }
    answer.payment = latest_payment(c);
    return answer;
  }

  bytes authorized(connection& c) {
    c.stage = connection::stage::ready;
    const auto tokens = tokens_used(c);
    return net::proto::serialize(net::proto::authorization_success{latest_payment(c), tokens, tokens});
  }

  /// The tokens charged to the connection's client contract on the ledger so far.
  [[nodiscard]] std::int64_t tokens_used(const connection& c) const {
    if (!c.client_contract) return 0;
    return static_cast<std::int64_t>(options_.ledger->contract(*c.client_contract).tokens_used);
  }

  /// The last charge this proxy signed for the connection's client contract, or none.
  [[nodiscard]] net::proto::signed_payment latest_payment(const connection& c) {
    if (!c.client_contract) return {};
    const std::lock_guard lock(payments_mutex_);
    const auto found = payments_.find(c.client_contract->to_raw());
    if (found == payments_.end()) return {};
    return {found->second};
  }

  /// The worker: answers a chat request, plain or sealed in a job envelope, with the reference
  /// model, streamed when asked; with a ledger, charged before the answer leaves.
  bool run_query(connection& c, const net::proto::run_query_ex& run) {
    namespace proto = net::proto;
    ++counters_.queries;
    // The proxy's checks come first, as a real proxy makes them before forwarding to a worker.
    const double proxy_start = now();
    if (run.min_config_version < 0 || static_cast<std::uint32_t>(run.min_config_version) > options_.config_version) {
      return refuse(c, run, error_code_error, "active config version is too low");
    }
    if (run.model_name != options_.model_name) {
      return refuse(c, run, error_code_notready, "no ready workers for model " + run.model_name);
    }
    if (options_.ledger && !c.client_contract) return refuse(c, run, error_code_error, "no client contract");

    const request_times worker_times{proxy_start, now()};
    const auto worker_error = [&](std::int32_t code, std::string message) {
      return fail(c, run, worker_times, code, std::move(message));
    };
    struct running_query {  // counted for the worker types answer while it is answered
      std::atomic<std::size_t>& running;
      explicit running_query(std::atomic<std::size_t>& n) : running(n) { ++running; }
      running_query(const running_query&) = delete;
      running_query& operator=(const running_query&) = delete;
      ~running_query() { --running; }
    } const counted(running_);
    error_code ec;
    auto request = proto::parse<proto::http_request>(run.query, ec);
    if (!request) return worker_error(400, "not an HTTP request");
    const bool sealed = std::any_of(request->headers.begin(), request->headers.end(), [](const auto& h) {
      return boost::beast::iequals(h.name, "Content-Type") && h.value == net::sealed_job_content_type;
    });
    std::optional<envelope::opened_job> opened;
    nlohmann::json body;
    if (sealed) {
      ++counters_.sealed_queries;
      opened = recipient_.open(request->payload, std::chrono::system_clock::now(), replay_guard_, {}, ec);
      if (!opened) return worker_error(400, "sealed job refused: " + ec.message());
      // The same body a plain client sends for this job.
      auto text = openai::chat_request_body(opened->job(), {.client_runner_fields = false}, ec);
      if (!text) return worker_error(400, "sealed job: " + ec.message());
      body = nlohmann::json::parse(*text, nullptr, false);
    } else {
      body = nlohmann::json::parse(as_chars(request->payload), nullptr, false);
    }
    if (body.is_discarded() || !body.is_object() || !body.contains("messages")) {
      return worker_error(400, "not a chat request");
    }

    std::string prompt;
    for (const auto& message : body["messages"]) {
      if (message.contains("content") && message["content"].is_string())
        prompt += message["content"].get<std::string>();
      prompt += '\n';
    }
    const std::size_t room = options_.model.context_length / 2;
    if (prompt.size() > room) prompt = prompt.substr(prompt.size() - room);  // the model's context is small
    const std::size_t max_tokens = std::min<std::size_t>(static_cast<std::size_t>(std::max(run.max_tokens, 1)),
                                                         options_.model.context_length - prompt.size() - 2);
    const auto prompt_tokens = static_cast<std::int64_t>(prompt.size() + 1);
    if (options_.ledger) {
      // As a real proxy, refuse a request the client contract cannot pay for at its largest (priced
      // on the prompt, so checked once the request is read).
      const auto available = options_.ledger->contract(*c.client_contract).balance.count();
      if ((static_cast<std::uint64_t>(prompt_tokens) + max_tokens) * options_.price_per_token > available) {
        return refuse(c, run, error_code_error, "client balance is too low");
      }
    }
    const bool stream = body.value("stream", false);
    backend::sampling_params sampling;
    sampling.seed = body.value("seed", std::uint64_t{0});
    if (body.contains("temperature") && body["temperature"].is_number()) {
      sampling.temperature = body["temperature"].get<float>();
    }

    std::string text;
    {
      const std::lock_guard lock(model_mutex_);  // one generation at a time on the shared model
      auto generated = backend::generate(model_, prompt, max_tokens, sampling, {}, ec);
      if (!generated) return worker_error(500, ec.message());
      text = std::move(generated->text);
    }
    const auto completion_tokens = static_cast<std::int64_t>(text.size());
    const auto total_tokens = static_cast<std::uint64_t>(prompt_tokens + completion_tokens);
    const auto usage = nlohmann::json{{"prompt_tokens", prompt_tokens},
                                      {"completion_tokens", completion_tokens},
                                      {"total_tokens", total_tokens},
                                      {"total_cost", total_tokens * options_.price_per_token}};
    const proto::tokens_used answer_tokens{prompt_tokens, 0, completion_tokens, 0, prompt_tokens + completion_tokens};

    // The charge: the contract's tokens so far plus this answer's, signed and applied first.
    proto::signed_payment payment;
    if (options_.ledger) {
      const auto charged_tokens = options_.ledger->contract(*c.client_contract).tokens_used + total_tokens;
      const auto charge = sign_payment(payment_key_, ton::cocoon_client::op::charge_signed, ++charge_query_id_,
                                       charged_tokens, *c.client_contract, proxy_wallet_);
      payment.boc = ton::serialize_boc(charge.to_cell());
      if (!options_.ledger->apply_signed_payment(*c.client_contract, *payment.boc, std::chrono::system_clock::now(),
                                                 ec)) {
        return refuse(c, run, error_code_error, "charge refused: " + ec.message());
      }
      ++counters_.charges;
      const std::lock_guard lock(payments_mutex_);
      payments_[c.client_contract->to_raw()] = *payment.boc;
    }

    std::string content_type;
    std::vector<bytes> pieces;
    if (stream) {
      content_type = "text/event-stream";
      for (std::size_t at = 0; at < text.size(); at += 4) {  // a few tokens per event
        const nlohmann::json chunk{{"choices", {{{"index", 0}, {"delta", {{"content", text.substr(at, 4)}}}}}},
                                   {"model", options_.model_name}};
        pieces.push_back(to_bytes("data: " + chunk.dump() + "\n\n"));
      }
      const nlohmann::json last{
          {"choices", {{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", "length"}}}},
          {"usage", usage},
          {"model", options_.model_name}};
      const auto last_event = "data: " + last.dump() + "\n\n";
      switch (options_.cut_streams) {
        case stream_cut::none: pieces.push_back(to_bytes(last_event + "data: [DONE]\n\n")); break;
        case stream_cut::before_done: pieces.push_back(to_bytes(last_event)); break;
        case stream_cut::mid_event: pieces.push_back(to_bytes(last_event.substr(0, last_event.size() / 2))); break;
        case stream_cut::before_usage: break;
      }
    } else {
      content_type = "application/json";
      const nlohmann::json answer{
          {"choices",
           {{{"index", 0}, {"finish_reason", "length"}, {"message", {{"role", "assistant"}, {"content", text}}}}}},
          {"model", options_.model_name},
          {"object", "chat.completion"},
          {"usage", usage}};
      pieces.push_back(to_bytes(answer.dump()));
    }
    proto::http_response head{"HTTP/1.1", 200, "OK", {{"Content-Type", content_type}}, {}};
    if (opened) {
      // Sealed back under the job's keys: the response header first, then one STREAM chunk per piece.
      head.headers = {{"Content-Type", std::string(net::sealed_answer_content_type)},
                      {std::string(net::sealed_inner_type_header), content_type}};
      head.payload = opened->response_header();
      for (std::size_t i = 0; i < pieces.size(); ++i)
        pieces[i] = opened->seal_response(pieces[i], i + 1 == pieces.size());
    }
    // As a real worker and proxy: the worker's times and "the body follows in parts" (a real
    // worker sends `Content-Length` only for an empty body), then the proxy's times.
    head.headers.push_back({"X-Cocoon-Worker-Start", unix_time(worker_times.worker_start)});
    head.headers.push_back({"X-Cocoon-Worker-End", unix_time(now())});
    head.headers.push_back({"Transfer-Encoding", "chunked"});
    head.headers.push_back({"X-Cocoon-Proxy-Start", unix_time(proxy_start)});
    head.headers.push_back({"X-Cocoon-Proxy-End", unix_time(now())});
    if (c.proto_version == 0) {
      send_packet(c, proto::query_answer{proto::serialize(head), false, run.request_id, {}});
    } else {
      send_packet(c, proto::query_answer_ex{run.request_id, proto::serialize(head), 0, std::nullopt});
    }
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const bool last = i + 1 == pieces.size();
      if (c.proto_version == 0) {
        send_packet(
            c, proto::query_answer_part{pieces[i], last, run.request_id, last ? answer_tokens : proto::tokens_used{}});
      } else {
        send_packet(c, proto::query_answer_part_ex{
                           run.request_id, pieces[i], 0,
                           last ? std::optional{final_info(c, worker_times, answer_tokens)} : std::nullopt});
      }
    }
    // The charge goes to the client after the answer, as a real proxy sends it.
    const auto tokens = tokens_used(c);
    return send_packet(c, proto::client_request_payment{run.request_id, payment, tokens, tokens, answer_tokens.total});
  }

  /// When the proxy took a query and when its worker started on it (Unix seconds).
  struct request_times {
    double proxy_start = 0;
    double worker_start = 0;
  };

  /// The clock's time in Unix seconds, to the microsecond (as real proxies report times).
  [[nodiscard]] double now() const {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options_.clock().time_since_epoch());
    return static_cast<double>(micros.count()) / 1e6;
  }
  /// A Unix time as real workers and proxies write it in headers: seconds with 6 decimals.
  static std::string unix_time(double seconds) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.6f", seconds);
    return text.data();
  }

  /// The end of an answer: its usage, and from protocol 2 on the proxy's and worker's times.
  [[nodiscard]] net::proto::query_final_info final_info(const connection& c, const request_times& times,
                                                        const net::proto::tokens_used& tokens) const {
    net::proto::query_final_info info;
    info.tokens = tokens;
    if (c.proto_version >= 2) {
      const double worker_end = now();
      info.times = net::proto::query_final_info::timings{times.proxy_start, now(), times.worker_start, worker_end};
    }
    return info;
  }

  /// The proxy's refusal of a query it does not forward: a real proxy sends the protocol-0 form
  /// to every client.
  static bool refuse(connection& c, const net::proto::run_query_ex& run, std::int32_t code, std::string message) {
    return send_packet(c, net::proto::query_answer_error{code, std::move(message), run.request_id, {}});
  }
  /// The worker's error: from protocol 1 on with its `final_info`.
  bool fail(connection& c, const net::proto::run_query_ex& run, const request_times& times, std::int32_t code,
            std::string message) {
    if (c.proto_version == 0) return refuse(c, run, code, std::move(message));
    return send_packet(
        c, net::proto::query_answer_error_ex{run.request_id, code, std::move(message), 0, final_info(c, times, {})});
  }

  boost::asio::any_io_executor executor_;
  proxy_options options_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ssl::context tls_;
  ed25519_secret_key payment_key_;
  ed25519_secret_key tls_key_;
  envelope::envelope_recipient recipient_;
  envelope::replay_guard replay_guard_{};
  ton::address proxy_wallet_;
  ton::cocoon_root_contract root_;
  std::uint64_t charge_query_id_ = 0;
  std::mutex payments_mutex_;
  std::map<std::string, bytes> payments_;  ///< the last signed charge per client contract (raw address)
  backend::cpu_backend model_;
  std::mutex model_mutex_;
  proxy_counters counters_;
  std::atomic<std::size_t> running_{0};  ///< queries being answered now (the worker's load)
  std::atomic<bool> silent_{false};
};

proxy::proxy(boost::asio::any_io_executor executor, proxy_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options))) {}

proxy::~proxy() = default;

void proxy::start() { impl_->start(); }

void proxy::stop() { impl_->stop(); }

void proxy::set_silent(bool silent) noexcept { impl_->set_silent(silent); }

std::uint16_t proxy::port() const { return impl_->port(); }

const proxy_options& proxy::options() const noexcept { return impl_->options(); }

const proxy_counters& proxy::counters() const noexcept { return impl_->counters(); }

ed25519_public_key proxy::payment_public_key() const { return impl_->payment_public_key(); }

const ton::address& proxy::wallet() const noexcept { return impl_->wallet(); }

const ton::cocoon_root_contract& proxy::root() const noexcept { return impl_->root(); }

}  // namespace local
COCOON_SDK_NAMESPACE_END

#endif
