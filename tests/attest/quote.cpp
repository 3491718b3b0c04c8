#include <cocoon/attest/quote.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>

#include "vectors.hpp"

#include <cstring>
#include <string>

using cocoon::attest::tdx_quote;

namespace {

// Expected values are the ones published in the vectors' SOURCES.md and in
// research/cocoon-quote-parse.txt (an independent parser's output), not produced by this SDK.
struct expected_quote {
  const char* path;
  std::size_t buffer_size;
  int version;
  int body_type;
  long signature_data_length;  // -1: not stated by the source
  long trailing;               // -1: not stated by the source
  const char* tee_tcb_svn;
  const char* mr_td;
  const char* report_data;
  const char* td_attributes;  // nullptr: not stated
  int qe_isv_svn;             // -1: not stated
};

const expected_quote expected_quotes[] = {
    {"tdx/cocoon/quote.dat", 5010, 4, 2, 4304, 70, "07010300000000000000000000000000",
     "7357a10d2e2724dffe68813e3cc4cfcde6814d749f2fb62e3953e54f6e0b50a219786afe2cd478f684b52c61837e1114",
     "d21efaa8d7de2b0f5601df8b24cfbca690c5231e677d0fe35954c8be00614bd27f467a5624a6667aa74506cb14c271a48894c3ef11d2d26b"
     "269a2926fc74f87b",
     "0000001000000000", 6},
    {"tdx/venice-dstack-2026-06-10/quote.bin", 5010, 4, 2, 4304, 70, "0b010400000000000000000000000000",
     "b24d3b24e9e3c16012376b52362ca09856c4adecb709d5fac33addf1c47e193da075b125b6c364115771390a5461e217",
     "6525e128afcffebf7eed05d485d7be983cdae934000000000000000000000000d2f37ab51f93f80365506fcc09119b28bd9c521be89ba25e"
     "3aa439912bbba732",
     "0000001000000000", 6},
    {"tdx/migtd-bundle-2025-11/flashtestations-b0c06f.bin", 5006, 4, 2, -1, -1, "05010300000000000000000000000000",
     "47a1cc074b914df8596bad0ed13d50d561ad1effc7f7cc530ab86da7ea49ffc03e57e7da829f8cba9c629c3970505323",
     "12c14e56d585dcf3b36f37476c00e78ba9363742c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a47000000000"
     "0000000000000000",
     nullptr, -1},
    {"tdx/migtd-bundle-2025-11/teekit-gcp-00806f.json", 8000, 4, 2, 4299, 3065, "08010800000000000000000000000000",
     "409c0cd3e63d9ea54d817cf851983a220131262664ac8cd02cc6a2e19fd291d2fdd0cc035d7789b982a43a92a4424c99",
     "806dfeec9d10c22a60b12751216d75fb358d83088ea72dd07eb49c84de24b8a49d483085c4350e545689955bdd10e1d8b55ef7c6d288a170"
     "32acece698e35db8",
     nullptr, -1},
    {"tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat", 4936, 4, 2, -1, 0, "03000500000000000000000000000000",
     "705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031",
     "7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38"
     "342bf96671501429",
     "0100001000000000", 4},
    {"tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat", 5006, 5, 3, -1, -1, "05010200000000000000000000000000",
     "dfba221b48a22af8511542ee796603f37382800840dcd978703909bf8e64d4c8a1e9de86e7c9638bfcba422f3886400a",
     "6d6ab13b046cff606ac0074be13981b07b6325dba10b5facc96febf551c0c3be2b75f92fe1f88f4bb996969ad0174b4b7a70261b7b85c844"
     "f4b33a4674fd049f",
     nullptr, -1},
    {"tdx/openenclave-v5-eval21/tdx_quote_v5.bin", 5006, 5, 3, -1, -1, "02010600000000000000000000000000",
     "aa083a82f5c83462c30d78d87f5e7db96947f3c6336c3f3de2133af8ce05125c8fea6917ad489674df2937f80809a0b3",
     "18327130a1894f441620e0ac3a5adc265cfafcc11ad919432212b912ac11cfc54440f5e5c94429df65098c9f6368c5bf62c2807d9b9ac0bd"
     "ac79d0588b9f1dcf",
     "0000003000000000", 5},
    {"tdx/edgeless-qpl-2023/quote.bin", 4936, 4, 2, -1, -1, "03000500000000000000000000000000",
     "b65ea009e424e6f761fdd3d7c8962439453b37ecdf62da04f7bc5d327686bb8bafc8a5d24a9c31cee60e4aba87c2f71b",
     "48656c6c6f2066726f6d20456467656c6573732053797374656d7321000000000000000000000000000000000000000000000000000000000"
     "0"
     "00000000000000",
     nullptr, -1},
    {"tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat", 4974, 4, 2, 4299, 39, "03000400000000000000000000000000",
     "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb",
     "6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d1eed313b987a467dacead6f0c87a6d766c66f6"
     "f29f8acb281f1113",
     "0000004000000000", 4},
    {"tdx/go-tdx-guest/quote_v5_sample.dat", 5006, 5, 3, 4300, 0, "0b010400000000000000000000000000",
     "7348651a34b2d2d3462822e3a750ec6110125f36757c78480bbfc69cc0d21fb001a1ced3ee19747dda8f750c3bc8f876",
     "945eaacf5abc1f719d8666a942fda03d1edcb4490277396093dc5a5289ab9f1e094aed63060cd4a4933a4dd537ed1255c9c79ecb3ed82cd1"
     "b486233e31c25c3a",
     "0000001000000000", 7},
    {"tdx/dcap-qvl/tdx_quote.bin", 5006, 4, 2, 4300, 70, "06010300000000000000000000000000",
     "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7",
     "9a9d48e7f6799642d3d1b34e1e5e1742d4bb02dd6ddd551862c1211d35c304f9eca3efdbb481601c163cf52493d6e44aed55d51ec39b7e51"
     "8fadb92c2b523f20",
     "0000001000000000", 6},
};

std::string hex(cocoon::byte_view data) { return cocoon::to_hex(data); }

std::size_t signature_data_length(const tdx_quote& quote) { return quote.size() - quote.signed_region().size() - 4; }

void put_le(cocoon::bytes& data, std::size_t offset, std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) data[offset + i] = static_cast<std::byte>(value >> (8 * i));
}

