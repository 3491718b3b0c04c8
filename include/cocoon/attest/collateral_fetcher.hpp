// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ATTEST_COLLATERAL_FETCHER_HPP
#define COCOON_ATTEST_COLLATERAL_FETCHER_HPP

#include <cocoon/detail/config.hpp>

#include <cocoon/attest/collateral.hpp>
#include <cocoon/attest/collateral_fetch_options.hpp>
#include <cocoon/attest/quote.hpp>
#include <cocoon/attest/verify.hpp>
#include <cocoon/core/bytes.hpp>
#include <cocoon/core/hex.hpp>
#include <cocoon/detail/result.hpp>
#include <cocoon/error.hpp>
#include <cocoon/net/host_port.hpp>

#include <openssl/ssl.h>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <ctime>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

COCOON_SDK_NAMESPACE_BEGIN
namespace attest {

/// Which Intel PCK CA issued a platform's PCK certificate: the `ca=` parameter of the PCK CRL
/// request. The PCK leaf's issuer names it ("Intel SGX PCK Platform CA" or "... Processor CA").
enum class pck_ca { platform, processor };

/// The PCK CA that issued a quote's PCK certificate, by that certificate's issuer name ("Intel
/// SGX PCK Platform CA" or "Intel SGX PCK Processor CA"); none for another issuer. Nothing is
/// verified here: it only selects which CRL to fetch.
[[nodiscard]] inline std::optional<pck_ca> pck_ca_of(const tdx_quote& quote) {
  auto chain = detail::load_pck_chain(quote.pck_chain());
  if (!chain.has_value()) return std::nullopt;
  char name[128] = {};
  if (X509_NAME_get_text_by_NID(X509_get_issuer_name(chain.value()[0].get()), NID_commonName, name, sizeof name) <= 0) {
    ERR_clear_error();
    return std::nullopt;
  }
  if (std::string_view(name) == "Intel SGX PCK Platform CA") return pck_ca::platform;
  if (std::string_view(name) == "Intel SGX PCK Processor CA") return pck_ca::processor;
  return std::nullopt;
}

/// What `async_fetch` completes with. On success `collateral` holds the four responses in the
/// SDK's collateral type (pass `tdx()` to `evaluate_tcb` / `verify_options`, `crls()` to the
/// `pck_crls` overloads); nothing in it is verified yet. On failure `failure` names the request
/// (document and URL) and what went wrong.
struct fetched_collateral {
  std::optional<collateral_bundle> collateral;
  std::string failure;
};

namespace detail {

/// A collateral URL split for a request: scheme, host, port and the path (and query) to send.
struct collateral_url {
  bool tls = true;
  std::string host;
  std::string port;
  std::string target;
};

/// Accepts `https://host[:port][/path]` and `http://...` (host names, IPv4, `[IPv6]`); refuses user
/// information, fragments, spaces and control characters. `query` says whether `?` may appear.
[[nodiscard]] inline cocoon::detail::result<collateral_url> parse_collateral_url(std::string_view url, bool query) {
  collateral_url out;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    out.tls = false;
    url.remove_prefix(7);
  } else {
    return {errc::invalid_url, "scheme: only https:// and http:// are accepted"};
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f || c == '#' || c == '@' ||
        c == '\\' || (!query && c == '?')) {
      return {errc::invalid_url, "a character not allowed here"};
    }
  }
  const auto slash = url.find_first_of("/?");
  std::string_view authority = url.substr(0, slash);
  out.target = slash == std::string_view::npos ? "" : std::string(url.substr(slash));
  auto where = net::host_port::parse_result(authority, out.tls ? "443" : "80");
  if (!where.has_value()) return where.error();
  out.host = std::move(where.value().host);
  out.port = std::move(where.value().port);
  return out;
}

/// Percent-decoding of a response header (the PCS sends issuer chains URL-encoded).
[[nodiscard]] inline std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    error_code ec;
    const auto value = i + 2 < in.size() ? from_hex(in.substr(i + 1, 2), ec) : std::nullopt;
    if (!value) return std::nullopt;
    out.push_back(static_cast<char>((*value)[0]));
    i += 2;
  }
  return out;
}

