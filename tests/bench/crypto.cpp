// What sealing a job and its attachments costs, as ratios against baselines run in the same
// process:
// - a 256 MiB payload through STREAM (seal_stream / open_stream, 64 KiB chunks) against OpenSSL's
//   raw EVP ChaCha20-Poly1305 over the same bytes in one call, on one core;
// - STREAM on every core against STREAM on one;
// - the peak memory STREAM adds while it runs (input generated on the fly, output discarded), to
//   compare with its bound of 2 * threads * chunks_per_thread * chunk_size;
// - sealing a job envelope (HPKE + canonical JSON) against the JSON alone.
// `--quick` shrinks the payload to 4 MiB and the timing to one run: a smoke test for ctest.
#include <cocoon/crypto/aead.hpp>
#include <cocoon/crypto/stream.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job_builder.hpp>

#include <fstream>
#include <istream>
#include <ostream>
#include <streambuf>
#include <thread>

#include "bench.hpp"

namespace {

using cocoon::crypto::aead_algorithm;
constexpr auto chacha = aead_algorithm::chacha20_poly1305;

double mib(double bytes) { return bytes / (1024.0 * 1024.0); }

/// Yields `size` bytes of a fixed pattern from one reused buffer: an input of any size in
/// constant memory.
struct generated_source : std::streambuf {
  explicit generated_source(std::size_t size) : left_(size), block_(1 << 16) {
    for (std::size_t i = 0; i < block_.size(); ++i) block_[i] = static_cast<char>(i * 131);
  }
  int_type underflow() override {
    if (left_ == 0) return traits_type::eof();
    const std::size_t n = std::min(left_, block_.size());
    left_ -= n;
    setg(block_.data(), block_.data(), block_.data() + n);
    return traits_type::to_int_type(block_[0]);
  }
  std::size_t left_;
  std::vector<char> block_;
};

/// Reads from memory without copying it.
struct memory_source : std::streambuf {
  explicit memory_source(const std::vector<char>& data) {
    char* begin = const_cast<char*>(data.data());  // a get area is never written through
    setg(begin, begin, begin + data.size());
  }
};

/// Discards what is written.
struct discard_sink : std::streambuf {
  std::streamsize xsputn(const char*, std::streamsize count) override { return count; }
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
};

/// Appends to a vector reserved in advance (no reallocation peaks).
struct vector_sink : std::streambuf {
  explicit vector_sink(std::vector<char>& out) : out_(out) {}
  std::streamsize xsputn(const char* data, std::streamsize count) override {
    out_.insert(out_.end(), data, data + count);
    return count;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(static_cast<char>(c));
    return traits_type::not_eof(c);
  }
  std::vector<char>& out_;
};

/// Kernel counters of this process, in KiB: current and peak resident memory. Writing 5 to
/// clear_refs resets the peak (Linux >= 4.0), so a phase's own peak can be measured.
long status_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}
bool reset_peak() { return static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5"); }

double seal_rate(const cocoon::crypto::stream_cipher& cipher, std::size_t size, unsigned threads) {
  return mib(bench::rate(static_cast<double>(size), [&] {
    generated_source source(size);
    discard_sink sink;
    std::istream in(&source);
    std::ostream out(&sink);
    (void)cocoon::crypto::seal_stream(cipher, in, out, {.threads = threads});
  }));
}

double open_rate(const cocoon::crypto::stream_cipher& cipher, const std::vector<char>& sealed, std::size_t size,
                 unsigned threads) {
  return mib(bench::rate(static_cast<double>(size), [&] {
    memory_source source(sealed);
    discard_sink sink;
    std::istream in(&source);
    std::ostream out(&sink);
    (void)cocoon::crypto::open_stream(cipher, in, out, {.threads = threads});
  }));
}

}  // namespace

