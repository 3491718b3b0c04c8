// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_JOB_ENVELOPE_HPP
#define COCOON_JOB_ENVELOPE_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/attested_key.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/endian.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/hpke.hpp>
#include <cocoon/crypto/stream.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job.hpp>

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

COCOON_SDK_NAMESPACE_BEGIN

/// Job envelopes: a job sealed end to end to a worker's attested X25519 key with HPKE, and the
/// worker's answer sealed back under keys derived from the same HPKE context, so that only the
/// attested worker can read the job and only the job's sender can read (or be given) its answer.
/// The byte format is specified in docs/envelope.md.
namespace envelope {

inline constexpr std::uint8_t version = 1;
/// version | KEM id | KDF id | AEAD id | SHA-256(recipient key) | enc
inline constexpr std::size_t header_size = 1 + 2 + 2 + 2 + 32 + 32;
/// job nonce | issued at | expires at (both Unix seconds)
inline constexpr std::size_t inner_prefix_size = 16 + 8 + 8;
/// version | response nonce
inline constexpr std::size_t response_header_size = 1 + 32;
inline constexpr std::string_view hpke_info = "cocoon job envelope v1";
inline constexpr std::string_view response_export_label = "cocoon response";
inline constexpr std::string_view attachments_export_label = "cocoon attachments";
/// HKDF-Expand labels of the two directions' attachment secrets: each side seals only under its own.
inline constexpr std::string_view attachments_to_worker_label = "cocoon attachments to worker";
inline constexpr std::string_view attachments_to_sender_label = "cocoon attachments to sender";

using clock = std::chrono::system_clock;

namespace detail {

struct response_secret_tag {
  static constexpr const char* name = "envelope response secret";
};
/// Export("cocoon response", 32) of the request's HPKE context.
using response_secret = basic_secret<32, response_secret_tag>;

struct attachments_secret_tag {
  static constexpr const char* name = "envelope attachments secret";
};
/// Export("cocoon attachments", 32) of the request's HPKE context.
using attachments_secret = basic_secret<32, attachments_secret_tag>;

inline constexpr std::uint16_t kem_x25519_hkdf_sha256 = 0x0020;
inline constexpr std::uint16_t kdf_hkdf_sha256 = 0x0001;

[[nodiscard]] inline hash256 key_id(const x25519_public_key& key) { return sha256(key.view()); }

/// The STREAM cipher of large attachment `index` going one way (`direction`, one of the two
/// labels) beside the envelope: keyed from the request context, so only its two ends can open
/// it, apart from the other direction's, and salted with the index.
[[nodiscard]] inline crypto::stream_cipher attachment_cipher(crypto::aead_algorithm aead,
                                                             const attachments_secret& secret,
                                                             std::string_view direction, std::uint32_t index) {
  crypto::detail::scrubbed<32> direction_secret;
  cocoon::detail::throw_on_failure(
      crypto::hkdf_sha256::expand(secret.reveal(), {as_bytes(direction)}, direction_secret.span()),
      "envelope attachment keys");
  std::array<std::byte, 4> salt{};
  cocoon::detail::store_be(index, 4, salt.data());
  return crypto::stream_cipher::derive(aead, direction_secret.view(), salt, bytes(salt.begin(), salt.end()));
}

/// The response's STREAM cipher, derived from the request context as OHTTP (RFC 9458 section
/// 4.4) and EHBP do: salt = enc | response nonce, prk = HKDF-Extract(salt, exported secret),
/// key = Expand(prk, "key", 32), nonce base = Expand(prk, "nonce", 12).
[[nodiscard]] inline crypto::stream_cipher response_cipher(crypto::aead_algorithm aead, byte_view exported_secret,
                                                           byte_view enc, byte_view response_nonce, bytes aad) {
  crypto::detail::scrubbed<32> prk;
  bytes salt(enc.begin(), enc.end());
  salt.insert(salt.end(), response_nonce.begin(), response_nonce.end());
  crypto::hkdf_sha256::extract(salt, {exported_secret}, prk.span());
  crypto::detail::scrubbed<32> key;
  std::array<std::byte, crypto::aead_nonce_size> nonce_base{};
  cocoon::detail::throw_on_failure(crypto::hkdf_sha256::expand(prk.view(), {as_bytes("key")}, key.span()),
                                   "envelope response keys");
  cocoon::detail::throw_on_failure(crypto::hkdf_sha256::expand(prk.view(), {as_bytes("nonce")}, nonce_base),
                                   "envelope response keys");
  return {aead, crypto::stream_key::from_bytes(key.view()), nonce_base, std::move(aad)};
}

[[nodiscard]] inline std::optional<crypto::aead_algorithm> aead_from_id(std::uint64_t id) noexcept {
  switch (id) {
    case static_cast<std::uint16_t>(crypto::aead_algorithm::aes_256_gcm): return crypto::aead_algorithm::aes_256_gcm;
    case static_cast<std::uint16_t>(crypto::aead_algorithm::chacha20_poly1305):
      return crypto::aead_algorithm::chacha20_poly1305;
    default: return std::nullopt;
  }
}

}  // namespace detail

/// Opens a large attachment that came from the other end. It only opens: neither end can seal
/// under the key and nonces the other seals with.
class attachment_opener {
 public:
  /// Opens the whole attachment from `in` to `out`, as `crypto::open_stream` (same errors; on
  /// an error, what was written is an authentic prefix to discard).
  std::uint64_t open(std::istream& in, std::ostream& out, const crypto::stream_options& options = {}) const {
    return crypto::open_stream(cipher_, in, out, options);
  }

