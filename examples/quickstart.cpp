#include <cocoon/attest/ratls.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/local/proxy.hpp>
#include <cocoon/net/proxy_connection.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

int main() {
  boost::asio::io_context io;
  cocoon::local::proxy local(io.get_executor(), {});  // a COCOON proxy + worker on 127.0.0.1
  local.start();
  cocoon::net::session_config me{.owner_address = "UQCdj43bBDyeJlfe6FVSpWLfsDMp4YHbmz5lca5-tNz-fx20",
                                 .is_test = true,
                                 .secret = local.options().client_secret};
  // Real proxies: cocoon::attest::ratls_policy::tdx() (a TDX quote verified to Intel's root).
  cocoon::net::proxy_connection proxy(io.get_executor(),
                                      {cocoon::attest::ratls_policy::insecure_accept_fake_tdx_for_tests(), me});
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        co_await proxy.async_connect("127.0.0.1", std::to_string(local.port()), boost::asio::use_awaitable);
        const auto job =
            cocoon::job_builder().model(local.options().model_name).user("Hello!").max_tokens(32).stream().build();
        const auto answer = co_await proxy.async_query(
            job, [](auto text) { std::cout << text << std::flush; }, boost::asio::use_awaitable);
        std::cout << '\n' << answer.usage->completion_tokens << " tokens, " << *answer.usage->total_cost << '\n';
        proxy.close();
        local.stop();
      },
      [](std::exception_ptr failure) {
        if (failure) std::rethrow_exception(failure);
      });
  io.run();
}
