// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_DETAIL_PCK_EXTENSION_HPP
#define COCOON_ATTEST_DETAIL_PCK_EXTENSION_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/detail/openssl.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest::detail {

/// What the Intel SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate says.
struct pck_extension {
  std::array<std::byte, 6> fmspc{};
  std::array<std::byte, 2> pce_id{};
  std::uint16_t pce_svn = 0;
  std::array<std::uint8_t, 16> sgx_tcb_components{};
  std::array<std::byte, 16> cpu_svn{};
};

inline constexpr const char* sgx_extension_oid = "1.2.840.113741.1.13.1";

/// The elements of a DER SEQUENCE; empty on malformed input.
[[nodiscard]] inline asn1_sequence_ptr parse_sequence(const unsigned char* der, long size) {
  const unsigned char* cursor = der;
  asn1_sequence_ptr sequence(d2i_ASN1_SEQUENCE_ANY(nullptr, &cursor, size));
  if (sequence && cursor != der + size) sequence.reset();  // trailing bytes
  return sequence;
}

/// The {OID, value} pair at `index` of a sequence of such pairs: the OID in dotted form.
[[nodiscard]] inline bool oid_value_pair(ASN1_SEQUENCE_ANY* list, int index, std::string& oid, ASN1_TYPE*& value,
                                         asn1_sequence_ptr& holder) {
  const ASN1_TYPE* element = sk_ASN1_TYPE_value(list, index);
  if (element == nullptr || element->type != V_ASN1_SEQUENCE) return false;
  const ASN1_STRING* der = element->value.sequence;
  holder = parse_sequence(ASN1_STRING_get0_data(der), ASN1_STRING_length(der));
  if (!holder || sk_ASN1_TYPE_num(holder.get()) != 2) return false;
  const ASN1_TYPE* name = sk_ASN1_TYPE_value(holder.get(), 0);
  if (name->type != V_ASN1_OBJECT) return false;
  char text[80];
  const int length = OBJ_obj2txt(text, sizeof text, name->value.object, 1);
  if (length <= 0 || static_cast<std::size_t>(length) >= sizeof text) return false;
  oid.assign(text, static_cast<std::size_t>(length));
  value = sk_ASN1_TYPE_value(holder.get(), 1);
  return true;
}

template <std::size_t Size>
[[nodiscard]] inline bool octets(const ASN1_TYPE* value, std::array<std::byte, Size>& out) {
  if (value->type != V_ASN1_OCTET_STRING || ASN1_STRING_length(value->value.octet_string) != Size) return false;
  const unsigned char* data = ASN1_STRING_get0_data(value->value.octet_string);
  for (std::size_t i = 0; i < Size; ++i) out[i] = std::byte{data[i]};
  return true;
}

[[nodiscard]] inline bool small_integer(const ASN1_TYPE* value, std::int64_t max, std::int64_t& out) {
  return value->type == V_ASN1_INTEGER && ASN1_INTEGER_get_int64(&out, value->value.integer) == 1 && out >= 0 &&
         out <= max;
}

/// Reads the SGX extension of a PCK leaf certificate: FMSPC, PCE-ID and the TCB (16 SGX
/// component SVNs, PCESVN, CPUSVN); each must be present exactly once.
[[nodiscard]] inline cocoon::detail::result<pck_extension> read_pck_extension(X509* certificate) {
  const auto bad = [](const std::string& what) {
    return cocoon::detail::failure{errc::pck_extension_malformed, "pck_chain.certificate[0]: " + what};
  };
  const asn1_object_ptr oid(OBJ_txt2obj(sgx_extension_oid, 1));
  if (!oid) return cocoon::detail::failure{errc::crypto_failure, "SGX extension OID"};
  const int index = X509_get_ext_by_OBJ(certificate, oid.get(), -1);
  if (index < 0) return bad("no SGX extension");
  if (X509_get_ext_by_OBJ(certificate, oid.get(), index) >= 0) return bad("SGX extension twice");
  const ASN1_OCTET_STRING* content = X509_EXTENSION_get_data(X509_get_ext(certificate, index));
  const asn1_sequence_ptr top = parse_sequence(ASN1_STRING_get0_data(content), ASN1_STRING_length(content));
  if (!top) return bad("SGX extension is not a SEQUENCE");

  pck_extension out;
  unsigned seen = 0;  // bit per required item: 0 TCB, 1 PCE-ID, 2 FMSPC
  const std::string prefix = std::string(sgx_extension_oid) + ".";
  for (int i = 0; i < sk_ASN1_TYPE_num(top.get()); ++i) {
    std::string name;
    ASN1_TYPE* value = nullptr;
    asn1_sequence_ptr holder;
    if (!oid_value_pair(top.get(), i, name, value, holder)) return bad("SGX extension item " + std::to_string(i));
    if (name == prefix + "2") {
      if (seen & 1u || value->type != V_ASN1_SEQUENCE) return bad("TCB");
      seen |= 1u;
      const ASN1_STRING* der = value->value.sequence;
      const asn1_sequence_ptr tcb = parse_sequence(ASN1_STRING_get0_data(der), ASN1_STRING_length(der));
      if (!tcb) return bad("TCB");
      std::uint32_t tcb_seen = 0;  // bits 0..17 for .2.1 .. .2.18
      for (int j = 0; j < sk_ASN1_TYPE_num(tcb.get()); ++j) {
        std::string component;
        ASN1_TYPE* component_value = nullptr;
        asn1_sequence_ptr component_holder;
        if (!oid_value_pair(tcb.get(), j, component, component_value, component_holder) ||
            component.rfind(prefix + "2.", 0) != 0) {
          return bad("TCB item " + std::to_string(j));
        }
        const std::string number = component.substr(prefix.size() + 2);
        int n = 0;
        for (const char c : number) n = (c >= '0' && c <= '9' && n < 100) ? n * 10 + (c - '0') : 1000;
        if (n < 1 || n > 18 || (tcb_seen >> (n - 1) & 1u)) return bad("TCB item " + component);
        tcb_seen |= 1u << (n - 1);
        std::int64_t svn = 0;
        if (n <= 16) {
          if (!small_integer(component_value, 255, svn)) return bad("TCB item " + component);
          out.sgx_tcb_components[static_cast<std::size_t>(n - 1)] = static_cast<std::uint8_t>(svn);
        } else if (n == 17) {
          if (!small_integer(component_value, 65535, svn)) return bad("PCESVN");
          out.pce_svn = static_cast<std::uint16_t>(svn);
        } else if (!octets(component_value, out.cpu_svn)) {
          return bad("CPUSVN");
        }
      }
      if (tcb_seen != (1u << 18) - 1) return bad("TCB incomplete");
    } else if (name == prefix + "3") {
      if (seen & 2u || !octets(value, out.pce_id)) return bad("PCE-ID");
      seen |= 2u;
    } else if (name == prefix + "4") {
      if (seen & 4u || !octets(value, out.fmspc)) return bad("FMSPC");
      seen |= 4u;
    }
  }
  if (seen != 7u) return bad("SGX extension lacks TCB, PCE-ID or FMSPC");
  return out;
}

}  // namespace attest::detail
COCOON_SDK_NAMESPACE_END

#endif
