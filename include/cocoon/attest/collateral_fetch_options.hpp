// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_COLLATERAL_FETCH_OPTIONS_HPP
#define COCOON_ATTEST_COLLATERAL_FETCH_OPTIONS_HPP

#include <cocoon/detail/config.hpp>

#include <chrono>
#include <cstddef>
#include <string>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// Where and how `collateral_fetcher` asks.
struct collateral_fetch_options {
  /// Intel's PCS, or a PCCS (which serves the same paths), e.g. "https://pccs.example:8081".
  /// `https://` is verified against the system trust store with host name checks, TLS 1.2 or
  /// later. `http://` is accepted only when the host resolves to loopback addresses (a local
  /// PCCS or a test server): the collateral is signed, but an attacker on the path could
  /// still withhold or replay it.
  std::string base_url = "https://api.trustedservices.intel.com";
  /// The Intel SGX Root CA's CRL (the PCK CA certificates' CRL distribution point).
  std::string root_ca_crl_url = "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";
  /// Per request, from connecting to the end of the response (name resolution is not bounded).
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  /// The largest response body accepted (TCB Info is a few KiB, a PCK CRL grows with revocations).
  std::size_t max_body = 1024 * 1024;
};

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
