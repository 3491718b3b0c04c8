// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_COCOON_HPP
#define COCOON_COCOON_HPP

// The umbrella header: every public part of the SDK.
#include <cocoon/attest.hpp>
#include <cocoon/attest/collateral_fetcher.hpp>
#include <cocoon/backend.hpp>
#include <cocoon/client.hpp>
#include <cocoon/core.hpp>
#include <cocoon/crypto.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job.hpp>
#include <cocoon/local.hpp>
#include <cocoon/net.hpp>
#include <cocoon/ton.hpp>
#include <cocoon/version.hpp>

#endif
