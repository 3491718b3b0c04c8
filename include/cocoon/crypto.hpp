// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CRYPTO_HPP
#define COCOON_CRYPTO_HPP

// Cryptographic building blocks: HKDF-SHA256, X25519, AEADs and HPKE (RFC 9180).
#include <cocoon/crypto/aead.hpp>
#include <cocoon/crypto/ed25519.hpp>
#include <cocoon/crypto/hkdf.hpp>
#include <cocoon/crypto/hpke.hpp>
#include <cocoon/crypto/stream.hpp>
#include <cocoon/crypto/x25519.hpp>

#endif
