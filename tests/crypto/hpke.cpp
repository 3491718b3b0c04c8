#include <cocoon/crypto/hpke.hpp>

#include <catch2/catch.hpp>

#include <cocoon/core/hex.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>

using cocoon::from_hex;
using cocoon::crypto::hpke_aead;
using cocoon::crypto::hpke_recipient;
using cocoon::crypto::hpke_sender;

namespace {

nlohmann::json rfc9180_vectors() {
  std::ifstream in(std::string(COCOON_VECTORS_DIR) + "/hpke/rfc9180-x25519-hkdfsha256.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

cocoon::bytes hex_field(const nlohmann::json& entry, const char* name) {
  return from_hex(entry.at(name).get<std::string>());
}

}  // namespace

TEST_CASE("HPKE passes every RFC 9180 DHKEM(X25519)/HKDF-SHA256 vector", "[crypto][hpke][vectors]") {
  const auto vectors = rfc9180_vectors();
  REQUIRE(vectors.size() == 16);
  std::size_t encryptions = 0, exports = 0;
  for (const auto& entry : vectors) {
    const auto mode = entry.at("mode").get<int>();
    const auto aead = static_cast<hpke_aead>(entry.at("aead_id").get<int>());
    INFO("mode " << mode << " aead " << entry.at("aead_id").get<int>());
    REQUIRE(entry.at("kem_id") == 32);
    REQUIRE(entry.at("kdf_id") == 1);

    // DeriveKeyPair reproduces the recipient's and the ephemeral key from their ikm.
    const auto recipient = cocoon::crypto::derive_key_pair(hex_field(entry, "ikmR"));
    CHECK(cocoon::to_hex(recipient.secret_key.reveal()) == entry.at("skRm"));
    CHECK(recipient.public_key.to_hex() == entry.at("pkRm"));
    const auto ephemeral = cocoon::crypto::derive_key_pair(hex_field(entry, "ikmE"));
    CHECK(cocoon::to_hex(ephemeral.secret_key.reveal()) == entry.at("skEm"));

    const auto info = hex_field(entry, "info");
    cocoon::bytes psk, psk_id;
    std::optional<cocoon::crypto::hpke_psk> psk_option;
    if (entry.contains("psk")) {
      psk = hex_field(entry, "psk");
      psk_id = hex_field(entry, "psk_id");
      psk_option = cocoon::crypto::hpke_psk{psk, psk_id};
    }
    std::optional<cocoon::x25519_secret_key> sender_key;
    std::optional<cocoon::x25519_public_key> sender_public;
    if (entry.contains("skSm")) {
      sender_key = cocoon::x25519_secret_key::from_hex(entry.at("skSm").get<std::string>());
      sender_public = cocoon::x25519_public_key::from_hex(entry.at("pkSm").get<std::string>());
    }

    auto sender = cocoon::detail::value_or_throw(
        hpke_sender::setup_with(recipient.public_key, {aead, info, sender_key ? &*sender_key : nullptr, psk_option},
                                ephemeral.secret_key),
        "setup");
    CHECK(static_cast<int>(sender.mode()) == mode);
    CHECK(sender.encapsulated_key().to_hex() == entry.at("enc"));
    auto receiver = hpke_recipient::setup(sender.encapsulated_key(), recipient.secret_key,
                                          {aead, info, sender_public ? &*sender_public : nullptr, psk_option});

    for (const auto& encryption : entry.at("encryptions")) {
      const auto plaintext = hex_field(encryption, "pt"), aad = hex_field(encryption, "aad");
      const auto ciphertext = hex_field(encryption, "ct");
      CHECK(sender.seal(plaintext, aad) == ciphertext);
      CHECK(receiver.open(ciphertext, aad) == plaintext);
      ++encryptions;
    }
    if (aead == hpke_aead::export_only) {
      CHECK(entry.at("encryptions").empty());
      CHECK_THROWS_MATCHES(sender.seal({}), cocoon::error, Catch::Predicate<cocoon::error>([](const cocoon::error& e) {
                             return e.code() == cocoon::errc::hpke_export_only;
                           }));
    }
    for (const auto& exported : entry.at("exports")) {
      const auto context = hex_field(exported, "exporter_context");
      const auto length = exported.at("L").get<std::size_t>();
      CHECK(cocoon::to_hex(sender.export_secret(context, length)) == exported.at("exported_value"));
      CHECK(cocoon::to_hex(receiver.export_secret(context, length)) == exported.at("exported_value"));
      ++exports;
    }
  }
  CHECK(encryptions == 12 * 257);
  CHECK(exports == 16 * 3);
}

TEST_CASE("HPKE round-trips in every mode with fresh ephemeral keys", "[crypto][hpke]") {
  const auto recipient = cocoon::crypto::derive_key_pair(cocoon::as_bytes("recipient seed of at least 32 bytes"));
  const auto sender_key = cocoon::x25519_secret_key::generate();
  const auto sender_public = cocoon::crypto::public_key_of(sender_key);
  const auto psk = cocoon::as_bytes("a pre-shared key of 32 bytes ..."), psk_id = cocoon::as_bytes("id");
  for (const bool authenticated : {false, true}) {
    for (const bool with_psk : {false, true}) {
      for (const auto aead : {hpke_aead::aes_128_gcm, hpke_aead::aes_256_gcm, hpke_aead::chacha20_poly1305}) {
        std::optional<cocoon::crypto::hpke_psk> psk_option;
        if (with_psk) psk_option = cocoon::crypto::hpke_psk{psk, psk_id};
        auto sender = hpke_sender::setup(
            recipient.public_key, {aead, cocoon::as_bytes("info"), authenticated ? &sender_key : nullptr, psk_option});
        auto receiver = hpke_recipient::setup(
            sender.encapsulated_key(), recipient.secret_key,
            {aead, cocoon::as_bytes("info"), authenticated ? &sender_public : nullptr, psk_option});
        for (int message = 0; message < 3; ++message) {
          const auto text = "message " + std::to_string(message);
          CHECK(cocoon::as_chars(receiver.open(sender.seal(cocoon::as_bytes(text)))) == text);
        }
      }
    }
  }
}

TEST_CASE("HPKE refuses mismatched contexts, forgeries and reordering", "[crypto][hpke]") {
  const auto recipient = cocoon::crypto::derive_key_pair(cocoon::as_bytes("recipient seed of at least 32 bytes"));
  const auto sender_key = cocoon::x25519_secret_key::generate();
  const auto sender_public = cocoon::crypto::public_key_of(sender_key);
  const auto other_public = cocoon::crypto::public_key_of(cocoon::x25519_secret_key::generate());
  const auto info = cocoon::as_bytes("job v1");
  auto sender = hpke_sender::setup(recipient.public_key, {hpke_aead::chacha20_poly1305, info, &sender_key, {}});
  const auto first = sender.seal(cocoon::as_bytes("first"));
  const auto second = sender.seal(cocoon::as_bytes("second"));
  cocoon::error_code ec;

  SECTION("another info") {
    auto receiver =
        hpke_recipient::setup(sender.encapsulated_key(), recipient.secret_key,
                              {hpke_aead::chacha20_poly1305, cocoon::as_bytes("job v2"), &sender_public, {}});
    CHECK_FALSE(receiver.open(first, {}, ec));
    CHECK(ec == cocoon::errc::decryption_failed);
  }
  SECTION("another claimed sender: auth mode authenticates the sender") {
    auto receiver = hpke_recipient::setup(sender.encapsulated_key(), recipient.secret_key,
                                          {hpke_aead::chacha20_poly1305, info, &other_public, {}});
    CHECK_FALSE(receiver.open(first, {}, ec));
  }
  SECTION("messages out of order, and a forgery that does not consume a sequence number") {
    auto receiver = hpke_recipient::setup(sender.encapsulated_key(), recipient.secret_key,
                                          {hpke_aead::chacha20_poly1305, info, &sender_public, {}});
    CHECK_FALSE(receiver.open(second, {}, ec));  // expected message 0
    auto forged = first;
    forged.back() ^= std::byte{1};
    CHECK_FALSE(receiver.open(forged, {}, ec));
    CHECK(cocoon::as_chars(receiver.open(first)) == "first");
    CHECK(cocoon::as_chars(receiver.open(second)) == "second");
  }
}

TEST_CASE("HPKE checks its inputs", "[crypto][hpke]") {
  const auto recipient = cocoon::crypto::derive_key_pair(cocoon::as_bytes("recipient seed of at least 32 bytes"));
  cocoon::error_code ec;
  const auto short_psk = cocoon::as_bytes("short"), id = cocoon::as_bytes("id");
  CHECK_FALSE(hpke_sender::setup(recipient.public_key, {hpke_aead::aes_256_gcm, {}, nullptr, {{short_psk, id}}}, ec));
  CHECK(ec == cocoon::errc::hpke_invalid_psk);
  const auto long_psk = cocoon::as_bytes("a pre-shared key of 32 bytes ...");
  CHECK_FALSE(hpke_sender::setup(recipient.public_key, {hpke_aead::aes_256_gcm, {}, nullptr, {{long_psk, {}}}}, ec));
  CHECK(ec == cocoon::errc::hpke_invalid_psk);
  CHECK_FALSE(hpke_sender::setup(cocoon::x25519_public_key{}, {}, ec));  // the all-zero point
  CHECK(ec == cocoon::errc::invalid_public_key);
  CHECK_THROWS_AS(cocoon::crypto::derive_key_pair(cocoon::as_bytes("too short")), cocoon::error);

  auto sender = hpke_sender::setup(recipient.public_key, {});
  CHECK_THROWS_AS(sender.export_secret({}, 255 * 32 + 1), cocoon::error);
  CHECK(sender.export_secret({}, 255 * 32).size() == 255 * 32);
}
