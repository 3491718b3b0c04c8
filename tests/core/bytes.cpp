#include <cocoon/core/bytes.hpp>

#include <catch2/catch.hpp>

TEST_CASE("strings view as bytes and back without copying", "[core][bytes]") {
  const std::string text = std::string("a\0b", 3);
  const cocoon::byte_view view = cocoon::as_bytes(text);
  REQUIRE(view.size() == 3);
  CHECK(view.data() == reinterpret_cast<const std::byte*>(text.data()));
  CHECK(view[1] == std::byte{0});
  CHECK(cocoon::as_chars(view) == text);

  const cocoon::bytes copy = cocoon::to_bytes(text);
  CHECK(copy == cocoon::bytes{std::byte{'a'}, std::byte{0}, std::byte{'b'}});
  CHECK(cocoon::as_bytes("").empty());
}
