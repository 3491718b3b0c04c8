#include <cocoon/ton/address.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/slice.hpp>

#include <catch2/catch.hpp>

#include "vectors.hpp"

using cocoon::ton::address;
using cocoon::ton::friendly_flags;
using cocoon::ton::parse_address;

TEST_CASE("addresses print and parse in all eight friendly forms", "[ton][address][vectors]") {
  const auto file = ton_vectors("addresses.json");
  const auto& all = ton_vector(file, "all_forms");
  const address a = parse_address(all.at("raw").get<std::string>()).address;
  CHECK(a.to_raw() == all.at("raw"));
  for (const auto& [form, text] : all.at("friendly").items()) {
    INFO(form);
    const friendly_flags flags{form.find("non_bounceable") == std::string::npos,
                               form.find("testnet") != std::string::npos, form.find("urlsafe") != std::string::npos};
    CHECK(a.to_friendly(flags) == text.get<std::string>());
    const auto parsed = parse_address(text.get<std::string>());
    CHECK(parsed.address == a);
    CHECK(parsed.friendly);
    CHECK(parsed.flags.bounceable == flags.bounceable);
    CHECK(parsed.flags.testnet == flags.testnet);
    CHECK(parsed.flags.url_safe == flags.url_safe);
  }

  const auto& master = ton_vector(file, "raw_masterchain");
  const address m = parse_address(master.at("raw").get<std::string>()).address;
  CHECK(m.workchain() == -1);
  CHECK(m.account().to_hex() == master.at("hash_hex"));

  const auto& dns = ton_vector(file, "tep2_root_dns");
  const address root = parse_address(dns.at("raw").get<std::string>()).address;
  CHECK(root.to_friendly() == dns.at("bounceable_urlsafe"));
  CHECK(root.to_friendly({false, false, true}) == dns.at("non_bounceable_urlsafe"));
  CHECK(parse_address(dns.at("bounceable_urlsafe").get<std::string>()).address == root);

  for (const auto& text : ton_vector(file, "invalid_inputs").at("inputs")) {
    INFO(text);
    cocoon::error_code ec;
    CHECK_FALSE(parse_address(text.get<std::string>(), ec));
    CHECK(ec == cocoon::errc::address_invalid);
    CHECK_THROWS_AS(parse_address(text.get<std::string>()), cocoon::error);
  }
}

TEST_CASE("addresses in cells match the published addr_std bit strings", "[ton][address][vectors]") {
  const auto file = ton_vectors("bits.json");
  for (const auto& v : file.at("address")) {
    INFO(v.dump());
    const address a = parse_address(v.at("friendly").get<std::string>()).address;
    CHECK(a.to_raw() == v.at("raw"));
    const auto c = cocoon::ton::cell_builder().store_address(a).build();
    CHECK(c.fift_hex() == v.at("fift_hex"));
    cocoon::ton::slice s(c);
    CHECK(s.load_address() == a);
    s.end_parse();
  }
}

TEST_CASE("address parsing policy", "[ton][address]") {
  const std::string good = "EQAs9VlT6S776tq3unJcP5Ogsj-ELLunLXuOb1EKcOQi4wJB";
  const auto fails = [](const std::string& text, cocoon::errc code) {
    INFO(text);
    cocoon::error_code ec;
    CHECK_FALSE(parse_address(text, ec));
    CHECK(ec == code);
  };
  // A changed character breaks the CRC; a changed CRC too.
  std::string tampered = good;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  fails(tampered, cocoon::errc::address_checksum_mismatch);
  fails(good.substr(0, 46) + "wA", cocoon::errc::address_checksum_mismatch);
  // Mixed alphabets, padding, wrong length.
  std::string mixed = good;
  mixed[0] = '+';
  fails(mixed, cocoon::errc::address_invalid);
  fails(good + "=", cocoon::errc::address_invalid);
  fails(good.substr(0, 44) + "====", cocoon::errc::address_invalid);
  // Workchains other than 0 and -1, raw forms with signs or leading zeros.
  const auto account = cocoon::hash256::from_hex(std::string(64, 'a'));
  const std::string hex(64, 'a');
  fails("1:" + hex, cocoon::errc::address_invalid);
  fails("-2:" + hex, cocoon::errc::address_invalid);
  fails("00:" + hex, cocoon::errc::address_invalid);
  fails("+0:" + hex, cocoon::errc::address_invalid);
  fails("-0:" + hex, cocoon::errc::address_invalid);
  fails("0:" + hex + "aa", cocoon::errc::address_invalid);
  fails("", cocoon::errc::address_invalid);
  CHECK(parse_address("0:" + std::string(64, 'A')).address == address(0, account));

  // With none of `-_+/` a text is valid in both alphabets: it is reported as base64url. (This
  // form was computed independently from the TEP-2 layout.)
  const std::string neutral = "EQDAwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQgG";
  const auto plain = parse_address(neutral);
  CHECK(plain.flags.url_safe);
  CHECK(plain.address.to_raw() == "0:c0c0" + std::string(58, '0') + "01");
  CHECK(plain.address.to_friendly({true, false, false}) == neutral);
  CHECK_THROWS_AS(address(1, account), cocoon::error);

  // A correctly checksummed friendly address of workchain 1 is still refused.
  std::array<std::byte, 36> raw{};
  raw[0] = std::byte{0x11};
  raw[1] = std::byte{0x01};
  const auto crc = cocoon::ton::detail::crc16_xmodem(std::span(raw).first(34));
  raw[34] = static_cast<std::byte>(crc >> 8U);
  raw[35] = static_cast<std::byte>(crc & 0xFFU);
  fails(cocoon::to_base64(raw, cocoon::base64_variant::url), cocoon::errc::address_invalid);
  // An unknown tag with a correct CRC.
  raw[0] = std::byte{0x12};
  raw[1] = std::byte{0x00};
  const auto crc2 = cocoon::ton::detail::crc16_xmodem(std::span(raw).first(34));
  raw[34] = static_cast<std::byte>(crc2 >> 8U);
  raw[35] = static_cast<std::byte>(crc2 & 0xFFU);
  fails(cocoon::to_base64(raw, cocoon::base64_variant::url), cocoon::errc::address_invalid);
}

TEST_CASE("MsgAddress in cells: addr_none, anycast and other forms", "[ton][address]") {
  using cocoon::ton::cell_builder;
  using cocoon::ton::slice;
  const address a(-1, cocoon::hash256::from_hex(std::string(64, '3')));
  const auto none = cell_builder().store_address(std::optional<address>{}).store_address(a).build();
  slice s(none);
  CHECK_FALSE(s.load_maybe_address().has_value());
  CHECK(s.load_maybe_address() == a);

  cocoon::error_code ec;
  CHECK_FALSE(slice(cell_builder().store_uint(0, 2).build()).load_address(ec));
  CHECK(ec == cocoon::errc::cell_malformed);
  // Anycast bit set.
  const auto anycast = cell_builder().store_uint(0b101, 3).store_uint(0, 8).store_bytes(a.account().view()).build();
  CHECK_FALSE(slice(anycast).load_address(ec));
  CHECK(ec == cocoon::errc::cell_malformed);
  // Workchain 1 in a cell.
  const auto wc1 = cell_builder().store_uint(0b100, 3).store_uint(1, 8).store_bytes(a.account().view()).build();
  CHECK_FALSE(slice(wc1).load_address(ec));
  CHECK(ec == cocoon::errc::cell_malformed);
  // Truncated.
  CHECK_FALSE(slice(cell_builder().store_uint(0b100, 3).build()).load_address(ec));
  CHECK(ec == cocoon::errc::cell_underflow);
}
