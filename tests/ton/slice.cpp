#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/slice.hpp>

#include <catch2/catch.hpp>

using cocoon::nanotons;
using cocoon::ton::cell;
using cocoon::ton::cell_builder;
using cocoon::ton::slice;

TEST_CASE("slice reads back what the builder wrote", "[ton][slice]") {
  const cell child = cell_builder().store_uint(9, 4).build();
  const cell c = cell_builder()
                     .store_bit(true)
                     .store_uint(0xABCDEF, 24)
                     .store_int(-5, 7)
                     .store_coins(nanotons{1'500'000'000U})
                     .store_bytes(cocoon::as_bytes("hi"))
                     .store_maybe_ref(child)
                     .store_maybe_ref(std::nullopt)
                     .store_ref(child)
                     .build();
  slice s(c);
  CHECK(s.load_bit());
  CHECK(s.load_uint(24) == 0xABCDEF);
  CHECK(s.load_int(7) == -5);
  CHECK(s.load_coins() == nanotons{1'500'000'000U});
  CHECK(s.load_bytes(2) == cocoon::to_bytes("hi"));
  CHECK(s.load_maybe_ref() == child);
  CHECK_FALSE(s.load_maybe_ref().has_value());
  CHECK(s.load_ref() == child);
  s.end_parse();
}

TEST_CASE("slice reads are bounds-checked and name the offset", "[ton][slice]") {
  const cell c = cell_builder().store_uint(0x5, 4).build();
  slice s(c);
  s.skip_bits(1);
  try {
    (void)s.load_uint(4);
    FAIL("read past the end");
  } catch (const cocoon::error& e) {
    CHECK(e.code() == cocoon::errc::cell_underflow);
    CHECK(e.where() == "bit 1: 4 bits wanted, 3 left");
  }
  CHECK(s.bit_offset() == 1);  // a failed read consumes nothing
  cocoon::error_code ec;
  CHECK_FALSE(s.load_ref(ec));
  CHECK(ec == cocoon::errc::cell_underflow);
  CHECK_FALSE(s.end_parse(ec));
  CHECK(ec == cocoon::errc::cell_malformed);
  CHECK(s.load_uint(3, ec) == 5U);
  CHECK(s.end_parse(ec));
  CHECK_FALSE(s.load_bit(ec));
  CHECK_FALSE(s.skip_bits(1, ec));
  CHECK(ec == cocoon::errc::cell_underflow);
}

TEST_CASE("coins must be minimal and fit 64 bits", "[ton][slice]") {
  cocoon::error_code ec;
  // Length 1 with a zero byte: a non-minimal zero.
  CHECK_FALSE(slice(cell_builder().store_uint(1, 4).store_uint(0, 8).build()).load_coins(ec));
  CHECK(ec == cocoon::errc::cell_malformed);
  // Length 9: over 64 bits.
  CHECK_FALSE(slice(cell_builder().store_uint(9, 4).store_uint(1, 64).store_uint(0, 8).build()).load_coins(ec));
  CHECK(ec == cocoon::errc::cell_value_out_of_range);
  // Truncated value bytes.
  CHECK_FALSE(slice(cell_builder().store_uint(2, 4).store_uint(1, 8).build()).load_coins(ec));
  CHECK(ec == cocoon::errc::cell_underflow);
  CHECK(slice(cell_builder().store_uint(0, 4).build()).load_coins() == nanotons{0U});
  CHECK(slice(cell_builder().store_coins(nanotons::max()).build()).load_coins() == nanotons::max());
}

TEST_CASE("snake text readers refuse unaligned cells and forks", "[ton][slice]") {
  cocoon::error_code ec;
  CHECK_FALSE(slice(cell_builder().store_uint(1, 7).build()).load_snake_text(ec));
  CHECK(ec == cocoon::errc::cell_malformed);
  const cell fork = cell_builder().store_ref(cell()).store_ref(cell()).build();
  CHECK_FALSE(slice(fork).load_snake_text(ec));
  CHECK(ec == cocoon::errc::cell_malformed);
  const cell bad_tail =
      cell_builder().store_bytes(cocoon::as_bytes("ab")).store_ref(cell_builder().store_bit(true).build()).build();
  slice s(bad_tail);
  try {
    (void)s.load_snake_text();
    FAIL("accepted");
  } catch (const cocoon::error& e) {
    CHECK(e.where() == "snake cell 1: not whole bytes");
  }
  CHECK(s.remaining_bits() == 16);
  const cell two = cell_builder()
                       .store_bytes(cocoon::as_bytes("ab"))
                       .store_ref(cell_builder().store_bytes(cocoon::as_bytes("cd")).build())
                       .build();
  CHECK(slice(two).load_snake_text() == "abcd");
}

TEST_CASE("signed and wide reads", "[ton][slice]") {
  const cell c = cell_builder().store_int(-1, 64).store_int(-128, 8).build();
  slice s(c);
  CHECK(s.load_int(64) == -1);
  CHECK(s.load_int(8) == -128);
  cocoon::error_code ec;
  CHECK_FALSE(slice(c).load_uint(65, ec));
  CHECK(ec == cocoon::errc::cell_value_out_of_range);
  CHECK_FALSE(slice(c).load_int(0, ec));
}