/// The FMSPC a bundle's TCB Info is for, as it says (unverified: it only selects the bundle).
[[nodiscard]] inline std::optional<fmspc> collateral_fmspc(const collateral_bundle& bundle) {
  const json body = json::parse(bundle.tdx().tcb_info, nullptr, false);
  if (!body.is_object() || !body.contains("tcbInfo") || !body["tcbInfo"].is_object()) return std::nullopt;
  const json& info = body["tcbInfo"];
  if (!info.contains("fmspc") || !info["fmspc"].is_string()) return std::nullopt;
  error_code ec;
  return fmspc::from_hex(info["fmspc"].get<std::string>(), ec);
}

/// The earliest nextUpdate of a bundle's TCB Info, QE identity and CRLs: when it stops being
/// current. None when one of them does not say.
[[nodiscard]] inline std::optional<std::chrono::system_clock::time_point> collateral_next_update(
    const collateral_bundle& bundle) {
  std::optional<std::chrono::system_clock::time_point> earliest;
  const auto keep = [&](std::chrono::system_clock::time_point t) {
    if (!earliest || t < *earliest) earliest = t;
  };
  try {
    const auto tdx = bundle.tdx();
    keep(date_field(json::parse(tdx.tcb_info).at("tcbInfo"), "nextUpdate", "tcb_info"));
    keep(date_field(json::parse(tdx.qe_identity).at("enclaveIdentity"), "nextUpdate", "qe_identity"));
  } catch (const json::exception&) {
    return std::nullopt;
  } catch (const bad_field&) {
    return std::nullopt;
  }
  if (const auto crls = bundle.crls()) {
    for (const byte_view crl : {crls->pck_ca_crl, crls->root_ca_crl}) {
      const crl_stack_ptr stack(sk_X509_CRL_new_null());
      if (!stack || load_crl(crl, "crl", stack.get())) return std::nullopt;
      const ASN1_TIME* next = X509_CRL_get0_nextUpdate(sk_X509_CRL_value(stack.get(), 0));
      std::tm parts{};
      if (next == nullptr || ASN1_TIME_to_tm(next, &parts) != 1) return std::nullopt;
      keep(std::chrono::system_clock::from_time_t(timegm(&parts)));
    }
  }
  return earliest;
}

/// One response: its body and its URL-decoded issuer chain header (when one was asked for).
struct collateral_response {
  std::string body;
  std::string issuer_chain;
};

}  // namespace detail

/// Fetches Intel collateral for one platform from Intel's PCS or a PCCS: TDX TCB Info
/// (`/tdx/certification/v4/tcb?fmspc=`), the TD QE identity (`/tdx/certification/v4/qe/identity`),
/// the PCK CA's CRL (`/sgx/certification/v4/pckcrl?ca=...&encoding=der`) and the root CA's CRL,
/// one request after another. It is separate from verification on purpose: the verifier never
/// makes requests; callers fetch (or load a cached bundle) and pass the result to `evaluate_tcb`,
/// `verify_attestation` or `verify_quote`, which check every signature and validity window.
class collateral_fetcher {
 public:
  using executor_type = boost::asio::any_io_executor;

