#pragma once
// Choosing and making a client-side SASL mechanism.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/auth/mechanisms.hpp"
#include "pop3/core/mechanism.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

// PLAIN, LOGIN, CRAM-MD5 or SCRAM-SHA-256 (case-insensitive); nullptr for any other name.
[[nodiscard]] std::unique_ptr<ClientMechanism> make_client_mechanism(std::string_view name,
                                                                     std::string_view user,
                                                                     Secret password);

struct MechanismChoice {
  std::optional<Mechanism> mechanism;  // nullopt: nothing offered that we implement
  std::string name;                    // mechanism_name(), or empty
  std::string reason;                  // why, in a sentence or two, for the shell and labs
};

// The strongest of the server's SASL mechanisms (as listed by CAPA) that this library
// implements: SCRAM-SHA-256 > CRAM-MD5 > PLAIN > LOGIN.
[[nodiscard]] MechanismChoice choose_client_mechanism(const std::vector<std::string>& offered);

}  // namespace pop3::auth
