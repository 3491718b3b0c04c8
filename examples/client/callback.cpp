#include <cocoon/attest/ratls.hpp>
#include <cocoon/client.hpp>
#include <cocoon/job/job_builder.hpp>
#include <cocoon/job/openai.hpp>
#include <cocoon/local/proxy.hpp>

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
                    .retries(2)
                    .build(io);
  const auto job =
      cocoon::job_builder().model(local.options().model_name).user("Hello!").max_tokens(32).stream().build();
  client.async_submit(
      job, [](std::string_view part) { std::cout << part << std::flush; },  // each part as it arrives
      [&](cocoon::error_code ec, cocoon::openai::answer answer) {
        if (ec) {
          std::cout << "failed: " << ec.message() << ' ' << answer.error << '\n';
        } else {
          std::cout << '\n' << answer.usage->completion_tokens << " tokens, " << *answer.usage->total_cost << '\n';
        }
        client.close_idle();  // nothing left to do: let io.run() return
        local.stop();
      });
  io.run();
}
