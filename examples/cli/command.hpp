// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// The shape every `cocoon` command has: it takes its arguments and returns what to print, as
// text and as one JSON object; main() chooses which to print and turns exceptions into exit codes.
#ifndef COCOON_EXAMPLES_CLI_COMMAND_HPP
#define COCOON_EXAMPLES_CLI_COMMAND_HPP

#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli {

/// The command line was wrong (unknown command, missing argument): exit status 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct output {
  std::string text;     ///< printed as is without --json (include the final newline)
  nlohmann::json json;  ///< printed as one line with --json
};

using arguments = std::span<const std::string>;

/// A command that ran and found a failure it reports in full (`attest verify` refusing a quote):
/// main() prints `result` as for a success, the message as the one error line, and exits with 1.
struct failed_with_output : std::runtime_error {
  failed_with_output(const std::string& message, output printed)
      : std::runtime_error(message), result(std::move(printed)) {}
  output result;
};

/// True with --json. Commands that print as they work (submit streams the answer) write to
/// stdout only when this is false, so --json output stays one JSON object.
inline bool json_output = false;

struct command {
  std::string_view path;      ///< the words that name it: "version", "codec hex encode"
  std::string_view synopsis;  ///< "ARGS: what it does", or only what it does when it takes no arguments
  output (*run)(arguments);
};

/// The contents of the file at `path`, or of standard input for "-".
inline std::string read_input(const std::string& path) {
  if (path == "-") return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The argument at `index`, or a usage error naming what is missing.
inline const std::string& required(arguments args, std::size_t index, std::string_view what) {
  if (index >= args.size()) throw usage_error("missing " + std::string(what));
  return args[index];
}

/// `text` as an integer no greater than `max` (unsigned types refuse a sign), or a usage error
/// naming `flag`.
template <class Integer>
Integer integer(const std::string& text, std::string_view flag, Integer max = std::numeric_limits<Integer>::max()) {
  Integer value{};
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || status != std::errc{} || end != text.data() + text.size() || value > max) {
    throw usage_error(std::string(flag) + " needs an integer up to " + std::to_string(max) + ", got '" + text + "'");
  }
  return value;
}

/// Refuses arguments beyond the first `count`.
inline void no_more_than(arguments args, std::size_t count) {
  if (args.size() > count) throw usage_error("unexpected argument '" + args[count] + "'");
}

std::vector<command> codec_commands();
std::vector<command> ton_commands();
std::vector<command> demo_commands();
std::vector<command> submit_commands();
std::vector<command> models_commands();
std::vector<command> proxy_commands();
std::vector<command> local_commands();
std::vector<command> attest_commands();
std::vector<command> crypto_commands();
std::vector<command> job_commands();

}  // namespace cli

#endif
