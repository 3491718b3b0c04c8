#include <cocoon/core/base64.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/detail/crc.hpp>

#include <catch2/catch.hpp>

#include "vectors.hpp"

using cocoon::ton::boc_options;
using cocoon::ton::cell;
using cocoon::ton::cell_builder;

namespace {

cell u32(std::uint64_t value) { return cell_builder().store_uint(value, 32).build(); }

cell construct(const std::string& name) {
  if (name == "empty_cell") return cell();
  if (name == "u32") return u32(123456789);
  if (name == "u34_non_aligned") return cell_builder().store_uint(123456789, 34).build();
  cell_builder root;
  root.store_uint(987654321, 32);
  for (int i = 0; i < (name == "one_ref" ? 1 : 3); ++i) root.store_ref(u32(123456789));
  return root.build();
}

cocoon::errc parse_error(const cocoon::bytes& boc, std::string* where = nullptr) {
  cocoon::error_code ec;
  if (cocoon::ton::parse_boc(boc, ec)) return cocoon::errc{};
  try {
    (void)cocoon::ton::parse_boc(boc);
  } catch (const cocoon::error& e) {
    CHECK(e.code() == ec);
    if (where != nullptr) *where = e.where();
  }
  return static_cast<cocoon::errc>(ec.value());
}

}  // namespace

TEST_CASE("CRC32C and CRC16 match the check values", "[ton][boc][vectors]") {
  const auto file = ton_vectors("crc.json");
  const auto crc16 = ton_vector(file, "crc16_check_string");
  CHECK(cocoon::ton::detail::crc16_xmodem(cocoon::as_bytes(crc16.at("input_ascii").get<std::string>())) ==
        std::stoul(crc16.at("crc16_hex").get<std::string>(), nullptr, 16));
  const auto crc32 = ton_vector(file, "crc32c_check_string");
  CHECK(cocoon::ton::detail::crc32c(cocoon::as_bytes(crc32.at("input_ascii").get<std::string>())) ==
        std::stoul(crc32.at("crc32c_value_hex").get<std::string>(), nullptr, 16));
}

TEST_CASE("BoC serialization is byte-exact for every flag combination", "[ton][boc][vectors]") {
  const auto file = ton_vectors("boc.json");
  for (const char* name : {"empty_cell", "u32", "u34_non_aligned", "one_ref", "three_same_refs"}) {
    const auto& v = ton_vector(file, name);
    const cell c = construct(name);
    for (const auto& [flags, boc] : v.at("bocs_base64").items()) {
      INFO(name << " " << flags);
      const boc_options options{flags[3] == '1', flags[8] == '1'};
      CHECK(cocoon::ton::serialize_boc_base64(c, options) == boc.get<std::string>());
      const cell parsed = cocoon::ton::parse_boc_base64(boc.get<std::string>());
      CHECK(parsed.hash().to_hex() == v.at("hash_hex"));
    }
  }
  const auto& indexed = ton_vector(file, "boc_with_index_three_cells");
  const cell root = cell_builder().store_uint(228, 32).store_ref(u32(1337)).store_ref(u32(1338)).build();
  CHECK(cocoon::ton::serialize_boc_hex(root, {true, false}) == indexed.at("boc_hex_idx1_crc0"));
  CHECK(cocoon::ton::parse_boc_hex(indexed.at("boc_hex_idx1_crc0").get<std::string>()).hash().to_hex() ==
        indexed.at("hash_hex"));
}

