// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// A small user translation unit, as a Mini App backend has several: the umbrella header and one
// job submitted through the client. compile_times.sh times compiling it.
#include <cocoon/cocoon.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>

int main() {
  boost::asio::io_context io;
  auto client = cocoon::client::builder().http("http://127.0.0.1:10000").build(io);
  const auto job = cocoon::job_builder().model("Qwen/Qwen3-0.6B").user("What is TON?").build();
  client.async_submit(job, [](cocoon::error_code ec, const cocoon::openai::answer& answer) {
    std::cout << (ec ? ec.message() : answer.text) << '\n';
  });
  io.run();
}
