#include "pop3/auth/client_mechanisms.hpp"

#include "ascii.hpp"
#include "pop3/auth/client_cram_md5.hpp"
#include "pop3/auth/client_login.hpp"
#include "pop3/auth/client_plain.hpp"
#include "pop3/auth/client_scram_sha256.hpp"

namespace pop3::auth {

std::unique_ptr<ClientMechanism> make_client_mechanism(std::string_view name, std::string_view user,
                                                       Secret password) {
  const auto mechanism = parse_sasl_mechanism(name);
  if (!mechanism) return nullptr;
  std::string u(user);
  switch (*mechanism) {
    case Mechanism::Plain:
      return std::make_unique<PlainClient>(std::move(u), std::move(password));
    case Mechanism::Login:
      return std::make_unique<LoginClient>(std::move(u), std::move(password));
    case Mechanism::CramMd5:
      return std::make_unique<CramMd5Client>(std::move(u), std::move(password));
    case Mechanism::ScramSha256:
      return std::make_unique<ScramSha256Client>(std::move(u), std::move(password));
    case Mechanism::UserPass:
    case Mechanism::Apop:
      break;
  }
  return nullptr;
}

MechanismChoice choose_client_mechanism(const std::vector<std::string>& offered) {
  std::string listed;
  for (const auto& name : offered)
    listed += (listed.empty() ? "" : ", ") + detail::printable(name);
  if (listed.empty()) listed = "nothing";

  MechanismChoice choice;
  for (const Mechanism m : sasl_mechanisms_strongest_first) {
    for (const auto& name : offered) {
      if (parse_sasl_mechanism(name) != m) continue;
      choice.mechanism = m;
      choice.name = std::string(mechanism_name(m));
      choice.reason = choice.name + " is the strongest of the offered mechanisms (" + listed +
                      ") that this client implements. " + std::string(mechanism_summary(m));
      return choice;
    }
  }
  choice.reason = "the server offers " + listed +
                  "; this client implements only SCRAM-SHA-256, CRAM-MD5, PLAIN and LOGIN.";
  return choice;
}

}  // namespace pop3::auth