TEST_CASE("BoC parsing reproduces published trees and hashes", "[ton][boc][vectors]") {
  const auto file = ton_vectors("boc.json");
  const auto& two = ton_vector(file, "deserialize_two_cells");
  CHECK(cocoon::ton::parse_boc_hex(two.at("boc_hex").get<std::string>()).to_string() == two.at("expected_fift_dump"));

  const auto& library = ton_vector(file, "library_cell_child");
  const std::string library_boc = library.at("boc_base64");
  const cell with_library = cocoon::ton::parse_boc_base64(library_boc);
  CHECK(with_library.to_string() == library.at("expected_fift_dump"));
  REQUIRE(with_library.ref_count() == 1);
  CHECK(with_library.ref(0).type() == cocoon::ton::cell_type::library);
  CHECK(cocoon::ton::serialize_boc_base64(with_library, {false, false}) == library_boc);

  const auto& golden = ton_vector(file, "state_init_golden");
  const cell state_init = cocoon::ton::parse_boc_base64(golden.at("boc_base64_idx0_crc1").get<std::string>());
  CHECK(state_init.hash().to_hex() == golden.at("hash_hex"));
  CHECK(cocoon::ton::serialize_boc_base64(state_init) == golden.at("boc_base64_idx0_crc1"));

  for (const char* name :
       {"tonutils_TestBOCBomb", "tonutils_TestCell_TxWithMerkleBody", "tonutils_TestCell_BlockHashUniTest"}) {
    INFO(name);
    const auto& v = ton_vector(file, name);
    const cocoon::bytes boc = cocoon::from_base64(v.at("boc_base64").get<std::string>());
    const cell root = cocoon::ton::parse_boc(boc);
    CHECK(root.hash().to_hex() == v.at("hash_hex"));
    // Re-serialized in our order, the tree keeps its hash and its size.
    const auto& header = v.at("header");
    const cocoon::bytes again = cocoon::ton::serialize_boc(root, {header.at("has_idx"), header.at("has_crc")});
    CHECK(cocoon::ton::parse_boc(again) == root);
    if (!header.at("has_cache")) CHECK(again.size() == boc.size());
  }
}

TEST_CASE("BoC parsing rejects every published negative vector", "[ton][boc][vectors]") {
  const auto file = ton_vectors("boc-negative.json");
  for (const auto& v : file.at("vectors")) {
    INFO(v.at("name").get<std::string>());
    const auto code = parse_error(cocoon::from_hex(v.at("boc_hex").get<std::string>()));
    CHECK((code == cocoon::errc::boc_malformed || code == cocoon::errc::cell_invalid));
  }
}

