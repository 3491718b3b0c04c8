// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_TLS_HPP
#define COCOON_NET_TLS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/ratls.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/secret.hpp>
#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/verify_context.hpp>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace net {

/// An X.509 extension to put in a certificate.
struct certificate_extension {
  std::string oid;  ///< dotted form
  bytes value;      ///< the extension's value, stored directly (COCOON's RA-TLS extensions hold raw bytes)
  bool critical = true;
};

/// A self-signed Ed25519 certificate and its key, in the shape COCOON's TEEs make them: subject
/// CN=localhost, SAN localhost / 127.0.0.1 / ::1, CA:FALSE, digitalSignature, serverAuth and
/// clientAuth, valid for `lifetime` from `now`.
struct ed25519_certificate {
  bytes der;
  std::shared_ptr<EVP_PKEY> key;
};

namespace detail {

struct x509_deleter {
  void operator()(X509* x) const noexcept { X509_free(x); }
};

[[nodiscard]] inline bool add_extension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

[[nodiscard]] inline bool add_raw_extension(X509* certificate, const certificate_extension& extension) {
  ASN1_OBJECT* oid = OBJ_txt2obj(extension.oid.c_str(), 1);
  ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
  bool added = oid != nullptr && value != nullptr &&
               ASN1_OCTET_STRING_set(value, reinterpret_cast<const unsigned char*>(extension.value.data()),
                                     static_cast<int>(extension.value.size())) == 1;
  X509_EXTENSION* x = added ? X509_EXTENSION_create_by_OBJ(nullptr, oid, extension.critical ? 1 : 0, value) : nullptr;
  added = x != nullptr && X509_add_ext(certificate, x, -1) == 1;
  X509_EXTENSION_free(x);
  ASN1_OCTET_STRING_free(value);
  ASN1_OBJECT_free(oid);
  return added;
}

}  // namespace detail

/// How far before `now` a certificate made here becomes valid: a peer whose clock is behind ours,
/// or reads a coarse clock (OpenSSL checks with `time()`, which can lag the clock `now` comes from
/// by a few milliseconds across a second), must not see it as not yet valid.
inline constexpr std::chrono::seconds certificate_backdating{60};

/// Makes a self-signed Ed25519 certificate for `seed` carrying `extensions` (first, in order),
/// valid from `certificate_backdating` before `now` until `lifetime` after `now`.
/// @throws cocoon::error with `errc::crypto_failure` if OpenSSL fails.
[[nodiscard]] inline ed25519_certificate make_ed25519_certificate(
    const ed25519_secret_key& seed, const std::vector<certificate_extension>& extensions,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
    std::chrono::seconds lifetime = std::chrono::hours{24}) {
  const auto fail = [] { cocoon::detail::throw_error(errc::crypto_failure, "make certificate"); };
  std::shared_ptr<EVP_PKEY> key(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                   reinterpret_cast<const unsigned char*>(seed.reveal().data()), seed.size()),
      EVP_PKEY_free);
  std::unique_ptr<X509, detail::x509_deleter> certificate(X509_new());
  if (!key || !certificate) fail();
  X509* x = certificate.get();
  std::array<unsigned char, 16> serial{};
  randombytes_buf(serial.data(), serial.size());
  serial[0] &= 0x7f;  // a positive INTEGER
  BIGNUM* serial_number = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
  const bool serial_set = serial_number != nullptr && BN_to_ASN1_INTEGER(serial_number, X509_get_serialNumber(x));
  BN_free(serial_number);
  const auto since_epoch = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  X509_NAME* name = X509_get_subject_name(x);
  const bool ok =
      serial_set && X509_set_version(x, 2) == 1 &&
      ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(since_epoch - certificate_backdating.count())) !=
          nullptr &&
      ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(since_epoch + lifetime.count())) != nullptr &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                 0) == 1 &&
      X509_set_issuer_name(x, name) == 1 && X509_set_pubkey(x, key.get()) == 1;
  if (!ok) fail();
  for (const auto& extension : extensions) {
    if (!detail::add_raw_extension(x, extension)) fail();
  }
  if (!detail::add_extension(x, NID_basic_constraints, "critical,CA:FALSE") ||
      !detail::add_extension(x, NID_key_usage, "critical,digitalSignature") ||
      !detail::add_extension(x, NID_ext_key_usage, "critical,serverAuth,clientAuth") ||
      !detail::add_extension(x, NID_subject_key_identifier, "hash") ||
      !detail::add_extension(x, NID_subject_alt_name, "DNS:localhost,DNS:127.0.0.1,IP:::1") ||
      X509_sign(x, key.get(), nullptr) <= 0) {
    fail();
  }
  const int size = i2d_X509(x, nullptr);
  if (size <= 0) fail();
  ed25519_certificate result{bytes(static_cast<std::size_t>(size)), key};
  auto* out = reinterpret_cast<unsigned char*>(result.der.data());
  if (i2d_X509(x, &out) != size) fail();
  return result;
}