  /// An opener for the attachment's bytes as they arrive, in pieces of any size.
  [[nodiscard]] crypto::stream_opener incremental() && { return crypto::stream_opener(std::move(cipher_)); }

 private:
  friend class sealed_job;
  friend class opened_job;
  explicit attachment_opener(crypto::stream_cipher cipher) : cipher_(std::move(cipher)) {}

  crypto::stream_cipher cipher_;
};

/// Reads a sealed answer as it arrives: the 33-byte response header, then STREAM frames. Each
/// `feed` returns the plaintext of every chunk completed so far (for streamed answers, the
/// tokens as they come); `finish` confirms the answer was not cut short.
class response_opener {
 public:
  /// @throws cocoon::error with `errc::envelope_malformed` (unknown version),
  ///         `errc::decryption_failed` (tampered, reordered, or another job's answer),
  ///         `errc::stream_malformed` or `errc::stream_finished`. After an error the opener
  ///         refuses all further input.
  [[nodiscard]] std::vector<bytes> feed(byte_view data) {
    return cocoon::detail::value_or_throw(feed_result(data), "open response");
  }
  [[nodiscard]] std::optional<std::vector<bytes>> feed(byte_view data, error_code& ec) {
    return cocoon::detail::value_or_code(feed_result(data), ec);
  }

  /// @throws cocoon::error with `errc::stream_truncated` if the final chunk has not arrived.
  void finish() const { cocoon::detail::throw_on_failure(finish_result(), "open response"); }
  [[nodiscard]] bool finish(error_code& ec) const { return cocoon::detail::succeeded(finish_result(), ec); }

