#include "pop3/auth/client_scram_sha256.hpp"

#include <stdexcept>

#include "ascii.hpp"
#include "client_steps.hpp"
#include "pop3/auth/constant_time.hpp"

namespace pop3::auth {

ScramSha256Client::ScramSha256Client(std::string user, Secret password,
                                     std::optional<std::string> client_nonce)
    : user_(std::move(user)),
      password_(std::move(password)),
      nonce_(client_nonce ? std::move(*client_nonce) : scram::make_nonce()) {
  if (!scram::valid_nonce(nonce_)) {
    throw std::invalid_argument("SCRAM nonce must be printable ASCII without ','");
  }
}

std::optional<ClientSaslStep> ScramSha256Client::initial_response() {
  if (stage_ != Stage::Start) return std::nullopt;
  return client_first();
}

ClientSaslStep ScramSha256Client::respond(std::string_view challenge) {
  switch (stage_) {
    case Stage::Start:
      if (!challenge.empty()) return fail("SCRAM expects an empty first challenge");
      return client_first();
    case Stage::SentClientFirst: {
      const auto text = base64_decode(challenge);
      if (!text) return fail("the server-first-message is not valid base64");
      return client_final(*text);
    }
    case Stage::SentClientFinal: {
      const auto text = base64_decode(challenge);
      if (!text) return fail("the server-final-message is not valid base64");
      return check_server_final(*text);
    }
    case Stage::Verified:
    case Stage::Failed:
      break;
  }
  return fail("the SCRAM exchange is over; the server sent another challenge");
}

ClientSaslStep ScramSha256Client::client_first() {
  if (user_.empty()) return fail("SCRAM needs a user name");
  client_first_bare_ = scram::client_first_bare(user_, nonce_);
  std::string message = std::string(scram::gs2_header) + client_first_bare_;
  std::string explanation =
      "client-first-message \"" + message +
      "\": GS2 header \"n,,\" (no channel binding, no authorization identity), the user "
      "name and a fresh client nonce. Nothing secret yet.";
  stage_ = Stage::SentClientFirst;
  return detail::send_step(message, Exposure::None, std::move(explanation));
}

ClientSaslStep ScramSha256Client::client_final(std::string_view server_first) {
  std::string error;
  const auto first = scram::parse_server_first(server_first, error);
  if (!first) return fail(error);
  // The server must extend our nonce, or this could be a replay of another exchange.
  if (first->nonce.size() <= nonce_.size() || !first->nonce.starts_with(nonce_)) {
    return fail("the server's nonce does not extend the client nonce");
  }

  const Secret salted = scram::salted_password(password_, first->salt, first->iterations);
  const Secret client_key = scram::client_key(salted);
  const std::string stored_key = scram::stored_key(client_key);
  const std::string without_proof =
      scram::client_final_without_proof(scram::gs2_header, first->nonce);
  const std::string auth_message =
      scram::auth_message(client_first_bare_, server_first, without_proof);
  const std::string proof =
      scram::client_proof(client_key, scram::client_signature(stored_key, auth_message));
  expected_server_signature_ = scram::server_signature(scram::server_key(salted), auth_message);

  std::string message = without_proof + ",p=" + base64_encode(proof);
  std::string explanation =
      "server-first-message \"" + detail::printable(server_first) +
      "\": salt and i=" + std::to_string(first->iterations) +
      ". SaltedPassword = PBKDF2-HMAC-SHA-256(password " + std::string(Secret::redacted) +
      ", salt, i); ClientKey = HMAC(SaltedPassword, \"Client Key\"); StoredKey = "
      "SHA-256(ClientKey); AuthMessage = client-first-bare,server-first,"
      "client-final-without-proof; proof = ClientKey XOR HMAC(StoredKey, AuthMessage). "
      "client-final-message \"" +
      without_proof +
      ",p=<proof>\" (the proof is masked like the trace masks it). "
      "An eavesdropper must run " +
      std::to_string(first->iterations) + " PBKDF2 rounds per guessed password.";
  if (first->iterations < scram::default_iterations) {
    explanation += " Warning: RFC 7677 asks for at least 4096 iterations.";
  }
  stage_ = Stage::SentClientFinal;
  return detail::send_step(message, Exposure::SaltedProof, std::move(explanation));
}

ClientSaslStep ScramSha256Client::check_server_final(std::string_view server_final) {
  std::string error;
  const auto final_message = scram::parse_server_final(server_final, error);
  if (!final_message) return fail(error);
  if (final_message->error) {
    return fail("the server refused: e=" + detail::printable(*final_message->error));
  }
  if (!constant_time_equals(*final_message->verifier, expected_server_signature_)) {
    return fail(
        "the server's signature is wrong: it does not know this user's keys (an impostor?)");
  }
  stage_ = Stage::Verified;
  std::string empty;
  return detail::send_step(
      empty, Exposure::None,
      "server-final-message \"" + detail::printable(server_final) +
          "\": v= equals HMAC(ServerKey, AuthMessage) as computed here, so the server holds "
          "this user's keys. Answering with an empty line, as RFC 5034 asks.");
}

ClientSaslStep ScramSha256Client::fail(std::string error) {
  stage_ = Stage::Failed;
  return detail::give_up(std::move(error));
}

}  // namespace pop3::auth
