// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_SRC_HPP
#define COCOON_SRC_HPP

// The definitions of the SDK's compiled parts, for exactly one translation unit of a program built
// with COCOON_SDK_SEPARATE_COMPILATION: cocoon::sdk_compiled is that translation unit.

#include <cocoon/detail/config.hpp>

#if COCOON_SDK_HEADER_ONLY
#error \
    "<cocoon/src.hpp> is for the compiled mode: define COCOON_SDK_SEPARATE_COMPILATION (or link cocoon::sdk_compiled)"
#endif

#include <cocoon/client/impl/answer_stream.ipp>
#include <cocoon/client/impl/client.ipp>
#include <cocoon/local/impl/ledger.ipp>
#include <cocoon/local/impl/proxy.ipp>
#include <cocoon/net/impl/proxy_connection.ipp>

#endif