  /// @throws cocoon::error with `errc::invalid_url` when either URL cannot be used.
  collateral_fetcher(executor_type executor, collateral_fetch_options options)
      : executor_(std::move(executor)),
        options_(std::move(options)),
        base_(cocoon::detail::value_or_throw(detail::parse_collateral_url(options_.base_url, false), "PCS base URL")),
        root_crl_(cocoon::detail::value_or_throw(detail::parse_collateral_url(options_.root_ca_crl_url, true),
                                                 "root CA CRL URL")),
        tls_(std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client)) {
    while (!base_.target.empty() && base_.target.back() == '/') base_.target.pop_back();
    tls_->set_default_verify_paths();
    tls_->set_verify_mode(boost::asio::ssl::verify_peer);
    SSL_CTX_set_min_proto_version(tls_->native_handle(), TLS1_2_VERSION);
  }

  [[nodiscard]] executor_type get_executor() const noexcept { return executor_; }

  /// Fetches the collateral for `platform` (the quote's `platform_fmspc()`) whose PCK certificate
  /// `ca` issued. Completes with `void(error_code, fetched_collateral)`: `errc::invalid_url` (a
  /// non-loopback `http://` host), `errc::timed_out`, `errc::collateral_fetch_failed` (connection,
  /// TLS, a status other than 200, a missing issuer-chain header, a body over `max_body`),
  /// `errc::collateral_malformed` (a body that is not the documented JSON). With `use_future` or
  /// `use_awaitable` the error arrives as an exception carrying only the code; use a callback or
  /// `boost::asio::as_tuple` to read `failure`.
  template <class CompletionToken>
  auto async_fetch(const fmspc& platform, pck_ca ca, CompletionToken&& token) {
    using signature = void(error_code, fetched_collateral);
    return boost::asio::async_initiate<CompletionToken, signature>(
        [this](auto handler, std::string fmspc_hex, pck_ca which) {
          auto handler_executor = boost::asio::get_associated_executor(handler, executor_);
          boost::asio::co_spawn(
              executor_, run(std::move(fmspc_hex), which),
              [handler = std::move(handler), handler_executor](
                  std::exception_ptr thrown, std::pair<error_code, fetched_collateral> result) mutable {
                if (thrown) {
                  result.first = errc::collateral_fetch_failed;
                  result.second = {std::nullopt, "collateral fetch: unexpected exception"};
                }
                boost::asio::dispatch(handler_executor,
                                      [handler = std::move(handler), result = std::move(result)]() mutable {
                                        std::move(handler)(result.first, std::move(result.second));
                                      });
              });
        },
        token, platform.to_hex(), ca);
  }

 private:
  using outcome = std::pair<error_code, fetched_collateral>;

  static outcome failed(error_code ec, std::string why) {
    return {ec, fetched_collateral{std::nullopt, std::move(why)}};
  }

  boost::asio::awaitable<outcome> run(std::string fmspc_hex, pck_ca ca) {
    const std::string pcs = base_.target;
    detail::collateral_response tcb, qe, pck_crl, root_crl;
    error_code ec;
    std::string why;
    // One after another. The targets are named locals: temporaries inside a co_await expression
    // are destroyed twice by some g++ 12 builds.
    const std::string tcb_target = pcs + "/tdx/certification/v4/tcb?fmspc=" + fmspc_hex;
    const std::string qe_target = pcs + "/tdx/certification/v4/qe/identity";
    const std::string crl_target =
        pcs + "/sgx/certification/v4/pckcrl?ca=" + (ca == pck_ca::platform ? "platform" : "processor") +
        "&encoding=der";
    const std::string root_target = root_crl_.target.empty() ? std::string("/") : root_crl_.target;
    bool ok = co_await get("TCB Info", base_, tcb_target, "TCB-Info-Issuer-Chain", tcb, ec, why);
    if (ok) ok = co_await get("QE identity", base_, qe_target, "SGX-Enclave-Identity-Issuer-Chain", qe, ec, why);
    if (ok) ok = co_await get("PCK CRL", base_, crl_target, "", pck_crl, ec, why);
    if (ok) ok = co_await get("root CA CRL", root_crl_, root_target, "", root_crl, ec, why);
    if (!ok) co_return failed(ec, std::move(why));
    co_return assemble(tcb, qe, pck_crl, root_crl);
  }

  /// Rewrites the PCS responses as the QuoteCollateralV3 JSON that `collateral_bundle` reads, so
  /// fetched and loaded collateral are one type with one set of checks.
  static outcome assemble(const detail::collateral_response& tcb, const detail::collateral_response& qe,
                          const detail::collateral_response& pck_crl, const detail::collateral_response& root_crl) {
    using detail::json;
    json v3;
    const auto split = [&](const detail::collateral_response& response, const char* key, const char* name,
                           const char* what) -> std::optional<std::string> {
      const auto raw = detail::raw_member(response.body, key);
      json whole = json::parse(response.body, nullptr, false);
      if (!raw || whole.is_discarded() || !whole.is_object() || !whole.contains("signature") ||
          !whole["signature"].is_string()) {
        return std::string(what) + ": not {\"" + key + "\":{...},\"signature\":\"...\"}";
      }
      v3[name] = std::string(*raw);
      v3[std::string(name) + "_signature"] = whole["signature"].get<std::string>();
      v3[std::string(name) + "_issuer_chain"] = response.issuer_chain;
      return std::nullopt;
    };
    if (auto why = split(tcb, "tcbInfo", "tcb_info", "TCB Info")) return failed(errc::collateral_malformed, *why);
    if (auto why = split(qe, "enclaveIdentity", "qe_identity", "QE identity")) {
      return failed(errc::collateral_malformed, *why);
    }
    v3["pck_crl"] = to_hex(as_bytes(pck_crl.body));
    v3["root_ca_crl"] = to_hex(as_bytes(root_crl.body));
    error_code ec;
    auto bundle = collateral_bundle::from_json(v3.dump(), ec);
    if (!bundle) return failed(ec, "fetched collateral: " + ec.message());
    return {error_code{}, fetched_collateral{std::move(bundle), {}}};
  }

  /// GET `target` from `url`'s host; true with `out` filled, or false with `ec` and `why` set.
  boost::asio::awaitable<bool> get(const char* what, const detail::collateral_url& url, std::string target,
                                   std::string_view chain_header, detail::collateral_response& out, error_code& ec,
                                   std::string& why) {
    namespace http = boost::beast::http;
    using boost::asio::redirect_error;
    using boost::asio::use_awaitable;
    const std::string named =
        std::string(what) + " (GET " + (url.tls ? "https://" : "http://") + url.host + ":" + url.port + target + ")";
    const auto fail = [&](error_code code, const std::string& reason) {
      ec = code;
      why = named + ": " + reason;
      return false;
    };

    boost::asio::ip::tcp::resolver resolver(executor_);
    error_code io;
    const auto endpoints = co_await resolver.async_resolve(url.host, url.port, redirect_error(use_awaitable, io));
    if (io) co_return fail(errc::collateral_fetch_failed, "resolve: " + io.message());
    if (!url.tls) {
      for (const auto& entry : endpoints) {
        if (!entry.endpoint().address().is_loopback()) {
          co_return fail(errc::invalid_url, "http:// is accepted only for loopback hosts");
        }
      }
    }

    http::request<http::empty_body> request{http::verb::get, target, 11};
    const bool default_port = url.port == (url.tls ? "443" : "80");
    const std::string host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
    request.set(http::field::host, default_port ? host : host + ":" + url.port);
    request.set(http::field::accept, "*/*");
    http::response_parser<http::string_body> parser;
    parser.body_limit(options_.max_body);
    parser.header_limit(64 * 1024);  // issuer chains travel in headers
    boost::beast::flat_buffer buffer;

    boost::beast::tcp_stream tcp(executor_);
    tcp.expires_after(options_.timeout);
    co_await tcp.async_connect(endpoints, redirect_error(use_awaitable, io));
    if (!io && url.tls) {
      boost::asio::ssl::stream<boost::beast::tcp_stream> tls(std::move(tcp), *tls_);
      // SNI, and the certificate must name the host.
      if (SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str()) != 1) {
        co_return fail(errc::collateral_fetch_failed, "TLS: cannot set the server name");
      }
      tls.set_verify_callback(boost::asio::ssl::host_name_verification(url.host));
      co_await tls.async_handshake(boost::asio::ssl::stream_base::client, redirect_error(use_awaitable, io));
      if (!io) co_await http::async_write(tls, request, redirect_error(use_awaitable, io));
      if (!io) co_await http::async_read(tls, buffer, parser, redirect_error(use_awaitable, io));
    } else if (!io) {
      co_await http::async_write(tcp, request, redirect_error(use_awaitable, io));
      if (!io) co_await http::async_read(tcp, buffer, parser, redirect_error(use_awaitable, io));
    }
    if (io == boost::beast::error::timeout) {
      co_return fail(errc::timed_out,
                     "no complete response within " + std::to_string(options_.timeout.count()) + " ms");
    }
    if (io == http::error::body_limit) {
      co_return fail(errc::collateral_fetch_failed,
                     "response body over " + std::to_string(options_.max_body) + " bytes");
    }
    if (io) co_return fail(errc::collateral_fetch_failed, io.message());

    const auto& response = parser.get();
    if (response.result() != http::status::ok) {
      co_return fail(errc::collateral_fetch_failed, "HTTP " + std::to_string(response.result_int()));
    }
    if (!chain_header.empty()) {
      const auto found = response.find(boost::beast::string_view(chain_header.data(), chain_header.size()));
      if (found == response.end())
        co_return fail(errc::collateral_fetch_failed, "no " + std::string(chain_header) + " header");
      auto chain = detail::percent_decode(std::string_view(found->value().data(), found->value().size()));
      if (!chain) co_return fail(errc::collateral_fetch_failed, std::string(chain_header) + ": bad percent-encoding");
      out.issuer_chain = std::move(*chain);
    }
    out.body = std::move(parser.release().body());
    co_return true;
  }

  executor_type executor_;
  collateral_fetch_options options_;
  detail::collateral_url base_;
  detail::collateral_url root_crl_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
};

