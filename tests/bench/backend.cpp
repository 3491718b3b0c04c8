// Throughput of the reference model backends, as ratios against baselines measured in the same run
// (absolute numbers depend on the machine; the ratios are what to compare). Not a test: it asserts
// nothing but that the backends agree on the greedy tokens they time.
//   bench_backend [tokens]   (default 200 generated tokens)
#include <cocoon/backend.hpp>
#if defined(COCOON_BENCH_CUDA)
#include <cocoon/backend/cuda/cuda_backend.hpp>
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace be = cocoon::backend;

namespace {

struct timing {
  double seconds;
  std::size_t tokens;
  [[nodiscard]] double per_second() const { return static_cast<double>(tokens) / seconds; }
};

template <class F>
double seconds_of(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Greedy decoding of `count` tokens after a short prompt; the end token is not allowed to stop it
// early (printable_only off, and only the token count matters).
timing decode(be::model_backend& model, std::size_t count, std::vector<be::token_id>& out) {
  be::sampling_params p;
  p.printable_only = false;
  be::generation g;
  const double s = seconds_of([&] { g = be::generate(model, "bench", count, p); });
  out = g.tokens;
  return {s, g.tokens.size()};
}

// One forward pass over a full-context prompt: prefill throughput.
timing prefill(be::model_backend& model, int repeats) {
  std::vector<be::token_id> prompt{be::end_token};
  while (prompt.size() < model.config().context_length)
    prompt.push_back(static_cast<be::token_id>('a' + prompt.size() % 26));
  (void)model.forward(prompt);  // warm-up (first device launches)
  const double s = seconds_of([&] {
    for (int i = 0; i < repeats; ++i) {
      prompt[1] = static_cast<be::token_id>('A' + i % 26);  // defeats the prefix cache
      (void)model.forward(prompt);
    }
  });
  return {s, prompt.size() * static_cast<std::size_t>(repeats)};
}

void report(const char* what, const timing& t, const timing* baseline, const char* baseline_name) {
  std::printf("%-34s %10.1f tokens/s", what, t.per_second());
  if (baseline != nullptr) std::printf("   x%.3g vs %s", t.per_second() / baseline->per_second(), baseline_name);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? static_cast<std::size_t>(std::strtoul(argv[1], nullptr, 10)) : 200;
  be::model_config config;  // the reference network's model
  config.seed = 1;
  const auto weights = be::make_weights(config);
  std::printf("model: %zu layers, d_model %zu, %zu heads, d_ff %zu, context %zu; %zu generated tokens\n",
              config.n_layers, config.d_model, config.n_heads, config.d_ff, config.context_length, count);

  int status = 0;
  be::cpu_backend cpu(weights, be::cache_mode::kv_cache);
  be::cpu_backend cpu_recompute(weights, be::cache_mode::recompute);
  std::vector<be::token_id> reference, tokens;
  const timing cpu_decode = decode(cpu, count, reference);
  const timing cpu_slow = decode(cpu_recompute, count, tokens);
  if (tokens != reference) status = 1;
  const timing cpu_prefill = prefill(cpu, 4);
  report("cpu decode, kv cache", cpu_decode, nullptr, "");
  report("cpu decode, recompute", cpu_slow, &cpu_decode, "cpu kv cache");
  report("cpu prefill (one forward)", cpu_prefill, &cpu_decode, "cpu decode");

#if defined(COCOON_BENCH_CUDA)
  if (be::cuda_backend::device_count() == 0) {
    std::printf("cuda: no device, skipped\n");
  } else {
    be::cuda_backend gpu(weights, be::cache_mode::kv_cache);
    be::cuda_backend gpu_recompute(weights, be::cache_mode::recompute);
    (void)decode(gpu, 8, tokens);  // warm-up: context creation, module load
    const timing gpu_decode = decode(gpu, count, tokens);
    if (tokens != reference) status = 1;
    const timing gpu_slow = decode(gpu_recompute, count, tokens);
    if (tokens != reference) status = 1;
    const timing gpu_prefill = prefill(gpu, 50);
    report("cuda decode, kv cache", gpu_decode, &cpu_decode, "cpu kv cache");
    report("cuda decode, recompute (batched)", gpu_slow, &gpu_decode, "cuda kv cache");
    report("cuda prefill (one forward)", gpu_prefill, &cpu_prefill, "cpu prefill");
  }
#else
  std::printf("cuda: not built\n");
#endif
  if (status != 0) std::printf("MISMATCH: the backends produced different greedy tokens\n");
  return status;
}
