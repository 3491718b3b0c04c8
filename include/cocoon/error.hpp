// Copyright 2026 The cocoon-sdk Authors. SPDX-License-Identifier: Apache-2.0
#ifndef COCOON_ERROR_HPP
#define COCOON_ERROR_HPP

#include <cocoon/detail/config.hpp>

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/error_condition.hpp>

#include <string>
#include <system_error>
#include <type_traits>

COCOON_SDK_NAMESPACE_BEGIN

/// The error code type of every fallible SDK operation, as Asio's completion handlers carry it.
/// It converts implicitly to `std::error_code`, and SDK codes compare equal in both worlds.
using error_code = boost::system::error_code;

/// Every specific failure the SDK reports. Each part of the SDK owns a block of 100 values
/// (core 1, crypto 101, job 201, ton 301, attest 401, net 501, backend 601, local 701); within a block new
/// codes are appended, never renumbered, so a logged number keeps its meaning across versions.
enum class errc {
  // core: codecs, fixed-size values, amounts, secure memory
  invalid_hex = 1,            ///< not an even-length string of hex digits
  invalid_base64,             ///< not valid base64 in the requested variant (alphabet, padding)
  invalid_length,             ///< a fixed-size value was given the wrong number of bytes
  amount_syntax,              ///< a TON amount that is not digits with an optional fraction
  amount_precision,           ///< a TON amount with more than 9 decimal places
  amount_overflow,            ///< an amount outside 0 .. 2^64-1 nanotons, or arithmetic overflow
  secure_memory_unavailable,  ///< guarded memory for a secret could not be allocated

  // crypto: AEAD, X25519, HPKE
  invalid_public_key = 101,  ///< a public key that must be refused (an X25519 small-order point)
  decryption_failed,         ///< an AEAD tag did not verify: tampered data, or the wrong key, nonce or context
  crypto_failure,            ///< the cryptographic library failed unexpectedly (out of memory)
  hpke_invalid_psk,          ///< an HPKE pre-shared key missing its id (or the reverse), or under 32 bytes
  hpke_message_limit,        ///< an HPKE context sealed or opened its last allowed message
  hpke_export_only,          ///< seal or open on an HPKE context set up for exporting secrets only
  stream_malformed,          ///< a STREAM frame whose length is out of range, or input after an error
  stream_truncated,          ///< a STREAM that ended before its final chunk
  stream_finished,           ///< a STREAM chunk after the final one

  // job: building and parsing inference jobs
  job_invalid = 201,         ///< a job field has a value the SDK refuses (unknown role, empty, invalid UTF-8)
  job_limit_exceeded,        ///< a job is over a size or count limit
  job_malformed,             ///< serialized job bytes that are not a job in canonical form
  envelope_malformed,        ///< bytes that are not a job envelope or sealed response of a known version
  envelope_wrong_recipient,  ///< a job envelope sealed to another worker's key
  envelope_expired,          ///< a job envelope outside its validity window
  envelope_replayed,         ///< a job envelope whose nonce was already accepted
  job_unsupported,           ///< a job the target refuses (a seed for COCOON workers, a non-image attachment)
  answer_malformed,          ///< an answer body that is not what the OpenAI API sends
  answer_error,              ///< the service answered with an error (its message is in `where`)

