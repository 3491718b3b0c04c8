#include <cocoon/job/envelope.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>
#include <cocoon/job/job_builder.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using envelope_clock = cocoon::envelope::clock;

namespace {

const envelope_clock::time_point t0 = envelope_clock::time_point{std::chrono::seconds{1'800'000'000}};

struct worker {
  cocoon::crypto::x25519_key_pair keys;
  cocoon::attest::attested_key attested;
  cocoon::envelope::envelope_recipient recipient;
  cocoon::envelope::replay_guard guard;

  explicit worker(char seed)
      : keys(cocoon::crypto::derive_key_pair(cocoon::bytes(32, static_cast<std::byte>(seed)))),
        // Tests stand in for the attestation verifier, the only other maker of attested keys.
        attested(cocoon::attest::detail::attested_key_access::make(keys.public_key, cocoon::hash256{})),
        recipient(cocoon::x25519_secret_key::from_bytes(keys.secret_key.reveal())) {}
};

cocoon::job sample_job(const std::string& prompt = "What is TON?") {
  return cocoon::job_builder().model("Qwen/Qwen3-8B").user(prompt).max_tokens(64).build();
}

std::string text_of(const std::vector<cocoon::bytes>& chunks) {
  std::string text;
  for (const auto& chunk : chunks) text += cocoon::as_chars(chunk);
  return text;
}

cocoon::error_code open_code(worker& w, cocoon::byte_view envelope, envelope_clock::time_point now) {
  cocoon::error_code ec;
  (void)w.recipient.open(envelope, now, w.guard, {}, ec);
  return ec;
}

nlohmann::json read_vector(const std::string& name) {
  std::ifstream file(std::string(COCOON_VECTORS_DIR) + "/ehbp/" + name);
  REQUIRE(file);
  return nlohmann::json::parse(file);
}

}  // namespace

TEST_CASE("a sealed job opens at the worker and its answer streams back to the sender", "[job][envelope]") {
  worker w('w');
  const auto job = sample_job();
  const auto sealed = cocoon::seal(job, w.attested, {.now = t0});
  CHECK(sealed.job_hash() == job.hash());
  CHECK(sealed.expires_at() == t0 + 300s);

  auto opened = w.recipient.open(sealed.bytes_to_send(), t0 + 1s, w.guard);
  CHECK(opened.job() == job);
  CHECK(opened.expires_at() == t0 + 300s);

  cocoon::bytes wire = opened.response_header();
  for (const auto* token : {"TON ", "is ", "a ", "blockchain."}) {
    const auto frame = opened.seal_response(cocoon::as_bytes(token), false);
    wire.insert(wire.end(), frame.begin(), frame.end());
  }
  const auto last = opened.seal_response({}, true);
  wire.insert(wire.end(), last.begin(), last.end());

  // Byte by byte, as a slow network would deliver it: tokens come out as their frames complete.
  auto reader = sealed.open_response();
  std::vector<cocoon::bytes> tokens;
  for (const auto b : wire) {
    for (auto& token : reader.feed(cocoon::byte_view(&b, 1))) tokens.push_back(std::move(token));
  }
  CHECK_NOTHROW(reader.finish());
  CHECK(tokens.size() == 5);
  CHECK(text_of(tokens) == "TON is a blockchain.");
}

TEST_CASE("the envelope is HPKE base mode to the worker key with the documented layout", "[job][envelope]") {
  // Opens the envelope with the HPKE primitives directly, following docs/envelope.md.
  worker w('d');
  const auto job = sample_job();
  const auto envelope = cocoon::seal(job, w.attested, {.lifetime = 60s, .now = t0}).bytes_to_send();
  REQUIRE(envelope.size() > 71);
  CHECK(cocoon::to_hex(cocoon::byte_view(envelope).first(7)) == "01002000010002");
  CHECK(cocoon::byte_view(envelope).subspan(7, 32).size() == 32);
  const cocoon::x25519_public_key enc(cocoon::byte_view(envelope).subspan(39, 32));
  auto recipient = cocoon::crypto::hpke_recipient::setup(enc, w.keys.secret_key,
                                                         {.aead = cocoon::crypto::hpke_aead::aes_256_gcm,
                                                          .info = cocoon::as_bytes("cocoon job envelope v1"),
                                                          .sender_public_key = nullptr,
                                                          .psk = std::nullopt});
  const auto inner = recipient.open(cocoon::byte_view(envelope).subspan(71), cocoon::byte_view(envelope).first(71));
  REQUIRE(inner.size() > 32);
  CHECK(cocoon::to_hex(cocoon::byte_view(inner).subspan(16, 8)) == "000000006b49d200");  // 1'800'000'000
  CHECK(cocoon::to_hex(cocoon::byte_view(inner).subspan(24, 8)) == "000000006b49d23c");  // + 60 s
  CHECK(cocoon::as_chars(cocoon::byte_view(inner).subspan(32)) == job.to_json());
}

TEST_CASE("envelopes for another worker, tampered or of unknown format are refused", "[job][envelope]") {
  worker alice('a');
  worker bob('b');
  const auto envelope = cocoon::seal(sample_job(), alice.attested, {.now = t0}).bytes_to_send();
  CHECK(open_code(bob, envelope, t0) == cocoon::errc::envelope_wrong_recipient);

  const std::pair<std::size_t, cocoon::errc> header_fields[] = {
      {0, cocoon::errc::envelope_malformed},
      {2, cocoon::errc::envelope_malformed},
      {4, cocoon::errc::envelope_malformed},
      {6, cocoon::errc::decryption_failed} /* AES-256-GCM becomes ChaCha20-Poly1305 */,
      {7, cocoon::errc::envelope_wrong_recipient},
      {38, cocoon::errc::envelope_wrong_recipient},
      {39, cocoon::errc::decryption_failed},
      {70, cocoon::errc::decryption_failed},
  };
  for (const auto& [offset, code] : header_fields) {
    auto forged = envelope;
    forged[offset] ^= std::byte{0x01};
    INFO("offset " << offset);
    CHECK(open_code(alice, forged, t0) == code);
  }
  for (std::size_t offset = 71; offset < envelope.size(); offset += 7) {
    auto forged = envelope;
    forged[offset] ^= std::byte{0x80};
    CHECK(open_code(alice, forged, t0) == cocoon::errc::decryption_failed);
  }
  CHECK(open_code(alice, cocoon::byte_view(envelope).first(envelope.size() - 1), t0) ==
        cocoon::errc::decryption_failed);
  CHECK(open_code(alice, cocoon::byte_view(envelope).first(118), t0) == cocoon::errc::envelope_malformed);
  // None of the failures above was remembered: the genuine envelope still opens, once.
  CHECK_FALSE(open_code(alice, envelope, t0));
}

TEST_CASE("an envelope opens once, and only inside its validity window", "[job][envelope]") {
  worker w('r');
  const auto envelope = cocoon::seal(sample_job(), w.attested, {.lifetime = 60s, .now = t0}).bytes_to_send();
  CHECK(open_code(w, envelope, t0 - 61s) == cocoon::errc::envelope_expired);  // beyond the allowed clock skew
  CHECK(open_code(w, envelope, t0 + 60s) == cocoon::errc::envelope_expired);
  CHECK_FALSE(open_code(w, envelope, t0 - 59s));
  CHECK(open_code(w, envelope, t0 + 10s) == cocoon::errc::envelope_replayed);

  // A worker refuses envelopes that would stay valid longer than it is willing to remember.
  const auto long_lived = cocoon::seal(sample_job(), w.attested, {.lifetime = 2h, .now = t0}).bytes_to_send();
  CHECK(open_code(w, long_lived, t0) == cocoon::errc::envelope_expired);
}

TEST_CASE("the replay guard forgets nonces once they expire and fails closed when full", "[job][envelope]") {
  cocoon::envelope::replay_guard guard(2);
  const auto a = cocoon::to_bytes("nonce-a");
  const auto b = cocoon::to_bytes("nonce-b");
  const auto c = cocoon::to_bytes("nonce-c");
  CHECK(guard.accept(a, t0 + 10s, t0));
  CHECK_FALSE(guard.accept(a, t0 + 10s, t0 + 1s));
  CHECK(guard.accept(b, t0 + 20s, t0));
  CHECK_FALSE(guard.accept(c, t0 + 20s, t0 + 1s));  // full
  CHECK(guard.accept(c, t0 + 20s, t0 + 10s));       // a expired and was dropped
}

TEST_CASE("an answer only opens for the job it answers, and a cut answer is detected", "[job][envelope]") {
  worker w('s');
  const auto first = cocoon::seal(sample_job("first"), w.attested, {.now = t0});
  const auto second = cocoon::seal(sample_job("second"), w.attested, {.now = t0});
  auto opened_first = w.recipient.open(first.bytes_to_send(), t0, w.guard);

  cocoon::bytes wire = opened_first.response_header();
  const auto frame = opened_first.seal_response(cocoon::as_bytes("answer to the first"), true);
  wire.insert(wire.end(), frame.begin(), frame.end());

  auto wrong = second.open_response();
  CHECK_THROWS_MATCHES(wrong.feed(wire), cocoon::error, Catch::Predicate<cocoon::error>([](const cocoon::error& e) {
                         return e.code() == cocoon::errc::decryption_failed;
                       }));

  auto right = first.open_response();
  CHECK(text_of(right.feed(wire)) == "answer to the first");
  right.finish();

  auto cut = first.open_response();
  (void)cut.feed(cocoon::byte_view(wire).first(wire.size() - 1));
  CHECK_THROWS_AS(cut.finish(), cocoon::error);

  auto bad_version = first.open_response();
  auto forged = wire;
  forged[0] = std::byte{2};
  CHECK_THROWS_AS(bad_version.feed(forged), cocoon::error);
}

TEST_CASE("an answer reader reports through an error code as it throws, and refuses input after an error",
          "[job][envelope]") {
  worker w('e');
  const auto sealed = cocoon::seal(sample_job(), w.attested, {.now = t0});
  auto opened = w.recipient.open(sealed.bytes_to_send(), t0, w.guard);
  cocoon::bytes wire = opened.response_header();
  const auto frame = opened.seal_response(cocoon::as_bytes("the answer"), true);
  wire.insert(wire.end(), frame.begin(), frame.end());

  cocoon::error_code ec;
  auto reader = sealed.open_response();
  CHECK_FALSE(reader.finish(ec));  // nothing read yet
  CHECK(ec == cocoon::errc::stream_truncated);
  // In two pieces, the first ending inside the header.
  auto first = reader.feed(cocoon::byte_view(wire).first(10), ec);
  REQUIRE(first);
  CHECK(first->empty());
  auto rest = reader.feed(cocoon::byte_view(wire).subspan(10), ec);
  REQUIRE(rest);
  CHECK(text_of(*rest) == "the answer");
  CHECK(reader.finish(ec));
  CHECK_FALSE(ec);

  auto tampered_wire = wire;
  tampered_wire.back() ^= std::byte{1};
  auto tampered = sealed.open_response();
  CHECK_FALSE(tampered.feed(tampered_wire, ec));
  CHECK(ec == cocoon::errc::decryption_failed);
  CHECK_FALSE(tampered.feed(cocoon::byte_view(wire).subspan(wire.size() - 1), ec));
  CHECK(ec == cocoon::errc::stream_malformed);

  auto forged_wire = wire;
  forged_wire[0] = std::byte{2};
  auto forged = sealed.open_response();
  CHECK_FALSE(forged.feed(cocoon::byte_view(forged_wire).first(33), ec));
  CHECK(ec == cocoon::errc::envelope_malformed);
  // A reader that refused the header reads nothing more, not even a correct header.
  CHECK_FALSE(forged.feed(wire, ec));
  CHECK(ec == cocoon::errc::stream_malformed);
}

TEST_CASE("seal refuses AEADs without 32-byte keys and empty lifetimes", "[job][envelope]") {
  worker w('o');
  CHECK_THROWS_AS(cocoon::seal(sample_job(), w.attested, {.aead = cocoon::crypto::aead_algorithm::aes_128_gcm}),
                  cocoon::error);
  CHECK_THROWS_AS(cocoon::seal(sample_job(), w.attested, {.lifetime = 0s}), cocoon::error);
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::seal(sample_job(), w.attested, {.lifetime = -1s}, ec));
  CHECK(ec == cocoon::errc::invalid_length);
  CHECK_FALSE(cocoon::seal(sample_job(), w.attested, {.aead = cocoon::crypto::aead_algorithm::aes_128_gcm}, ec));
  CHECK(ec == cocoon::errc::invalid_length);
  const auto sealed = cocoon::seal(sample_job(), w.attested, {.now = t0}, ec);
  REQUIRE(sealed);
  CHECK_FALSE(ec);
  CHECK(w.recipient.open(sealed->bytes_to_send(), t0, w.guard).job() == sample_job());
  const auto chacha =
      cocoon::seal(sample_job(), w.attested, {.now = t0, .aead = cocoon::crypto::aead_algorithm::chacha20_poly1305});
  CHECK(cocoon::to_hex(cocoon::byte_view(chacha.bytes_to_send()).subspan(5, 2)) == "0003");
  CHECK(w.recipient.open(chacha.bytes_to_send(), t0, w.guard).job() == sample_job());
}

TEST_CASE("response keys derive as EHBP's published vectors (OHTTP-style derivation)", "[job][envelope][vectors]") {
  const auto derive = read_vector("derive.json");
  const auto secret = cocoon::from_hex(derive["exportedSecret"].get<std::string>());
  const auto enc = cocoon::from_hex(derive["requestEnc"].get<std::string>());
  const auto nonce = cocoon::from_hex(derive["responseNonce"].get<std::string>());
  const auto ours =
      cocoon::envelope::detail::response_cipher(cocoon::crypto::aead_algorithm::aes_256_gcm, secret, enc, nonce, {});
  const cocoon::crypto::stream_cipher expected(
      cocoon::crypto::aead_algorithm::aes_256_gcm,
      cocoon::crypto::stream_key::from_hex(derive["derivedKey"].get<std::string>()),
      cocoon::from_hex(derive["derivedNonceBase"].get<std::string>()));
  for (const bool final : {false, true}) {
    CHECK(ours.seal_frame(3, final, cocoon::as_bytes("probe")) ==
          expected.seal_frame(3, final, cocoon::as_bytes("probe")));
  }

  // EHBP's chunk 0 is a STREAM non-final chunk 0 with empty associated data: it opens.
  const auto response = read_vector("response-decryption.json");
  auto cipher = cocoon::envelope::detail::response_cipher(
      cocoon::crypto::aead_algorithm::aes_256_gcm, cocoon::from_hex(response["exportedSecret"].get<std::string>()),
      cocoon::from_hex(response["requestEnc"].get<std::string>()),
      cocoon::from_hex(response["responseNonce"].get<std::string>()), {});
  cocoon::crypto::stream_opener opener(std::move(cipher));
  const auto chunks = opener.feed(cocoon::from_hex(response["encryptedResponse"].get<std::string>()));
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0] == cocoon::from_hex(response["plaintext"].get<std::string>()));
  CHECK(text_of(chunks) == "hello from test vector");
}

