#include <cocoon/error.hpp>

#include <cocoon/detail/result.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <set>
#include <string>
#include <system_error>

TEST_CASE("errc converts to boost and std error codes that compare equal", "[error]") {
  const cocoon::error_code boost_code = cocoon::errc::invalid_hex;
  const std::error_code std_code = cocoon::errc::invalid_hex;
  const std::error_code converted = boost_code;

  CHECK(boost_code == cocoon::errc::invalid_hex);
  CHECK(std_code == cocoon::errc::invalid_hex);
  CHECK(converted == cocoon::errc::invalid_hex);
  CHECK(converted == std_code);
  CHECK(boost_code != cocoon::errc::invalid_base64);
  CHECK(std_code != cocoon::errc::invalid_base64);
  CHECK(std::string(boost_code.category().name()) == "cocoon");
  CHECK(boost_code.message() == "invalid hex encoding");
  CHECK(std_code.message() == boost_code.message());
}

TEST_CASE("errc codes map to conditions in both worlds", "[error]") {
  const cocoon::error_code amount = cocoon::errc::amount_overflow;
  const std::error_code std_amount = amount;
  CHECK(amount == cocoon::condition::invalid_input);
  CHECK(std_amount == cocoon::condition::invalid_input);
  CHECK(amount != cocoon::condition::resource_exhausted);

  const cocoon::error_code memory = cocoon::errc::secure_memory_unavailable;
  CHECK(memory == cocoon::condition::resource_exhausted);
  CHECK(memory != cocoon::condition::invalid_input);
}

TEST_CASE("every errc has its own message, and each part's codes have no gaps", "[error]") {
  std::set<std::string> messages;
  int codes = 0;
  for (int block = 0; block < 10; ++block) {
    int last = block * 100;  // a part's codes are numbered block*100 + 1, + 2, ... without holes
    for (int value = block * 100 + 1; value < (block + 1) * 100; ++value) {
      const auto message = cocoon::make_error_code(static_cast<cocoon::errc>(value)).message();
      if (message.rfind("unknown", 0) == 0) continue;
      CHECK(value == last + 1);
      last = value;
      ++codes;
      messages.insert(message);
    }
  }
  CHECK(codes >= 16);
  CHECK(messages.size() == static_cast<std::size_t>(codes));
  CHECK(cocoon::make_error_code(static_cast<cocoon::errc>(9999)).message() == "unknown cocoon error 9999");
}

TEST_CASE("decryption failures are integrity failures", "[error]") {
  const std::error_code code = cocoon::errc::decryption_failed;
  CHECK(code == cocoon::condition::integrity_failure);
  CHECK(code != cocoon::condition::invalid_input);
}

TEST_CASE("cocoon::error names the operation, the failure and where", "[error]") {
  const cocoon::error failure(cocoon::errc::amount_syntax, "TON amount", "offset 3");
  CHECK(std::string(failure.what()) == "TON amount: malformed TON amount (offset 3)");
  CHECK(failure.where() == "offset 3");
  CHECK(failure.code() == cocoon::errc::amount_syntax);

  const cocoon::error no_where(cocoon::errc::invalid_hex, "hex decode");
  CHECK(std::string(no_where.what()) == "hex decode: invalid hex encoding");

  // Catchable as the std::system_error it is.
  CHECK_THROWS_AS(throw cocoon::error(cocoon::errc::invalid_length, "x"), std::system_error);
}

TEST_CASE("a boost::system::system_error carrying an errc keeps the code", "[error]") {
  // What Asio's use_future / use_awaitable throw when an operation completes with our code.
  try {
    throw boost::system::system_error(cocoon::errc::invalid_base64);
  } catch (const boost::system::system_error& failure) {
    CHECK(failure.code() == cocoon::errc::invalid_base64);
    const std::error_code as_std = failure.code();
    CHECK(as_std == cocoon::errc::invalid_base64);
  }
}

TEST_CASE("a lower layer's failure keeps its category and its where through the layers above", "[error]") {
  // A socket's error, seen from the query that used the socket.
  const cocoon::detail::failure reset{cocoon::error_code(boost::asio::error::connection_reset), "read"};
  const auto seen = cocoon::detail::within("proxy query", reset);
  CHECK(seen.code == boost::asio::error::connection_reset);
  CHECK(seen.where == "proxy query: read");
  CHECK(cocoon::detail::within("job", {cocoon::errc::job_invalid}).where == "job");

  // Thrown and reported, the category stays the socket's.
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::detail::value_or_code(cocoon::detail::result<int>(seen), ec));
  CHECK(ec == boost::asio::error::connection_reset);
  try {
    (void)cocoon::detail::value_or_throw(cocoon::detail::result<int>(seen), "submit");
    FAIL("no throw");
  } catch (const cocoon::error& failure) {
    CHECK(failure.sdk_code() == boost::asio::error::connection_reset);
    CHECK(&failure.sdk_code().category() == &boost::asio::error::get_system_category());
    CHECK(failure.where() == "proxy query: read");
  }
}
