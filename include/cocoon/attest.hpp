// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_HPP
#define COCOON_ATTEST_HPP

// Attestation: Intel TDX quotes.
#include <cocoon/attest/quote.hpp>

#endif
