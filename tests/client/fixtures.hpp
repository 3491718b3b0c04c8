// Shared by the client tests: the job they submit, how they wait for it, and the proxy's address.
#ifndef COCOON_TESTS_CLIENT_FIXTURES_HPP
#define COCOON_TESTS_CLIENT_FIXTURES_HPP

#include <cocoon/error.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/local/proxy.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace client_test {

inline std::string address(const cocoon::local::proxy& proxy) { return "127.0.0.1:" + std::to_string(proxy.port()); }

inline cocoon::job question(bool stream = true, std::uint32_t max_tokens = 24) {
  auto builder = cocoon::job_builder().model("cocoon/reference-byte-lm").user("What is TON?").max_tokens(max_tokens);
  if (stream) builder = builder.stream();
  return builder.build();
}

/// How a submitted job ended, and what it streamed on the way.
struct result {
  std::optional<cocoon::error_code> ec;
  cocoon::openai::answer answer;
  std::string parts;
  std::size_t part_count = 0;
};

/// Runs `io` until `done()` holds (or 10 s pass, which fails the calling check).
template <class Done>
void run_until(boost::asio::io_context& io, Done done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < give_up) io.run_one_for(std::chrono::milliseconds(20));
}

}  // namespace client_test

#endif