  /// Both forms of `feed` and `finish` in one, for the SDK's layers above, which keep where a
  /// failure happened.
  [[nodiscard]] cocoon::detail::result<std::vector<bytes>> feed_result(byte_view data) {
    if (!stream_) {
      if (failed_) return {errc::stream_malformed, "input after an error"};
      const std::size_t take = std::min(response_header_size - header_.size(), data.size());
      header_.insert(header_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
      data = data.subspan(take);
      if (header_.size() < response_header_size) return std::vector<bytes>{};
      if (std::to_integer<std::uint8_t>(header_[0]) != version) {
        failed_ = true;
        return {errc::envelope_malformed, "version byte"};
      }
      stream_.emplace(detail::response_cipher(aead_, secret_.reveal(), enc_, byte_view(header_).subspan(1), header_));
    }
    return stream_->feed_result(data);
  }
  [[nodiscard]] std::optional<cocoon::detail::failure> finish_result() const {
    if (!stream_) return cocoon::detail::failure{errc::stream_truncated, "no response header"};
    return stream_->finish_result();
  }

 private:
  friend class sealed_job;
  response_opener(crypto::aead_algorithm aead, byte_view secret, const x25519_public_key& enc)
      : aead_(aead), secret_(detail::response_secret::from_bytes(secret)), enc_(enc.data(), enc.data() + enc.size()) {}

  crypto::aead_algorithm aead_;
  detail::response_secret secret_;
  bytes enc_;
  bytes header_;
  bool failed_ = false;  ///< a wrong version byte: nothing more is read
  std::optional<crypto::stream_opener> stream_;
};

/// How a job is sealed.
struct seal_options {
  /// How long the worker may accept the envelope; it refuses it afterwards (replay protection).
  std::chrono::seconds lifetime{300};
  /// The sealing time; the system clock when unset (tests and replays of stored jobs set it).
  std::optional<clock::time_point> now{};
  crypto::aead_algorithm aead = crypto::aead_algorithm::aes_256_gcm;
};

class sealed_job;
namespace detail {
[[nodiscard]] inline cocoon::detail::result<sealed_job> seal_result(const job& job,
                                                                    const attest::attested_key& recipient,
                                                                    const seal_options& options);
}  // namespace detail

/// What `seal` gives the sender: the envelope to send, and what it takes to read the answer.
class sealed_job {
 public:
  /// The envelope bytes: send these to the worker.
  [[nodiscard]] const bytes& bytes_to_send() const noexcept { return envelope_; }
  /// The sealed job's hash (of its canonical JSON), for receipts and idempotency.
  [[nodiscard]] const hash256& job_hash() const noexcept { return job_hash_; }
  /// When the worker must stop accepting the envelope.
  [[nodiscard]] clock::time_point expires_at() const noexcept { return expires_at_; }
  /// The attested key it was sealed to.
  [[nodiscard]] const attest::attested_key& recipient() const noexcept { return recipient_; }

  /// A reader for this job's answer. Several may be made (e.g. to retry reading a stored answer).
  [[nodiscard]] response_opener open_response() const { return {aead_, secret_.reveal(), enc_}; }

  /// The cipher that seals large attachment `index` to the worker, streamed beside the envelope
  /// with `crypto::seal_stream` in constant memory; only this envelope's recipient can open it.
  [[nodiscard]] crypto::stream_cipher attachment_cipher(std::uint32_t index) const {
    return detail::attachment_cipher(aead_, attachments_, attachments_to_worker_label, index);
  }

  /// What opens large attachment `index` the worker sends back.
  [[nodiscard]] attachment_opener open_reply_attachment(std::uint32_t index) const {
    return attachment_opener(detail::attachment_cipher(aead_, attachments_, attachments_to_sender_label, index));
  }

 private:
  friend cocoon::detail::result<sealed_job> detail::seal_result(const job&, const attest::attested_key&,
                                                                const seal_options&);
  sealed_job(bytes envelope, hash256 job_hash, clock::time_point expires_at, attest::attested_key recipient,
             crypto::aead_algorithm aead, detail::response_secret secret, detail::attachments_secret attachments,
             const x25519_public_key& enc)
      : envelope_(std::move(envelope)),
        job_hash_(job_hash),
        expires_at_(expires_at),
        recipient_(std::move(recipient)),
        aead_(aead),
        secret_(std::move(secret)),
        attachments_(std::move(attachments)),
        enc_(enc) {}

