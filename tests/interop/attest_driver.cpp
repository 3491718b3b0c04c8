// The C++ side of tests/interop/attest.mjs: prints what the SDK reads from and concludes about a
// TDX quote, as JSON, so @phala/dcap-qvl can be run on the same bytes and compared.
//
//   inspect <quote file> <unix seconds> [<collateral file>]
//       parsed fields and their offsets; the signature/chain verdict (with the collateral's CRLs
//       when it has them); with collateral, the TCB status; the default TD policy's verdict.
//       The collateral file is dcap-qvl's QuoteCollateralV3 JSON (CRLs as hex DER, TCB Info and
//       QE identity as the signed text with the signature apart).
//   flips <quote file> <unix seconds> <offset>...
//       for each offset, flips one bit of that byte and prints whether parse + verify rejects it.
#include <cocoon/attest.hpp>
#include <cocoon/core/hex.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "attest/collateral_v3.hpp"

namespace {

namespace attest = cocoon::attest;
using json = nlohmann::json;

cocoon::bytes read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return cocoon::to_bytes(text);
}

template <class View>
std::string hex(const View& view) {
  return cocoon::to_hex(cocoon::byte_view(view.data(), view.size()));
}

json failure(const cocoon::error& e) {
  return {{"ok", false}, {"code", e.code().value()}, {"message", e.code().message()}, {"where", e.where()}};
}

std::size_t offset_in(const cocoon::bytes& buffer, const std::byte* at) {
  return static_cast<std::size_t>(at - buffer.data());
}

json fields(const attest::tdx_quote& quote) {
  const auto& body = quote.body();
  const auto& qe = quote.qe_report();
  json out = {
      {"version", quote.version()},
      {"attestation_key_type", quote.attestation_key_type()},
      {"tee_type", quote.tee_type()},
      {"qe_vendor_id", hex(quote.qe_vendor_id())},
      {"user_data", hex(quote.user_data())},
      {"body_type", quote.body_type()},
      {"tee_tcb_svn", hex(body.tee_tcb_svn())},
      {"mr_seam", hex(body.mr_seam())},
      {"mr_signer_seam", hex(body.mr_signer_seam())},
      {"seam_attributes", hex(body.seam_attributes())},
      {"td_attributes", hex(body.td_attributes_bytes())},
      {"xfam", hex(body.xfam_bytes())},
      {"mr_td", hex(body.mr_td())},
      {"mr_config_id", hex(body.mr_config_id())},
      {"mr_owner", hex(body.mr_owner())},
      {"mr_owner_config", hex(body.mr_owner_config())},
      {"rtmr", {hex(body.rtmr(0)), hex(body.rtmr(1)), hex(body.rtmr(2)), hex(body.rtmr(3))}},
      {"report_data", hex(body.report_data())},
      {"signature", hex(quote.signature())},
      {"attestation_key", hex(quote.attestation_key())},
      {"qe_report", hex(qe.bytes())},
      {"qe_cpu_svn", hex(qe.cpu_svn())},
      {"qe_misc_select", qe.misc_select()},
      {"qe_attributes", hex(qe.attributes())},
      {"qe_mr_enclave", hex(qe.mr_enclave())},
      {"qe_mr_signer", hex(qe.mr_signer())},
      {"qe_isv_prod_id", qe.isv_prod_id()},
      {"qe_isv_svn", qe.isv_svn()},
      {"qe_report_data", hex(qe.report_data())},
      {"qe_report_signature", hex(quote.qe_report_signature())},
      {"qe_auth_data", hex(quote.qe_auth_data())},
      {"pck_chain", hex(quote.pck_chain())},
      {"signed_size", quote.signed_region().size()},
      {"size", quote.size()},
      {"trailing_size", quote.trailing_size()},
  };
  if (const auto svn2 = body.tee_tcb_svn2()) out["tee_tcb_svn2"] = hex(*svn2);
  if (const auto service = body.mr_service_td()) out["mr_service_td"] = hex(*service);
  return out;
}

