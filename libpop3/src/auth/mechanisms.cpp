#include "pop3/auth/mechanisms.hpp"

#include "ascii.hpp"

namespace pop3::auth {

std::string_view mechanism_name(Mechanism m) noexcept {
  switch (m) {
    case Mechanism::UserPass:
      return "USER/PASS";
    case Mechanism::Apop:
      return "APOP";
    case Mechanism::Plain:
      return "PLAIN";
    case Mechanism::Login:
      return "LOGIN";
    case Mechanism::CramMd5:
      return "CRAM-MD5";
    case Mechanism::ScramSha256:
      return "SCRAM-SHA-256";
  }
  return "?";
}

std::optional<Mechanism> parse_sasl_mechanism(std::string_view name) noexcept {
  for (const Mechanism m : sasl_mechanisms_strongest_first) {
    if (detail::iequals(name, mechanism_name(m))) return m;
  }
  return std::nullopt;
}

std::string_view mechanism_summary(Mechanism m) noexcept {
  switch (m) {
    case Mechanism::UserPass:
      return "USER/PASS sends the password as it is: anyone on the path reads it.";
    case Mechanism::Apop:
      return "APOP sends MD5(timestamp + secret): the password stays hidden, but the digest "
             "can be attacked offline with a dictionary, and the server must store the "
             "password itself.";
    case Mechanism::Plain:
      return "PLAIN sends the password base64-encoded, which is no protection at all "
             "without TLS.";
    case Mechanism::Login:
      return "LOGIN sends the user name and the password base64-encoded, which is no "
             "protection at all without TLS.";
    case Mechanism::CramMd5:
      return "CRAM-MD5 sends HMAC-MD5(secret, challenge): the password stays hidden, but "
             "the digest can be attacked offline with a dictionary, and the server must "
             "store the password itself.";
    case Mechanism::ScramSha256:
      return "SCRAM-SHA-256 sends a salted proof: each offline guess costs thousands of "
             "PBKDF2 rounds, the server stores only derived keys, and it proves to the "
             "client that it knows them.";
  }
  return "";
}

}  // namespace pop3::auth