  bytes envelope_;
  hash256 job_hash_;
  clock::time_point expires_at_;
  attest::attested_key recipient_;
  crypto::aead_algorithm aead_;
  detail::response_secret secret_;
  detail::attachments_secret attachments_;
  x25519_public_key enc_;
};

namespace detail {
[[nodiscard]] inline cocoon::detail::result<sealed_job> seal_result(const job& job,
                                                                    const attest::attested_key& recipient,
                                                                    const seal_options& options) {
  if (crypto::aead_key_size(options.aead) != 32) return {errc::invalid_length, "AEAD must have 32-byte keys"};
  if (options.lifetime.count() <= 0) return {errc::invalid_length, "lifetime"};
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(options.now.value_or(clock::now()));
  const auto expires = now + options.lifetime;

  auto set_up = crypto::hpke_sender::setup_with(recipient.key(),
                                                {.aead = static_cast<crypto::hpke_aead>(options.aead),
                                                 .info = as_bytes(hpke_info),
                                                 .sender_key = nullptr,
                                                 .psk = std::nullopt},
                                                x25519_secret_key::generate());
  if (!set_up.has_value()) return set_up.error();
  auto& sender = set_up.value();
  bytes envelope(header_size);
  envelope[0] = static_cast<std::byte>(version);
  cocoon::detail::store_be(detail::kem_x25519_hkdf_sha256, 2, &envelope[1]);
  cocoon::detail::store_be(detail::kdf_hkdf_sha256, 2, &envelope[3]);
  cocoon::detail::store_be(static_cast<std::uint16_t>(options.aead), 2, &envelope[5]);
  const auto id = detail::key_id(recipient.key());
  std::copy_n(id.data(), 32, &envelope[7]);
  std::copy_n(sender.encapsulated_key().data(), 32, &envelope[39]);

  std::string canonical = job.to_json();
  bytes inner(inner_prefix_size + canonical.size());
  const crypto::detail::scrub_on_exit wipe(canonical, inner);
  randombytes_buf(inner.data(), 16);
  cocoon::detail::store_be(static_cast<std::uint64_t>(now.time_since_epoch().count()), 8, &inner[16]);
  cocoon::detail::store_be(static_cast<std::uint64_t>(
                               std::chrono::time_point_cast<std::chrono::seconds>(expires).time_since_epoch().count()),
                           8, &inner[24]);
  std::copy(canonical.begin(), canonical.end(), reinterpret_cast<char*>(inner.data() + inner_prefix_size));
  envelope.resize(header_size + inner.size() + crypto::aead_tag_size);
  if (auto why =
          sender.seal_into(inner, byte_view(envelope).first(header_size), std::span(envelope).subspan(header_size))) {
    return std::move(*why);
  }

  auto secret = sender.export_key<detail::response_secret>(as_bytes(response_export_label));
  auto attachments = sender.export_key<detail::attachments_secret>(as_bytes(attachments_export_label));
  return sealed_job(std::move(envelope), sha256(as_bytes(canonical)), expires, recipient, options.aead,
                    std::move(secret), std::move(attachments), sender.encapsulated_key());
}
}  // namespace detail

/// Seals `job` to the worker's attested key. Only an `attest::attested_key` is accepted, which
/// only the attestation verifier produces: a job is never encrypted to an unverified key.
/// @throws cocoon::error with `errc::invalid_length` (an AEAD without 32-byte keys, or a
///         lifetime that is not positive) or `errc::invalid_public_key`.
[[nodiscard]] inline sealed_job seal(const job& job, const attest::attested_key& recipient,
                                     const seal_options& options = {}) {
  return cocoon::detail::value_or_throw(detail::seal_result(job, recipient, options), "seal job");
}
[[nodiscard]] inline std::optional<sealed_job> seal(const job& job, const attest::attested_key& recipient,
                                                    const seal_options& options, error_code& ec) {
  return cocoon::detail::value_or_code(detail::seal_result(job, recipient, options), ec);
}

/// Remembers the nonces of accepted envelopes until they expire, so a worker accepts each job
/// once. Thread-safe.
class replay_guard {
 public:
  /// At most `capacity` unexpired envelopes are remembered; beyond that new ones are refused
  /// (`errc::envelope_replayed` cannot be told apart from a flood, so the guard fails closed).
  explicit replay_guard(std::size_t capacity = 1 << 20) : capacity_(capacity) {}

