// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon models --http URL | --proxy HOST:PORT [--insecure-test-policy] [--secret S] [--owner ADDRESS]
//               [--collateral FILE] [--pccs URL] [--allow-unknown-tcb] [--timeout SECONDS]
//
// Lists the models on offer and their workers (price coefficient, running and most requests):
// a COCOON proxy's answer to client.getWorkerTypesV2 over an attested connection (--proxy), or
// the COCOON client runner's GET /v1/models (--http).
#include "command.hpp"
#include "proxy_options.hpp"

#include <cocoon/client.hpp>

#include <boost/asio/io_context.hpp>

#include <charconv>
#include <iomanip>
#include <sstream>

namespace {

cli::output models(cli::arguments args) {
  std::string url;
  std::uint32_t timeout_seconds = 30;
  std::vector<std::string> rest;
  auto proxy = cli::parse_proxy_flags(args, false, &rest);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& word = rest[i];
    auto value = [&](std::string_view what) -> const std::string& { return cli::required(rest, ++i, what); };
    if (word == "--http") {
      url = value("URL after --http");
    } else if (word == "--proxy") {
      proxy.endpoint = value("HOST:PORT after --proxy");
    } else if (word == "--timeout") {
      const auto& text = value("SECONDS after --timeout");
      const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), timeout_seconds);
      if (status != std::errc{} || end != text.data() + text.size() || timeout_seconds == 0) {
        throw cli::usage_error("--timeout needs a whole number of seconds, got '" + text + "'");
      }
    } else {
      throw cli::usage_error("unexpected argument '" + word + "'");
    }
  }
  if (url.empty() == proxy.endpoint.empty()) {
    throw cli::usage_error(
        "give one of --http URL (the COCOON client runner's API, e.g. http://127.0.0.1:10000) or --proxy HOST:PORT");
  }
  auto setup = cocoon::client::builder().timeout(std::chrono::seconds{timeout_seconds});
  if (url.empty()) {
    cli::use_proxy(setup, proxy);
  } else {
    setup.http(url);
  }
  boost::asio::io_context io;
  auto client = setup.build(io);
  std::optional<cocoon::error_code> failure;
  std::vector<cocoon::net::model_info> listed;
  client.async_models([&](cocoon::error_code ec, std::vector<cocoon::net::model_info> result) {
    failure = ec;
    listed = std::move(result);
    client.close_idle();
  });
  while (!failure) io.run_one();
  if (*failure) throw cocoon::error(*failure, "list models of " + (url.empty() ? proxy.endpoint : url));

  nlohmann::json json{{"models", nlohmann::json::array()}};
  std::ostringstream text;
  text << std::left << std::setw(31) << "MODEL" << ' ' << std::setw(12) << "COEFFICIENT" << ' ' << "RUNNING/MAX\n";
  for (const auto& model : listed) {
    nlohmann::json entry{{"name", model.name}, {"workers", nlohmann::json::array()}};
    for (const auto& worker : model.workers) {
      entry["workers"].push_back({{"coefficient", worker.coefficient},
                                  {"running_requests", worker.running_requests},
                                  {"max_running_requests", worker.max_running_requests}});
      text << std::setw(31) << model.name << ' ' << std::setw(12) << worker.coefficient << ' '
           << worker.running_requests << '/' << worker.max_running_requests << '\n';
    }
    if (const auto& s = model.summary) {
      entry["summary"] = {{"active_workers", s->active_workers},
                          {"coefficient_min", s->coefficient_min},
                          {"coefficient_median", s->coefficient_median},
                          {"coefficient_max", s->coefficient_max}};
      text << std::setw(31) << model.name << ' ' << s->active_workers << " workers, coefficients " << s->coefficient_min
           << '/' << s->coefficient_median << '/' << s->coefficient_max << " (min/median/max)\n";
    } else if (model.workers.empty()) {
      text << std::setw(31) << model.name << ' ' << "no workers listed\n";
    }
    json["models"].push_back(std::move(entry));
  }
  return {text.str(), json};
}

}  // namespace

namespace cli {
std::vector<command> models_commands() {
  return {{"models", "--http URL | --proxy HOST:PORT [--timeout SECONDS]: list the models and their workers", models}};
}
}  // namespace cli
