// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_STREAM_HPP
#define COCOON_CRYPTO_STREAM_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/endian.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/aead.hpp>
#include <cocoon/crypto/detail/scrubbed.hpp>
#include <cocoon/crypto/hkdf.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace crypto {

/// Chunked streaming AEAD: the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015).
///
/// A message of any length is cut into chunks, each sealed on its own with nonce
/// `nonce_base XOR (0^24 || be64(index) || final)`, so that
/// - a chunk moved to another position fails (its index is in the nonce),
/// - a stream cut after any chunk fails (only the last chunk carries final = 1, and the flag is
///   authenticated through the nonce), and data after the final chunk is refused,
/// - memory stays bounded by the chunk size, and chunks can be sealed and opened in parallel.
///
/// On the wire each chunk is one frame: a big-endian u32 whose top bit is the final flag and
/// whose low 31 bits are the sealed length (ciphertext and 16-byte tag), then the sealed bytes.
/// docs/envelope.md specifies the format.
inline constexpr std::size_t stream_frame_header_size = 4;
inline constexpr std::uint32_t stream_final_bit = 0x8000'0000U;
/// The largest plaintext chunk a frame may carry (16 MiB): bounds what a reader buffers.
inline constexpr std::size_t stream_max_chunk = std::size_t{1} << 24;

namespace detail {
struct stream_key_tag {
  static constexpr const char* name = "stream key";
};
}  // namespace detail

/// The 32-byte key of one stream (AES-256-GCM or ChaCha20-Poly1305), in guarded memory.
using stream_key = basic_secret<32, detail::stream_key_tag>;

namespace detail {

[[nodiscard]] inline std::optional<cocoon::detail::failure> check_stream_aead(aead_algorithm algorithm) {
  if (aead_key_size(algorithm) != stream_key::size()) {
    return cocoon::detail::failure{errc::invalid_length, "STREAM needs an AEAD with a 32-byte key"};
  }
  return std::nullopt;
}

}  // namespace detail

/// The keyed, stateless core of a stream: seals and opens the chunk at a given index. Its const
/// operations may run concurrently, which is how chunks are processed in parallel.
class stream_cipher {
 public:
  /// A cipher over `key` and a 12-byte `nonce_base`; `aad` is authenticated with every chunk
  /// (e.g. the header that names the stream's parameters).
  /// @throws cocoon::error with `errc::invalid_length` for a wrong nonce size or an AEAD whose key
  ///         is not 32 bytes.
  stream_cipher(aead_algorithm algorithm, stream_key key, byte_view nonce_base, bytes aad = {})
      : algorithm_(algorithm), key_(std::move(key)), aad_(std::move(aad)) {
    cocoon::detail::throw_on_failure(detail::check_stream_aead(algorithm), "STREAM cipher");
    if (nonce_base.size() != aead_nonce_size) {
      cocoon::detail::throw_error(errc::invalid_length, "STREAM cipher", "nonce base");
    }
    std::copy(nonce_base.begin(), nonce_base.end(), nonce_base_.begin());
  }

  /// Key and nonce base derived from input keying material and a per-stream salt with
  /// HKDF-SHA256 (labels "cocoon stream key" and "cocoon stream nonce"), so one long-term key
  /// can protect many streams without ever repeating a nonce.
  [[nodiscard]] static stream_cipher derive(aead_algorithm algorithm, byte_view ikm, byte_view salt, bytes aad = {}) {
    detail::scrubbed<hkdf_sha256::hash_size> prk;
    hkdf_sha256::extract(salt, {ikm}, prk.span());
    detail::scrubbed<32> key;
    std::array<std::byte, aead_nonce_size> nonce_base{};
    cocoon::detail::throw_on_failure(hkdf_sha256::expand(prk.view(), {as_bytes("cocoon stream key")}, key.span()),
                                     "STREAM derive");
    cocoon::detail::throw_on_failure(hkdf_sha256::expand(prk.view(), {as_bytes("cocoon stream nonce")}, nonce_base),
                                     "STREAM derive");
    return {algorithm, stream_key::from_bytes(key.view()), nonce_base, std::move(aad)};
  }

