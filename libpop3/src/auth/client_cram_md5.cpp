#include "pop3/auth/client_cram_md5.hpp"

#include "ascii.hpp"
#include "client_steps.hpp"
#include "pop3/auth/cram_md5.hpp"

namespace pop3::auth {

CramMd5Client::CramMd5Client(std::string user, Secret password)
    : user_(std::move(user)), password_(std::move(password)) {}

ClientSaslStep CramMd5Client::respond(std::string_view challenge) {
  if (answered_) return detail::give_up("CRAM-MD5 has one challenge; the server sent another");
  answered_ = true;
  const auto text = base64_decode(challenge);
  if (!text) return detail::give_up("the CRAM-MD5 challenge is not valid base64");
  if (text->empty()) return detail::give_up("the CRAM-MD5 challenge is empty");

  std::string message = cram_md5_response(user_, *text, password_);
  // The digest itself is not repeated here: the transcript and the trace mask it as the
  // secret-bearing part of the exchange, and an explanation must not undo that.
  std::string explanation = "challenge \"" + detail::printable(*text) + "\"; response = user SP " +
                            "hex(HMAC-MD5(key = password " + std::string(Secret::redacted) +
                            ", challenge)). The password is not sent, but whoever records "
                            "challenge and response can test guesses offline at MD5 speed.";
  return detail::send_step(message, Exposure::Digest, std::move(explanation));
}

}  // namespace pop3::auth
