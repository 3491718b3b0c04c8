// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_DETAIL_CONFIG_HPP
#define COCOON_DETAIL_CONFIG_HPP

// g++ 12 in C++20: some Boost.Asio headers use std::exchange without including <utility>.
// Every SDK header includes this file first, so the SDK never depends on include order.
#include <utility>

#if __cplusplus < 202002L && !defined(_MSVC_LANG)
#error "cocoon-sdk requires C++20"
#endif

// The ABI namespace: bumped on incompatible layout changes so that two SDK versions linked into
// one program fail to link instead of misbehaving.
#define COCOON_SDK_ABI_NAMESPACE v0

#define COCOON_SDK_NAMESPACE_BEGIN \
  namespace cocoon {               \
  inline namespace COCOON_SDK_ABI_NAMESPACE {
#define COCOON_SDK_NAMESPACE_END \
  }                              \
  }

#endif
