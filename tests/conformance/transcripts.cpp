// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// Conformance transcripts: each scenario runs the SDK's client session against the local proxy
// over real TCP, proof of work and TLS, records every frame both sides send, and compares the
// transcript with the committed file in tests/conformance/transcripts/ byte for byte.
// COCOON_UPDATE_TRANSCRIPTS=1 rewrites the files instead (docs/net.md, "Conformance transcripts").
//
// The client side is `net::client_session`, the protocol core `net::proxy_connection` drives, fed
// by a small blocking transport here; queries are built as `proxy_connection` builds them, with a
// fixed request id. The proxy's payment key is fixed (`local::proxy_options::payment_key`), so its
// key, addresses and signed charges repeat; the ids the client draws and the proxy's
// authorisation nonce are placeholders.
#include <catch2/catch.hpp>

#include "conformance/transcript.hpp"

#include <cocoon/job/job_builder.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/local/ledger.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/net/client_session.hpp>
#include <cocoon/net/frame.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/tls.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/payment.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

namespace {

namespace asio = boost::asio;
namespace net = cocoon::net;
namespace local = cocoon::local;
namespace ton = cocoon::ton;
using conformance::json;
using conformance::side;

const std::filesystem::path transcripts_dir = std::filesystem::path(__FILE__).parent_path() / "transcripts";

/// The owner's COCOON wallet, open on a ledger (the address is fixed: it goes into the frames).
struct conformance_wallet {
  std::shared_ptr<local::ledger> ledger = std::make_shared<local::ledger>();
  cocoon::ed25519_secret_key key = cocoon::ed25519_secret_key::generate();  // signs nothing the frames carry
  ton::cocoon_wallet wallet = ton::cocoon_wallet::deployed(
      ton::address(0, cocoon::sha256(cocoon::as_bytes("conformance owner's COCOON wallet"))),
      cocoon::crypto::ed25519_public_key_of(key),
      ton::address(0, cocoon::sha256(cocoon::as_bytes("conformance owner"))));

  conformance_wallet() {
    ledger->open_wallet(wallet.address(), wallet.public_key(), cocoon::nanotons::parse("10"), true);
  }

  void top_up(const ton::address& contract) {
    send(ton::payment(wallet).to(contract).query_id(1).top_up(cocoon::nanotons::parse("1")));
  }
  void register_nonce(const ton::address& contract, std::int64_t nonce) {
    send(ton::payment(wallet).to(contract).query_id(2).register_client(static_cast<std::uint64_t>(nonce)));
  }

 private:
  void send(ton::payment& request) {
    const auto message = request.seqno(ledger->seqno(wallet.address())).valid_for(std::chrono::seconds{60}).sign(key);
    (void)ledger->apply_external(ton::serialize_boc(message.to_cell()));
  }
};

/// The local proxy on its own thread, with the fixed payment key.
class conformance_proxy {
 public:
  explicit conformance_proxy(local::proxy_options options) : proxy_(io_.get_executor(), with_fixed_key(options)) {
    proxy_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~conformance_proxy() {
    io_.stop();
    thread_.join();
  }
  conformance_proxy(const conformance_proxy&) = delete;
  conformance_proxy& operator=(const conformance_proxy&) = delete;

  [[nodiscard]] local::proxy& get() noexcept { return proxy_; }

 private:
  static local::proxy_options with_fixed_key(local::proxy_options options) {
    options.payment_key = std::make_shared<const cocoon::ed25519_secret_key>(cocoon::ed25519_secret_key::from_bytes(
        cocoon::sha256(cocoon::as_bytes("conformance proxy payment key")).view()));
    options.pow_difficulty = 1;
    // The times in answers (timing headers, final_info) step by 1 ms from a fixed instant each
    // time they are read, so a scenario's times are the same on every run.
    options.clock = [ticks = std::make_shared<std::atomic<std::int64_t>>(0)] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000) +
                                                   std::chrono::milliseconds(ticks->fetch_add(1)));
    };
    return options;
  }

  asio::io_context io_;
  local::proxy proxy_;
  std::thread thread_;
};

