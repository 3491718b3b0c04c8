// Shared by the local network tests: the job they ask, the answer the reference model gives it, and
// a connection made through the callback form.
#ifndef COCOON_TESTS_LOCAL_FIXTURES_HPP
#define COCOON_TESTS_LOCAL_FIXTURES_HPP

#include <cocoon/backend/cpu_backend.hpp>
#include <cocoon/backend/generate.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace local_test {

inline constexpr const char* prompt = "What is TON?";

inline cocoon::job question(bool stream, std::string model = "cocoon/reference-byte-lm") {
  auto builder = cocoon::job_builder().model(std::move(model)).user(prompt).max_tokens(24);
  if (stream) builder = builder.stream();
  return builder.build();
}

/// What the CPU reference model writes for `prompt` (the worker adds a newline per message) with
/// the same seeded weights, computed directly on the backend.
inline std::string reference_answer(const cocoon::local::proxy_options& options, std::size_t max_tokens) {
  cocoon::backend::cpu_backend model(options.model);
  return cocoon::backend::generate(model, std::string(prompt) + "\n", max_tokens, {}).text;
}

/// Connects through the callback form, running `io` until it completes.
inline cocoon::error_code connect(boost::asio::io_context& io, cocoon::net::proxy_connection& connection,
                                  const cocoon::local::proxy& proxy) {
  std::optional<cocoon::error_code> result;
  connection.async_connect("127.0.0.1", std::to_string(proxy.port()), [&](cocoon::error_code ec) { result = ec; });
  while (!result) io.run_one_for(std::chrono::milliseconds(50));
  return *result;
}

}  // namespace local_test

#endif
