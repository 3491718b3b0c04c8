// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
// cocoon attest verify QUOTE_OR_CERT [--collateral FILE] [--allow-no-collateral] [--now UNIX_SECONDS]
//                     [--policy FILE] [--root PEM]
//
// QUOTE_OR_CERT is a file ('-': standard input) holding a raw TDX quote, the hex text of one, or a
// COCOON RA-TLS certificate (PEM or DER). The quote is verified offline to Intel's pinned root
// (or --root's key), with the QuoteCollateralV3 JSON of --collateral when given, under the policy
// JSON of --policy (default: no debug TD, any measurement). --now defaults to the current time.
// The output lists the quote's fields and every check; the exit status is 0 only for "ok".
// Without collateral the verification is incomplete (no TCB status, no revocation): that fails
// too, unless --allow-no-collateral accepts it (then it is a warning).
#include "command.hpp"

#include <cocoon/attest.hpp>
#include <cocoon/core.hpp>

#include <openssl/objects.h>
#include <openssl/x509.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace {

// Hex text of a quote: hex digits, whitespace allowed between them.
std::optional<cocoon::bytes> hex_text(const std::string& text) {
  std::string digits;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    digits.push_back(c);
  }
  cocoon::error_code ec;
  if (digits.empty()) return std::nullopt;
  return cocoon::from_hex(digits, ec);
}

struct x509_free {
  void operator()(X509* certificate) const noexcept { X509_free(certificate); }
};

// The quote extension of a certificate, unverified (for the fields shown next to the checks).
std::optional<cocoon::bytes> certificate_quote(const std::string& data, bool pem) {
  std::unique_ptr<X509, x509_free> certificate;
  if (pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())),
                                                  BIO_free);
    if (bio) certificate.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  } else {
    const auto* der = reinterpret_cast<const unsigned char*>(data.data());
    certificate.reset(d2i_X509(nullptr, &der, static_cast<long>(data.size())));
  }
  std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> oid(OBJ_txt2obj(cocoon::attest::ratls_oid::tdx_quote, 1),
                                                                ASN1_OBJECT_free);
  if (!certificate || !oid) return std::nullopt;
  const int index = X509_get_ext_by_OBJ(certificate.get(), oid.get(), -1);
  if (index < 0) return std::nullopt;
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(certificate.get(), index));
  const auto* begin = reinterpret_cast<const std::byte*>(ASN1_STRING_get0_data(value));
  return cocoon::bytes(begin, begin + ASN1_STRING_length(value));
}