  // ton: cells, bags of cells, addresses
  cell_overflow = 301,        ///< more than 1023 data bits or 4 references written to one cell
  cell_underflow,             ///< a read past the data bits or references a cell slice has left
  cell_value_out_of_range,    ///< an integer that does not fit the bit width or encoding it is stored in
  cell_invalid,               ///< a cell that breaks the cell rules (exotic layout, level mask, depth, padding)
  cell_malformed,             ///< cell bits that do not encode the expected value (non-minimal coins, bad tag)
  boc_malformed,              ///< bytes that are not a bag of cells in the strict format
  boc_checksum_mismatch,      ///< a bag of cells whose CRC32C does not match its bytes
  address_invalid,            ///< not a TON address in raw or user-friendly form, or an unsupported workchain
  address_checksum_mismatch,  ///< a user-friendly address whose CRC16 does not match
  wallet_code_mismatch,       ///< wallet contract code whose hash is not the published one
  wallet_request_invalid,     ///< a wallet request the contract would refuse or burn (count, mode, key)
  contract_message_invalid,   ///< a COCOON contract message whose op or layout is not the expected one
  payment_signature_invalid,  ///< a proxy-signed payment whose Ed25519 signature does not verify
  payment_wrong_client,       ///< a proxy-signed payment for another client contract
  root_config_invalid,        ///< a root contract state that is not a COCOON root config this SDK reads
  dictionary_too_large,       ///< a dictionary with more entries than its reader's limit (shared cells count per path)

  // attest: TDX quotes, PCK certificates, attestation verification
  quote_malformed = 401,        ///< TDX quote bytes whose lengths do not fit or do not add up
  quote_unsupported,            ///< a TDX quote header or type value the SDK refuses (version, TEE, key, body type)
  pck_chain_malformed,          ///< a quote's PCK certificate chain is not three PEM certificates
  pck_chain_invalid,            ///< a PCK certificate chain whose signatures or CA constraints do not verify
  pck_root_untrusted,           ///< a PCK certificate chain ending in a root key that is not a trust anchor
  certificate_expired,          ///< a certificate not valid at the verification time
  pck_extension_malformed,      ///< a PCK certificate without a well-formed SGX extension (FMSPC, TCB)
  qe_report_signature_invalid,  ///< the QE report is not signed by the PCK certificate's key
  qe_report_binding_mismatch,   ///< the QE report data does not commit to the attestation key
  quote_signature_invalid,      ///< the quote is not signed by its attestation key
  ratls_certificate_malformed,  ///< bytes that are not an X.509 certificate in DER or PEM
  ratls_certificate_invalid,  ///< an RA-TLS certificate that is not self-signed Ed25519 or misuses COCOON's extensions
  ratls_unknown_critical_extension,  ///< an RA-TLS certificate with a critical extension nobody handles
  ratls_quote_missing,               ///< an RA-TLS certificate without a TDX quote
  fake_tdx_refused,                  ///< a fake TDX quote under a policy that requires real TDX
  report_data_mismatch,              ///< the quote's REPORTDATA does not commit to the certificate's key
  td_attributes_refused,             ///< a TD attribute the policy refuses (DEBUG, MIGRATABLE, a service TD)
  measurement_not_allowed,           ///< MRTD, RTMRs, image hash, root key, MRSEAM or XFAM not in the policy's list
  certificate_revoked,               ///< a certificate listed in its issuer's revocation list
  crl_invalid,                       ///< a CRL not signed by its CA, not current at the verification time, or missing
  crl_malformed,                     ///< bytes that are not a CRL in DER or PEM
  collateral_malformed,              ///< Intel collateral (TCB Info, QE identity) that is not the documented JSON
  collateral_invalid,                ///< Intel collateral not signed through a trusted chain, or of the wrong kind
  collateral_expired,                ///< Intel collateral not current at the verification time
  collateral_mismatch,               ///< collateral for another platform, QE or TDX module than the quote's
  tcb_level_not_found,               ///< no TCB level in the collateral that the platform meets
  policy_malformed,                  ///< an attestation policy in JSON that is not the documented schema
  tcb_status_refused,                ///< a TCB status below the policy's minimum
  collateral_required,               ///< a policy that judges TCB status or collateral age, and no collateral given
  collateral_too_old,                ///< collateral issued longer ago than the policy's maximum age
  collateral_fetch_failed,           ///< a collateral request (PCS, PCCS) that failed or answered unusably
  qe_identity_untrusted,             ///< a quote whose QE is not Intel's TD QE (MRSIGNER, ISVPRODID, attributes)
  revocation_required,               ///< a policy that needs revocation checked, and no CRLs given

