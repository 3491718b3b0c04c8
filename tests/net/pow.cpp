#include <cocoon/net/pow.hpp>
#include <cocoon/net/pow_solver.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <optional>
#include <thread>

// Vectors from shared/research/cocoon-vectors.txt, computed by an independent implementation of
// COCOON's tee/cocoon/pow.cpp: salt 00 01 .. 0f.
namespace {
const auto challenge_20 = cocoon::from_hex("91128e4114000000000102030405060708090a0b0c0d0e0f");
}

TEST_CASE("a challenge parses and serializes back to the proxy's bytes", "[net][pow]") {
  const auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  CHECK(challenge.difficulty == 20);
  CHECK(cocoon::to_hex(challenge.salt) == "000102030405060708090a0b0c0d0e0f");
  CHECK(challenge.serialize() == challenge_20);
}

TEST_CASE("the solver finds the first nonce the official client finds", "[net][pow]") {
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  for (const auto& [difficulty, nonce] : {std::pair{8, 480}, std::pair{16, 84956}, std::pair{20, 303607}}) {
    challenge.difficulty = difficulty;
    CHECK(challenge.solve() == nonce);
    CHECK(challenge.accepts(nonce));
    CHECK_FALSE(challenge.accepts(nonce - 1));
  }
  // The count reads the hash's first 8 bytes little-endian: 54378ad121060000 has 21 leading zeros,
  // where a big-endian count would see 1.
  CHECK(challenge.leading_zero_bits(303607) == 21);
  CHECK(cocoon::to_hex(cocoon::net::pow_challenge::response(303607)) == "19738201f7a1040000000000");
  CHECK(cocoon::net::pow_challenge::parse_response(cocoon::from_hex("19738201f7a1040000000000")) == 303607);
}

TEST_CASE("malformed and too hard challenges are refused", "[net][pow]") {
  auto refused = [](const std::string& hex, cocoon::errc code) {
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::net::pow_challenge::parse(cocoon::from_hex(hex), ec));
    CHECK(ec == code);
  };
  refused("91128e4114000000000102030405060708090a0b0c0d0e", cocoon::errc::pow_malformed);    // 23 bytes
  refused("92128e4114000000000102030405060708090a0b0c0d0e0f", cocoon::errc::pow_malformed);  // magic
  refused("91128e41ffffffff000102030405060708090a0b0c0d0e0f", cocoon::errc::pow_malformed);  // negative
  refused("91128e411d000000000102030405060708090a0b0c0d0e0f", cocoon::errc::pow_too_hard);   // 29
  CHECK(cocoon::net::pow_challenge::parse(cocoon::from_hex("91128e411c000000000102030405060708090a0b0c0d0e0f"))
            .difficulty == 28);
  for (const auto* hex : {"19738201f7a10400000000", "18738201f7a1040000000000"}) {  // 11 bytes; magic
    INFO(hex);
    CHECK_THROWS_AS(cocoon::net::pow_challenge::parse_response(cocoon::from_hex(hex)), cocoon::error);
    cocoon::error_code ec;
    CHECK_FALSE(cocoon::net::pow_challenge::parse_response(cocoon::from_hex(hex), ec));
    CHECK(ec == cocoon::errc::pow_malformed);
  }
  cocoon::error_code ec = cocoon::errc::pow_malformed;
  CHECK(cocoon::net::pow_challenge::parse_response(cocoon::from_hex("19738201f7a1040000000000"), ec) == 303607);
  CHECK_FALSE(ec);
}

TEST_CASE("a search stops when asked", "[net][pow]") {
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  challenge.difficulty = 28;
  std::stop_source stop;
  stop.request_stop();
  CHECK_FALSE(challenge.solve(stop.get_token()));
}

TEST_CASE("a search stops at its deadline", "[net][pow]") {
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  challenge.difficulty = 28;
  CHECK_FALSE(challenge.solve({}, std::chrono::steady_clock::now() - std::chrono::milliseconds(1)));
}

namespace {

/// What an `async_solve` completed with, and on which thread.
struct solved {
  cocoon::error_code ec;
  std::int64_t nonce = -1;
  std::thread::id thread;
};

}  // namespace

TEST_CASE("async_solve searches on the pool and completes on the handler's executor", "[net][pow]") {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(1);
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  std::optional<solved> result;
  cocoon::net::async_solve(challenge, pool.get_executor(), std::chrono::steady_clock::time_point::max(),
                           boost::asio::bind_executor(io, [&](cocoon::error_code ec, std::int64_t nonce) {
                             result = solved{ec, nonce, std::this_thread::get_id()};
                           }));
  io.run();  // the handler's work keeps run() from returning before it completes
  REQUIRE(result);
  CHECK_FALSE(result->ec);
  CHECK(result->nonce == 303607);
  CHECK(result->thread == std::this_thread::get_id());
}

TEST_CASE("the event loop keeps running while a search goes on, and a cancellation ends it", "[net][pow]") {
  boost::asio::io_context io;
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  challenge.difficulty = 28;  // minutes of hashing: only a cancellation ends it within the test
  boost::asio::cancellation_signal cancel;
  std::optional<solved> result;
  // A backstop deadline: were the search run on the loop, the timer below would fire only after
  // it, and the search would end with `timed_out`.
  cocoon::net::async_solve(challenge, cocoon::net::default_pow_executor(),
                           std::chrono::steady_clock::now() + std::chrono::seconds(20),
                           boost::asio::bind_cancellation_slot(
                               cancel.slot(), boost::asio::bind_executor(io, [&](cocoon::error_code ec, std::int64_t) {
                                 result = solved{ec, 0, std::this_thread::get_id()};
                               })));
  int ticks = 0;
  boost::asio::steady_timer timer(io);
  std::function<void()> tick = [&] {
    timer.expires_after(std::chrono::milliseconds(5));
    timer.async_wait([&](cocoon::error_code) {
      if (++ticks < 10) return tick();
      cancel.emit(boost::asio::cancellation_type::terminal);
    });
  };
  tick();
  const auto started = std::chrono::steady_clock::now();
  io.run();
  CHECK(ticks == 10);
  REQUIRE(result);
  CHECK(result->ec == boost::asio::error::operation_aborted);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}

TEST_CASE("async_solve ends with timed_out at its deadline", "[net][pow]") {
  boost::asio::io_context io;
  auto challenge = cocoon::net::pow_challenge::parse(challenge_20);
  challenge.difficulty = 28;
  std::optional<solved> result;
  cocoon::net::async_solve(challenge, cocoon::net::default_pow_executor(),
                           std::chrono::steady_clock::now() + std::chrono::milliseconds(50),
                           boost::asio::bind_executor(io, [&](cocoon::error_code ec, std::int64_t) {
                             result = solved{ec, 0, {}};
                           }));
  io.run();
  REQUIRE(result);
  CHECK(result->ec == cocoon::errc::timed_out);
}
