#include "pop3/auth/server_cram_md5.hpp"

#include "decoy.hpp"
#include "pop3/auth/constant_time.hpp"
#include "pop3/auth/cram_md5.hpp"
#include "server_steps.hpp"

namespace pop3::auth {

CramMd5Server::CramMd5Server(const CredentialStore& store, std::string challenge)
    : store_(store), challenge_(std::move(challenge)) {}

SaslStep CramMd5Server::start(std::optional<std::string_view> initial_response) {
  if (initial_response) return detail::malformed_step("CRAM-MD5 takes no initial response");
  waiting_ = true;
  return detail::challenge_step(challenge_, Exposure::None);
}

SaslStep CramMd5Server::step(std::string_view response) {
  if (!waiting_) return detail::malformed_step("the CRAM-MD5 exchange is over");
  waiting_ = false;
  const auto text = base64_decode(response);
  if (!text) return detail::malformed_step("response is not valid base64", Exposure::Digest);
  auto parsed = parse_cram_md5_response(*text);
  if (!parsed) {
    return detail::malformed_step("CRAM-MD5 response is not \"user SP 32-hex-digest\"",
                                  Exposure::Digest);
  }

  const auto credential = store_.lookup(parsed->user);
  const Secret* secret = credential ? credential->plaintext_password() : nullptr;
  if (secret == nullptr) {
    // Do the HMAC anyway, so the answer takes as long as for a real user.
    (void)cram_md5_digest(challenge_, detail::decoy_password());
    return detail::failure_step(Exposure::Digest);
  }
  if (!constant_time_equals(cram_md5_digest(challenge_, *secret), parsed->digest)) {
    return detail::failure_step(Exposure::Digest);
  }
  return detail::success_step(std::move(parsed->user), Exposure::Digest);
}

}  // namespace pop3::auth
