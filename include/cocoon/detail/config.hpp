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

// Header-only by default. With COCOON_SDK_SEPARATE_COMPILATION (set by linking
// cocoon::sdk_compiled) the headers only declare the SDK's compiled parts and <cocoon/src.hpp>,
// built once into that library, defines them.
#ifdef COCOON_SDK_SEPARATE_COMPILATION
#define COCOON_SDK_HEADER_ONLY 0
#define COCOON_SDK_DECL
#else
#define COCOON_SDK_HEADER_ONLY 1
#define COCOON_SDK_DECL inline
#endif

#define COCOON_SDK_NAMESPACE_BEGIN \
  namespace cocoon {               \
  inline namespace COCOON_SDK_ABI_NAMESPACE {
#define COCOON_SDK_NAMESPACE_END \
  }                              \
  }

#endif
