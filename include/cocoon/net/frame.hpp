// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_FRAME_HPP
#define COCOON_NET_FRAME_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/detail/endian.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// COCOON's framing inside TLS: each frame is `u32 LE length | i32 LE seqno | payload`, where
/// the length counts the payload only (4 .. 2^24 bytes) and each direction numbers its frames
/// 0, 1, 2, ... A frame out of range or out of sequence is a protocol violation that closes the
/// connection.
inline constexpr std::size_t frame_header_size = 8;
inline constexpr std::size_t min_frame_payload = 4;
inline constexpr std::size_t max_frame_payload = std::size_t{1} << 24;

/// Numbers and frames outgoing payloads.
class frame_encoder {
 public:
  /// @throws cocoon::error with `errc::frame_malformed` for a payload outside 4 .. 2^24 bytes.
  [[nodiscard]] bytes encode(byte_view payload) {
    if (payload.size() < min_frame_payload || payload.size() > max_frame_payload) {
      cocoon::detail::throw_error(errc::frame_malformed, "frame encode",
                                  "payload of " + std::to_string(payload.size()) + " bytes");
    }
    bytes frame(frame_header_size);
    cocoon::detail::store_le(payload.size(), 4, frame.data());
    cocoon::detail::store_le(next_seqno_++, 4, frame.data() + 4);
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
  }

 private:
  std::uint32_t next_seqno_ = 0;
};

/// Takes the incoming byte stream in pieces of any size and returns each complete frame's
/// payload, checking length and sequence. Buffers at most one frame; after an error it refuses
/// all further input.
class frame_decoder {
 public:
  /// @throws cocoon::error with `errc::frame_malformed` or `errc::frame_out_of_sequence`.
  [[nodiscard]] std::vector<bytes> feed(byte_view data) {
    return cocoon::detail::value_or_throw(feed_result(data), "frame decode");
  }
  [[nodiscard]] std::optional<std::vector<bytes>> feed(byte_view data, error_code& ec) {
    return cocoon::detail::value_or_code(feed_result(data), ec);
  }

  /// True when no partial frame is buffered (a clean place for the stream to end).
  [[nodiscard]] bool idle() const noexcept { return pending_.empty(); }

 private:
  [[nodiscard]] cocoon::detail::result<std::vector<bytes>> feed_result(byte_view data) {
    if (failed_) return {errc::frame_malformed, "input after an error"};
    std::vector<bytes> payloads;
    while (!data.empty()) {
      const std::size_t wanted = needed() - pending_.size();
      const std::size_t take = std::min(wanted, data.size());
      pending_.insert(pending_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
      data = data.subspan(take);
      if (pending_.size() == frame_header_size) {
        const std::size_t length = get_le32(0);
        if (length < min_frame_payload || length > max_frame_payload) {
          return fail({errc::frame_malformed,
                       "frame " + std::to_string(expected_seqno_) + " length " + std::to_string(length)});
        }
        if (get_le32(4) != expected_seqno_) {
          return fail({errc::frame_out_of_sequence,
                       "expected seqno " + std::to_string(expected_seqno_) + ", got " + std::to_string(get_le32(4))});
        }
      }
      if (pending_.size() == needed() && pending_.size() > frame_header_size) {
        payloads.emplace_back(pending_.begin() + frame_header_size, pending_.end());
        pending_.clear();
        ++expected_seqno_;
      }
    }
    return payloads;
  }

  [[nodiscard]] std::size_t needed() const noexcept {
    return pending_.size() < frame_header_size ? frame_header_size : frame_header_size + get_le32(0);
  }

  [[nodiscard]] std::uint32_t get_le32(std::size_t at) const noexcept {
    return static_cast<std::uint32_t>(cocoon::detail::load_le(pending_.data() + at, 4));
  }

  [[nodiscard]] cocoon::detail::failure fail(cocoon::detail::failure why) {
    failed_ = true;
    pending_.clear();
    return why;
  }

  bytes pending_;
  std::uint32_t expected_seqno_ = 0;
  bool failed_ = false;
};

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