  [[nodiscard]] aead_algorithm algorithm() const noexcept { return algorithm_; }

  /// The frame of chunk `index`: header then sealed bytes.
  [[nodiscard]] bytes seal_frame(std::uint64_t index, bool final, byte_view plaintext) const {
    bytes frame;
    seal_frame_into(index, final, plaintext, frame);
    return frame;
  }

  /// As `seal_frame`, into `frame` (resized), so a caller sealing many chunks reuses its buffers.
  void seal_frame_into(std::uint64_t index, bool final, byte_view plaintext, bytes& frame) const {
    if (plaintext.size() > stream_max_chunk) {
      cocoon::detail::throw_error(errc::stream_malformed, "STREAM seal",
                                  "chunk of " + std::to_string(plaintext.size()) + " bytes over the limit");
    }
    frame.resize(stream_frame_header_size + plaintext.size() + aead_tag_size);
    const auto sealed_size = static_cast<std::uint32_t>(plaintext.size() + aead_tag_size);
    cocoon::detail::store_be(sealed_size | (final ? stream_final_bit : 0U), 4, frame.data());
    const auto nonce = nonce_for(index, final);
    cocoon::detail::throw_on_failure(detail::aead_seal_into(algorithm_, key_.reveal(), nonce, aad_, plaintext,
                                                            mutable_byte_view(frame).subspan(stream_frame_header_size)),
                                     "STREAM seal");
  }

  /// Opens the sealed bytes (no frame header) of chunk `index` into `out` (sealed.size() - 16
  /// bytes). Nothing unauthenticated is left in `out` on failure.
  [[nodiscard]] std::optional<cocoon::detail::failure> open_chunk(std::uint64_t index, bool final, byte_view sealed,
                                                                  mutable_byte_view out) const {
    const auto nonce = nonce_for(index, final);
    if (auto why = detail::aead_open_into(algorithm_, key_.reveal(), nonce, aad_, sealed, out)) {
      why->where = "chunk " + std::to_string(index);
      return why;
    }
    return std::nullopt;
  }

 private:
  [[nodiscard]] std::array<std::byte, aead_nonce_size> nonce_for(std::uint64_t index, bool final) const noexcept {
    auto nonce = nonce_base_;
    for (std::size_t i = 0; i < 8; ++i) nonce[10 - i] ^= static_cast<std::byte>((index >> (8 * i)) & 0xff);
    if (final) nonce[11] ^= std::byte{1};
    return nonce;
  }

  aead_algorithm algorithm_;
  stream_key key_;
  std::array<std::byte, aead_nonce_size> nonce_base_{};
  bytes aad_;
};

/// The sending side of a stream: seals chunks in order, the last one marked final.
class stream_sealer {
 public:
  explicit stream_sealer(stream_cipher cipher) : cipher_(std::move(cipher)) {}

  /// The next frame. After the final chunk the stream is closed.
  /// @throws cocoon::error with `errc::stream_finished` after the final chunk.
  [[nodiscard]] bytes seal(byte_view plaintext, bool final) {
    if (finished_) cocoon::detail::throw_error(errc::stream_finished, "STREAM seal");
    auto frame = cipher_.seal_frame(next_index_++, final, plaintext);
    finished_ = final;
    return frame;
  }

  [[nodiscard]] bool finished() const noexcept { return finished_; }

 private:
  stream_cipher cipher_;
  std::uint64_t next_index_ = 0;
  bool finished_ = false;
};

/// The receiving side: takes the stream's bytes as they arrive, in pieces of any size, and
/// hands back each chunk's plaintext as soon as its frame is complete and authentic. It buffers
/// at most one frame.
class stream_opener {
 public:
  explicit stream_opener(stream_cipher cipher) : cipher_(std::move(cipher)) {}

