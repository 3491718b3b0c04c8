// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_TRUST_ANCHORS_HPP
#define COCOON_ATTEST_TRUST_ANCHORS_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// The root keys a PCK certificate chain may end in, pinned by public key (the DER
/// SubjectPublicKeyInfo), never by name: a look-alike "Intel SGX Root CA" with another key is
/// not trusted. The default is Intel's production SGX Root CA key; tests inject their own.
class trust_anchors {
 public:
  /// Intel SGX Root CA (CN=Intel SGX Root CA, O=Intel Corporation; serial 22650cd6...06ac),
  /// the single production anchor of PCK chains. Its P-256 key is compiled in.
  [[nodiscard]] static trust_anchors intel_sgx_root_ca() {
    // DER SubjectPublicKeyInfo prefix for an uncompressed P-256 point (id-ecPublicKey, prime256v1).
    static constexpr std::array<std::uint8_t, 26> p256_spki_prefix{0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                                                   0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                                                   0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
    static constexpr std::array<std::uint8_t, 65> intel_root_point{
        0x04, 0x0b, 0xa9, 0xc4, 0xc0, 0xc0, 0xc8, 0x61, 0x93, 0xa3, 0xfe, 0x23, 0xd6, 0xb0, 0x2c, 0xda, 0x10,
        0xa8, 0xbb, 0xd4, 0xe8, 0x8e, 0x48, 0xb4, 0x45, 0x85, 0x61, 0xa3, 0x6e, 0x70, 0x55, 0x25, 0xf5, 0x67,
        0x91, 0x8e, 0x2e, 0xdc, 0x88, 0xe4, 0x0d, 0x86, 0x0b, 0xd0, 0xcc, 0x4e, 0xe2, 0x6a, 0xac, 0xc9, 0x88,
        0xe5, 0x05, 0xa9, 0x53, 0x55, 0x8c, 0x45, 0x3f, 0x6b, 0x09, 0x04, 0xae, 0x73, 0x94};
    bytes spki;
    for (const auto b : p256_spki_prefix) spki.push_back(std::byte{b});
    for (const auto b : intel_root_point) spki.push_back(std::byte{b});
    trust_anchors anchors;
    anchors.keys_.push_back(std::move(spki));
    return anchors;
  }

  /// No anchors: nothing verifies until one is added.
  trust_anchors() = default;

  /// Adds the public key of a root certificate (PEM or DER). Only the key is kept.
  /// @throws cocoon::error with `errc::pck_chain_malformed` if it is not a certificate.
  void add_certificate(byte_view certificate) {
    cocoon::detail::throw_on_failure(add_certificate_impl(certificate), "add trust anchor");
  }

  /// Adds the public key of a root certificate; false with `ec` set if it is not a certificate.
  bool add_certificate(byte_view certificate, error_code& ec) {
    return cocoon::detail::succeeded(add_certificate_impl(certificate), ec);
  }

  /// The pinned keys, DER SubjectPublicKeyInfo.
  [[nodiscard]] const std::vector<bytes>& keys() const noexcept { return keys_; }

  /// True if `spki` (DER SubjectPublicKeyInfo) is a pinned key; constant time per key.
  [[nodiscard]] bool contains(byte_view spki) const noexcept {
    bool found = false;
    for (const auto& key : keys_) {
      found |= key.size() == spki.size() && CRYPTO_memcmp(key.data(), spki.data(), key.size()) == 0;
    }
    return found;
  }

 private:
  [[nodiscard]] std::optional<cocoon::detail::failure> add_certificate_impl(byte_view certificate) {
    if (certificate.size() > INT_MAX) return cocoon::detail::failure{errc::pck_chain_malformed, "trust anchor"};
    const auto* der = detail::uchar(certificate.data());
    detail::x509_ptr parsed(d2i_X509(nullptr, &der, static_cast<long>(certificate.size())));
    if (!parsed) {
      ERR_clear_error();
      const detail::bio_ptr bio(BIO_new_mem_buf(certificate.data(), static_cast<int>(certificate.size())));
      if (bio) parsed.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    }
    if (!parsed) {
      ERR_clear_error();
      return cocoon::detail::failure{errc::pck_chain_malformed, "trust anchor: not a certificate"};
    }
    auto spki = detail::spki_der(parsed.get());
    if (!spki) return cocoon::detail::failure{errc::pck_chain_malformed, "trust anchor: no public key"};
    keys_.push_back(std::move(*spki));
    return std::nullopt;
  }

  std::vector<bytes> keys_;
};

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
