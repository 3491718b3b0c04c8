#include <cocoon/version.hpp>

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("version string and number agree", "[version]") {
  const std::string expected = std::to_string(COCOON_SDK_VERSION_MAJOR) + "." +
                               std::to_string(COCOON_SDK_VERSION_MINOR) + "." +
                               std::to_string(COCOON_SDK_VERSION_PATCH);
  CHECK(cocoon::version() == expected);
  CHECK(COCOON_SDK_VERSION ==
        COCOON_SDK_VERSION_MAJOR * 10000 + COCOON_SDK_VERSION_MINOR * 100 + COCOON_SDK_VERSION_PATCH);
  static_assert(!cocoon::version().empty());
}