  // net: the COCOON client-proxy protocol
  tl_malformed = 501,         ///< TL bytes that do not decode as the expected object (truncated, bad length)
  tl_unknown_constructor,     ///< a TL constructor id the receiver does not expect
  frame_malformed,            ///< a protocol frame with a length out of range
  frame_out_of_sequence,      ///< a protocol frame whose sequence number is not the next one
  pow_malformed,              ///< a proof-of-work challenge or response that is not well formed
  pow_too_hard,               ///< a proof-of-work challenge above the difficulty a client accepts
  invalid_url,                ///< an endpoint URL the SDK cannot use
  timed_out,                  ///< an operation ran past its deadline
  session_not_ready,          ///< a query submitted before the proxy session is ready
  proxy_rejected,             ///< the proxy refused the client (authorization failed, a query error)
  proxy_incompatible,         ///< a proxy on the other network, with no common protocol version, or another identity
  proxy_registration_needed,  ///< the proxy does not know the client yet: register on chain (long authorisation)
  deadline_exceeded,          ///< a job's deadline passed before its answer was complete
  client_misconfigured,       ///< a client built without a usable endpoint or without a policy for its proxies
  proxy_payment_invalid,      ///< a signed payment from the proxy: forged, malformed or for another contract
  proxy_registration_failed,  ///< the on-chain registration for long authorisation could not be sent
  proxy_contract_mismatch,    ///< a proxy contract address that does not derive from the proxy's owner, key and root
  client_contract_mismatch,   ///< a client contract address that does not derive from our wallet, the proxy and root
  proxy_registration_unverified,  ///< long authorisation without a root contract to check the client contract against

  // backend: the reference model
  model_invalid_input = 601,  ///< a model config, token or sampling parameter out of range
  model_context_exceeded,     ///< a token sequence longer than the model's context
  model_device_failure,       ///< the compute device failed (no device, out of memory, a kernel error)

  // local (701)
  ledger_unknown_account = 701,  ///< the test ledger has no such wallet or contract
  ledger_signature_invalid,      ///< a wallet request not signed by the wallet's key
  ledger_replayed,               ///< a seqno, query id or charge the test ledger has already applied
  ledger_expired,                ///< a wallet request past its valid_until
  ledger_insufficient_funds,     ///< a transfer or charge over the available balance
  ledger_operation_refused,      ///< an operation the contract refuses (sender, state, value, op)
};

/// What a caller usually asks of an error: which kind of failure it is. Each `errc` maps to one.
enum class condition {
  invalid_input = 1,     ///< the caller's input was malformed or out of range
  resource_exhausted,    ///< the process ran out of a resource (memory, locked pages)
  integrity_failure,     ///< data failed an integrity check: tampering, truncation, or the wrong key
  attestation_rejected,  ///< a peer's attestation failed verification or the caller's policy
  protocol_violation,    ///< a peer sent bytes the protocol does not allow
  service_error,         ///< the remote service reported a failure (no workers, low balance, timeout)
};

/// The category of `errc` codes, named "cocoon".
[[nodiscard]] const boost::system::error_category& error_category() noexcept;

/// The category of `condition` values, named "cocoon.condition".
[[nodiscard]] const boost::system::error_category& condition_category() noexcept;

[[nodiscard]] inline error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

[[nodiscard]] inline boost::system::error_condition make_error_condition(condition c) noexcept {
  return {static_cast<int>(c), condition_category()};
}

/// The exception thrown by the throwing overload of every fallible operation.
///
/// `what()` reads "<operation>: <error message> (<where>)", where `where` locates the failure in
/// the input (a field name, a byte offset) and never repeats input bytes, which may be secret.
/// `code()` compares equal to the `errc` value.
class error : public std::system_error {
 public:
  error(error_code code, std::string operation, std::string where = {})
      : std::system_error(code, std::string{}),
        code_(code),
        where_(std::move(where)),
        message_(std::move(operation) + ": " + code.message() +
                 (where_.empty() ? std::string{} : " (" + where_ + ")")) {}