/// The certificate of a COCOON "fake TDX" peer: the quote extension holds only the 64 REPORTDATA
/// bytes (SHA-512 of the key). Proves nothing; for the local reference network, which clients
/// accept only under `attest::ratls_policy::insecure_accept_fake_tdx_for_tests()`.
[[nodiscard]] inline ed25519_certificate make_fake_tdx_certificate(
    const ed25519_secret_key& seed, std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
  const ed25519_public_key key = crypto::ed25519_public_key_of(seed);
  const auto report_data = attest::detail::user_claims_hash(key);
  return make_ed25519_certificate(
      seed,
      {{attest::ratls_oid::tdx_quote, bytes(report_data.data(), report_data.data() + report_data.size())},
       {attest::ratls_oid::user_claims, bytes(key.data(), key.data() + key.size())}},
      now);
}

/// COCOON's TLS settings (research 1.9): TLS 1.3 only, AES-GCM suites only, no session tickets or
/// resumption, a certificate on both sides.
inline void apply_cocoon_tls_settings(boost::asio::ssl::context& context, const ed25519_certificate& own) {
  SSL_CTX* ctx = context.native_handle();
  const bool ok = SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1 &&
                  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) == 1 &&
                  SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384") == 1;
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  const auto* der = reinterpret_cast<const unsigned char*>(own.der.data());
  std::unique_ptr<X509, detail::x509_deleter> certificate(d2i_X509(nullptr, &der, static_cast<long>(own.der.size())));
  if (!ok || !certificate || SSL_CTX_use_certificate(ctx, certificate.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, own.key.get()) != 1) {
    cocoon::detail::throw_error(errc::crypto_failure, "TLS context");
  }
}

/// Verifies a peer's certificate during the handshake: returns why it is refused, or nothing and
/// keeps what it learned. Runs on the connection's thread, once, for the leaf certificate.
using certificate_verifier = std::function<std::optional<cocoon::detail::failure>(byte_view der)>;

namespace detail {

// The certificate a handshake's verifier accepted lives on that handshake's SSL object, so a
// later handshake on the same context meets the verifier (and the clock) again.
[[nodiscard]] inline int accepted_certificate_index() {
  static const int index = SSL_get_ex_new_index(
      0, nullptr, nullptr, nullptr,
      [](void*, void* accepted, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<bytes*>(accepted); });
  return index;
}

// OpenSSL's own verdict on a COCOON peer certificate (research 1.3): self-signed, with critical
// RA-TLS extensions OpenSSL does not know; every other error refuses, expiry among them.
[[nodiscard]] inline std::optional<cocoon::detail::failure> openssl_verdict(int error) {
  switch (error) {
    case X509_V_OK:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION: return std::nullopt;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID: return cocoon::detail::failure{errc::certificate_expired, "peer certificate"};
    default:
      return cocoon::detail::failure{errc::ratls_certificate_invalid,
                                     std::string("peer certificate: ") + X509_verify_cert_error_string(error)};
  }
}

}  // namespace detail

/// Installs `verify` as the handshake's judge of the peer certificate: OpenSSL's chain building
/// is bypassed (COCOON peers are self-signed) but its other checks stand, the certificate's
/// validity dates among them, and a refusal aborts the handshake before any application byte
/// is sent. OpenSSL may ask several times about the same certificate; it is verified once per
/// handshake. The first refusal is kept in `refusal`.
inline void require_peer_certificate(boost::asio::ssl::context& context, certificate_verifier verify,
                                     std::shared_ptr<std::optional<cocoon::detail::failure>> refusal, bool server) {
  context.set_verify_mode(boost::asio::ssl::verify_peer | (server ? boost::asio::ssl::verify_fail_if_no_peer_cert : 0));
  context.set_verify_callback([verify = std::move(verify), refusal = std::move(refusal)](
                                  bool preverified, boost::asio::ssl::verify_context& ctx) {
    X509_STORE_CTX* store = ctx.native_handle();
    const auto refuse = [&](cocoon::detail::failure why) {
      if (!*refusal) *refusal = std::move(why);
      return false;
    };
    if (X509_STORE_CTX_get_error_depth(store) != 0) return false;  // COCOON peers send one certificate
    if (!preverified) {
      if (auto why = detail::openssl_verdict(X509_STORE_CTX_get_error(store))) return refuse(std::move(*why));
    }
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    X509* certificate = X509_STORE_CTX_get_current_cert(store);
    const int size = certificate != nullptr ? i2d_X509(certificate, nullptr) : 0;
    if (ssl == nullptr || size <= 0) return false;
    auto der = std::make_unique<bytes>(static_cast<std::size_t>(size));
    auto* out = reinterpret_cast<unsigned char*>(der->data());
    i2d_X509(certificate, &out);
    const int index = detail::accepted_certificate_index();
    if (const auto* accepted = static_cast<const bytes*>(SSL_get_ex_data(ssl, index))) return *accepted == *der;
    if (auto why = verify(*der)) return refuse(std::move(*why));
    if (SSL_set_ex_data(ssl, index, der.get()) != 1) return false;
    (void)der.release();  // the SSL object owns it now
    return true;
  });
}

}  // namespace net
COCOON_SDK_NAMESPACE_END

#endif
