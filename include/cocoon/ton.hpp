// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_TON_HPP
#define COCOON_TON_HPP

// TON payments: cells, bags of cells, addresses, messages and wallets.
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/cell.hpp>
#include <cocoon/ton/cell_builder.hpp>
#include <cocoon/ton/cocoon_client.hpp>
#include <cocoon/ton/cocoon_root.hpp>
#include <cocoon/ton/cocoon_wallet.hpp>
#include <cocoon/ton/message.hpp>
#include <cocoon/ton/payment.hpp>
#include <cocoon/ton/slice.hpp>
#include <cocoon/ton/wallet.hpp>

#endif
