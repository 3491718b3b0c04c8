// Throughput of the encryption a job goes through, as ratios against a baseline measured in the
// same run: STREAM against the bare AEAD it is built on, parallel STREAM against one thread,
// and sealing a whole job envelope against serializing the job alone.
#include <cocoon/crypto/aead.hpp>
#include <cocoon/crypto/stream.hpp>
#include <cocoon/job/envelope.hpp>
#include <cocoon/job/job_builder.hpp>

#include <istream>
#include <ostream>
#include <streambuf>
#include <thread>

#include "bench.hpp"

namespace {

using cocoon::crypto::aead_algorithm;

/// Reads from memory without copying it, and discards what is written, so the benchmark
/// measures the encryption rather than stream buffers.
struct memory_source : std::streambuf {
  explicit memory_source(const std::string& data) {
    char* begin = const_cast<char*>(data.data());  // a get area is never written through
    setg(begin, begin, begin + data.size());
  }
};
struct discard_sink : std::streambuf {
  std::streamsize xsputn(const char*, std::streamsize count) override { return count; }
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
};

double mib_per_second(double bytes_per_second) { return bytes_per_second / (1024.0 * 1024.0); }

cocoon::crypto::stream_cipher cipher(aead_algorithm algorithm) {
  return {algorithm, cocoon::crypto::stream_key::generate(), cocoon::bytes(12, std::byte{1})};
}

}  // namespace

int main(int argc, char** argv) {
  bench::parse_args(argc, argv);
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  std::printf("crypto benchmark: %u hardware threads, %.2f s per measurement\n\n", cores, bench::budget_seconds);

  const std::size_t size = 64U << 20;
  const std::string input(size, 'x');
  for (const auto algorithm : {aead_algorithm::aes_256_gcm, aead_algorithm::chacha20_poly1305}) {
    const char* name = algorithm == aead_algorithm::aes_256_gcm ? "AES-256-GCM" : "ChaCha20-Poly1305";
    const auto key = cocoon::bytes(32, std::byte{2});
    const auto nonce = cocoon::bytes(12, std::byte{3});
    cocoon::bytes sealed(size + cocoon::crypto::aead_tag_size);
    const double bare = mib_per_second(bench::rate(static_cast<double>(size), [&] {
      (void)cocoon::crypto::detail::aead_seal_into(algorithm, key, nonce, {}, cocoon::as_bytes(input), sealed);
    }));
    std::printf("%s, one %zu MiB message into a ready buffer: %.1f MiB/s (baseline)\n", name, size >> 20, bare);
    const auto stream = cipher(algorithm);
    double single = 0;
    for (const unsigned threads : {1U, cores}) {
      const double rate = mib_per_second(bench::rate(static_cast<double>(size), [&] {
        memory_source source(input);
        discard_sink sink;
        std::istream in(&source);
        std::ostream out(&sink);
        (void)cocoon::crypto::seal_stream(stream, in, out, {.threads = threads});
      }));
      if (threads == 1) single = rate;
      const std::string label = std::string("  STREAM seal, 64 KiB chunks, ") + std::to_string(threads) + " thread(s)";
      bench::report(label.c_str(), rate, "MiB/s", bare, "bare AEAD");
      if (threads > 1) bench::report("  parallel STREAM", rate, "MiB/s", single, "STREAM on 1 thread");
      if (cores == 1) break;
    }
  }

  const auto job = cocoon::job_builder().model("Qwen/Qwen3-8B").user(std::string(4096, 'q')).build();
  const auto keys = cocoon::crypto::derive_key_pair(cocoon::bytes(32, std::byte{4}));
  const auto worker = cocoon::attest::detail::attested_key_access::make(keys.public_key, {});
  const double serialize = bench::rate(1, [&] { (void)job.to_json(); });
  const double seal = bench::rate(1, [&] { (void)cocoon::seal(job, worker); });
  std::printf("\n4 KiB job: canonical JSON %.0f/s (baseline)\n", serialize);
  bench::report("  seal envelope (HPKE + JSON)", seal, "jobs/s", serialize, "JSON alone");
  return 0;
}
