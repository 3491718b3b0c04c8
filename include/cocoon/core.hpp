// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CORE_HPP
#define COCOON_CORE_HPP

// Core vocabulary: byte buffers, codecs, strong fixed-size values, secrets and amounts.
#include <cocoon/core/base64.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/fixed_bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/core/nanotons.hpp>
#include <cocoon/core/public_key.hpp>
#include <cocoon/core/secret.hpp>

#endif