  /// `code()` as the `cocoon::error_code` the error-code forms report, category kept (a socket's
  /// error stays a socket's).
  [[nodiscard]] const cocoon::error_code& sdk_code() const noexcept { return code_; }
  /// Where in the input the failure was found; empty when it concerns the input as a whole.
  [[nodiscard]] const std::string& where() const noexcept { return where_; }

  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  cocoon::error_code code_;
  std::string where_;
  std::string message_;
};

namespace detail {

class error_category_impl final : public boost::system::error_category {
 public:
  // A fixed identifier keeps the category unique across shared libraries that each
  // instantiate it (Boost.System compares categories by this id when it is non-zero).
  constexpr error_category_impl() noexcept : boost::system::error_category(0xc0c0'0a11'0001'0001ULL) {}

  [[nodiscard]] const char* name() const noexcept override { return "cocoon"; }

  [[nodiscard]] std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_hex: return "invalid hex encoding";
      case errc::invalid_base64: return "invalid base64 encoding";
      case errc::invalid_length: return "wrong length";
      case errc::amount_syntax: return "malformed TON amount";
      case errc::amount_precision: return "TON amount has more than 9 decimal places";
      case errc::amount_overflow: return "amount out of range";
      case errc::secure_memory_unavailable: return "guarded memory for a secret is unavailable";
      case errc::invalid_public_key: return "invalid public key";
      case errc::decryption_failed: return "decryption failed: authentication tag mismatch";
      case errc::crypto_failure: return "cryptographic library failure";
      case errc::hpke_invalid_psk: return "invalid HPKE pre-shared key or key id";
      case errc::hpke_message_limit: return "HPKE message limit reached";
      case errc::hpke_export_only: return "HPKE context is export-only";
      case errc::stream_malformed: return "malformed encrypted stream";
      case errc::stream_truncated: return "encrypted stream truncated before its final chunk";
      case errc::stream_finished: return "encrypted stream continues after its final chunk";
      case errc::job_invalid: return "invalid job";
      case errc::job_limit_exceeded: return "job over a limit";
      case errc::job_malformed: return "malformed serialized job";
      case errc::envelope_malformed: return "malformed job envelope";
      case errc::envelope_wrong_recipient: return "job envelope sealed to another key";
      case errc::envelope_expired: return "job envelope expired or not yet valid";
      case errc::envelope_replayed: return "job envelope replayed";
      case errc::job_unsupported: return "job not supported by the target";
      case errc::answer_malformed: return "malformed answer";
      case errc::answer_error: return "the service answered with an error";
      case errc::tl_malformed: return "malformed TL object";
      case errc::tl_unknown_constructor: return "TL constructor not expected here";
      case errc::frame_malformed: return "malformed protocol frame";
      case errc::frame_out_of_sequence: return "protocol frame out of sequence";
      case errc::pow_malformed: return "malformed proof-of-work message";
      case errc::pow_too_hard: return "proof-of-work difficulty above the accepted limit";
      case errc::invalid_url: return "invalid endpoint URL";
      case errc::timed_out: return "timed out";
      case errc::session_not_ready: return "proxy session not ready";
      case errc::proxy_rejected: return "the proxy refused the client";
      case errc::proxy_incompatible: return "incompatible proxy";
      case errc::proxy_registration_needed: return "the client must register with the proxy on chain first";
      case errc::deadline_exceeded: return "job deadline exceeded";
      case errc::client_misconfigured: return "client configuration incomplete";
      case errc::proxy_payment_invalid: return "the proxy sent a signed payment that does not verify";
      case errc::proxy_registration_failed: return "the on-chain client registration could not be sent";
      case errc::proxy_contract_mismatch: return "the proxy's contract address is not the one its owner and key derive";
      case errc::client_contract_mismatch: return "the client contract the proxy named is not ours";
      case errc::proxy_registration_unverified:
        return "long authorisation needs the root contract to check the client contract";
      case errc::model_invalid_input: return "invalid model input";
      case errc::model_context_exceeded: return "model context length exceeded";
      case errc::model_device_failure: return "compute device failure";
      case errc::ledger_unknown_account: return "no such ledger account";
      case errc::ledger_signature_invalid: return "wallet request signature invalid";
      case errc::ledger_replayed: return "ledger message replayed";
      case errc::ledger_expired: return "wallet request expired";
      case errc::ledger_insufficient_funds: return "insufficient funds";
      case errc::ledger_operation_refused: return "contract operation refused";
      case errc::cell_overflow: return "cell overflow: more than 1023 bits or 4 references";
      case errc::cell_underflow: return "cell underflow: not enough bits or references left";
      case errc::cell_value_out_of_range: return "value out of range for its cell encoding";
      case errc::cell_invalid: return "invalid cell";
      case errc::cell_malformed: return "cell data does not encode the expected value";
      case errc::boc_malformed: return "malformed bag of cells";
      case errc::boc_checksum_mismatch: return "bag of cells CRC32C mismatch";
      case errc::address_invalid: return "invalid TON address";
      case errc::address_checksum_mismatch: return "TON address checksum mismatch";
      case errc::wallet_code_mismatch: return "wallet code is not the expected contract code";
      case errc::wallet_request_invalid: return "invalid wallet request";
      case errc::quote_malformed: return "malformed TDX quote";
      case errc::quote_unsupported: return "unsupported TDX quote format";
      case errc::pck_chain_malformed: return "malformed PCK certificate chain";
      case errc::pck_chain_invalid: return "PCK certificate chain does not verify";
      case errc::pck_root_untrusted: return "PCK certificate chain ends in an untrusted root";
      case errc::certificate_expired: return "certificate not valid at the verification time";
      case errc::pck_extension_malformed: return "malformed SGX extension in the PCK certificate";
      case errc::qe_report_signature_invalid: return "QE report signature does not verify";
      case errc::qe_report_binding_mismatch: return "QE report data does not match the attestation key";
      case errc::quote_signature_invalid: return "TDX quote signature does not verify";
      case errc::ratls_certificate_malformed: return "malformed certificate";
      case errc::ratls_certificate_invalid: return "invalid RA-TLS certificate";
      case errc::ratls_unknown_critical_extension: return "critical certificate extension not recognized";
      case errc::ratls_quote_missing: return "RA-TLS certificate carries no quote";
      case errc::fake_tdx_refused: return "fake TDX attestation refused";
      case errc::report_data_mismatch: return "quote report data does not match the certificate key";
      case errc::td_attributes_refused: return "TD attributes refused by policy";
      case errc::measurement_not_allowed: return "TD measurement not allowed by policy";
      case errc::certificate_revoked: return "certificate revoked";
      case errc::crl_invalid: return "certificate revocation list does not verify";
      case errc::crl_malformed: return "malformed certificate revocation list";
      case errc::collateral_malformed: return "malformed TDX collateral";
      case errc::collateral_invalid: return "TDX collateral does not verify";
      case errc::collateral_expired: return "TDX collateral not current";
      case errc::collateral_mismatch: return "TDX collateral does not match the quote";
      case errc::tcb_level_not_found: return "no matching TCB level";
      case errc::policy_malformed: return "malformed attestation policy";
      case errc::tcb_status_refused: return "TCB status below the policy's minimum";
      case errc::collateral_required: return "the policy needs TDX collateral and none was given";
      case errc::collateral_too_old: return "TDX collateral older than the policy allows";
      case errc::collateral_fetch_failed: return "fetching TDX collateral failed";
      case errc::qe_identity_untrusted: return "quoting enclave is not Intel's TD QE";
      case errc::revocation_required: return "the policy needs revocation checked and no CRLs were given";
      case errc::contract_message_invalid: return "invalid COCOON contract message";
      case errc::payment_signature_invalid: return "proxy payment signature does not verify";
      case errc::payment_wrong_client: return "proxy payment for another client contract";
      case errc::root_config_invalid: return "invalid COCOON root contract config";
      case errc::dictionary_too_large: return "dictionary over its entry limit";
    }
    return "unknown cocoon error " + std::to_string(value);
  }