int main(int argc, char** argv) {
  bench::parse_args(argc, argv);
  const bool quick = bench::budget_seconds < 0.1;
  const std::size_t size = quick ? (4U << 20) : (256U << 20);
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  std::printf("crypto benchmark: %zu MiB payload, %u hardware threads, %.2f s per measurement\n\n", size >> 20, cores,
              bench::budget_seconds);

  const cocoon::crypto::stream_cipher cipher(chacha, cocoon::crypto::stream_key::generate(),
                                             cocoon::bytes(12, std::byte{1}));
  const cocoon::crypto::stream_options options{.threads = cores};
  const double bound = mib(2.0 * cores * static_cast<double>(options.chunks_per_thread * options.chunk_size));

  // Peak memory first, before any large buffer exists.
  if (reset_peak()) {
    const long before = status_kib("VmRSS:");
    generated_source source(size);
    discard_sink sink;
    std::istream in(&source);
    std::ostream out(&sink);
    (void)cocoon::crypto::seal_stream(cipher, in, out, options);
    const double added = static_cast<double>(status_kib("VmHWM:") - before) / 1024.0;
    std::printf("STREAM seal of %zu MiB on %u threads: peak memory +%.1f MiB (bound %.1f MiB: 2 x %u x %zu x 64 KiB)\n",
                size >> 20, cores, added, bound, cores, options.chunks_per_thread);
  }

  // Baseline: raw EVP ChaCha20-Poly1305 over the whole payload in one call, on one core.
  const std::vector<char> payload_chars(size, 'p');
  const auto payload = cocoon::as_bytes(std::string_view(payload_chars.data(), payload_chars.size()));
  const auto key = cocoon::bytes(32, std::byte{2});
  const auto nonce = cocoon::bytes(12, std::byte{3});
  cocoon::bytes sealed_once(size + cocoon::crypto::aead_tag_size);
  const double raw_seal = mib(bench::rate(static_cast<double>(size), [&] {
    (void)cocoon::crypto::detail::aead_seal_into(chacha, key, nonce, {}, payload, sealed_once);
  }));
  cocoon::bytes opened_once(size);
  const double raw_open = mib(bench::rate(static_cast<double>(size), [&] {
    (void)cocoon::crypto::detail::aead_open_into(chacha, key, nonce, {}, sealed_once, opened_once);
  }));
  std::printf("\nraw EVP ChaCha20-Poly1305, one call: seal %.0f MiB/s, open %.0f MiB/s (baselines)\n", raw_seal,
              raw_open);

  const double seal_1 = seal_rate(cipher, size, 1);
  bench::report("STREAM seal, 1 thread", seal_1, "MiB/s", raw_seal, "raw seal");
  std::vector<char> sealed;
  sealed.reserve(size + (size / options.chunk_size + 1) * (cocoon::crypto::stream_frame_header_size + 16));
  {
    generated_source source(size);
    vector_sink sink(sealed);
    std::istream in(&source);
    std::ostream out(&sink);
    (void)cocoon::crypto::seal_stream(cipher, in, out, options);
  }
  const double open_1 = open_rate(cipher, sealed, size, 1);
  bench::report("STREAM open, 1 thread", open_1, "MiB/s", raw_open, "raw open");
  for (const unsigned threads : {2U, cores}) {
    if (threads > cores) continue;
    const double seal_n = seal_rate(cipher, size, threads);
    const double open_n = open_rate(cipher, sealed, size, threads);
    const std::string seal_label = "STREAM seal, " + std::to_string(threads) + " threads";
    const std::string open_label = "STREAM open, " + std::to_string(threads) + " threads";
    bench::report(seal_label.c_str(), seal_n, "MiB/s", seal_1, "STREAM seal on 1 thread");
    bench::report(open_label.c_str(), open_n, "MiB/s", open_1, "STREAM open on 1 thread");
    if (cores == 2) break;
  }

  const auto job = cocoon::job_builder().model("Qwen/Qwen3-8B").user(std::string(4096, 'q')).build();
  const auto keys = cocoon::crypto::derive_key_pair(cocoon::bytes(32, std::byte{4}));
  const auto worker = cocoon::attest::detail::attested_key_access::make(keys.public_key, {});
  const double serialize = bench::rate(1, [&] { (void)job.to_json(); });
  const double seal = bench::rate(1, [&] { (void)cocoon::seal(job, worker); });
  std::printf("\n4 KiB job: canonical JSON %.0f/s (baseline)\n", serialize);
  bench::report("seal envelope (HPKE + JSON)", seal, "jobs/s", serialize, "JSON alone");
  return 0;
}
