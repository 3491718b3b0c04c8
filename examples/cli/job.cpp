// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon job build --model M (--system|--developer|--user|--assistant TEXT)... [--max-tokens N]
//                  [--temperature X] [--top-p X] [--stop S]... [--seed N] [--stream] [--max-coefficient N]
//                  [--price-cap TON] [--timeout-ms N] [--idempotency-key K] [--client-request-id ID]
// cocoon job build --from FILE|-
//
// Builds a job with the SDK's builder, which validates every field, and prints its canonical JSON
// and job hash (SHA-256 of that JSON). --from reads an OpenAI chat-completions request instead:
// model, messages (role and text content), max_tokens, temperature, top_p, stop, seed, stream,
// and COCOON's max_coefficient, price_cap (integer nanotons as a string), timeout_ms,
// idempotency_key and client_request_id; any other member is refused.
#include "command.hpp"

#include <cocoon/job.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace {

double parse_number(const std::string& text, std::string_view flag) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  if (text.empty() || used != text.size()) {
    throw cli::usage_error("not a number after " + std::string(flag) + ": '" + text + "'");
  }
  return value;
}

cocoon::job_builder from_flags(cli::arguments args) {
  cocoon::job_builder builder;
  bool has_model = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    const auto value = [&]() -> const std::string& { return cli::required(args, ++i, "a value after " + flag); };
    if (const auto speaker = cocoon::role_from_string(flag.size() > 2 ? std::string_view(flag).substr(2) : "");
        speaker && flag.rfind("--", 0) == 0) {
      builder.message(*speaker, value());
    } else if (flag == "--model") {
      builder.model(value());
      has_model = true;
    } else if (flag == "--max-tokens") {
      builder.max_tokens(cli::integer<std::uint32_t>(value(), flag));
    } else if (flag == "--temperature") {
      builder.temperature(parse_number(value(), flag));
    } else if (flag == "--top-p") {
      builder.top_p(parse_number(value(), flag));
    } else if (flag == "--stop") {
      builder.stop(value());
    } else if (flag == "--seed") {
      builder.seed(cli::integer<std::int64_t>(value(), flag));
    } else if (flag == "--stream") {
      builder.stream();
    } else if (flag == "--max-coefficient") {
      builder.max_coefficient(cli::integer<std::uint32_t>(value(), flag));
    } else if (flag == "--price-cap") {
      builder.price_cap(cocoon::nanotons::parse(value()));
    } else if (flag == "--timeout-ms") {
      builder.timeout(std::chrono::milliseconds(cli::integer<std::uint32_t>(value(), flag)));
    } else if (flag == "--idempotency-key") {
      builder.idempotency_key(value());
    } else if (flag == "--client-request-id") {
      builder.client_request_id(value());
    } else {
      throw cli::usage_error("unexpected argument '" + flag + "'");
    }
  }
  if (!has_model) throw cli::usage_error("missing --model M (or --from FILE|-)");
  return builder;
}

