// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_LOCAL_HPP
#define COCOON_LOCAL_HPP

#include <cocoon/local/ledger.hpp>
#include <cocoon/local/proxy.hpp>

#endif