  /// True (and remembered) if `nonce` was not seen among unexpired envelopes.
  [[nodiscard]] bool accept(byte_view nonce, clock::time_point expires_at, clock::time_point now) {
    const std::lock_guard lock(mutex_);
    std::erase_if(seen_, [now](const auto& entry) { return entry.second <= now; });
    if (seen_.size() >= capacity_) return false;
    return seen_.emplace(std::string(as_chars(nonce)), expires_at).second;
  }

 private:
  std::mutex mutex_;
  std::size_t capacity_;
  std::unordered_map<std::string, clock::time_point> seen_;
};

/// What a worker gets from an envelope: the job, and a sealer for its answer.
class opened_job {
 public:
  [[nodiscard]] const cocoon::job& job() const noexcept { return job_; }
  [[nodiscard]] clock::time_point expires_at() const noexcept { return expires_at_; }

  /// The answer's header (send it first), then seal each piece of the answer with `seal`; the
  /// last piece is marked final.
  [[nodiscard]] const bytes& response_header() const noexcept { return response_header_; }
  [[nodiscard]] bytes seal_response(byte_view piece, bool final) { return sealer_.seal(piece, final); }

  /// What opens large attachment `index` the sender streamed beside the envelope.
  [[nodiscard]] attachment_opener open_attachment(std::uint32_t index) const {
    return attachment_opener(detail::attachment_cipher(aead_, attachments_, attachments_to_worker_label, index));
  }

  /// The cipher that seals large attachment `index` back to the sender, under keys of its own.
  [[nodiscard]] crypto::stream_cipher reply_attachment_cipher(std::uint32_t index) const {
    return detail::attachment_cipher(aead_, attachments_, attachments_to_sender_label, index);
  }

 private:
  friend class envelope_recipient;
  opened_job(cocoon::job job, clock::time_point expires_at, bytes response_header, crypto::stream_cipher cipher,
             crypto::aead_algorithm aead, detail::attachments_secret attachments)
      : job_(std::move(job)),
        expires_at_(expires_at),
        response_header_(std::move(response_header)),
        sealer_(std::move(cipher)),
        aead_(aead),
        attachments_(std::move(attachments)) {}

  cocoon::job job_;
  clock::time_point expires_at_;
  bytes response_header_;
  crypto::stream_sealer sealer_;
  crypto::aead_algorithm aead_;
  detail::attachments_secret attachments_;
};

/// What a worker accepts.
struct open_options {
  /// Envelopes valid for longer are refused, which bounds what the replay guard remembers.
  std::chrono::seconds max_lifetime{3600};
  /// Tolerated clock difference for envelopes sealed "in the future".
  std::chrono::seconds clock_skew{60};
  job_limits limits{};
};

/// The worker's side: opens envelopes sealed to its X25519 key.
class envelope_recipient {
 public:
  explicit envelope_recipient(x25519_secret_key key)
      : key_(std::move(key)), key_id_(detail::key_id(crypto::public_key_of(key_))) {}

  /// Opens `envelope` at time `now`, refusing expired, replayed, misdirected and tampered ones.
  /// @throws cocoon::error with `errc::envelope_malformed`, `errc::envelope_wrong_recipient`,
  ///         `errc::decryption_failed`, `errc::envelope_expired`, `errc::envelope_replayed`,
  ///         or a job parsing error.
  [[nodiscard]] opened_job open(byte_view envelope, clock::time_point now, replay_guard& guard,
                                const open_options& options) const {
    return cocoon::detail::value_or_throw(open_result(envelope, now, guard, options), "open job envelope");
  }
  [[nodiscard]] opened_job open(byte_view envelope, clock::time_point now, replay_guard& guard) const {
    return open(envelope, now, guard, open_options{});
  }
  [[nodiscard]] std::optional<opened_job> open(byte_view envelope, clock::time_point now, replay_guard& guard,
                                               const open_options& options, error_code& ec) const {
    return cocoon::detail::value_or_code(open_result(envelope, now, guard, options), ec);
  }

