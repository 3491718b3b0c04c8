// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_HPP
#define COCOON_NET_HPP

#include <cocoon/net/client_session.hpp>
#include <cocoon/net/frame.hpp>
#include <cocoon/net/http_api.hpp>
#include <cocoon/net/models.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/pow_solver.hpp>
#include <cocoon/net/protocol.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/net/tl.hpp>
#include <cocoon/net/tls.hpp>

#endif
