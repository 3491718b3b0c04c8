// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon <group> <command> [args] [--json]
//
// Exit status: 0 on success, 1 when the operation failed, 2 on a usage error. A failure prints
// one line on stderr; with --json stdout also carries one JSON object {"error": {...}}.
#include "command.hpp"

#include <cocoon/error.hpp>
#include <cocoon/version.hpp>

#include <openssl/crypto.h>
#include <sodium.h>
#include <boost/version.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

namespace {

cli::output version(cli::arguments args) {
  cli::no_more_than(args, 0);
  const std::string boost = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
                            "." + std::to_string(BOOST_VERSION % 100);
  const nlohmann::json json = {{"sdk", cocoon::version()},
                               {"boost", boost},
                               {"libsodium", sodium_version_string()},
                               {"openssl", OpenSSL_version(OPENSSL_VERSION_STRING)}};
  return {"cocoon-sdk " + std::string(cocoon::version()) + " (Boost " + boost + ", libsodium " +
              sodium_version_string() + ", OpenSSL " + OpenSSL_version(OPENSSL_VERSION_STRING) + ")\n",
          json};
}

std::vector<cli::command> all_commands() {
  std::vector<cli::command> commands{{"version", "print the SDK and library versions", version}};
  for (auto group : {cli::codec_commands(), cli::ton_commands(), cli::submit_commands(), cli::models_commands(),
                     cli::proxy_commands(), cli::local_commands(), cli::demo_commands(), cli::attest_commands(),
                     cli::crypto_commands(), cli::job_commands()}) {
    commands.insert(commands.end(), group.begin(), group.end());
  }
  return commands;
}

// Every command, or those whose path starts with `group` ("crypto").
std::string usage(const std::vector<cli::command>& commands, const std::string& group = {}) {
  std::ostringstream text;
  text << "usage: cocoon <group> <command> [args] [--json]\n\ncommands:\n";
  for (const auto& c : commands) {
    if (!group.empty() && c.path.rfind(group + " ", 0) != 0) continue;
    text << "  " << c.path << std::string(c.path.size() < 34 ? 34 - c.path.size() : 1, ' ') << c.synopsis << '\n';
  }
  return text.str();
}

// One command's usage: its synopsis "ARGS: what it does" split into the two.
std::string usage(const cli::command& c) {
  const auto colon = c.synopsis.find(": ");
  const bool has_arguments = colon != std::string_view::npos;
  const std::string_view arguments = has_arguments ? c.synopsis.substr(0, colon) : std::string_view{};
  const std::string_view what = has_arguments ? c.synopsis.substr(colon + 2) : c.synopsis;
  return "usage: cocoon " + std::string(c.path) + (arguments.empty() ? "" : " ") + std::string(arguments) +
         " [--json]\n\n" + std::string(what) + "\n";
}

// The command whose path is the longest run of leading words; `consumed` says how many.
const cli::command* find(const std::vector<cli::command>& commands, const std::vector<std::string>& words,
                         std::size_t& consumed) {
  const cli::command* found = nullptr;
  std::string path;
  for (std::size_t count = 1; count <= words.size(); ++count) {
    path += (count == 1 ? "" : " ") + words[count - 1];
    for (const auto& c : commands) {
      if (c.path == path) {
        found = &c;
        consumed = count;
      }
    }
  }
  return found;
}

int fail(bool json, int status, const std::string& message, const nlohmann::json& detail) {
  std::cerr << "cocoon: " << message << '\n';
  if (json) std::cout << nlohmann::json{{"error", detail}}.dump() << '\n';
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  const auto json_flag = std::find(words.begin(), words.end(), "--json");
  const bool json = json_flag != words.end();
  if (json) words.erase(json_flag);
  cli::json_output = json;

  const auto commands = all_commands();
  if (!words.empty() && (words[0] == "help" || words[0] == "--help" || words[0] == "-h")) {
    std::cout << usage(commands);
    return 0;
  }
  std::size_t consumed = 0;
  const cli::command* command = find(commands, words, consumed);
  // `cocoon <group> [<command>] --help`: that command's usage, or the group's commands.
  const auto help_flag =
      std::find_if(words.begin(), words.end(), [](const auto& w) { return w == "--help" || w == "-h"; });
  if (help_flag != words.end()) {
    if (command != nullptr && static_cast<std::size_t>(help_flag - words.begin()) >= consumed) {
      std::cout << usage(*command);
      return 0;
    }
    if (std::any_of(commands.begin(), commands.end(),
                    [&](const auto& c) { return c.path.rfind(words[0] + " ", 0) == 0; })) {
      std::cout << usage(commands, words[0]);
      return 0;
    }
  }
  try {
    if (words.empty()) throw cli::usage_error("missing command (see 'cocoon help')");
    if (command == nullptr) {
      throw cli::usage_error("unknown command '" + words[0] + "' (see 'cocoon help')");
    }
    const std::vector<std::string> args(words.begin() + static_cast<std::ptrdiff_t>(consumed), words.end());
    const cli::output result = command->run(args);
    if (json) {
      std::cout << result.json.dump() << '\n';
    } else {
      std::cout << result.text;
    }
    std::cout.flush();
    return std::cout ? 0 : 1;
  } catch (const cli::failed_with_output& e) {
    if (json) {
      std::cout << e.result.json.dump() << '\n';
    } else {
      std::cout << e.result.text;
    }
    std::cerr << "cocoon: " << e.what() << '\n';
    return 1;
  } catch (const cli::usage_error& e) {
    return fail(json, 2, e.what(), {{"kind", "usage"}, {"message", e.what()}});
  } catch (const cocoon::error& e) {
    return fail(json, 1, e.what(),
                {{"kind", "failure"},
                 {"category", e.code().category().name()},
                 {"code", e.code().value()},
                 {"message", e.what()},
                 {"where", e.where()}});
  } catch (const std::exception& e) {
    return fail(json, 1, e.what(), {{"kind", "failure"}, {"message", e.what()}});
  }
}
