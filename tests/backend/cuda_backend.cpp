// The CUDA backend against the CPU reference. A plain program rather than a Catch2 suite, so that
// tests/bench/gpu-check.sh can build it on a GPU machine that has only a compiler, CUDA and Boost.
// Exits 0 when every check passes, 1 on a failure, and 77 without a CUDA device, which ctest
// reports as skipped (SKIP_RETURN_CODE), never as passed.
#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/cuda/cuda_backend.hpp>
#include <cocoon/backend/generate.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace be = cocoon::backend;

namespace {

// Logits (up to ~15, rms ~3.5) are sums of a few hundred float products; another summation order moves
// them by ~1e-5. 1e-3 leaves room while catching real errors, which move them by 1e-1 and more.
constexpr float tolerance = 1e-3f;

int checks = 0, failures = 0;
float worst_seen = 0;

void check(bool ok, const std::string& what) {
  ++checks;
  if (!ok) {
    ++failures;
    std::cout << "FAILED: " << what << "\n";
  }
}

float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  worst_seen = std::max(worst_seen, worst);
  return worst;
}

std::vector<be::token_id> sequence(std::size_t n, unsigned salt) {
  std::vector<be::token_id> t{be::end_token};
  for (std::size_t i = 1; i < n; ++i) t.push_back(static_cast<be::token_id>((i * 131 + salt * 17) % 256));
  return t;
}

std::vector<be::token_id> head(const std::vector<be::token_id>& t, std::size_t n) {
  return {t.begin(), t.begin() + static_cast<std::ptrdiff_t>(n)};
}

void logits_match_cpu(std::uint64_t seed) {
  const std::string tag = "seed " + std::to_string(seed) + ": ";
  be::model_config c;
  c.seed = seed;
  const auto weights = be::make_weights(c);
  be::cpu_backend cpu(weights, be::cache_mode::recompute);
  be::cuda_backend batch(weights, be::cache_mode::recompute);
  be::cuda_backend cached(weights, be::cache_mode::kv_cache);
  const auto tokens = sequence(c.context_length, static_cast<unsigned>(seed));
  // Whole prompts as one batch, of growing length (the cached backend extends its cache).
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{17}, std::size_t{100}, c.context_length}) {
    const auto expected = cpu.forward(head(tokens, n));
    check(max_abs_diff(batch.forward(head(tokens, n)), expected) < tolerance, tag + "batch of " + std::to_string(n));
    check(max_abs_diff(cached.forward(head(tokens, n)), expected) < tolerance, tag + "cached " + std::to_string(n));
  }
  // Token by token through the device cache, then a divergent suffix.
  be::cuda_backend stepper(weights);
  for (std::size_t n = 1; n <= 40; ++n) {
    check(max_abs_diff(stepper.forward(head(tokens, n)), cpu.forward(head(tokens, n))) < tolerance,
          tag + "step " + std::to_string(n));
    check(stepper.last_computed_positions() == 1, tag + "one new position at step " + std::to_string(n));
  }
  auto other = head(tokens, 40);
  other[20] = 'Q';
  check(max_abs_diff(stepper.forward(other), cpu.forward(other)) < tolerance, tag + "divergent suffix");
  check(stepper.last_computed_positions() == 20, tag + "recomputed from the divergence");
}

void greedy_tokens_match_cpu(std::uint64_t seed) {
  be::model_config c;
  c.seed = seed;
  const auto weights = be::make_weights(c);
  be::cpu_backend cpu(weights);
  be::cuda_backend gpu(weights);
  for (const char* prompt : {"", "The quick brown fox", "COCOON on TON"}) {
    const auto a = be::generate(cpu, prompt, 120, be::sampling_params{});
    const auto b = be::generate(gpu, prompt, 120, be::sampling_params{});
    check(a.tokens == b.tokens && a.reason == b.reason,
          "greedy tokens, seed " + std::to_string(seed) + ", prompt '" + prompt + "'");
  }
}

void sampling_matches_cpu() {
  be::model_config c;
  c.seed = 5;
  const auto weights = be::make_weights(c);
  be::cpu_backend cpu(weights);
  be::cuda_backend gpu(weights);
  be::sampling_params p;
  p.temperature = 0.9f;
  p.top_p = 0.9f;
  p.seed = 77;
  check(be::generate(cpu, "sample", 64, p).text == be::generate(gpu, "sample", 64, p).text, "seeded sampling text");
}

void validates_like_cpu() {
  be::model_config c;
  be::cuda_backend gpu(c);
  check(gpu.name() == "cuda", "name");
  cocoon::error_code ec;
  check(!gpu.forward(std::vector<be::token_id>{be::end_token, 300}, ec) && ec == cocoon::errc::model_invalid_input,
        "out-of-vocabulary token refused");
  check(!gpu.forward(std::vector<be::token_id>(c.context_length + 1, 'a'), ec) &&
            ec == cocoon::errc::model_context_exceeded,
        "over-long input refused");
  auto w = be::make_weights(c);
  w.final_bias.clear();
  bool threw = false;
  try {
    be::cuda_backend bad(w);
  } catch (const cocoon::error& e) {
    threw = e.code() == cocoon::errc::model_invalid_input;
  }
  check(threw, "mismatched weights refused");
}

}  // namespace

int main() {
  const int devices = be::cuda_backend::device_count();
  if (devices == 0) {
    std::cout << "no CUDA device: skipped\n";
    return 77;
  }
  std::cout << "CUDA devices: " << devices << "\n";
  try {
    for (const std::uint64_t seed : {0ULL, 1ULL, 2024ULL}) logits_match_cpu(seed);
    for (const std::uint64_t seed : {0ULL, 7ULL}) greedy_tokens_match_cpu(seed);
    sampling_matches_cpu();
    validates_like_cpu();
  } catch (const std::exception& e) {
    std::cout << "FAILED: exception: " << e.what() << "\n";
    return 1;
  }
  std::cout << "largest |cuda - cpu| logit difference: " << worst_seen << " (tolerance " << tolerance << ")\n";
  std::cout << checks - failures << " of " << checks << " checks passed\n";
  return failures == 0 ? 0 : 1;
}
