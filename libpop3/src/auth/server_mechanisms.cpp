#include "pop3/auth/server_mechanisms.hpp"

#include "pop3/auth/apop.hpp"
#include "pop3/auth/server_cram_md5.hpp"
#include "pop3/auth/server_login.hpp"
#include "pop3/auth/server_plain.hpp"
#include "pop3/auth/server_scram_sha256.hpp"

namespace pop3::auth {

std::unique_ptr<ServerMechanism> make_server_mechanism(Mechanism mechanism,
                                                       const CredentialStore& store,
                                                       const ServerMechanismOptions& options) {
  switch (mechanism) {
    case Mechanism::Plain:
      return std::make_unique<PlainServer>(store);
    case Mechanism::Login:
      return std::make_unique<LoginServer>(store);
    case Mechanism::CramMd5:
      return std::make_unique<CramMd5Server>(store, options.cram_md5_challenge
                                                        ? options.cram_md5_challenge()
                                                        : make_apop_timestamp(options.host));
    case Mechanism::ScramSha256:
      return std::make_unique<ScramSha256Server>(store, options);
    case Mechanism::UserPass:
    case Mechanism::Apop:
      break;
  }
  return nullptr;
}

}  // namespace pop3::auth
