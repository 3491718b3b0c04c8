// In the compiled mode a compiled part's header only declares it: its definitions and what they
// need (the network stack, the model backend, nlohmann/json) stay in cocoon::sdk_compiled.
#include <cocoon/local/proxy.hpp>

#if COCOON_SDK_HEADER_ONLY
#error "this check is built with COCOON_SDK_SEPARATE_COMPILATION"
#endif
#if defined(COCOON_LOCAL_IMPL_PROXY_IPP) || defined(COCOON_LOCAL_IMPL_LEDGER_IPP)
#error "<cocoon/local/proxy.hpp> includes its or the ledger's definitions in the compiled mode"
#endif
#if defined(BOOST_ASIO_SSL_STREAM_HPP) || defined(BOOST_ASIO_CO_SPAWN_HPP) || defined(BOOST_BEAST_HTTP_MESSAGE_HPP)
#error "<cocoon/local/proxy.hpp> pulls in the network stack in the compiled mode"
#endif
#if defined(COCOON_NET_PROXY_CONNECTION_HPP) || defined(COCOON_BACKEND_CPU_BACKEND_HPP)
#error "<cocoon/local/proxy.hpp> pulls in the client connection or the model backend in the compiled mode"
#endif
#ifdef INCLUDE_NLOHMANN_JSON_HPP_
#error "<cocoon/local/proxy.hpp> pulls in nlohmann/json in the compiled mode"
#endif

// The client: its public headers keep the options, the answer type and the async operations'
// thin shells; the pools, the transports and their coroutines stay in the library.
#include <cocoon/client.hpp>

#if defined(COCOON_CLIENT_IMPL_CLIENT_IPP) || defined(COCOON_CLIENT_IMPL_ANSWER_STREAM_IPP)
#error "<cocoon/client.hpp> includes its definitions in the compiled mode"
#endif
#if defined(BOOST_ASIO_SSL_STREAM_HPP) || defined(BOOST_ASIO_CO_SPAWN_HPP) || defined(BOOST_BEAST_HTTP_MESSAGE_HPP)
#error "<cocoon/client.hpp> pulls in the network stack in the compiled mode"
#endif
#if defined(COCOON_NET_PROXY_CONNECTION_HPP) || defined(COCOON_NET_HTTP_API_HPP) || \
    defined(COCOON_ATTEST_COLLATERAL_FETCHER_HPP) || defined(COCOON_CLIENT_DETAIL_STATE_HPP)
#error "<cocoon/client.hpp> pulls in the transports or the client's internals in the compiled mode"
#endif

// A proxy connection: its streams, session and coroutines live behind its `impl`.
#include <cocoon/net/proxy_connection.hpp>

#ifdef COCOON_NET_IMPL_PROXY_CONNECTION_IPP
#error "<cocoon/net/proxy_connection.hpp> includes its definitions in the compiled mode"
#endif
#if defined(BOOST_ASIO_SSL_STREAM_HPP) || defined(BOOST_ASIO_CO_SPAWN_HPP) || defined(BOOST_BEAST_HTTP_MESSAGE_HPP) || \
    defined(BOOST_BEAST_CORE_TCP_STREAM_HPP)
#error "<cocoon/net/proxy_connection.hpp> pulls in the network stack in the compiled mode"
#endif