std::string read_file_or_stdin(const std::string& path) {
  if (path == "-") return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// An OpenAI chat-completions request (with COCOON's fields) into the builder; each member's type
/// is checked here, each value by the builder.
cocoon::job_builder from_request(const std::string& text) {
  using nlohmann::json;
  const json request = json::parse(text, nullptr, false);
  if (!request.is_object()) throw cocoon::error(cocoon::errc::job_malformed, "job request", "not a JSON object");
  const auto bad = [](const std::string& where, const char* why) {
    return cocoon::error(cocoon::errc::job_malformed, "job request", where + ": " + why);
  };
  const auto string_of = [&](const json& value, const std::string& where) {
    if (!value.is_string()) throw bad(where, "not a string");
    return value.get<std::string>();
  };
  const auto unsigned_of = [&](const json& value, const std::string& where, std::uint64_t max) {
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > max) throw bad(where, "not an integer in range");
    return value.get<std::uint64_t>();
  };
  const auto number_of = [&](const json& value, const std::string& where) {
    if (!value.is_number()) throw bad(where, "not a number");
    return value.get<double>();
  };
  cocoon::job_builder builder;
  if (!request.contains("model")) throw bad("model", "missing");
  for (const auto& [key, value] : request.items()) {
    if (key == "model") {
      builder.model(string_of(value, key));
    } else if (key == "messages") {
      if (!value.is_array()) throw bad(key, "not an array");
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string where = "messages[" + std::to_string(i) + "]";
        const json& message = value[i];
        if (!message.is_object() || message.size() != 2 || !message.contains("role") || !message.contains("content")) {
          throw bad(where, "not {\"role\", \"content\"}");
        }
        const auto speaker = cocoon::role_from_string(string_of(message["role"], where + ".role"));
        if (!speaker) throw bad(where + ".role", "not system, developer, user or assistant");
        builder.message(*speaker, string_of(message["content"], where + ".content"));
      }
    } else if (key == "max_tokens") {
      builder.max_tokens(
          static_cast<std::uint32_t>(unsigned_of(value, key, std::numeric_limits<std::uint32_t>::max())));
    } else if (key == "temperature") {
      builder.temperature(number_of(value, key));
    } else if (key == "top_p") {
      builder.top_p(number_of(value, key));
    } else if (key == "stop") {
      if (value.is_string()) {
        builder.stop(value.get<std::string>());
      } else if (value.is_array()) {
        for (const auto& sequence : value) builder.stop(string_of(sequence, key));
      } else {
        throw bad(key, "not a string or an array of strings");
      }
    } else if (key == "seed") {
      if (!value.is_number_integer()) throw bad(key, "not an integer");
      builder.seed(value.get<std::int64_t>());
    } else if (key == "stream") {
      if (!value.is_boolean()) throw bad(key, "not true or false");
      builder.stream(value.get<bool>());
    } else if (key == "max_coefficient") {
      builder.max_coefficient(
          static_cast<std::uint32_t>(unsigned_of(value, key, std::numeric_limits<std::uint32_t>::max())));
    } else if (key == "price_cap") {
      builder.price_cap(cocoon::nanotons{cli::integer<std::uint64_t>(string_of(value, key), "price_cap")});
    } else if (key == "timeout_ms") {
      builder.timeout(std::chrono::milliseconds(unsigned_of(value, key, std::numeric_limits<std::uint32_t>::max())));
    } else if (key == "idempotency_key") {
      builder.idempotency_key(string_of(value, key));
    } else if (key == "client_request_id") {
      builder.client_request_id(string_of(value, key));
    } else {
      throw bad(key, "not a member this command reads");
    }
  }
  return builder;
}

cli::output build(cli::arguments args) {
  const bool from_json = !args.empty() && args[0] == "--from";
  if (from_json) cli::no_more_than(args, 2);
  const cocoon::job job =
      (from_json ? from_request(read_file_or_stdin(cli::required(args, 1, "FILE|- after --from"))) : from_flags(args))
          .build();
  const std::string canonical = job.to_json();
  const std::string hash = job.hash().to_hex();
  return {canonical + "\n" + "hash " + hash + "\n",
          {{"job", nlohmann::json::parse(canonical)}, {"canonical", canonical}, {"hash", hash}}};
}

}  // namespace

std::vector<cli::command> cli::job_commands() {
  return {{"job build",
           "--model M (--system|--developer|--user|--assistant TEXT)... [--max-tokens N] [--temperature X] "
           "[--top-p X] [--stop S]... [--seed N] [--stream] [--max-coefficient N] [--price-cap TON] "
           "[--timeout-ms N] [--idempotency-key K] [--client-request-id ID] | --from FILE|-: a validated job's "
           "canonical JSON and job hash (--from: an OpenAI chat request)",
           build}};
}
