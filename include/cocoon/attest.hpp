// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_HPP
#define COCOON_ATTEST_HPP

// Attestation: Intel TDX quotes, parsed and verified offline to a pinned root key, their TCB
// status from Intel collateral, policies, a report of every check, and COCOON RA-TLS certificates
// that carry them. Offline only: the collateral fetcher, which brings in the network stack, is
// <cocoon/attest/collateral_fetcher.hpp> (in <cocoon/cocoon.hpp>).
#include <cocoon/attest/attestation.hpp>
#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/image_hash.hpp>
#include <cocoon/attest/policy.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/ratls.hpp>
#include <cocoon/attest/report.hpp>
#include <cocoon/attest/trust_anchors.hpp>
#include <cocoon/attest/verdict_cache.hpp>
#include <cocoon/attest/verify.hpp>

#endif
