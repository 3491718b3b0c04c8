// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_HPP
#define COCOON_TON_HPP

// TON data structures for payments: cells, builders, slices.
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/slice.hpp>

#endif
