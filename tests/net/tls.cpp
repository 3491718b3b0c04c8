#include <cocoon/net/tls.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

using refusal_slot = std::shared_ptr<std::optional<cocoon::detail::failure>>;

/// A context with COCOON's settings, a certificate valid for a day from `since`, and `verify` as
/// the judge of the peer's.
struct endpoint {
  asio::ssl::context context;
  refusal_slot refusal = std::make_shared<std::optional<cocoon::detail::failure>>();
  std::size_t verified = 0;  ///< how often `verify` was asked
  bool refuse = false;       ///< what `verify` answers

  endpoint(bool server, std::chrono::system_clock::time_point since = std::chrono::system_clock::now())
      : context(server ? asio::ssl::context::tls_server : asio::ssl::context::tls_client) {
    cocoon::net::apply_cocoon_tls_settings(
        context, cocoon::net::make_ed25519_certificate(cocoon::ed25519_secret_key::generate(), {}, since));
    cocoon::net::require_peer_certificate(
        context,
        [this](cocoon::byte_view) -> std::optional<cocoon::detail::failure> {
          ++verified;
          if (refuse) return cocoon::detail::failure{cocoon::errc::measurement_not_allowed, "test"};
          return std::nullopt;
        },
        refusal, server);
  }
};

struct outcome {
  cocoon::error_code server;
  cocoon::error_code client;
};

/// One TLS handshake over loopback between new streams on the two contexts.
outcome handshake(endpoint& server, endpoint& client) {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ssl::stream<tcp::socket> accepted(io, server.context);
  asio::ssl::stream<tcp::socket> connecting(io, client.context);
  outcome result;
  const auto close = [](asio::ssl::stream<tcp::socket>& s) {
    cocoon::error_code ignored;
    s.next_layer().close(ignored);
  };
  acceptor.async_accept(accepted.next_layer(), [&](cocoon::error_code ec) {
    if (ec) return void(result.server = ec);
    accepted.async_handshake(asio::ssl::stream_base::server, [&](cocoon::error_code e) {
      result.server = e;
      close(accepted);
    });
  });
  connecting.next_layer().async_connect(acceptor.local_endpoint(), [&](cocoon::error_code ec) {
    if (ec) return void(result.client = ec);
    connecting.async_handshake(asio::ssl::stream_base::client, [&](cocoon::error_code e) {
      result.client = e;
      close(connecting);
    });
  });
  io.run();
  return result;
}

}  // namespace

TEST_CASE("each handshake on a TLS context verifies the peer certificate again", "[net][tls]") {
  endpoint server(true);
  endpoint client(false);
  auto first = handshake(server, client);
  CHECK_FALSE(first.client);
  CHECK_FALSE(first.server);
  CHECK(client.verified == 1);  // asked once per handshake, however often OpenSSL asks
  CHECK(server.verified == 1);

  // The same server certificate on a later handshake meets the verifier as it is now.
  client.refuse = true;
  auto second = handshake(server, client);
  CHECK(second.client);
  CHECK(client.verified == 2);
  REQUIRE(*client.refusal);
  CHECK((*client.refusal)->code == cocoon::errc::measurement_not_allowed);

  client.refuse = false;
  client.refusal->reset();
  auto third = handshake(server, client);
  CHECK_FALSE(third.client);
  CHECK(client.verified == 3);
}

TEST_CASE("a certificate is valid from a minute before it was made, for peers whose clock is behind", "[net][tls]") {
  const auto made_at = std::chrono::system_clock::now();
  const auto made = cocoon::net::make_ed25519_certificate(cocoon::ed25519_secret_key::generate(), {}, made_at);
  const auto* in = reinterpret_cast<const unsigned char*>(made.der.data());
  std::unique_ptr<X509, cocoon::net::detail::x509_deleter> parsed(
      d2i_X509(nullptr, &in, static_cast<long>(made.der.size())));
  REQUIRE(parsed);
  const auto made_seconds = std::chrono::system_clock::to_time_t(made_at);
  // A peer a little behind accepts it; a peer two minutes behind does not.
  time_t behind = made_seconds - 59;
  CHECK(X509_cmp_time(X509_get0_notBefore(parsed.get()), &behind) < 0);
  behind = made_seconds - 120;
  CHECK(X509_cmp_time(X509_get0_notBefore(parsed.get()), &behind) > 0);
  time_t day_later = made_seconds + 24 * 3600 + 1;
  CHECK(X509_cmp_time(X509_get0_notAfter(parsed.get()), &day_later) < 0);
}

TEST_CASE("an expired or not yet valid peer certificate fails the handshake on either side", "[net][tls]") {
  const auto now = std::chrono::system_clock::now();
  const auto when = GENERATE_COPY(now - 48h, now + 48h);  // valid for a day from then
  const bool expired = when < now;
  INFO((expired ? "expired" : "not yet valid"));
  SECTION("a client certificate, at the server") {
    endpoint server(true);
    endpoint client(false, when);
    auto result = handshake(server, client);
    CHECK(result.server);
    REQUIRE(*server.refusal);
    CHECK((*server.refusal)->code == cocoon::errc::certificate_expired);
  }
  SECTION("a server certificate, at the client") {
    endpoint server(true, when);
    endpoint client(false);
    auto result = handshake(server, client);
    CHECK(result.client);
    REQUIRE(*client.refusal);
    CHECK((*client.refusal)->code == cocoon::errc::certificate_expired);
  }
}
