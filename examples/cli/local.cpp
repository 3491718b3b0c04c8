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

#include <csignal>
#include <iostream>

namespace {

cli::output up(cli::arguments args) {
  cocoon::local::proxy_options options;
  std::optional<std::uint32_t> seconds;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--port") {
      options.port = cli::integer<std::uint16_t>(cli::required(args, ++i, "P after --port"), "--port");
    } else if (args[i] == "--is-test") {
      const auto& value = cli::required(args, ++i, "true or false after --is-test");
      if (value != "true" && value != "false")
        throw cli::usage_error("--is-test needs true or false, got '" + value + "'");
      options.is_test = value == "true";
    } else if (args[i] == "--seconds") {
      seconds = cli::integer<std::uint32_t>(cli::required(args, ++i, "N after --seconds"), "--seconds", 86400);
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
