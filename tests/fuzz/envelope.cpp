// Oracles: any bytes given to a worker as an envelope are refused with an invalid-input or
// integrity code and never crash; a genuine envelope opens to the sealed job exactly once; any
// single corrupted byte of it is refused.
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job_builder.hpp>

#include "fuzz.hpp"

namespace {

using envelope_clock = cocoon::envelope::clock;
const envelope_clock::time_point now{std::chrono::seconds{1'800'000'000}};

const cocoon::crypto::x25519_key_pair& worker_keys() {
  static const auto keys = cocoon::crypto::derive_key_pair(cocoon::bytes(32, std::byte{7}));
  return keys;
}

cocoon::error_code open(cocoon::byte_view envelope, cocoon::envelope::replay_guard& guard,
                        std::optional<cocoon::job>* opened = nullptr) {
  static const cocoon::envelope::envelope_recipient recipient(
      cocoon::x25519_secret_key::from_bytes(worker_keys().secret_key.reveal()));
  cocoon::error_code ec;
  auto result = recipient.open(envelope, now, guard, {}, ec);
  if (result && opened != nullptr) *opened = result->job();
  return ec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const cocoon::byte_view input(reinterpret_cast<const std::byte*>(data), size);
  cocoon::envelope::replay_guard guard;
  const auto ec = open(input, guard);
  FUZZ_CHECK(ec && (ec == cocoon::condition::invalid_input || ec == cocoon::condition::integrity_failure));

  if (size == 0) return 0;
  const std::string prompt(cocoon::as_chars(input.subspan(1)));
  cocoon::error_code build_error;
  const auto job = cocoon::job_builder().model("m").user(prompt.empty() ? "?" : prompt).build(build_error);
  if (!job) return 0;  // not UTF-8, or over a limit
  const auto attested = cocoon::attest::detail::attested_key_access::make(worker_keys().public_key, {});
  auto envelope = cocoon::seal(*job, attested, {.now = now}).bytes_to_send();
  std::optional<cocoon::job> opened;
  FUZZ_CHECK(!open(envelope, guard, &opened) && opened == job);
  FUZZ_CHECK(open(envelope, guard) == cocoon::errc::envelope_replayed);
  envelope[(size * 7919) % envelope.size()] ^= static_cast<std::byte>(data[0] | 1U);
  cocoon::envelope::replay_guard fresh;
  FUZZ_CHECK(open(envelope, fresh));
  return 0;
}
