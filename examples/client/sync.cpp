#include <cocoon/attest/ratls.hpp>
#include <cocoon/client.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/local/proxy.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <iostream>
#include <thread>

int main() {
  boost::asio::io_context io;
  cocoon::local::proxy local(io.get_executor(), {});  // a COCOON proxy + worker on 127.0.0.1
  local.start();
  auto client = cocoon::client::builder()
                    .proxy("127.0.0.1:" + std::to_string(local.port()))
                    // Real proxies: cocoon::attest::ratls_policy::tdx().
                    .policy(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests())
                    .session({.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20",
                              .is_test = true,
                              .secret = local.options().client_secret})
                    .timeout(std::chrono::seconds{30})
                    .build(io);

  // The network runs on its own thread; this one blocks on futures.
  auto work = boost::asio::make_work_guard(io);
  std::thread network([&] { io.run(); });
  for (const char* question : {"What is TON?", "What is COCOON?"}) {
    const auto job = cocoon::job_builder().model(local.options().model_name).user(question).max_tokens(16).build();
    const auto answer = client.async_submit(job, boost::asio::use_future).get();  // throws on failure
    std::cout << answer.usage->completion_tokens << " tokens: " << answer.text.size() << " bytes\n";
  }
  work.reset();
  io.stop();
  network.join();
  std::cout << client.stats().connects << " attested connection, " << client.stats().jobs << " jobs\n";
}
