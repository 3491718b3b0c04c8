// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_NET_PROTOCOL_PAYMENT_HPP
#define COCOON_NET_PROTOCOL_PAYMENT_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hash.hpp>
#include <cocoon/net/tl.hpp>

#include <cstdint>
#include <optional>

COCOON_SDK_NAMESPACE_BEGIN

/// The payment objects of the client-proxy protocol: token counts, the proxy's signed charges and
/// its requests for payment.
namespace net::proto {

/// `tokensUsed`: token counts of a request, already multiplied by the worker's coefficient.
struct tokens_used {
  static constexpr std::uint32_t id = 0x70c5b15c;
  std::int64_t prompt = 0, cached = 0, completion = 0, reasoning = 0, total = 0;

  void write(tl::writer& w) const {
    for (const auto value : {prompt, cached, completion, reasoning, total}) w.i64(value);
  }
  static tokens_used read(tl::reader& r) {
    tokens_used t;
    t.prompt = r.i64("tokensUsed.prompt_tokens_used");
    t.cached = r.i64("tokensUsed.cached_tokens_used");
    t.completion = r.i64("tokensUsed.completion_tokens_used");
    t.reasoning = r.i64("tokensUsed.reasoning_tokens_used");
    t.total = r.i64("tokensUsed.total_tokens_used");
    return t;
  }
  friend bool operator==(const tokens_used&, const tokens_used&) = default;
};

/// `proxy.SignedPayment`: the BoC of the proxy's latest signed charge, or none yet.
struct signed_payment {
  static constexpr std::uint32_t id_payment = 0x02998182;
  static constexpr std::uint32_t id_empty = 0xb347ce64;
  std::optional<bytes> boc;

  void write(tl::writer& w) const {  // boxed: the type has two constructors
    w.u32(boc ? id_payment : id_empty);
    if (boc) w.bytes(*boc);
  }
  static signed_payment read(tl::reader& r) {
    const std::size_t at = r.offset();
    const auto id = r.u32("proxy.SignedPayment");
    if (id == id_payment) return {r.bytes("proxy.signedPayment.data")};
    if (id != id_empty) r.fail_at(at, "proxy.SignedPayment", "unexpected constructor");
    return {};
  }
  friend bool operator==(const signed_payment&, const signed_payment&) = default;
};

/// `proxy.clientRequestPayment`: what a finished request cost, with the proxy's signed charge.
struct client_request_payment {
  static constexpr std::uint32_t id = 0xc6bcf127;
  hash256 request_id;
  signed_payment payment;
  std::int64_t db_tokens = 0;
  std::int64_t max_tokens = 0;
  std::int64_t request_tokens = 0;

  void write(tl::writer& w) const {
    w.int256(request_id);
    payment.write(w);
    w.i64(db_tokens);
    w.i64(max_tokens);
    w.i64(request_tokens);
  }
  static client_request_payment read(tl::reader& r) {
    client_request_payment p;
    p.request_id = r.int256("proxy.clientRequestPayment.request_id");
    p.payment = signed_payment::read(r);
    p.db_tokens = r.i64("proxy.clientRequestPayment.db_tokens");
    p.max_tokens = r.i64("proxy.clientRequestPayment.max_tokens");
    p.request_tokens = r.i64("proxy.clientRequestPayment.request_tokens");
    return p;
  }
  friend bool operator==(const client_request_payment&, const client_request_payment&) = default;
};

/// Function `client.updatePaymentStatus`.
struct update_payment_status {
  static constexpr std::uint32_t id = 0x9ed1c697;
  void write(tl::writer&) const {}
  static update_payment_status read(tl::reader&) { return {}; }
  friend bool operator==(const update_payment_status&, const update_payment_status&) = default;
};

/// `client.paymentStatus`.
struct payment_status {
  static constexpr std::uint32_t id = 0xaa8a0ecc;
  signed_payment payment;
  std::int64_t db_tokens = 0;
  std::int64_t max_tokens = 0;

  void write(tl::writer& w) const {
    payment.write(w);
    w.i64(db_tokens);
    w.i64(max_tokens);
  }
  static payment_status read(tl::reader& r) {
    payment_status p;
    p.payment = signed_payment::read(r);
    p.db_tokens = r.i64("client.paymentStatus.db_tokens");
    p.max_tokens = r.i64("client.paymentStatus.max_tokens");
    return p;
  }
  friend bool operator==(const payment_status&, const payment_status&) = default;
};

}  // namespace net::proto
COCOON_SDK_NAMESPACE_END

#endif
