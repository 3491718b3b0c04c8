// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_DETAIL_OPENSSL_HPP
#define COCOON_ATTEST_DETAIL_OPENSSL_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest::detail {

template <class T, void (*Free)(T*)>
struct openssl_deleter {
  void operator()(T* object) const noexcept { Free(object); }
};

template <class T, void (*Free)(T*)>
using openssl_ptr = std::unique_ptr<T, openssl_deleter<T, Free>>;

using bio_ptr = openssl_ptr<BIO, BIO_free_all>;
using x509_ptr = openssl_ptr<X509, X509_free>;
using evp_pkey_ptr = openssl_ptr<EVP_PKEY, EVP_PKEY_free>;
using evp_pkey_ctx_ptr = openssl_ptr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using evp_md_ctx_ptr = openssl_ptr<EVP_MD_CTX, EVP_MD_CTX_free>;
using x509_store_ptr = openssl_ptr<X509_STORE, X509_STORE_free>;
using x509_store_ctx_ptr = openssl_ptr<X509_STORE_CTX, X509_STORE_CTX_free>;
using ecdsa_sig_ptr = openssl_ptr<ECDSA_SIG, ECDSA_SIG_free>;
using bignum_ptr = openssl_ptr<BIGNUM, BN_free>;
using param_bld_ptr = openssl_ptr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using params_ptr = openssl_ptr<OSSL_PARAM, OSSL_PARAM_free>;
using asn1_object_ptr = openssl_ptr<ASN1_OBJECT, ASN1_OBJECT_free>;

inline void free_x509_stack(STACK_OF(X509) * stack) noexcept { sk_X509_free(stack); }
using x509_stack_ptr = openssl_ptr<STACK_OF(X509), free_x509_stack>;

inline void free_asn1_sequence(ASN1_SEQUENCE_ANY* sequence) noexcept {
  sk_ASN1_TYPE_pop_free(sequence, ASN1_TYPE_free);
}
using asn1_sequence_ptr = openssl_ptr<ASN1_SEQUENCE_ANY, free_asn1_sequence>;

[[nodiscard]] inline const unsigned char* uchar(const std::byte* data) noexcept {
  return reinterpret_cast<const unsigned char*>(data);
}

/// A P-256 public key from the 64-byte X || Y of a quote; empty if it is not a point on the curve.
[[nodiscard]] inline evp_pkey_ptr p256_public_key(byte_view x_y) {
  unsigned char point[65];
  point[0] = 0x04;  // uncompressed
  std::copy_n(uchar(x_y.data()), 64, point + 1);
  const param_bld_ptr builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1) {
    return {};
  }
  const params_ptr params(OSSL_PARAM_BLD_to_param(builder.get()));
  const evp_pkey_ctx_ptr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return {};
  }
  return evp_pkey_ptr(key);
}

/// True if `key` is an EC key on P-256.
[[nodiscard]] inline bool is_p256(EVP_PKEY* key) {
  char group[32] = {};
  std::size_t length = 0;
  return key != nullptr && EVP_PKEY_is_a(key, "EC") == 1 &&
         EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) == 1 &&
         std::string_view(group, length) == "prime256v1";
}

/// Verifies a raw r || s (32 + 32 bytes, big-endian) ECDSA P-256 / SHA-256 signature.
[[nodiscard]] inline bool verify_p256_sha256(EVP_PKEY* key, byte_view signature, byte_view message) {
  const ecdsa_sig_ptr sig(ECDSA_SIG_new());
  bignum_ptr r(BN_bin2bn(uchar(signature.data()), 32, nullptr));
  bignum_ptr s(BN_bin2bn(uchar(signature.data() + 32), 32, nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return false;
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_size <= 0) return false;
  const std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_owner(der,
                                                                           [](unsigned char* p) { OPENSSL_free(p); });
  const evp_md_ctx_ptr context(EVP_MD_CTX_new());
  return context && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), der, static_cast<std::size_t>(der_size), uchar(message.data()),
                          message.size()) == 1;
}

/// The DER SubjectPublicKeyInfo of a certificate's key.
[[nodiscard]] inline std::optional<bytes> spki_der(X509* certificate) {
  unsigned char* der = nullptr;
  const int size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (size <= 0) return std::nullopt;
  bytes out(reinterpret_cast<const std::byte*>(der), reinterpret_cast<const std::byte*>(der) + size);
  OPENSSL_free(der);
  return out;
}

}  // namespace attest::detail
COCOON_SDK_NAMESPACE_END

#endif
