// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon local up [--port P] [--seconds N] [--is-test true|false]
//
// Runs the local reference network (a COCOON proxy and worker on 127.0.0.1) until interrupted or
// for N seconds, so that other programs (or `cocoon submit --proxy ... --insecure-test-policy`)
// can talk to it.
#include "command.hpp"

#include <cocoon/local.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <charconv>
#include <csignal>
#include <iostream>

namespace {

std::uint32_t number(const std::string& text, std::string_view option, std::uint32_t max) {
  std::uint32_t value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc{} || end != text.data() + text.size() || value > max) {
    throw cli::usage_error(std::string(option) + " needs a number up to " + std::to_string(max) + ", got '" + text +
                           "'");
  }
  return value;
}

cli::output up(cli::arguments args) {
  cocoon::local::proxy_options options;
  std::optional<std::uint32_t> seconds;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--port") {
      options.port = static_cast<std::uint16_t>(number(cli::required(args, ++i, "P after --port"), "--port", 65535));
    } else if (args[i] == "--is-test") {
      const auto& value = cli::required(args, ++i, "true or false after --is-test");
      if (value != "true" && value != "false")
        throw cli::usage_error("--is-test needs true or false, got '" + value + "'");
      options.is_test = value == "true";
    } else if (args[i] == "--seconds") {
      seconds = number(cli::required(args, ++i, "N after --seconds"), "--seconds", 86400);
    } else {
      throw cli::usage_error("unexpected argument '" + args[i] + "'");
    }
  }
  boost::asio::io_context io;
  cocoon::local::proxy proxy(io.get_executor(), options);
  proxy.start();
  const std::string endpoint = "127.0.0.1:" + std::to_string(proxy.port());
  if (!cli::json_output) {
    std::cout << "local COCOON proxy + worker on " << endpoint << " (model " << options.model_name
              << ", fake TDX attestation, " << (options.is_test ? "test" : "production") << " mode, client secret \""
              << options.client_secret << "\")\n"
              << "try: cocoon submit --proxy " << endpoint << " --insecure-test-policy --secret "
              << options.client_secret << " --model " << options.model_name << " \"Hello\"\n"
              << std::flush;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](cocoon::error_code, int) { io.stop(); });
  boost::asio::steady_timer timer(io);
  if (seconds) {
    timer.expires_after(std::chrono::seconds{*seconds});
    timer.async_wait([&](cocoon::error_code) { io.stop(); });
  }
  io.run();
  return {"stopped.\n", {{"endpoint", endpoint}, {"queries", proxy.counters().queries.load()}}};
}

}  // namespace

std::vector<cli::command> cli::local_commands() {
  return {
      {"local up",
       "[--port P] [--seconds N] [--is-test true|false]: run the local reference network (proxy + worker) on 127.0.0.1",
       up}};
}