/// A client session over a blocking TCP + proof of work + TLS transport, recording every frame in
/// the order it was sent or received: a frame the client sends in reply follows the one it answers.
class recording_client {
 public:
  recording_client(std::uint16_t port, net::session_config config) : session_(std::move(config)) {
    auto& socket = stream_.next_layer();
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    std::array<std::byte, net::pow_challenge::size> challenge_bytes{};
    asio::read(socket, asio::buffer(challenge_bytes));
    const auto challenge = net::pow_challenge::parse(challenge_bytes);
    asio::write(socket, asio::buffer(net::pow_challenge::response(challenge.solve().value())));
    stream_.handshake(asio::ssl::stream_base::client);
  }

  net::client_session& session() noexcept { return session_; }
  std::vector<net::session_event>& events() noexcept { return events_; }
  [[nodiscard]] const std::vector<conformance::frame>& frames() const noexcept { return frames_; }

  /// Sends what the session has queued.
  void flush() {
    for (auto& payload : session_.take_outgoing()) send_raw(std::move(payload));
  }

  /// Sends a frame the session knows nothing of (a call it has no API for).
  void send_raw(cocoon::bytes payload) {
    asio::write(stream_, asio::buffer(encoder_.encode(payload)));
    frames_.push_back({side::client, std::move(payload)});
  }

  /// Feeds the proxy's frames to the session, answering as it queues, until `done`.
  void run_until(const std::function<bool()>& done) {
    flush();
    while (!done()) {
      for (auto& payload : read_frames()) {
        frames_.push_back({side::proxy, payload});
        if (const auto why = session_.on_payload(payload, net::client_session::clock::now())) {
          FAIL("session failed: " << cocoon::error_code(why->code).message() << ": " << why->where);
        }
        for (auto& event : session_.take_events()) events_.push_back(std::move(event));
        flush();
      }
    }
  }

  /// Reads the proxy's next frame without the session (the answer to `send_raw`).
  const cocoon::bytes& read_raw() {
    std::vector<cocoon::bytes> payloads;
    while (payloads.empty()) payloads = read_frames();
    REQUIRE(payloads.size() == 1);
    frames_.push_back({side::proxy, std::move(payloads.front())});
    return frames_.back().payload;
  }

  template <class Event>
  [[nodiscard]] const Event* find(const std::function<bool(const Event&)>& match = {}) const {
    for (const auto& event : events_) {
      if (const auto* e = std::get_if<Event>(&event); e != nullptr && (!match || match(*e))) return e;
    }
    return nullptr;
  }

 private:
  std::vector<cocoon::bytes> read_frames() {
    std::array<std::byte, 16384> buffer{};
    std::optional<std::pair<cocoon::error_code, std::size_t>> read;
    stream_.async_read_some(asio::buffer(buffer), [&](cocoon::error_code ec, std::size_t n) { read = {ec, n}; });
    io_.restart();
    io_.run_for(std::chrono::seconds{30});  // a proxy that stops answering fails the suite, not hangs it
    if (!read) FAIL("no frame from the proxy");
    if (read->first) FAIL("reading from the proxy: " << read->first.message());
    return decoder_.feed(cocoon::byte_view(buffer).first(read->second));
  }

  asio::io_context io_;
  // Set up before the stream, which takes the certificate when it is made. The proxy's
  // certificate is not judged here: the transcripts are about the frames above TLS.
  asio::ssl::context tls_ = [] {
    asio::ssl::context tls(asio::ssl::context::tls_client);
    net::apply_cocoon_tls_settings(tls, net::make_ed25519_certificate(cocoon::ed25519_secret_key::generate(), {}));
    return tls;
  }();
  asio::ssl::stream<asio::ip::tcp::socket> stream_{io_, tls_};
  net::client_session session_;
  net::frame_encoder encoder_;
  net::frame_decoder decoder_;
  std::vector<net::session_event> events_;
  std::vector<conformance::frame> frames_;
};

