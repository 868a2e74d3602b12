// The simulator's eavesdropper as a capture source (its own file: it is the only part of
// capture that needs pop3::sim).
#include "pop3/attack/capture.hpp"
#include "pop3/sim/eavesdropper.hpp"

namespace pop3::attack {

Capture capture_from_eavesdropper(const sim::Eavesdropper& tap) {
  Capture c = capture_from_streams(tap.plaintext(Direction::ClientToServer),
                                   tap.plaintext(Direction::ServerToClient));
  if (!tap.tls_records(Direction::ClientToServer).empty() ||
      !tap.tls_records(Direction::ServerToClient).empty())
    c.tls_started = true;
  return c;
}

}  // namespace pop3::attack
