// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon submit --http URL | --proxy HOST:PORT [--insecure-test-policy] [--secret S] [--owner ADDRESS]
//               [--collateral FILE] [--pccs URL] [--allow-unknown-tcb]
//               [--model M] [--max-tokens N] [--max-coefficient N] [--timeout SECONDS] [--retries N]
//               [--no-stream] PROMPT
//
// Sends PROMPT as a chat job and streams the answer to stdout as it arrives: to an
// OpenAI-compatible COCOON API (--http: the COCOON client runner's local port, e.g.
// http://127.0.0.1:10000), or straight to a COCOON proxy over an attested connection (--proxy),
// through the SDK's client facade (deadline, safe retries).
#include "command.hpp"
#include "proxy_options.hpp"

#include <cocoon/client.hpp>
#include <cocoon/job.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>

namespace {

cli::output submit(cli::arguments args) {
  std::string url;
  std::string model = "Qwen/Qwen3-8B";
  std::string prompt;
  std::optional<std::uint32_t> max_tokens;
  std::optional<std::uint32_t> max_coefficient;
  std::uint32_t timeout_seconds = 120;
  std::uint32_t retries = 2;
  bool stream = true;
  std::vector<std::string> rest;
  auto proxy = cli::parse_proxy_flags(args, false, &rest);  // --insecure-test-policy, --secret, ...
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& word = rest[i];
    auto value = [&](std::string_view what) -> const std::string& { return cli::required(rest, ++i, what); };
    if (word == "--http") {
      url = value("URL after --http");
    } else if (word == "--proxy") {
      proxy.endpoint = value("HOST:PORT after --proxy");
    } else if (word == "--model") {
      model = value("MODEL after --model");
    } else if (word == "--max-tokens") {
      max_tokens = cli::integer<std::uint32_t>(value("N after --max-tokens"), "--max-tokens");
    } else if (word == "--max-coefficient") {
      max_coefficient = cli::integer<std::uint32_t>(value("N after --max-coefficient"), "--max-coefficient");
    } else if (word == "--timeout") {
      timeout_seconds = cli::integer<std::uint32_t>(value("SECONDS after --timeout"), "--timeout");
    } else if (word == "--retries") {
      retries = cli::integer<std::uint32_t>(value("N after --retries"), "--retries");
    } else if (word == "--no-stream") {
      stream = false;
    } else if (word.rfind("--", 0) == 0) {
      throw cli::usage_error("unknown option '" + word + "'");
    } else if (prompt.empty()) {
      prompt = word;
    } else {
      throw cli::usage_error("unexpected argument '" + word + "' (quote the prompt)");
    }
  }
  if (url.empty() == proxy.endpoint.empty()) {
    throw cli::usage_error(
        "give one of --http URL (the COCOON client runner's API, e.g. http://127.0.0.1:10000) or --proxy HOST:PORT");
  }
  if (prompt.empty()) throw cli::usage_error("missing PROMPT");

  auto builder = cocoon::job_builder().model(model).user(prompt).timeout(std::chrono::seconds{timeout_seconds});
  if (max_tokens) builder = builder.max_tokens(*max_tokens);
  if (max_coefficient) builder = builder.max_coefficient(*max_coefficient);
  if (stream) builder = builder.stream();
  const auto job = builder.build();

  auto setup = cocoon::client::builder().timeout(std::chrono::seconds{timeout_seconds}).retries(retries);
  if (url.empty()) {
    cli::use_proxy(setup, proxy);
  } else {
    setup.http(url);
  }
  boost::asio::io_context io;
  auto client = setup.build(io);
  std::optional<cocoon::error_code> failure;
  cocoon::openai::answer answer;
  client.async_submit(
      job,
      [](std::string_view text) {
        if (!cli::json_output) std::cout << text << std::flush;
      },
      [&](cocoon::error_code ec, cocoon::openai::answer result) {
        failure = ec;
        answer = std::move(result);
        client.close_idle();
      });
  while (!failure) io.run_one();
  if (*failure) {
    // A proxy that could not be reached or attested never saw the job: say so.
    const bool never_connected = url.empty() && client.stats().connects == 0;
    const std::string target = url.empty() ? proxy.endpoint : url;
    throw cocoon::error(*failure, (never_connected ? "connect to " : "submit to ") + target, answer.error);
  }

  nlohmann::json json{{"answer", answer.text}, {"model", answer.model}, {"finish_reason", answer.finish_reason}};
  std::string receipt = "\n";
  if (answer.usage) {
    const auto& u = *answer.usage;
    json["tokens"] = {{"prompt", u.prompt_tokens}, {"completion", u.completion_tokens}, {"total", u.total_tokens}};
    receipt +=
        "[tokens: prompt " + std::to_string(u.prompt_tokens) + ", completion " + std::to_string(u.completion_tokens);
    if (u.total_cost) {
      json["charged_nanotons"] = std::to_string(u.total_cost->count());
      receipt += "; cost " + u.total_cost->to_string() + " TON";
    }
    receipt += "]\n";
  }
  return {receipt, json};
}

}  // namespace

namespace cli {
std::vector<command> submit_commands() {
  return {{"submit",
           "--http URL | --proxy HOST:PORT [--model M] [--max-tokens N] [--retries N] PROMPT: stream an answer",
           submit}};
}
}  // namespace cli