net::session_config conformance_session(const conformance_wallet& w, const local::proxy& proxy, bool with_secret) {
  net::session_config config;
  config.owner_address = w.wallet.address().to_friendly({.bounceable = false, .testnet = true});
  config.is_test = true;
  config.root = proxy.root();
  if (with_secret) config.secret = proxy.options().client_secret;
  return config;
}

/// Connects with short authorisation and waits for the session to be ready.
void connect_short(recording_client& client) {
  client.session().start(net::client_session::clock::now());
  client.run_until([&] { return client.find<net::session_ready>() != nullptr; });
}

/// A chat query as `proxy_connection` sends it, with a request id fixed by `name`.
net::proto::run_query_ex chat_query(const std::string& name, const std::string& model, bool stream) {
  const auto job = cocoon::job_builder().model(model).user("What is TON?").max_tokens(12).stream(stream).build();
  const auto body = cocoon::openai::chat_request_body(job, {.client_runner_fields = false});
  net::proto::http_request request{
      "POST",
      "/v1/chat/completions",
      "HTTP/1.1",
      {{"Content-Type", "application/json"}, {"Content-Length", std::to_string(body.size())}},
      cocoon::to_bytes(body)};
  net::proto::run_query_ex call;
  call.model_name = job.model();
  call.query = net::proto::serialize(request);
  call.max_coefficient = static_cast<std::int32_t>(job.max_coefficient());
  call.max_tokens = static_cast<std::int32_t>(job.max_tokens().value_or(1000));
  call.timeout = static_cast<double>(job.timeout().count()) / 1000.0 * 0.95;
  call.request_id = cocoon::sha256(cocoon::as_bytes("conformance request " + name));
  call.enable_debug = false;
  return call;
}

/// Runs `query` and waits for its answer to end (and, when answered, for its payment).
void run_query(recording_client& client, const net::proto::run_query_ex& query) {
  client.session().submit(query);
  const auto mine = [&](const auto& e) { return e.request_id == query.request_id; };
  client.run_until([&] {
    return client.find<net::answer_failed>(mine) != nullptr ||
           client.find<net::payment_update>(
               [&](const net::payment_update& p) { return p.request_id == query.request_id; });
  });
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Each placeholder's value put back at its ranges gives the bytes the run saw: the ranges are
/// exactly the varying fields.
void check_placeholders(const json& transcript, const std::vector<conformance::frame>& frames,
                        const std::vector<conformance::transcript_decoder::placeholder>& values) {
  REQUIRE(transcript["frames"].size() == frames.size());
  std::vector<cocoon::bytes> replayed;
  for (const auto& f : transcript["frames"]) replayed.push_back(cocoon::from_hex(f["hex"].get<std::string>()));
  for (const auto& p : values) {
    for (const auto& at : p.at) {
      for (std::size_t i = 0; i < 8; ++i) {
        replayed[at.frame][at.offset + i] =
            static_cast<std::byte>((static_cast<std::uint64_t>(p.value) >> (8 * i)) & 0xff);
      }
    }
  }
  for (std::size_t i = 0; i < frames.size(); ++i) {
    INFO("frame " << i);
    CHECK(replayed[i] == frames[i].payload);
  }
}

/// Renders the scenario's transcript and compares it with its file (or rewrites the file).
void check_transcript(const std::string& scenario, const std::string& description,
                      const std::vector<conformance::frame>& frames) {
  const json transcript = conformance::render(scenario, description, frames);
  conformance::transcript_decoder decoder;
  for (const auto& f : frames) (void)decoder.decode(f);
  check_placeholders(transcript, frames, decoder.placeholders());

  const auto path = transcripts_dir / (scenario + ".json");
  const std::string text = transcript.dump(2) + "\n";
  if (const char* update = std::getenv("COCOON_UPDATE_TRANSCRIPTS"); update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << text;
    WARN("rewrote " << path.string());
    return;
  }
  const std::string committed = read_file(path);
  if (committed == text) return;
  INFO("transcript " << path.string() << " differs from this run (COCOON_UPDATE_TRANSCRIPTS=1 rewrites it)");
  const json old = json::parse(committed, nullptr, false);
  REQUIRE_FALSE(old.is_discarded());
  REQUIRE(old.contains("frames"));
  const auto& was = old["frames"];
  const auto& now = transcript["frames"];
  for (std::size_t i = 0; i < std::max(was.size(), now.size()); ++i) {
    if (i < was.size() && i < now.size() && was[i] == now[i]) continue;
    FAIL("first differing frame " << i << "\ncommitted: " << (i < was.size() ? was[i].dump(2) : "(none)")
                                  << "\nthis run:  " << (i < now.size() ? now[i].dump(2) : "(none)"));
  }
  for (const auto& [key, value] : transcript.items()) {
    if (!old.contains(key) || old[key] != value) {
      FAIL("the frames agree; \"" << key
                                  << "\" differs\ncommitted: " << (old.contains(key) ? old[key].dump(2) : "(none)")
                                  << "\nthis run:  " << value.dump(2));
    }
  }
  FAIL("the files differ in layout only: rewrite it");
}

}  // namespace