TEST_CASE("large attachments stream beside the envelope under keys only its recipient derives", "[job][envelope]") {
  worker w('l');
  const auto sealed = cocoon::seal(sample_job(), w.attested, {.now = t0});
  auto opened = w.recipient.open(sealed.bytes_to_send(), t0, w.guard);

  const std::string document(300'000, 'd');
  std::istringstream plain(document);
  std::ostringstream wire;
  const cocoon::crypto::stream_options options{.chunk_size = 4096, .threads = 2};
  (void)cocoon::crypto::seal_stream(sealed.attachment_cipher(0), plain, wire, options);

  std::istringstream received(wire.str());
  std::ostringstream opened_document;
  (void)opened.open_attachment(0).open(received, opened_document, options);
  CHECK(opened_document.str() == document);

  // Piece by piece, as it arrives.
  auto incremental = opened.open_attachment(0).incremental();
  std::string pieces;
  const std::string frames = wire.str();
  for (std::size_t at = 0; at < frames.size(); at += 1000) {
    for (const auto& chunk : incremental.feed(cocoon::as_bytes(std::string_view(frames).substr(at, 1000))))
      pieces += cocoon::as_chars(chunk);
  }
  incremental.finish();
  CHECK(pieces == document);

  // Another index, another job's keys, or the other direction's do not open it.
  auto refused = [&](const cocoon::envelope::attachment_opener& other) {
    std::istringstream again(wire.str());
    std::ostringstream sink;
    CHECK_THROWS_AS(other.open(again, sink, options), cocoon::error);
  };
  refused(opened.open_attachment(1));
  refused(w.recipient.open(cocoon::seal(sample_job(), w.attested, {.now = t0}).bytes_to_send(), t0, w.guard)
              .open_attachment(0));
  refused(sealed.open_reply_attachment(0));
}

TEST_CASE("a worker seals attachments back under keys of their own, never the sender's", "[job][envelope]") {
  worker w('r');
  const auto sealed = cocoon::seal(sample_job(), w.attested, {.now = t0});
  auto opened = w.recipient.open(sealed.bytes_to_send(), t0, w.guard);
  const std::string document(10'000, 'r');
  const auto seal_with = [&](const cocoon::crypto::stream_cipher& cipher) {
    std::istringstream in(document);
    std::ostringstream out;
    (void)cocoon::crypto::seal_stream(cipher, in, out, {.chunk_size = 1024});
    return out.str();
  };
  // The same index and plaintext both ways: different keys and nonces, so different bytes.
  const std::string to_worker = seal_with(sealed.attachment_cipher(0));
  const std::string to_sender = seal_with(opened.reply_attachment_cipher(0));
  CHECK(to_worker != to_sender);
  std::istringstream in(to_sender);
  std::ostringstream out;
  (void)sealed.open_reply_attachment(0).open(in, out);
  CHECK(out.str() == document);
}

// Each end gets a sealing cipher only for the direction it sends: what opens the other
// direction is no cipher and cannot seal.
template <class T>
concept sender_cipher_on = requires(const T& t) {
  t.attachment_cipher(0U);
};
static_assert(sender_cipher_on<cocoon::envelope::sealed_job>);
static_assert(!sender_cipher_on<cocoon::envelope::opened_job>);
static_assert(!std::is_convertible_v<cocoon::envelope::attachment_opener, cocoon::crypto::stream_cipher>);
static_assert(!std::is_invocable_v<decltype(&cocoon::crypto::seal_stream), const cocoon::envelope::attachment_opener&,
                                   std::istream&, std::ostream&, const cocoon::crypto::stream_options&>);

// Only the attestation verifier makes attested keys: raw key bytes cannot become one, so `seal`
// cannot be handed a key that no verified attestation vouched for.
static_assert(!std::is_constructible_v<cocoon::attest::attested_key, cocoon::x25519_public_key, cocoon::hash256>);
static_assert(!std::is_constructible_v<cocoon::attest::attested_key, cocoon::x25519_public_key>);
static_assert(!std::is_convertible_v<cocoon::x25519_public_key, cocoon::attest::attested_key>);
template <class Key>
concept sealable_to = requires(const cocoon::job& job, const Key& key, cocoon::error_code& ec) {
  cocoon::envelope::seal(job, key);
  cocoon::envelope::seal(job, key, {}, ec);
};
static_assert(sealable_to<cocoon::attest::attested_key>);
static_assert(!sealable_to<cocoon::x25519_public_key>);