std::chrono::system_clock::time_point parse_now(const std::string& text) {
  std::int64_t seconds = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (status != std::errc{} || end != text.data() + text.size() || text.empty() || seconds < 0) {
    throw cli::usage_error("--now takes UNIX seconds, got '" + text + "'");
  }
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

// The quote's fields, from the parsed (not necessarily verified) quote; FMSPC only once the PCK
// certificate was read.
nlohmann::json quote_fields(const cocoon::attest::tdx_quote& quote, const cocoon::attest::verified_quote* verified) {
  const auto& body = quote.body();
  const auto hex = [](auto view) { return cocoon::to_hex(cocoon::byte_view(view)); };
  cocoon::attest::td_measurements measurements;
  measurements.mr_td = cocoon::hash384(cocoon::byte_view(body.mr_td()));
  measurements.mr_config_id = cocoon::hash384(cocoon::byte_view(body.mr_config_id()));
  measurements.mr_owner = cocoon::hash384(cocoon::byte_view(body.mr_owner()));
  measurements.mr_owner_config = cocoon::hash384(cocoon::byte_view(body.mr_owner_config()));
  nlohmann::json rtmrs = nlohmann::json::array();
  for (std::size_t i = 0; i < 4; ++i) {
    measurements.rtmrs[i] = cocoon::hash384(cocoon::byte_view(body.rtmr(i)));
    rtmrs.push_back(measurements.rtmrs[i].to_hex());
  }
  return {{"version", quote.version()},
          {"tee_type", quote.tee_type() == cocoon::attest::quote_layout::tee_type_tdx ? "TDX" : "?"},
          {"mr_td", measurements.mr_td.to_hex()},
          {"rtmr", std::move(rtmrs)},
          {"report_data", hex(body.report_data())},
          {"mr_seam", hex(body.mr_seam())},
          {"td_attributes", hex(body.td_attributes_bytes())},
          {"xfam", hex(body.xfam_bytes())},
          {"fmspc", verified != nullptr ? nlohmann::json(verified->platform_fmspc().to_hex()) : nlohmann::json()},
          {"image_hash", cocoon::attest::cocoon_image_hash(measurements).to_hex()}};
}

cli::output verify(cli::arguments args) {
  const std::string& input_path = cli::required(args, 0, "QUOTE_OR_CERT (a file, or - for standard input)");
  std::optional<std::string> collateral_path, policy_path, root_path;
  bool allow_no_collateral = false;
  auto now = std::chrono::system_clock::now();  // the CLI's choice; the library reads no clock
  for (std::size_t i = 1; i < args.size(); i += 2) {
    const std::string& flag = args[i];
    if (flag == "--allow-no-collateral") {
      allow_no_collateral = true;
      --i;  // a flag without a value
      continue;
    }
    const std::string& value = cli::required(args, i + 1, "a value after " + flag);
    if (flag == "--collateral") {
      collateral_path = value;
    } else if (flag == "--policy") {
      policy_path = value;
    } else if (flag == "--root") {
      root_path = value;
    } else if (flag == "--now") {
      now = parse_now(value);
    } else {
      throw cli::usage_error("unexpected argument '" + flag + "'");
    }
  }

  const std::string input = cli::read_input(input_path);
  const std::string collateral_text = collateral_path ? cli::read_input(*collateral_path) : std::string();
  std::optional<cocoon::attest::collateral_bundle> bundle;
  if (collateral_path) bundle = cocoon::attest::collateral_bundle::from_json(collateral_text);
  cocoon::attest::policy rules;
  if (policy_path) rules = cocoon::attest::policy::from_json(cli::read_input(*policy_path));
  auto anchors = cocoon::attest::trust_anchors::intel_sgx_root_ca();
  if (root_path) {
    anchors = {};
    anchors.add_certificate(cocoon::as_bytes(cli::read_input(*root_path)));
  }
  std::optional<cocoon::attest::tdx_collateral> collateral;
  std::optional<cocoon::attest::pck_crls> crls;
  if (bundle) {
    collateral = bundle->tdx();
    crls = bundle->crls();
  }

  // A quote starts with its version (04 00 or 05 00), a DER certificate with a SEQUENCE (30); a
  // quote's PCK chain holds PEM too, so PEM counts only at the start.
  const auto first = input.find_first_not_of(" \t\r\n");
  const bool pem = first != std::string::npos && input.compare(first, 11, "-----BEGIN ") == 0;
  const auto hex = pem ? std::nullopt : hex_text(input);
  const bool certificate = pem || (!hex && !input.empty() && static_cast<unsigned char>(input[0]) == 0x30);
  cocoon::error_code ec;
  cocoon::attest::verification_report report;
  std::optional<cocoon::attest::verified_quote> verified;
  std::optional<cocoon::attest::tcb_report> tcb;
  std::optional<cocoon::bytes> quote_bytes;
  if (certificate) {
    const auto peer = cocoon::attest::verify_ratls_certificate(
        cocoon::as_bytes(input), cocoon::attest::ratls_policy::tdx(anchors, rules), now, collateral, crls, report, ec);
    if (peer) {
      verified = peer->quote();
      tcb = peer->tcb();
    }
    quote_bytes = certificate_quote(input, pem);
  } else {
    quote_bytes = hex ? *hex : cocoon::to_bytes(input);
    cocoon::attest::verify_options options;
    options.anchors = anchors;
    options.now = now;
    options.collateral = collateral;
    options.crls = crls;
    options.policy = rules;
    const auto result = cocoon::attest::verify_attestation(*quote_bytes, options, report, ec);
    if (result) {
      verified = result->quote();
      tcb = result->tcb();
    }
  }

  nlohmann::json json;
  cocoon::error_code parse_ec;
  const auto parsed = quote_bytes ? cocoon::attest::tdx_quote::parse(*quote_bytes, parse_ec)
                                  : std::optional<cocoon::attest::tdx_quote>();
  if (parsed) json = quote_fields(*parsed, verified ? &*verified : nullptr);
  if (bundle) json["tcb_status"] = tcb ? nlohmann::json(cocoon::attest::to_string(tcb->status())) : nlohmann::json();
  const auto printed = nlohmann::json::parse(report.to_json());
  json["checks"] = printed.at("checks");
  json["verdict"] = printed.at("verdict");
  // Complete: the TCB status evaluated and the PCK chain checked for revocation.
  const char* const incomplete = !collateral ? "incomplete: TCB status and revocation not checked"
                                 : !crls     ? "incomplete: revocation not checked"
                                             : nullptr;
  json["complete"] = incomplete == nullptr;

  std::string text;
  if (parsed) {
    text += "quote      TDX v" + std::to_string(parsed->version()) + "\nmr_td      " +
            json["mr_td"].get<std::string>() + "\nimage_hash " + json["image_hash"].get<std::string>() + "\n";
  }
  if (bundle) text += "tcb_status " + (tcb ? std::string(cocoon::attest::to_string(tcb->status())) : "-") + "\n";
  for (const auto& c : report.checks()) {
    text += std::string(cocoon::attest::to_string(c.result)) + "  " + c.name + ": " + c.reason + "\n";
  }
  if (incomplete != nullptr) text += std::string(incomplete) + "\n";
  text += "verdict    " + json["verdict"].get<std::string>() + "\n";
  cli::output out{text, json};
  if (const auto* failed = report.first_failure()) {
    throw cli::failed_with_output("attest verify: " + failed->name + " failed: " + failed->reason, std::move(out));
  }
  if (!collateral && !allow_no_collateral) {
    throw cli::failed_with_output(
        std::string("attest verify: ") + incomplete + " (--collateral FILE, or --allow-no-collateral to accept)",
        std::move(out));
  }
  if (incomplete != nullptr) std::cerr << "cocoon: warning: attest verify: " << incomplete << '\n';
  return out;
}

}  // namespace

std::vector<cli::command> cli::attest_commands() {
  return {
      {"attest verify",
       "QUOTE_OR_CERT [--collateral FILE] [--allow-no-collateral] [--now UNIX] [--policy FILE] [--root PEM]: verify "
       "a TDX quote or RA-TLS certificate",
       verify},
  };
}