 private:
  [[nodiscard]] cocoon::detail::result<opened_job> open_result(byte_view envelope, clock::time_point now,
                                                               replay_guard& guard, const open_options& options) const {
    using cocoon::detail::failure;
    if (envelope.size() < header_size + inner_prefix_size + crypto::aead_tag_size) {
      return failure{errc::envelope_malformed,
                     "shorter than the minimum of " +
                         std::to_string(header_size + inner_prefix_size + crypto::aead_tag_size) + " bytes"};
    }
    if (envelope.size() >
        header_size + inner_prefix_size + options.limits.max_serialized_bytes + crypto::aead_tag_size) {
      return failure{errc::job_limit_exceeded, "envelope size"};
    }
    if (std::to_integer<std::uint8_t>(envelope[0]) != version) return failure{errc::envelope_malformed, "version byte"};
    if (cocoon::detail::load_be(&envelope[1], 2) != detail::kem_x25519_hkdf_sha256)
      return failure{errc::envelope_malformed, "KEM id"};
    if (cocoon::detail::load_be(&envelope[3], 2) != detail::kdf_hkdf_sha256)
      return failure{errc::envelope_malformed, "KDF id"};
    const auto aead = detail::aead_from_id(cocoon::detail::load_be(&envelope[5], 2));
    if (!aead) return failure{errc::envelope_malformed, "AEAD id"};
    if (!std::equal(key_id_.data(), key_id_.data() + 32, &envelope[7])) {
      return failure{errc::envelope_wrong_recipient, "recipient key id"};
    }
    const x25519_public_key enc(envelope.subspan(39, 32));
    error_code ec;
    auto recipient = crypto::hpke_recipient::setup(enc, key_,
                                                   {.aead = static_cast<crypto::hpke_aead>(*aead),
                                                    .info = as_bytes(hpke_info),
                                                    .sender_public_key = nullptr,
                                                    .psk = std::nullopt},
                                                   ec);
    if (!recipient) return failure{ec, "encapsulated key"};
    auto inner = recipient->open(envelope.subspan(header_size), envelope.first(header_size), ec);
    if (!inner) return failure{errc::decryption_failed, "sealed job"};
    const crypto::detail::scrub_on_exit wipe(*inner);
    if (inner->size() < inner_prefix_size) return failure{errc::envelope_malformed, "sealed job prefix"};

    const clock::time_point issued_at{std::chrono::seconds(cocoon::detail::load_be(&(*inner)[16], 8))};
    const clock::time_point expires_at{std::chrono::seconds(cocoon::detail::load_be(&(*inner)[24], 8))};
    if (expires_at <= issued_at || expires_at - issued_at > options.max_lifetime) {
      return failure{errc::envelope_expired, "validity window over the maximum lifetime"};
    }
    if (now + options.clock_skew < issued_at) return failure{errc::envelope_expired, "issued in the future"};
    if (now >= expires_at) return failure{errc::envelope_expired, "expired"};

    const std::string_view text = as_chars(byte_view(*inner).subspan(inner_prefix_size));
    auto parsed = cocoon::detail::parse_job(text, options.limits);
    if (!parsed.has_value()) return cocoon::detail::within("job", parsed.error());
    // The nonce is remembered only for an authentic, valid job, so forgeries cannot fill the guard.
    if (!guard.accept(byte_view(*inner).first(16), expires_at, now))
      return failure{errc::envelope_replayed, "job nonce"};

    bytes response_header(response_header_size);
    response_header[0] = static_cast<std::byte>(version);
    randombytes_buf(response_header.data() + 1, 32);
    const auto secret = recipient->export_key<detail::response_secret>(as_bytes(response_export_label));
    auto cipher = detail::response_cipher(*aead, secret.reveal(), envelope.subspan(39, 32),
                                          byte_view(response_header).subspan(1), response_header);
    return opened_job(std::move(parsed).value(), expires_at, std::move(response_header), std::move(cipher), *aead,
                      recipient->export_key<detail::attachments_secret>(as_bytes(attachments_export_label)));
  }

  x25519_secret_key key_;
  hash256 key_id_;
};

}  // namespace envelope

using envelope::seal;

COCOON_SDK_NAMESPACE_END

#endif
