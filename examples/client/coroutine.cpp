#include <cocoon/attest/ratls.hpp>
#include <cocoon/client.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/local/proxy.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

int main() {
  boost::asio::io_context io;
  cocoon::local::proxy local(io.get_executor(), {});  // a COCOON proxy + worker on 127.0.0.1
  local.start();
  auto client = cocoon::client::builder()
                    .proxy("127.0.0.1:" + std::to_string(local.port()))
                    .policy(cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests())
                    .session({.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20",
                              .is_test = true,
                              .secret = local.options().client_secret})
                    .build(io);
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (int i = 0; i < 3; ++i) {
          const auto job = cocoon::job_builder()
                               .model(local.options().model_name)
                               .user("Question " + std::to_string(i))
                               .max_tokens(8)
                               .timeout(std::chrono::seconds{10})  // this job's deadline
                               .build();
          try {
            const auto answer = co_await client.async_submit(job);  // no token: deferred, errors thrown
            std::cout << i << ": " << answer.usage->completion_tokens << " tokens\n";
          } catch (const boost::system::system_error& failure) {
            if (failure.code() == cocoon::errc::deadline_exceeded) std::cout << i << ": too slow\n";
            throw;
          }
        }
        std::cout << client.stats().jobs << " jobs, " << client.stats().connects << " attested connection\n";
        client.close_idle();
        local.stop();
      },
      [](std::exception_ptr failure) {
        if (failure) std::rethrow_exception(failure);
      });
  io.run();
}
