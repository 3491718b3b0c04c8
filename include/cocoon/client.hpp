// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_HPP
#define COCOON_CLIENT_HPP

#include <cocoon/client/answer_stream.hpp>
#include <cocoon/client/builder.hpp>
#include <cocoon/client/client.hpp>
#include <cocoon/client/options.hpp>

#endif
