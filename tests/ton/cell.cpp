#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>

#include <catch2/catch.hpp>

#include "vectors.hpp"

using cocoon::ton::cell;
using cocoon::ton::cell_builder;
using cocoon::ton::cell_type;

namespace {

cell u32_cell(std::uint64_t value) { return cell_builder().store_uint(value, 32).build(); }

cell exotic(const cocoon::bytes& data, std::vector<cell> refs = {}) {
  return cell::create(data, data.size() * 8, std::move(refs), true);
}

cocoon::bytes concat(std::initializer_list<cocoon::byte_view> parts) {
  cocoon::bytes out;
  for (auto part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace

TEST_CASE("cell hashes match published vectors", "[ton][cell][vectors]") {
  const auto file = ton_vectors("boc.json");
  const auto hash_of = [&](const char* name) { return ton_vector(file, name).at("hash_hex").get<std::string>(); };

  CHECK(cell().hash().to_hex() == hash_of("empty_cell"));
  CHECK(u32_cell(123456789).hash().to_hex() == hash_of("u32"));
  const cell u34 = cell_builder().store_uint(123456789, 34).build();
  CHECK(u34.hash().to_hex() == hash_of("u34_non_aligned"));
  CHECK(u34.fift_hex() == "01D6F3456_");

  const cell one_ref = cell_builder().store_uint(987654321, 32).store_ref(u32_cell(123456789)).build();
  CHECK(one_ref.hash().to_hex() == hash_of("one_ref"));
  CHECK(one_ref.to_string() == ton_vector(file, "one_ref").at("fift_dump"));
  CHECK(one_ref.depth() == 1);

  cell_builder three;
  three.store_uint(987654321, 32);
  for (int i = 0; i < 3; ++i) three.store_ref(u32_cell(123456789));
  CHECK(three.build().hash().to_hex() == hash_of("three_same_refs"));

  const cell c1 = cell_builder().store_uint(111, 63).build();
  const cell c2 = cell_builder().store_uint(772227, 63).store_ref(c1).build();
  const cell c3 = cell_builder().store_uint(333, 63).store_ref(c2).build();
  const cell root = cell_builder().store_uint(777, 63).store_ref(c3).build();
  const auto& chain = ton_vector(file, "chain_of_63bit_uints");
  CHECK(root.hash().to_hex() == chain.at("hash_hex"));
  CHECK(root.depth() == chain.at("depth").get<int>());

  const cell state_init = cell_builder()
                              .store_uint(0b00110, 5)
                              .store_ref(cell_builder().store_uint(1, 8).build())
                              .store_ref(cell_builder().store_uint(2, 8).build())
                              .build();
  CHECK(state_init.hash().to_hex() == hash_of("state_init_golden"));
}

TEST_CASE("cells are values compared by hash; data keeps exactly its bits", "[ton][cell]") {
  CHECK(u32_cell(1) == u32_cell(1));
  CHECK_FALSE(u32_cell(1) == u32_cell(2));
  const std::array<std::byte, 2> data{std::byte{0xFF}, std::byte{0xFF}};
  const cell c = cell::create(data, 9);
  CHECK(c.bit_size() == 9);
  REQUIRE(c.data().size() == 2);
  CHECK(c.data()[1] == std::byte{0x80});  // bits past the length are cleared
  CHECK(c.fift_hex() == "FFC_");
  CHECK(cell().fift_hex().empty());
  CHECK(cell().depth() == 0);
  CHECK_THROWS_AS(c.ref(0), std::out_of_range);
}

TEST_CASE("cell limits: 1023 bits, 4 references, depth 1024", "[ton][cell]") {
  const std::array<std::byte, 128> data{};
  CHECK(cell::create(data, 1023).bit_size() == 1023);
  cocoon::error_code ec;
  CHECK_FALSE(cell::create(data, 1024, {}, false, ec));
  CHECK(ec == cocoon::errc::cell_overflow);
  CHECK_FALSE(cell::create(data, 0, std::vector<cell>(5), false, ec));
  CHECK(ec == cocoon::errc::cell_overflow);
  CHECK_FALSE(cell::create(std::span(data).first(1), 9, {}, false, ec));
  CHECK(ec == cocoon::errc::cell_invalid);

  cell chain;
  for (int i = 0; i < 1024; ++i) chain = cell_builder().store_ref(chain).build();
  CHECK(chain.depth() == 1024);
  CHECK_FALSE(cell_builder().store_ref(chain).build(ec));
  CHECK(ec == cocoon::errc::cell_invalid);
}

TEST_CASE("exotic cells are checked and hashed by level", "[ton][cell]") {
  const cell leaf = u32_cell(42);
  const auto leaf_hash = leaf.hash().view();
  const std::array<std::byte, 2> depth0{};

  // A pruned branch of level 1 standing in for `leaf`.
  const cell pruned = exotic(concat({cocoon::as_bytes("\x01\x01"), leaf_hash, depth0}));
  CHECK(pruned.type() == cell_type::pruned_branch);
  CHECK(pruned.level_mask() == 1);
  CHECK(pruned.hash(0) == leaf.hash());
  CHECK_FALSE(pruned.hash() == leaf.hash());

  // A Merkle proof over a tree holding that pruned branch is level 0 again, and its stored
  // hash is the level-0 hash of the pruned tree: the hash of the original tree.
  const cell original = cell_builder().store_uint(7, 8).store_ref(leaf).build();
  const cell pruned_tree = cell_builder().store_uint(7, 8).store_ref(pruned).build();
  CHECK(pruned_tree.level_mask() == 1);
  CHECK(pruned_tree.hash(0) == original.hash());
  const std::array<std::byte, 2> depth1{std::byte{0}, std::byte{1}};
  const cell proof = exotic(concat({cocoon::as_bytes("\x03"), original.hash().view(), depth1}), {pruned_tree});
  CHECK(proof.type() == cell_type::merkle_proof);
  CHECK(proof.level_mask() == 0);

  const auto refused = [](const cocoon::bytes& data, std::vector<cell> refs) {
    cocoon::error_code ec;
    CHECK_FALSE(cell::create(data, data.size() * 8, std::move(refs), true, ec));
    CHECK(ec == cocoon::errc::cell_invalid);
  };
  // Wrong stored hash in a Merkle proof.
  refused(concat({cocoon::as_bytes("\x03"), leaf_hash, depth1}), {pruned_tree});
  // Unknown exotic types and short cells.
  refused(cocoon::to_bytes(std::string("\x00\x00", 2)), {});
  refused(cocoon::to_bytes("\x05"), {});
  refused({}, {});
  // Pruned branch whose length does not match its mask, or with mask 0.
  refused(concat({cocoon::as_bytes("\x01\x03"), leaf_hash, depth0}), {});
  refused(concat({cocoon::as_bytes("\x01"), cocoon::as_bytes(std::string_view("\x00", 1))}), {});
  // Library cell must be exactly 8 + 256 bits.
  CHECK(exotic(concat({cocoon::as_bytes("\x02"), leaf_hash})).type() == cell_type::library);
  refused(concat({cocoon::as_bytes("\x02"), leaf_hash, depth0}), {});
}