json layout(const cocoon::bytes& buffer, const attest::tdx_quote& quote) {
  return {{"body", offset_in(buffer, quote.body().bytes().data())},
          {"signed_size", quote.signed_region().size()},
          {"signature", offset_in(buffer, quote.signature().data())},
          {"attestation_key", offset_in(buffer, quote.attestation_key().data())},
          {"qe_report", offset_in(buffer, quote.qe_report().bytes().data())},
          {"qe_report_signature", offset_in(buffer, quote.qe_report_signature().data())},
          {"qe_auth_data", offset_in(buffer, quote.qe_auth_data().data())},
          {"qe_auth_data_size", quote.qe_auth_data().size()},
          {"pck_chain", offset_in(buffer, quote.pck_chain().data())},
          {"pck_chain_size", quote.pck_chain().size()}};
}

int inspect(const std::vector<std::string>& args) {
  const auto buffer = read(args.at(1));
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(std::stoll(args.at(2))));
  json out;
  std::optional<attest::tdx_quote> quote;
  try {
    quote = attest::tdx_quote::parse(buffer);
    out["parse"] = {{"ok", true}};
    out["fields"] = fields(*quote);
    out["layout"] = layout(buffer, *quote);
  } catch (const cocoon::error& e) {
    out["parse"] = failure(e);
    std::cout << out.dump() << '\n';
    return 0;
  }

  std::optional<attest_test::collateral_v3> collateral;
  if (args.size() > 3) collateral.emplace(json::parse(cocoon::as_chars(read(args.at(3)))));
  const auto crls = collateral ? collateral->crls() : std::nullopt;
  const auto anchors = attest::trust_anchors::intel_sgx_root_ca();
  std::optional<attest::verified_quote> verified;
  try {
    verified = crls ? attest::verify_quote(*quote, anchors, now, *crls) : attest::verify_quote(*quote, anchors, now);
    out["verify"] = {{"ok", true}, {"revocation_checked", verified->revocation_checked()}};
    std::string components;
    for (const auto svn : verified->sgx_tcb_components()) components.push_back(static_cast<char>(svn));
    out["platform"] = {{"fmspc", verified->platform_fmspc().to_hex()},
                       {"pce_id", hex(verified->pce_id())},
                       {"pce_svn", verified->pce_svn()},
                       {"cpu_svn", hex(verified->cpu_svn())},
                       {"sgx_tcb_components", cocoon::to_hex(cocoon::as_bytes(components))}};
  } catch (const cocoon::error& e) {
    out["verify"] = failure(e);
  }

  if (verified && collateral) {
    try {
      const auto report = attest::evaluate_tcb(*verified, collateral->collateral(), anchors, now);
      out["tcb"] = {{"ok", true},
                    {"status", attest::to_string(report.status())},
                    {"advisory_ids", report.advisory_ids()},
                    {"tcb_date", report.tcb_date()}};
    } catch (const cocoon::error& e) {
      out["tcb"] = failure(e);
    }
  }
  if (verified) {
    try {
      attest::check_policy(*verified, std::nullopt, attest::policy{}, now);
      out["policy"] = {{"ok", true}};
    } catch (const cocoon::error& e) {
      out["policy"] = failure(e);
    }
  }
  std::cout << out.dump() << '\n';
  return 0;
}

int flips(const std::vector<std::string>& args) {
  auto buffer = read(args.at(1));
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(std::stoll(args.at(2))));
  const auto anchors = attest::trust_anchors::intel_sgx_root_ca();
  json out = json::array();
  for (std::size_t i = 3; i < args.size(); ++i) {
    const auto at = static_cast<std::size_t>(std::stoull(args[i]));
    buffer.at(at) ^= std::byte{0x01};
    cocoon::error_code ec;
    if (const auto quote = attest::tdx_quote::parse(buffer, ec)) (void)attest::verify_quote(*quote, anchors, now, ec);
    buffer.at(at) ^= std::byte{0x01};
    out.push_back({{"offset", at}, {"rejected", static_cast<bool>(ec)}, {"code", ec.value()}});
  }
  std::cout << out.dump() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (!args.empty() && args[0] == "inspect") return inspect(args);
    if (!args.empty() && args[0] == "flips") return flips(args);
  } catch (const std::exception& e) {
    std::cerr << "attest_driver: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: attest_driver inspect|flips ...\n";
  return 2;
}
