// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_COCOON_HPP
#define COCOON_COCOON_HPP

// Everything a client program uses: the client and the parts it is built from. Left out, for the
// programs that use them directly to include: the transports under the client
// (`<cocoon/net.hpp>`: `net::proxy_connection`, `net::http_api_client`, the TLS and proof-of-work
// machinery; `<cocoon/attest/collateral_fetcher.hpp>`), the local reference network
// (`<cocoon/local.hpp>`) and the reference model (`<cocoon/backend.hpp>`). With
// `cocoon::sdk_compiled` this keeps Beast, Asio's SSL stream and the transports' coroutines out of
// a program's translation units.
#include <cocoon/attest.hpp>
#include <cocoon/client.hpp>
#include <cocoon/core.hpp>
#include <cocoon/crypto.hpp>
#include <cocoon/error.hpp>
#include <cocoon/job.hpp>
#include <cocoon/net/client_session.hpp>
#include <cocoon/net/frame.hpp>
#include <cocoon/net/host_port.hpp>
#include <cocoon/net/http_endpoint.hpp>
#include <cocoon/net/models.hpp>
#include <cocoon/net/pow.hpp>
#include <cocoon/net/protocol.hpp>
#include <cocoon/net/tl.hpp>
#include <cocoon/ton.hpp>
#include <cocoon/version.hpp>

#endif
