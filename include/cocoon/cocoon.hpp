// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_COCOON_HPP
#define COCOON_COCOON_HPP

// The umbrella header: every part of the SDK a client program uses. The local reference
// network (<cocoon/local.hpp>) and its reference model (<cocoon/backend.hpp>) are not in it:
// tests, demos and tools include them themselves.
#include <cocoon/attest.hpp>
#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/client.hpp>
#include <cocoon/core.hpp>
#include <cocoon/crypto.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job.hpp>
#include <cocoon/net.hpp>
#include <cocoon/ton.hpp>
#include <cocoon/version.hpp>

#endif
