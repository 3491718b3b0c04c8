// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_CLIENT_DETAIL_REGISTRAR_HPP
#define COCOON_CLIENT_DETAIL_REGISTRAR_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/client/detail/fwd.hpp>
#include <cocoon/client/options.hpp>
#include <cocoon/core/detail/sodium.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/proxy_connection.hpp>
#include <cocoon/ton/address.hpp>
#include <cocoon/ton/boc.hpp>
#include <cocoon/ton/payment.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace client::detail {

/// Registers for long authorisation one connection at a time, with a seqno not used within the
/// request's validity (the chain's seqno only moves once a request is included).
struct wallet_registrar : std::enable_shared_from_this<wallet_registrar> {
  using done_type = std::function<void(error_code)>;

  wallet_registrar(executor_type ex, wallet_options w) : executor(std::move(ex)), wallet(std::move(w)) {}

  void submit(const net::registration_request& request, done_type done) {
    boost::asio::post(executor, [self = shared_from_this(), request, done = std::move(done)]() mutable {
      self->queue.emplace_back(std::move(request), std::move(done));
      self->next();
    });
  }

  executor_type executor;
  wallet_options wallet;
  bool busy = false;
  std::deque<std::pair<net::registration_request, done_type>> queue;
  std::optional<std::uint32_t> last_seqno;
  std::chrono::steady_clock::time_point last_used{};

 private:
  void next() {
    if (busy || queue.empty()) return;
    busy = true;
    auto [request, done] = std::move(queue.front());
    queue.pop_front();
    wallet.seqno([self = shared_from_this(), nonce = static_cast<std::uint64_t>(request.nonce),
                  contract = request.client_contract,
                  done = std::move(done)](error_code read, std::uint32_t seqno) mutable {
      boost::asio::post(self->executor, [self, nonce, contract, done = std::move(done), read, seqno]() mutable {
        self->sign_and_send(nonce, contract, std::move(done), read, seqno);
      });
    });
  }

  void sign_and_send(std::uint64_t nonce, const ton::address& contract, done_type done, error_code ec,
                     std::uint32_t seqno) {
    if (ec) return finish(std::move(done), ec, std::nullopt);
    if (last_seqno && std::chrono::steady_clock::now() - last_used < wallet.valid_for) {
      seqno = std::max(seqno, *last_seqno + 1);
    }
    std::uint64_t query_id = 0;
    cocoon::detail::ensure_sodium();
    randombytes_buf(&query_id, sizeof query_id);
    const auto request = ton::payment(wallet.wallet)
                             .to(contract)
                             .query_id(query_id)
                             .register_client(nonce)
                             .seqno(seqno)
                             .valid_for(wallet.valid_for)
                             .sign(*wallet.key, ec);
    if (!request) return finish(std::move(done), ec, std::nullopt);
    wallet.broadcast(ton::serialize_boc(request->to_cell()),
                     [self = shared_from_this(), done = std::move(done), seqno](error_code sent) mutable {
                       boost::asio::post(self->executor, [self, done = std::move(done), sent, seqno]() mutable {
                         self->finish(std::move(done), sent, sent ? std::nullopt : std::optional{seqno});
                       });
                     });
  }

  void finish(done_type done, error_code ec, std::optional<std::uint32_t> used) {
    if (used) {
      last_seqno = used;
      last_used = std::chrono::steady_clock::now();
    }
    busy = false;
    done(ec);
    next();
  }
};

}  // namespace client::detail
COCOON_SDK_NAMESPACE_END

#endif
