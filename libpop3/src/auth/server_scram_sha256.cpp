#include "pop3/auth/server_scram_sha256.hpp"

#include "decoy.hpp"
#include "pop3/auth/base64.hpp"
#include "pop3/auth/hmac.hpp"
#include "pop3/auth/random.hpp"
#include "server_steps.hpp"

namespace pop3::auth {

namespace {
constexpr std::size_t salt_octets = 16;
}  // namespace

ScramSha256Server::ScramSha256Server(const CredentialStore& store, ServerMechanismOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.scram_salt_key.empty()) options_.scram_salt_key = random_bytes(32);
  if (options_.scram_iterations == 0 || options_.scram_iterations > scram::max_iterations) {
    options_.scram_iterations = scram::default_iterations;
  }
}

SaslStep ScramSha256Server::start(std::optional<std::string_view> initial_response) {
  stage_ = Stage::WantClientFirst;
  if (!initial_response) return detail::challenge_step("", Exposure::None);
  return client_first(detail::initial_text(*initial_response));
}

SaslStep ScramSha256Server::step(std::string_view response) {
  switch (stage_) {
    case Stage::WantClientFirst:
      return client_first(response);
    case Stage::WantClientFinal:
      return client_final(response);
    case Stage::WantAck:
      stage_ = Stage::Done;
      // RFC 5034 §4: the client answers the server-final challenge with an empty line.
      if (!response.empty()) {
        return detail::malformed_step("expected an empty response to server-final-message");
      }
      return detail::success_step(first_.user, Exposure::None);
    case Stage::Done:
      break;
  }
  return detail::malformed_step("the SCRAM-SHA-256 exchange is over");
}

SaslStep ScramSha256Server::client_first(std::string_view base64) {
  stage_ = Stage::Done;  // until the message proves good
  const auto text = base64_decode(base64);
  if (!text) return detail::malformed_step("response is not valid base64");
  std::string error;
  auto first = scram::parse_client_first(*text, error);
  if (!first) {
    // RFC 5802 §7: a client asking for channel binding we do not offer must fail.
    if (text->starts_with("p=")) return detail::failure_step(Exposure::None, error);
    return detail::malformed_step(error);
  }
  if (!first->authzid.empty() && first->authzid != first->user) {
    return detail::failure_step(Exposure::None,
                                "logging in as another user (authzid) is not allowed");
  }
  first_ = std::move(*first);
  load_keys();

  const std::string server_part =
      options_.scram_server_nonce ? options_.scram_server_nonce() : scram::make_nonce();
  if (!scram::valid_nonce(server_part)) {
    return detail::malformed_step("internal error: bad server nonce");
  }
  nonce_ = first_.nonce + server_part;
  server_first_ = scram::server_first(nonce_, keys_.salt, keys_.iterations);
  stage_ = Stage::WantClientFinal;
  return detail::challenge_step(server_first_, Exposure::None);
}

SaslStep ScramSha256Server::client_final(std::string_view base64) {
  stage_ = Stage::Done;
  const auto text = base64_decode(base64);
  if (!text) return detail::malformed_step("response is not valid base64", Exposure::SaltedProof);
  std::string error;
  const auto final_message = scram::parse_client_final(*text, error);
  if (!final_message) return detail::malformed_step(error, Exposure::SaltedProof);
  // c= must repeat the GS2 header of client-first, so a downgrade of channel binding
  // would be detected; r= must be the nonce this server sent.
  if (final_message->channel_binding != base64_encode(first_.gs2_header)) {
    return detail::malformed_step("channel-binding data (c=) does not match the GS2 header",
                                  Exposure::SaltedProof);
  }
  if (final_message->nonce != nonce_) {
    return detail::malformed_step("nonce (r=) does not match", Exposure::SaltedProof);
  }

  const std::string auth_message =
      scram::auth_message(first_.bare, server_first_, final_message->without_proof);
  const bool proof_ok = scram::verify_client_proof(keys_, auth_message, final_message->proof);
  if (!proof_ok || !keys_real_) return detail::failure_step(Exposure::SaltedProof);

  stage_ = Stage::WantAck;
  const std::string server_final =
      "v=" + base64_encode(scram::server_signature(keys_.server_key, auth_message));
  return detail::challenge_step(server_final, Exposure::SaltedProof);
}

void ScramSha256Server::load_keys() {
  // A stable per-user salt for keys derived from plaintext, and for decoys (RFC 5802 §9:
  // a server should not reveal whether a user exists by changing salts).
  const std::string user_salt =
      hmac_sha256(options_.scram_salt_key, "SCRAM salt for " + first_.user).substr(0, salt_octets);
  const std::uint32_t iterations = options_.scram_iterations;

  if (const auto credential = store_.lookup(first_.user)) {
    if (const auto* keys = credential->scram_keys()) {
      keys_ = *keys;
      keys_real_ = true;
      return;
    }
    if (const auto* password = credential->plaintext_password()) {
      keys_ = scram::derive_keys(*password, user_salt, iterations);
      keys_real_ = true;
      return;
    }
  }
  // Unknown user, or one who holds a crypt hash: an exchange that cannot succeed but
  // costs what the store's users cost.
  keys_real_ = false;
  const auto decoy = detail::decoy_credential(store_);
  if (decoy && decoy->scram_keys() != nullptr) {
    keys_.iterations = decoy->scram_keys()->iterations;
    keys_.salt = user_salt;
    keys_.stored_key = random_bytes(32);
    keys_.server_key = random_bytes(32);
  } else {
    keys_ = scram::derive_keys(detail::decoy_password(), user_salt, iterations);
  }
}

}  // namespace pop3::auth