  /// Consumes `data` and returns the plaintext of every frame it completes (possibly none).
  /// @throws cocoon::error with `errc::decryption_failed` (tampered, reordered or misflagged
  ///         chunk), `errc::stream_malformed` (a frame length over the limit) or
  ///         `errc::stream_finished` (bytes after the final chunk). After an error the opener
  ///         refuses all further input.
  [[nodiscard]] std::vector<bytes> feed(byte_view data) {
    auto opened = feed_result(data);
    return cocoon::detail::value_or_throw(std::move(opened), "STREAM open");
  }
  [[nodiscard]] std::optional<std::vector<bytes>> feed(byte_view data, error_code& ec) {
    return cocoon::detail::value_or_code(feed_result(data), ec);
  }

  /// Declares the end of input: succeeds only if the final chunk was received.
  /// @throws cocoon::error with `errc::stream_truncated` otherwise.
  void finish() const { cocoon::detail::throw_on_failure(finish_result(), "STREAM open"); }
  [[nodiscard]] bool finish(error_code& ec) const { return cocoon::detail::succeeded(finish_result(), ec); }

  [[nodiscard]] bool finished() const noexcept { return finished_; }

  /// Both forms of `feed` and `finish` in one, for the SDK's layers above, which keep where a
  /// failure happened.
  [[nodiscard]] std::optional<cocoon::detail::failure> finish_result() const {
    if (finished_) return std::nullopt;
    return cocoon::detail::failure{errc::stream_truncated, "after chunk " + std::to_string(next_index_)};
  }
  [[nodiscard]] cocoon::detail::result<std::vector<bytes>> feed_result(byte_view data) {
    if (failed_) return {errc::stream_malformed, "input after an error"};
    std::vector<bytes> chunks;
    while (!data.empty()) {
      if (finished_) return fail({errc::stream_finished, "data after the final chunk"});
      const std::size_t wanted = frame_size_needed();
      const std::size_t take = std::min(wanted - pending_.size(), data.size());
      pending_.insert(pending_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
      data = data.subspan(take);
      if (pending_.size() == stream_frame_header_size) {
        if (auto why = check_header()) return fail(std::move(*why));
        continue;  // the header is in; now wait for the sealed bytes
      }
      if (pending_.size() < frame_size_needed()) continue;
      const auto word = static_cast<std::uint32_t>(cocoon::detail::load_be(pending_.data(), 4));
      const bool final = (word & stream_final_bit) != 0;
      const byte_view sealed = byte_view(pending_).subspan(stream_frame_header_size);
      bytes plaintext(sealed.size() - aead_tag_size);
      if (auto why = cipher_.open_chunk(next_index_, final, sealed, plaintext)) return fail(std::move(*why));
      chunks.push_back(std::move(plaintext));
      pending_.clear();
      ++next_index_;
      finished_ = final;
    }
    return chunks;
  }

 private:
  /// Bytes the current frame needs in `pending_`: its header, then header plus sealed length.
  [[nodiscard]] std::size_t frame_size_needed() const noexcept {
    if (pending_.size() < stream_frame_header_size) return stream_frame_header_size;
    return stream_frame_header_size +
           (static_cast<std::uint32_t>(cocoon::detail::load_be(pending_.data(), 4)) & ~stream_final_bit);
  }

  [[nodiscard]] std::optional<cocoon::detail::failure> check_header() const {
    const std::size_t sealed_size =
        static_cast<std::uint32_t>(cocoon::detail::load_be(pending_.data(), 4)) & ~stream_final_bit;
    if (sealed_size < aead_tag_size || sealed_size > stream_max_chunk + aead_tag_size) {
      return cocoon::detail::failure{errc::stream_malformed, "chunk " + std::to_string(next_index_) + " length " +
                                                                 std::to_string(sealed_size) + " out of range"};
    }
    return std::nullopt;
  }

  [[nodiscard]] cocoon::detail::failure fail(cocoon::detail::failure why) {
    failed_ = true;
    pending_.clear();
    return why;
  }

  stream_cipher cipher_;
  bytes pending_;
  std::uint64_t next_index_ = 0;
  bool finished_ = false;
  bool failed_ = false;
};

/// How `seal_stream` and `open_stream` cut and spread the work.
struct stream_options {
  std::size_t chunk_size = 64 * 1024;  ///< plaintext bytes per chunk, 1 .. stream_max_chunk
  unsigned threads = 1;                ///< chunks processed concurrently; memory grows with it
  std::size_t chunks_per_thread = 16;  ///< chunks each thread takes per batch
};

namespace detail {

/// Runs `work(i)` for i in [0, count), spread over up to `threads` threads (the caller's
/// included), and returns the first failure by index, if any.
template <class Work>
[[nodiscard]] std::optional<cocoon::detail::failure> run_parallel(std::size_t count, unsigned threads, Work work) {
  std::vector<std::optional<cocoon::detail::failure>> failures(count);
  const std::size_t lanes = std::max<std::size_t>(1, std::min<std::size_t>(threads, count));
  auto lane = [&](std::size_t first) {
    for (std::size_t i = first; i < count; i += lanes) failures[i] = work(i);
  };
  {
    std::vector<std::jthread> helpers;
    helpers.reserve(lanes - 1);
    for (std::size_t t = 1; t < lanes; ++t) helpers.emplace_back(lane, t);
    lane(0);
  }
  for (auto& failure : failures) {
    if (failure) return std::move(failure);
  }
  return std::nullopt;
}

/// Reads up to `size` bytes; fewer only at the end of the stream.
[[nodiscard]] inline std::size_t read_up_to(std::istream& in, mutable_byte_view out) {
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
  return static_cast<std::size_t>(in.gcount());
}

[[nodiscard]] inline bool at_end(std::istream& in) { return in.peek() == std::istream::traits_type::eof(); }

}  // namespace detail

/// Seals everything `in` yields into frames written to `out`, in constant memory
/// (about 2 * threads * chunks_per_thread * chunk_size bytes), with chunks sealed in parallel
/// when `options.threads` > 1. Returns the number of plaintext bytes sealed.
/// @throws cocoon::error with `errc::invalid_length` for a chunk size of 0 or over the limit,
///         or `errc::crypto_failure` if writing to `out` fails.
inline std::uint64_t seal_stream(const stream_cipher& cipher, std::istream& in, std::ostream& out,
                                 const stream_options& options = {}) {
  if (options.chunk_size == 0 || options.chunk_size > stream_max_chunk) {
    cocoon::detail::throw_error(errc::invalid_length, "STREAM seal", "chunk size");
  }
  const std::size_t batch =
      std::max<std::size_t>(1, options.threads) * std::max<std::size_t>(1, options.chunks_per_thread);
  // Buffers are sized once and reused: no per-chunk allocation or zero-filling.
  std::vector<bytes> plain(batch, bytes(options.chunk_size));
  const detail::scrub_on_exit wipe_plain(plain);
  std::vector<std::size_t> lengths(batch);
  std::vector<bytes> frames(batch);
  std::uint64_t index = 0;
  std::uint64_t total = 0;
  for (bool final = false; !final;) {
    std::size_t count = 0;
    while (count < batch && !final) {
      lengths[count] = detail::read_up_to(in, plain[count]);
      total += lengths[count];
      final = detail::at_end(in);
      ++count;
    }
    const std::uint64_t first = index;
    const bool last_batch = final;
    auto why =
        detail::run_parallel(count, options.threads, [&](std::size_t i) -> std::optional<cocoon::detail::failure> {
          cipher.seal_frame_into(first + i, last_batch && i + 1 == count, byte_view(plain[i]).first(lengths[i]),
                                 frames[i]);
          return std::nullopt;
        });
    cocoon::detail::throw_on_failure(why, "STREAM seal");
    for (std::size_t i = 0; i < count; ++i) {
      out.write(reinterpret_cast<const char*>(frames[i].data()), static_cast<std::streamsize>(frames[i].size()));
    }
    if (!out) cocoon::detail::throw_error(errc::crypto_failure, "STREAM seal", "writing the output failed");
    index += count;
  }
  return total;
}

/// Opens the frames `in` yields and writes the plaintext to `out`, in constant memory and in
/// parallel when asked. Each chunk is authenticated before it is written; if an error is thrown,
/// what was already written is an authentic prefix, and the caller must discard it.
/// Returns the number of plaintext bytes written.
/// @throws cocoon::error with `errc::decryption_failed`, `errc::stream_malformed`,
///         `errc::stream_truncated` (input ended before the final chunk) or
///         `errc::stream_finished` (data after the final chunk).
inline std::uint64_t open_stream(const stream_cipher& cipher, std::istream& in, std::ostream& out,
                                 const stream_options& options = {}) {
  const std::size_t batch =
      std::max<std::size_t>(1, options.threads) * std::max<std::size_t>(1, options.chunks_per_thread);
  // Buffers grow to the largest frame seen and are reused: no per-chunk allocation or zero-filling.
  std::vector<bytes> sealed(batch);
  std::vector<bytes> plain(batch);
  const detail::scrub_on_exit wipe_plain(plain);
  std::vector<std::size_t> sizes(batch);
  std::vector<bool> finals(batch);
  std::uint64_t index = 0;
  std::uint64_t total = 0;
  for (bool final = false; !final;) {
    std::size_t count = 0;
    while (count < batch && !final) {
      std::array<std::byte, stream_frame_header_size> header{};
      if (detail::read_up_to(in, header) != header.size()) {
        cocoon::detail::throw_error(errc::stream_truncated, "STREAM open",
                                    "after chunk " + std::to_string(index + count));
      }
      const auto word = static_cast<std::uint32_t>(cocoon::detail::load_be(header.data(), 4));
      const std::size_t sealed_size = word & ~stream_final_bit;
      if (sealed_size < aead_tag_size || sealed_size > stream_max_chunk + aead_tag_size) {
        cocoon::detail::throw_error(errc::stream_malformed, "STREAM open",
                                    "chunk " + std::to_string(index + count) + " length out of range");
      }
      if (sealed[count].size() < sealed_size) sealed[count].resize(sealed_size);
      if (detail::read_up_to(in, mutable_byte_view(sealed[count]).first(sealed_size)) != sealed_size) {
        cocoon::detail::throw_error(errc::stream_truncated, "STREAM open",
                                    "inside chunk " + std::to_string(index + count));
      }
      sizes[count] = sealed_size;
      final = (word & stream_final_bit) != 0;
      finals[count] = final;
      ++count;
    }
    if (final && !detail::at_end(in))
      cocoon::detail::throw_error(errc::stream_finished, "STREAM open", "data after the final chunk");
    const std::uint64_t first = index;
    auto why = detail::run_parallel(count, options.threads, [&](std::size_t i) {
      const std::size_t length = sizes[i] - aead_tag_size;
      if (plain[i].size() < length) plain[i].resize(length);
      return cipher.open_chunk(first + i, finals[i], byte_view(sealed[i]).first(sizes[i]),
                               mutable_byte_view(plain[i]).first(length));
    });
    cocoon::detail::throw_on_failure(why, "STREAM open");
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t length = sizes[i] - aead_tag_size;
      out.write(reinterpret_cast<const char*>(plain[i].data()), static_cast<std::streamsize>(length));
      total += length;
    }
    if (!out) cocoon::detail::throw_error(errc::crypto_failure, "STREAM open", "writing the output failed");
    index += count;
  }
  return total;
}

}  // namespace crypto
COCOON_SDK_NAMESPACE_END

#endif