cocoon::error_code parse_error(const cocoon::bytes& data, std::string* where = nullptr) {
  try {
    (void)tdx_quote::parse(data);
  } catch (const cocoon::error& failure) {
    if (where) *where = failure.where();
    return failure.code();
  }
  return {};
}

// Offsets in the COCOON test quote (v4, no body descriptor).
constexpr std::size_t v4_signature_length_at = 632;
constexpr std::size_t v4_cert_type_at = 636 + 128;
constexpr std::size_t v4_cert_size_at = v4_cert_type_at + 2;
constexpr std::size_t v4_auth_size_at = v4_cert_size_at + 4 + 384 + 64;
constexpr std::size_t v4_inner_type_at = v4_auth_size_at + 2 + 32;
constexpr std::size_t v4_inner_size_at = v4_inner_type_at + 2;

}  // namespace

TEST_CASE("every real quote parses to the fields its source states", "[attest][quote][vectors]") {
  for (const auto& want : expected_quotes) {
    INFO(want.path);
    const auto data = attest_test::read_quote(want.path);
    REQUIRE(data.size() == want.buffer_size);
    const auto quote = tdx_quote::parse(data);
    CHECK(quote.version() == want.version);
    CHECK(quote.attestation_key_type() == 2);
    CHECK(quote.tee_type() == 0x81);
    CHECK(hex(quote.qe_vendor_id()) == "939a7233f79c4ca9940a0db3957f0607");
    CHECK(quote.body_type() == want.body_type);
    CHECK(quote.body().is_td15() == (want.body_type == 3));
    CHECK(quote.signed_region().size() == (want.version == 4 ? 632u : want.body_type == 3 ? 702u : 638u));
    if (want.signature_data_length >= 0) {
      CHECK(signature_data_length(quote) == static_cast<std::size_t>(want.signature_data_length));
    }
    if (want.trailing >= 0) CHECK(quote.trailing_size() == static_cast<std::size_t>(want.trailing));
    CHECK(quote.size() + quote.trailing_size() == data.size());
    CHECK(hex(quote.body().tee_tcb_svn()) == want.tee_tcb_svn);
    CHECK(hex(quote.body().mr_td()) == want.mr_td);
    CHECK(hex(quote.body().report_data()) == want.report_data);
    if (want.td_attributes) CHECK(hex(quote.body().td_attributes_bytes()) == want.td_attributes);
    CHECK(hex(quote.body().seam_attributes()) == "0000000000000000");
    if (want.qe_isv_svn >= 0) CHECK(quote.qe_report().isv_svn() == want.qe_isv_svn);
    // Intel's TD quoting enclave, in every quote.
    CHECK(quote.qe_report().isv_prod_id() == 2);
    CHECK(hex(quote.qe_report().mr_signer()) == "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
    CHECK(quote.qe_auth_data().size() == 32);
    const auto chain = cocoon::as_chars(quote.pck_chain());
    CHECK(chain.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  }
}

TEST_CASE("the COCOON test quote parses field by field", "[attest][quote][vectors]") {
  const auto data = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto quote = tdx_quote::parse(data);
  const auto& body = quote.body();
  CHECK(hex(quote.user_data()) == "1a94ba357ce7e19533b25d495965728300000000");
  CHECK(hex(body.mr_seam()) ==
        "49b66faa451d19ebbdbe89371b8daf2b65aa3984ec90110343e9e2eec116af08850fa20e3b1aa9a874d77a65380ee7e6");
  CHECK(hex(body.mr_signer_seam()) == std::string(96, '0'));
  CHECK(body.td_attributes() == 0x10000000u);
  CHECK((body.td_attributes() & cocoon::attest::td_attribute::sept_ve_disable) != 0);
  CHECK((body.td_attributes() & cocoon::attest::td_attribute::debug) == 0);
  CHECK(hex(body.xfam_bytes()) == "e702060000000000");
  CHECK(body.xfam() == 0x602e7u);
  CHECK(hex(body.mr_config_id()) == std::string(96, '0'));
  CHECK(hex(body.mr_owner()) == std::string(96, '0'));
  CHECK(hex(body.mr_owner_config()) == std::string(96, '0'));
  CHECK(hex(body.rtmr(0)) ==
        "251a7f3cfc68006349444307c686485986beea461740437dae618e22a7aaac4ec0233ae0190eb1ce92ab8e9966563acc");
  CHECK(hex(body.rtmr(1)) ==
        "7a6eb32a914226f429922564bb0ae0a7c7c413ba5a8ef055b481f6328108da335013b79c391dcc237f7e563674ce7787");
  CHECK(hex(body.rtmr(2)) ==
        "aaccda38cf2bdee9965664d6793c9eaa93349564a052f36db45da5db656abe7b909d92cad5a29287f2bb78761771fec4");
  CHECK(hex(body.rtmr(3)) == std::string(96, '0'));
  CHECK(!body.tee_tcb_svn2());
  CHECK(!body.mr_service_td());
  CHECK(hex(quote.signature()) ==
        "1260af73134200d63cab7a897a28eac626670831c8679764af7a288868fe9e5137850560fe384bfb2bbdbad9d7a8f12c5b342638f9b4b8"
        "a1b"
        "c73fbed0dd73093");
  CHECK(
      hex(quote.attestation_key()) ==
      "570c7467db712b095d79eda79767e18b34dc89997b4f78c6e2eed70b15f0d2b366043591be43d3abfbea868d78b8a31e281f4bbe77cdbe5"
      "bd80e6a4130ef1982");
  const auto& qe = quote.qe_report();
  CHECK(hex(qe.cpu_svn()) == "0303191b04ff00060000000000000000");
  CHECK(hex(qe.mr_enclave()) == "e5a3a7b5d830c2953b98534c6c59a3a34fdc34e933f7f5898f0a85cf08846bca");
  CHECK(hex(qe.report_data()) ==
        "83328f0a268fa9efe0beb0b9a19904ae183d399114aa9ff54301e19dda669ea8" + std::string(64, '0'));
  CHECK(
      hex(quote.qe_report_signature()) ==
      "b7c5c81f349ee1862eddd95b37471f253d2035627d90709e5d7b6f7bcc90b91d3d8f62258b90035c94ca9518556657bc51420227137af2e"
      "457f435ae025493a9");
  CHECK(hex(quote.qe_auth_data()) == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  CHECK(quote.pck_chain().size() == 3682);
  CHECK(quote.size() == 4940);
}

TEST_CASE("TDX 1.5 bodies expose TEE_TCB_SVN2 and MRSERVICETD", "[attest][quote][vectors]") {
  {
    const auto data = attest_test::read_quote("tdx/go-tdx-guest/quote_v5_sample.dat");
    const auto quote = tdx_quote::parse(data);
    REQUIRE(quote.body().tee_tcb_svn2());
    CHECK(hex(*quote.body().tee_tcb_svn2()) == "0d010400000000000000000000000000");
    CHECK(hex(quote.body().mr_seam()) ==
          "7bf063280e94fb051f5dd7b1fc59ce9aac42bb961df8d44b709c9b0ff87a7b4df648657ba6d1189589feab1d5a3c9a9d");
    CHECK(hex(quote.body().rtmr(0)) ==
          "5c8daf76063a71ac8fcef4067564661fc682ed7944c7a5d21dbbced02f61ceff4ba0678c6aef3bdae8cbc614cec24619");
    CHECK(hex(quote.body().rtmr(2)) ==
          "6369b9c9a3b791ebcbdc5a0bb9536cfb57f50df2b393b33c8b29616d3568baa61f4b59dc6092e31ea8764bcbdfc69f20");
  }
  {
    const auto data = attest_test::read_quote("tdx/openenclave-v5-eval21/tdx_quote_v5.bin");
    const auto quote = tdx_quote::parse(data);
    REQUIRE(quote.body().mr_service_td());
    CHECK(hex(*quote.body().mr_service_td()) ==
          "fe137531a4f9ec8fcba90d1040f3e9ea86ec933ff99570b5d0ef6aa752d69abb1d0ece885d22e8289345ab90ed084cea");
    CHECK(hex(*quote.body().tee_tcb_svn2()) == "02010600000000000000000000000000");
    const auto attributes = quote.body().td_attributes();
    CHECK((attributes & cocoon::attest::td_attribute::migratable) != 0);
    CHECK((attributes & cocoon::attest::td_attribute::sept_ve_disable) != 0);
  }
  {
    const auto data = attest_test::read_quote("tdx/migtd-bundle-2025-11/trustee-v5-td15-90c06f.dat");
    const auto quote = tdx_quote::parse(data);
    CHECK(hex(*quote.body().tee_tcb_svn2()) == "05010200000000000000000000000000");
    CHECK(hex(*quote.body().mr_service_td()) ==
          "383c87d3bbb047b2d171eaca95312ede99f258088dc788f6ae2ccf8b6dd848fe8d47629e08b3f6cbd4a00dd47a5a033d");
  }
  {
    const auto data = attest_test::read_quote("tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat");
    const auto attributes = tdx_quote::parse(data).body().td_attributes();
    CHECK((attributes & cocoon::attest::td_attribute::debug) != 0);
  }
}

TEST_CASE("an SGX quote is refused by its header", "[attest][quote][vectors]") {
  const auto data = attest_test::read_quote("tdx/not-tdx/dcap-qvl-sgx_quote.bin");
  std::string where;
  CHECK(parse_error(data, &where) == cocoon::errc::quote_unsupported);
  CHECK(where == "header.version at offset 0: 3");
  CHECK(cocoon::error_code(cocoon::errc::quote_unsupported) == cocoon::condition::attestation_rejected);
}

TEST_CASE("every truncation of a real quote is malformed", "[attest][quote][vectors]") {
  for (const char* path : {"tdx/cocoon/quote.dat", "tdx/go-tdx-guest/quote_v5_sample.dat",
                           "tdx/migtd-bundle-2025-11/trustee-v4-debug-50806f.dat"}) {
    INFO(path);
    const auto data = attest_test::read_quote(path);
    const std::size_t size = tdx_quote::parse(data).size();
    std::size_t failures = 0;
    for (std::size_t length = 0; length < size; ++length) {
      cocoon::error_code ec;
      const auto quote = tdx_quote::parse(cocoon::byte_view(data).first(length), ec);
      if (!quote && ec == cocoon::errc::quote_malformed) ++failures;
    }
    CHECK(failures == size);
    // Any amount of trailing bytes is accepted and counted.
    for (std::size_t length = size; length <= data.size(); ++length) {
      cocoon::error_code ec;
      const auto quote = tdx_quote::parse(cocoon::byte_view(data).first(length), ec);
      REQUIRE(quote);
      CHECK(quote->trailing_size() == length - size);
    }
  }
}

TEST_CASE("the throwing form names the operation, field and offset", "[attest][quote][vectors]") {
  const auto data = attest_test::read_quote("tdx/cocoon/quote.dat");
  try {
    (void)tdx_quote::parse(cocoon::byte_view(data).first(700));
    FAIL("no exception");
  } catch (const cocoon::error& failure) {
    CHECK(failure.code() == cocoon::errc::quote_malformed);
    CHECK(failure.where() == "signature_data_length at offset 632: 4304 declared, 64 remain");
    CHECK(std::string(failure.what()) ==
          "parse TDX quote: malformed TDX quote (signature_data_length at offset 632: 4304 declared, 64 remain)");
  }
  std::string where;
  CHECK(parse_error(cocoon::bytes(data.begin(), data.begin() + 47), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "header at offset 0: needs 48 bytes, 47 remain");
}

TEST_CASE("tampered length fields are refused, naming the field", "[attest][quote][vectors]") {
  const auto original = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto with = [&](std::size_t offset, std::uint64_t value, std::size_t width) {
    auto copy = original;
    put_le(copy, offset, value, width);
    return copy;
  };
  std::string where;

  // A signature-data length reaching one byte into the zero padding still has every inner
  // length consistent: only exact consumption catches it.
  CHECK(parse_error(with(v4_signature_length_at, 4305, 4), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "signature_data_length at offset 632: 4305 declared, 4304 used");
  CHECK(parse_error(with(v4_signature_length_at, 4303, 4), &where) == cocoon::errc::quote_malformed);
  CHECK(where.rfind("certification_data.size at offset 766", 0) == 0);
  CHECK(parse_error(with(v4_signature_length_at, 0xffffffff, 4), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "signature_data_length at offset 632: 4294967295 declared, 4374 remain");

  CHECK(parse_error(with(v4_cert_size_at, 4171, 4), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "certification_data.size at offset 766: 4171 declared, 4170 remain in the signature data");
  CHECK(parse_error(with(v4_cert_size_at, 4169, 4), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "pck_certification_data.size at offset 1254: 3682 declared, 3681 remain");

  CHECK(parse_error(with(v4_inner_size_at, 3681, 4), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "certification_data.size at offset 766: 4170 declared, 4169 used");
  CHECK(parse_error(with(v4_inner_size_at, 3683, 4), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "pck_certification_data.size at offset 1254: 3683 declared, 3682 remain");

  CHECK(parse_error(with(v4_auth_size_at, 4000, 2), &where) == cocoon::errc::quote_malformed);
  CHECK(where == "qe_auth_data.size at offset 1218: 4000 declared, 3720 remain");
  // A shifted QE auth data size misaligns the inner type field.
  CHECK(parse_error(with(v4_auth_size_at, 33, 2)) != cocoon::error_code{});
  CHECK(parse_error(with(v4_auth_size_at, 31, 2)) != cocoon::error_code{});
}

TEST_CASE("header and type values other than TDX ECDSA quotes are refused by name", "[attest][quote][vectors]") {
  const auto v4 = attest_test::read_quote("tdx/cocoon/quote.dat");
  const auto v5 = attest_test::read_quote("tdx/go-tdx-guest/quote_v5_sample.dat");
  const auto with = [](cocoon::bytes copy, std::size_t offset, std::uint64_t value, std::size_t width) {
    put_le(copy, offset, value, width);
    return copy;
  };
  const struct {
    cocoon::bytes data;
    cocoon::errc code;
    const char* where;
  } cases[] = {
      {with(v4, 0, 6, 2), cocoon::errc::quote_unsupported, "header.version at offset 0: 6"},
      {with(v4, 2, 3, 2), cocoon::errc::quote_unsupported, "header.attestation_key_type at offset 2: 3"},
      {with(v4, 4, 0, 4), cocoon::errc::quote_unsupported, "header.tee_type at offset 4: 0"},
      {with(v4, 27, 0, 1), cocoon::errc::quote_unsupported, "header.qe_vendor_id at offset 12: not Intel's"},
      {with(v4, v4_cert_type_at, 5, 2), cocoon::errc::quote_unsupported, "certification_data.type at offset 764: 5"},
      {with(v4, v4_inner_type_at, 4, 2), cocoon::errc::quote_unsupported,
       "pck_certification_data.type at offset 1252: 4"},
      // v5 body descriptor: the type must be a TD report and the size must be that type's.
      {with(v5, 48, 1, 2), cocoon::errc::quote_unsupported, "body_descriptor.type at offset 48: 1"},
      {with(v5, 48, 4, 2), cocoon::errc::quote_unsupported, "body_descriptor.type at offset 48: 4"},
      {with(v5, 50, 649, 4), cocoon::errc::quote_malformed,
       "body_descriptor.size at offset 50: 649 for body type 3, expected 648"},
      {with(v5, 48, 2, 2), cocoon::errc::quote_malformed,
       "body_descriptor.size at offset 50: 648 for body type 2, expected 584"},
      // A v4 header on a v5 layout reads the descriptor as body and runs out of signature data.
      {with(v5, 0, 4, 2), cocoon::errc::quote_malformed, nullptr},
  };
  for (const auto& c : cases) {
    std::string where;
    CHECK(parse_error(c.data, &where) == c.code);
    if (c.where) CHECK(where == c.where);
  }
  // The original bytes still parse (the table did not alias them).
  CHECK(tdx_quote::parse(v4).version() == 4);
  CHECK(tdx_quote::parse(v5).version() == 5);
}
