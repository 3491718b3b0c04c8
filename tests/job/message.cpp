#include <cocoon/job/message.hpp>

#include <catch2/catch.hpp>

TEST_CASE("roles round-trip through their wire names", "[job][message]") {
  for (const auto r : {cocoon::role::system, cocoon::role::developer, cocoon::role::user, cocoon::role::assistant}) {
    CHECK(cocoon::role_from_string(cocoon::to_string(r)) == r);
  }
  CHECK(cocoon::to_string(cocoon::role::assistant) == "assistant");
  CHECK_FALSE(cocoon::role_from_string("tool"));
  CHECK_FALSE(cocoon::role_from_string("User"));
  CHECK_FALSE(cocoon::role_from_string(""));
  CHECK(cocoon::to_string(static_cast<cocoon::role>(42)) == "unknown");
}