TEST_CASE("transcript: connect and short authorisation", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), true));
  connect_short(client);
  check_transcript("connect_short_auth",
                   "tcp.connect, client.connectToProxy answered with client.proxyConnectionAuthShort, then "
                   "client.authorizeWithProxyShort with the secret whose hash the proxy holds",
                   client.frames());
}

TEST_CASE("transcript: long authorisation with the test ledger", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({.ledger = w.ledger, .long_authorization = true});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), false));
  client.session().start(net::client_session::clock::now());
  client.run_until([&] { return client.find<net::registration_needed>() != nullptr; });
  const auto* needed = client.find<net::registration_needed>();
  REQUIRE(needed->client_contract);
  w.register_nonce(*needed->client_contract, needed->nonce);  // on the ledger, not a frame
  client.session().registered();
  client.run_until([&] { return client.find<net::session_ready>() != nullptr; });
  check_transcript("long_auth",
                   "client.connectToProxy answered with client.proxyConnectionAuthLong; the owner registers the "
                   "nonce on chain (owner_client_register, not a frame), then client.authorizeWithProxyLong",
                   client.frames());
}

TEST_CASE("transcript: a streamed completion", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), true));
  connect_short(client);
  const auto query = chat_query("streamed", proxy.get().options().model_name, true);
  run_query(client, query);
  REQUIRE(client.find<net::answer_end>() != nullptr);
  check_transcript("completion_streamed",
                   "after short authorisation, client.runQueryEx with \"stream\": true in a tcp.packet; the answer "
                   "as client.queryAnswerEx (the HTTP head) and client.queryAnswerPartEx pieces (Server-Sent "
                   "Events), the last with final_info, then proxy.clientRequestPayment",
                   client.frames());
}

TEST_CASE("transcript: a plain completion", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), true));
  connect_short(client);
  run_query(client, chat_query("plain", proxy.get().options().model_name, false));
  REQUIRE(client.find<net::answer_end>() != nullptr);
  check_transcript("completion_plain",
                   "after short authorisation, client.runQueryEx without streaming; the answer as "
                   "client.queryAnswerEx (the HTTP head), one client.queryAnswerPartEx with the JSON body and "
                   "final_info, then proxy.clientRequestPayment",
                   client.frames());
}

TEST_CASE("transcript: an error answer for an unknown model", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), true));
  connect_short(client);
  run_query(client, chat_query("unknown model", "no/such-model", false));
  const auto* failed = client.find<net::answer_failed>();
  REQUIRE(failed != nullptr);
  CHECK(failed->code == 651);  // a real proxy's "no ready workers for model"
  check_transcript("error_unknown_model",
                   "after short authorisation, client.runQueryEx for a model no worker serves, answered with "
                   "client.queryAnswerErrorEx",
                   client.frames());
}