/// Collateral fetched per platform (FMSPC) and PCK CA, kept until its earliest nextUpdate (TCB
/// Info, QE identity, either CRL) and then fetched again: one cache serves the connections of a
/// client. Nothing kept is trusted: each use verifies it. Thread-safe; it must outlive its fetches.
class collateral_cache {
 public:
  /// @throws cocoon::error with `errc::invalid_url` (see `collateral_fetcher`).
  collateral_cache(boost::asio::any_io_executor executor, collateral_fetch_options options)
      : fetcher_(std::move(executor), std::move(options)) {}

  /// The collateral kept for `platform` and `ca`, if it is still current at `now`.
  [[nodiscard]] std::optional<collateral_bundle> find(const fmspc& platform, pck_ca ca,
                                                      std::chrono::system_clock::time_point now) const {
    const std::lock_guard lock(mutex_);
    const auto found = entries_.find({platform.to_hex(), ca});
    if (found == entries_.end() || now >= found->second.expires) return std::nullopt;
    return found->second.collateral;
  }

  /// The collateral kept for `platform` and `ca` when current at `now`, or else fetched (and kept
  /// if its documents name their nextUpdate). Completes as `collateral_fetcher::async_fetch` does.
  template <class CompletionToken>
  auto async_get(const fmspc& platform, pck_ca ca, std::chrono::system_clock::time_point now, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, fetched_collateral)>(
        [this](auto handler, fmspc wanted, pck_ca which, std::chrono::system_clock::time_point at) {
          auto executor = boost::asio::get_associated_executor(handler, fetcher_.get_executor());
          if (auto kept = find(wanted, which, at)) {
            boost::asio::post(executor, [handler = std::move(handler), kept = std::move(*kept)]() mutable {
              std::move(handler)(error_code{}, fetched_collateral{std::move(kept), {}});
            });
            return;
          }
          fetcher_.async_fetch(
              wanted, which,
              boost::asio::bind_executor(executor, [this, wanted, which, handler = std::move(handler)](
                                                       error_code ec, fetched_collateral fetched) mutable {
                if (!ec) keep(wanted, which, *fetched.collateral);
                std::move(handler)(ec, std::move(fetched));
              }));
        },
        token, platform, ca, now);
  }

 private:
  struct entry {
    collateral_bundle collateral;
    std::chrono::system_clock::time_point expires;
  };

  void keep(const fmspc& platform, pck_ca ca, const collateral_bundle& collateral) {
    const auto expires = detail::collateral_next_update(collateral);
    if (!expires) return;  // nothing says how long it stays current
    const std::lock_guard lock(mutex_);
    entries_.insert_or_assign(std::pair{platform.to_hex(), ca}, entry{collateral, *expires});
  }

  collateral_fetcher fetcher_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, pck_ca>, entry> entries_;
};

}  // namespace attest
COCOON_SDK_NAMESPACE_END

#endif