  [[nodiscard]] boost::system::error_condition default_error_condition(int value) const noexcept override {
    switch (static_cast<errc>(value)) {
      case errc::invalid_hex:
      case errc::invalid_base64:
      case errc::invalid_length:
      case errc::amount_syntax:
      case errc::amount_precision:
      case errc::amount_overflow: return make_error_condition(condition::invalid_input);
      case errc::secure_memory_unavailable:
      case errc::crypto_failure:
      case errc::hpke_message_limit: return make_error_condition(condition::resource_exhausted);
      case errc::invalid_public_key:
      case errc::hpke_invalid_psk:
      case errc::hpke_export_only:
      case errc::job_invalid:
      case errc::job_limit_exceeded:
      case errc::job_malformed:
      case errc::envelope_malformed:
      case errc::envelope_wrong_recipient:
      case errc::envelope_expired: return make_error_condition(condition::invalid_input);
      case errc::envelope_replayed: return make_error_condition(condition::integrity_failure);
      case errc::job_unsupported: return make_error_condition(condition::invalid_input);
      case errc::answer_malformed: return make_error_condition(condition::protocol_violation);
      case errc::answer_error: return make_error_condition(condition::service_error);
      case errc::tl_malformed:
      case errc::tl_unknown_constructor:
      case errc::frame_malformed:
      case errc::frame_out_of_sequence:
      case errc::pow_malformed:
      case errc::pow_too_hard: return make_error_condition(condition::protocol_violation);
      case errc::invalid_url: return make_error_condition(condition::invalid_input);
      case errc::timed_out:
      case errc::proxy_rejected:
      case errc::proxy_registration_needed: return make_error_condition(condition::service_error);
      case errc::session_not_ready: return make_error_condition(condition::invalid_input);
      case errc::proxy_incompatible: return make_error_condition(condition::protocol_violation);
      case errc::deadline_exceeded: return make_error_condition(condition::service_error);
      case errc::client_misconfigured: return make_error_condition(condition::invalid_input);
      case errc::proxy_payment_invalid: return make_error_condition(condition::protocol_violation);
      case errc::proxy_registration_failed: return make_error_condition(condition::service_error);
      case errc::proxy_contract_mismatch:
      case errc::client_contract_mismatch: return make_error_condition(condition::protocol_violation);
      case errc::proxy_registration_unverified: return make_error_condition(condition::invalid_input);
      case errc::decryption_failed:
      case errc::stream_malformed:
      case errc::stream_truncated:
      case errc::stream_finished: return make_error_condition(condition::integrity_failure);
      case errc::model_invalid_input:
      case errc::model_context_exceeded: return make_error_condition(condition::invalid_input);
      case errc::model_device_failure: return make_error_condition(condition::resource_exhausted);
      case errc::ledger_unknown_account: return make_error_condition(condition::invalid_input);
      case errc::ledger_signature_invalid: return make_error_condition(condition::integrity_failure);
      case errc::ledger_replayed: return make_error_condition(condition::integrity_failure);
      case errc::ledger_expired: return make_error_condition(condition::invalid_input);
      case errc::ledger_insufficient_funds: return make_error_condition(condition::service_error);
      case errc::ledger_operation_refused: return make_error_condition(condition::invalid_input);
      case errc::cell_overflow:
      case errc::cell_underflow:
      case errc::cell_value_out_of_range:
      case errc::cell_invalid:
      case errc::cell_malformed:
      case errc::boc_malformed:
      case errc::address_invalid:
      case errc::wallet_request_invalid:
      case errc::contract_message_invalid:
      case errc::root_config_invalid:
      case errc::dictionary_too_large: return make_error_condition(condition::invalid_input);
      case errc::boc_checksum_mismatch:
      case errc::address_checksum_mismatch:
      case errc::payment_signature_invalid:
      case errc::payment_wrong_client:
      case errc::wallet_code_mismatch: return make_error_condition(condition::integrity_failure);
      case errc::quote_malformed: return make_error_condition(condition::invalid_input);
      case errc::pck_chain_malformed:
      case errc::pck_extension_malformed:
      case errc::ratls_certificate_malformed:
      case errc::crl_malformed:
      case errc::collateral_malformed: return make_error_condition(condition::invalid_input);
      case errc::quote_unsupported:
      case errc::pck_chain_invalid:
      case errc::pck_root_untrusted:
      case errc::certificate_expired:
      case errc::qe_report_signature_invalid:
      case errc::qe_report_binding_mismatch:
      case errc::quote_signature_invalid:
      case errc::ratls_certificate_invalid:
      case errc::ratls_unknown_critical_extension:
      case errc::ratls_quote_missing:
      case errc::fake_tdx_refused:
      case errc::report_data_mismatch:
      case errc::td_attributes_refused:
      case errc::measurement_not_allowed:
      case errc::certificate_revoked:
      case errc::crl_invalid:
      case errc::collateral_invalid:
      case errc::collateral_expired:
      case errc::collateral_mismatch:
      case errc::tcb_level_not_found:
      case errc::tcb_status_refused:
      case errc::collateral_required:
      case errc::collateral_too_old:
      case errc::qe_identity_untrusted:
      case errc::revocation_required: return make_error_condition(condition::attestation_rejected);
      case errc::policy_malformed: return make_error_condition(condition::invalid_input);
      case errc::collateral_fetch_failed: return make_error_condition(condition::service_error);
    }
    return {value, *this};
  }
};