TEST_CASE("transcript: the models list", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), true));
  connect_short(client);
  client.session().request_worker_types();
  client.run_until([&] { return client.find<net::worker_types_answer>() != nullptr; });
  const auto* listed = client.find<net::worker_types_answer>();
  REQUIRE(listed != nullptr);
  REQUIRE(listed->models.size() == 1);
  CHECK(listed->models[0].name == proxy.get().options().model_name);
  check_transcript("models_list",
                   "after short authorisation, client.getWorkerTypesV2 in a tcp.query, and the proxy's "
                   "client.workerTypesV2",
                   client.frames());
}

TEST_CASE("transcript: the first form of the models list, client.getWorkerTypes", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), true));
  connect_short(client);
  // The session asks the V2 query; the first form goes out as the official client sends it.
  std::int64_t id = 0;
  randombytes_buf(&id, sizeof id);
  client.send_raw(
      net::proto::serialize(net::proto::tcp_query{id, net::proto::serialize(net::proto::get_worker_types{})}));
  const auto answer = net::proto::parse<net::proto::tcp_query_answer>(client.read_raw());
  const auto listed = net::proto::parse<net::proto::worker_types>(answer.data);
  REQUIRE(listed.types.size() == 1);
  // One worker: its coefficient is the lowest, and a real proxy's INT32_MAX sentinel the rest.
  CHECK(listed.types[0] ==
        net::proto::worker_types::type{proxy.get().options().model_name, 1, 1000, INT32_MAX, INT32_MAX});
  check_transcript("models_list_v0",
                   "after short authorisation, client.getWorkerTypes in a tcp.query, and the proxy's "
                   "client.workerTypes",
                   client.frames());
}

TEST_CASE("transcript: payment status after a paid completion", "[conformance]") {
  conformance_wallet w;
  conformance_proxy proxy({.ledger = w.ledger});
  recording_client client(proxy.get().port(), conformance_session(w, proxy.get(), true));
  connect_short(client);
  w.top_up(
      w.ledger->client_contract_address(w.wallet.address(), proxy.get().payment_public_key(), proxy.get().wallet()));
  run_query(client, chat_query("paid", proxy.get().options().model_name, false));
  client.session().request_payment_status();
  client.run_until([&] { return client.find<net::payment_update>([](const auto& p) { return p.status_answer; }); });
  check_transcript("payment_status",
                   "with the test ledger: short authorisation, a plain completion charged by a signed "
                   "proxy.signedPayment in proxy.clientRequestPayment, then client.updatePaymentStatus answered "
                   "with client.paymentStatus",
                   client.frames());
}

TEST_CASE("transcript: final_info times are placeholders, wherever the answer's length puts them", "[conformance]") {
  namespace proto = net::proto;
  proto::query_final_info info;
  info.tokens = {1, 0, 2, 0, 3};
  info.times = proto::query_final_info::timings{1.5, 2.5, 1.75, 2.25};
  const auto request_id = cocoon::sha256(cocoon::as_bytes("conformance request timed"));
  // A short answer (a 1-byte TL length) and a long one (4 bytes).
  const auto answer = GENERATE(std::string("data: [DONE]\n\n"), std::string(300, 'x'));
  const std::vector<conformance::frame> frames{
      {side::proxy, proto::serialize(proto::tcp_packet{proto::serialize(
                        proto::query_answer_part_ex{request_id, cocoon::to_bytes(answer), 0, info})})}};
  const json transcript = conformance::render("timed", "", frames);
  conformance::transcript_decoder decoder;
  (void)decoder.decode(frames.front());
  REQUIRE(decoder.placeholders().size() == 4);
  for (const auto& p : decoder.placeholders()) CHECK(p.type == "double");
  check_placeholders(transcript, frames, decoder.placeholders());
  const auto& decoded = transcript["frames"][0]["tl"]["data"]["final_info"];
  CHECK(decoded["proxy_start_time"] == "$final_info_1.proxy_start_time");
  CHECK(decoded["worker_end_time"] == "$final_info_1.worker_end_time");
  CHECK(decoded["tokens_used"]["total_tokens_used"] == 3);
}