TEST_CASE("BoC parsing is strict and names the offset", "[ton][boc]") {
  const cell root = cell_builder().store_uint(228, 32).store_ref(u32(1337)).store_ref(u32(1338)).build();
  const cocoon::bytes plain = cocoon::ton::serialize_boc(root, {false, false});
  const cocoon::bytes with_crc = cocoon::ton::serialize_boc(root, {true, true});
  CHECK(cocoon::ton::parse_boc(plain) == root);
  CHECK(cocoon::ton::parse_boc(with_crc) == root);

  std::string where;
  // Every truncation and one trailing byte.
  for (std::size_t size = 0; size < with_crc.size(); ++size) {
    INFO(size);
    const cocoon::bytes cut(with_crc.begin(), with_crc.begin() + static_cast<std::ptrdiff_t>(size));
    CHECK(parse_error(cut) == cocoon::errc::boc_malformed);
  }
  cocoon::bytes trailing = plain;
  trailing.push_back(std::byte{0});
  CHECK(parse_error(trailing, &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset " + std::to_string(plain.size()) + ": trailing bytes");

  // Every single-bit flip of a CRC-protected BoC is caught.
  for (std::size_t bit = 0; bit < with_crc.size() * 8; ++bit) {
    cocoon::bytes flipped = with_crc;
    flipped[bit / 8] ^= static_cast<std::byte>(1U << (bit % 8));
    CHECK(parse_error(flipped) != cocoon::errc{});
  }
  cocoon::bytes tampered = with_crc;
  tampered[tampered.size() - 6] ^= std::byte{1};
  CHECK(parse_error(tampered, &where) == cocoon::errc::boc_checksum_mismatch);

  // Header fields: magic, reserved flags, sizes, counts.
  const auto mutated = [&](std::size_t offset, std::uint8_t value) {
    cocoon::bytes copy = plain;
    copy[offset] = std::byte{value};
    return copy;
  };
  CHECK(parse_error(mutated(0, 0xb4), &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 0: unknown magic");
  CHECK(parse_error(mutated(4, 0x09), &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 4: reserved flag bits set");
  CHECK(parse_error(mutated(4, 0x05)) == cocoon::errc::boc_malformed);
  CHECK(parse_error(mutated(4, 0x21), &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 4: cache bits without an index");
  CHECK(parse_error(mutated(5, 0x00)) == cocoon::errc::boc_malformed);
  CHECK(parse_error(mutated(5, 0x09)) == cocoon::errc::boc_malformed);
  CHECK(parse_error(mutated(6, 0x00), &where) == cocoon::errc::boc_malformed);  // no cells
  CHECK(parse_error(mutated(7, 0x00)) == cocoon::errc::boc_malformed);          // no roots
  CHECK(parse_error(mutated(8, 0x01)) == cocoon::errc::boc_malformed);          // absent cells
  CHECK(parse_error(mutated(10, 0x03)) == cocoon::errc::boc_malformed);         // root out of range
  CHECK(parse_error(mutated(10, 0x01)) == cocoon::errc::boc_malformed);         // root not cell 0: cell 0 unreachable
}

TEST_CASE("BoC policy: duplicates, unreachable cells, bad index and cache bits are refused", "[ton][boc]") {
  // Hand-built: root with two refs to two identical cells (a duplicate the writer should merge).
  // b5ee9c72 01 01 | cells 3 roots 1 absent 0 | size | root 0 | cells
  const auto boc = [](std::initializer_list<std::uint8_t> tail) {
    cocoon::bytes out = cocoon::from_hex("b5ee9c72");
    for (auto b : tail) out.push_back(std::byte{b});
    return out;
  };
  std::string where;
  const cocoon::bytes duplicate = boc({0x01, 0x01, 3, 1, 0, 8, 0, 0x02, 0x00, 1, 2, 0x00, 0x00, 0x00, 0x00});
  CHECK(parse_error(duplicate, &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 15: cell 1 duplicates cell 2");

  // Two cells, root 0 without refs: cell 1 is unreachable.
  const cocoon::bytes unreachable = boc({0x01, 0x01, 2, 1, 0, 5, 0, 0x00, 0x00, 0x00, 0x02, 0xFF});
  CHECK(parse_error(unreachable, &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 13: cell 1 is not reachable from a root");

  // An index whose entry does not match the cell end (the 3-cell vector with entry 0 = 9).
  cocoon::bytes bad_index = cocoon::from_hex("b5ee9c7281010301001400080e140208000000e4010200080000053900080000053a");
  bad_index[11] = std::byte{9};
  CHECK(parse_error(bad_index, &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 14: index entry 0 does not match the end of cell 0");

  // Cache bits: with index, each entry is 2*end + (referenced more than once).
  cocoon::bytes cached = cocoon::from_hex("b5ee9c72a101030100140010");
  for (auto b : cocoon::from_hex("1c280208000000e4010200080000053900080000053a")) cached.push_back(b);
  CHECK(parse_error(cached) == cocoon::errc{});
  cached[11] = std::byte{0x11};  // claims the root is shared
  CHECK(parse_error(cached, &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 14: cache bit of cell 0 is wrong");

  // A cell with 5 references.
  const cocoon::bytes five_refs = boc({0x01, 0x01, 1, 1, 0, 2, 0, 0x05, 0x00});
  CHECK(parse_error(five_refs, &where) == cocoon::errc::boc_malformed);
  CHECK(where == "offset 11: cell 0: more than 4 references");

  // Base64 and hex text errors surface as such.
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::ton::parse_boc_base64("te6cc!", ec));
  CHECK(ec == cocoon::errc::invalid_base64);
  CHECK_FALSE(cocoon::ton::parse_boc_hex("b5e", ec));
  CHECK(ec == cocoon::errc::invalid_hex);
}

TEST_CASE("several roots parse with parse_boc_roots only", "[ton][boc]") {
  // Two roots: cell 0 empty, cell 1 one byte.
  const cocoon::bytes two_roots = cocoon::from_hex("b5ee9c72010102020005000100000002ff");
  const auto roots = cocoon::ton::parse_boc_roots(two_roots);
  REQUIRE(roots.size() == 2);
  cocoon::error_code ec;
  CHECK_FALSE(cocoon::ton::parse_boc(two_roots, ec));
  CHECK(ec == cocoon::errc::boc_malformed);
}