class condition_category_impl final : public boost::system::error_category {
 public:
  constexpr condition_category_impl() noexcept : boost::system::error_category(0xc0c0'0a11'0001'0002ULL) {}

  [[nodiscard]] const char* name() const noexcept override { return "cocoon.condition"; }

  [[nodiscard]] std::string message(int value) const override {
    switch (static_cast<condition>(value)) {
      case condition::invalid_input: return "invalid input";
      case condition::resource_exhausted: return "resource exhausted";
      case condition::integrity_failure: return "integrity check failed";
      case condition::attestation_rejected: return "attestation rejected";
      case condition::protocol_violation: return "protocol violation";
      case condition::service_error: return "service error";
    }
    return "unknown cocoon condition " + std::to_string(value);
  }
};

/// Throws `cocoon::error`; kept out of line of callers' hot paths.
[[noreturn]] inline void throw_error(error_code code, std::string operation, std::string where = {}) {
  throw error(code, std::move(operation), std::move(where));
}

}  // namespace detail

inline const boost::system::error_category& error_category() noexcept {
  static constexpr detail::error_category_impl instance;
  return instance;
}

inline const boost::system::error_category& condition_category() noexcept {
  static constexpr detail::condition_category_impl instance;
  return instance;
}

COCOON_SDK_NAMESPACE_END

template <>
struct boost::system::is_error_code_enum<cocoon::errc> : std::true_type {};
template <>
struct boost::system::is_error_condition_enum<cocoon::condition> : std::true_type {};
template <>
struct std::is_error_code_enum<cocoon::errc> : std::true_type {};
template <>
struct std::is_error_condition_enum<cocoon::condition> : std::true_type {};

#endif
