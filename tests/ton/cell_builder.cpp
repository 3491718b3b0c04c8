#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/slice.hpp>

#include <catch2/catch.hpp>

#include "vectors.hpp"

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::cell_builder;

TEST_CASE("builder matches the published uint, int and coins bit strings", "[ton][cell_builder][vectors]") {
  const auto file = ton_vectors("bits.json");
  for (const auto& v : file.at("uint")) {
    INFO(v.dump());
    CHECK(cell_builder().store_uint(v.at("value"), v.at("bits")).build().fift_hex() == v.at("fift_hex"));
  }
  for (const auto& v : file.at("int")) {
    INFO(v.dump());
    CHECK(cell_builder().store_int(v.at("value"), v.at("bits")).build().fift_hex() == v.at("fift_hex"));
  }
  for (const auto& v : file.at("coins")) {
    INFO(v.dump());
    const nanotons amount{std::stoull(v.at("nanotons").get<std::string>())};
    CHECK(cell_builder().store_coins(amount).build().fift_hex() == v.at("fift_hex"));
  }
  const auto& zero = file.at("coins_edge_cases").at(0);
  CHECK(cell_builder().store_coins(nanotons{0U}).build().bit_size() == zero.at("bits").get<std::string>().size());
}

TEST_CASE("builder refuses values that do not fit and remembers the first failure", "[ton][cell_builder]") {
  const auto fails = [](const cell_builder& builder, cocoon::errc code, const std::string& where) {
    cocoon::error_code ec;
    CHECK_FALSE(builder.build(ec));
    CHECK(ec == code);
    try {
      (void)builder.build();
      FAIL("built");
    } catch (const cocoon::error& e) {
      CHECK(e.code() == code);
      CHECK(e.where() == where);
    }
  };
  fails(cell_builder().store_uint(256, 8), cocoon::errc::cell_value_out_of_range, "uint at bit 0");
  fails(cell_builder().store_bit(true).store_int(1, 1), cocoon::errc::cell_value_out_of_range, "int at bit 1");
  fails(cell_builder().store_int(-129, 8), cocoon::errc::cell_value_out_of_range, "int at bit 0");
  fails(cell_builder().store_uint(0, 65), cocoon::errc::cell_value_out_of_range, "uint at bit 0");
  fails(cell_builder().store_uint(0, 64).store_uint(0, 64).store_bytes(std::vector<std::byte>(112)),
        cocoon::errc::cell_overflow, "bits at bit 128");
  cell_builder five;
  for (int i = 0; i < 5; ++i) five.store_ref(cell());
  fails(five, cocoon::errc::cell_overflow, "reference at bit 0");
  // After a failure later stores are ignored: the first failure is reported.
  fails(cell_builder().store_uint(2, 1).store_uint(3, 1), cocoon::errc::cell_value_out_of_range, "uint at bit 0");

  CHECK(cell_builder().store_int(-128, 8).store_int(127, 8).build().fift_hex() == "807F");
  CHECK(cell_builder().store_int(-1, 64).store_uint(~0ULL, 64).build().fift_hex() == std::string(32, 'F'));
  CHECK(cell_builder().store_uint(0, 0).build().bit_size() == 0);
  CHECK(cell_builder().store_coins(nanotons::max()).build().fift_hex() == "8FFFFFFFFFFFFFFFF");
}

TEST_CASE("snake text fills the cell, then 127-byte continuation cells", "[ton][cell_builder]") {
  std::string text;
  for (int i = 0; i < 400; ++i) text += static_cast<char>('a' + i % 26);
  const cell root = cell_builder().store_uint(0, 32).store_snake_text(text).build();
  CHECK(root.bit_size() == 32 + 123 * 8);
  REQUIRE(root.ref_count() == 1);
  CHECK(root.ref(0).bit_size() == 127 * 8);
  CHECK(root.ref(0).ref(0).bit_size() == 127 * 8);
  CHECK(root.ref(0).ref(0).ref(0).bit_size() == (400 - 123 - 254) * 8);
  CHECK(root.ref(0).ref(0).ref(0).ref_count() == 0);

  cocoon::ton::slice reader(root);
  CHECK(reader.load_uint(32) == 0);
  CHECK(reader.load_snake_text() == text);

  // Exactly filling the first cell needs no reference; an empty text stores nothing.
  CHECK(cell_builder().store_uint(0, 32).store_snake_text(std::string(123, 'x')).build().ref_count() == 0);
  CHECK(cell_builder().store_snake_text("").build().bit_size() == 0);

  // No room for the continuation reference.
  cell_builder full;
  for (int i = 0; i < 4; ++i) full.store_ref(cell());
  cocoon::error_code ec;
  CHECK_FALSE(full.store_snake_text(std::string(200, 'x')).build(ec));
  CHECK(ec == cocoon::errc::cell_overflow);
}

TEST_CASE("maybe ref and store_cell", "[ton][cell_builder]") {
  const cell inner = cell_builder().store_uint(5, 3).build();
  const cell with = cell_builder().store_maybe_ref(inner).build();
  CHECK(with.fift_hex() == "C_");
  CHECK(with.ref_count() == 1);
  const cell without = cell_builder().store_maybe_ref(std::nullopt).build();
  CHECK(without.fift_hex() == "4_");
  const cell copy = cell_builder().store_cell(with).build();
  CHECK(copy == with);
}
