// The compiled mode's smallest real use, built by both packaging tests: the local proxy, whose
// code only cocoon::sdk_compiled holds, listening and stopped.
#include <cocoon/local/proxy.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>

int main() {
  boost::asio::io_context io;
  cocoon::local::proxy proxy(io.get_executor(), {});
  proxy.start();
  const auto port = proxy.port();
  proxy.stop();
  io.run();  // the accept loop ends
  if (port == 0) return 1;
  std::cout << "consumer_compiled: a local proxy listened on 127.0.0.1\n";
  return 0;
}
