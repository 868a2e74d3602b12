#pragma once
// Helpers shared by the auth tests: running a client mechanism against a server one.
#include <optional>
#include <string>
#include <vector>

#include "pop3/core/mechanism.hpp"

namespace pop3::auth::test {

struct Exchange {
  SaslStep last;                       // the server's final step
  std::vector<ClientSaslStep> client;  // every client step, in order
  std::vector<SaslStep> server;        // every server step, in order
  bool client_gave_up = false;
};

// Drives a whole exchange as a POP3 session would: the client's initial response (if
// any) goes with AUTH; every server Challenge is answered by the client.
inline Exchange run_exchange(ClientMechanism& client, ServerMechanism& server,
                             bool send_initial_response = true) {
  Exchange ex;
  std::optional<std::string_view> initial;
  std::optional<ClientSaslStep> first;
  if (send_initial_response) first = client.initial_response();
  if (first) {
    ex.client.push_back(*first);
    initial = ex.client.back().response.empty() ? std::string_view("=")
                                                : std::string_view(ex.client.back().response);
  }
  SaslStep step = server.start(initial);
  ex.server.push_back(step);
  for (int guard = 0; step.kind == SaslStep::Kind::Challenge && guard < 10; ++guard) {
    ClientSaslStep answer = client.respond(step.challenge);
    ex.client.push_back(answer);
    if (!answer.ok) {
      ex.client_gave_up = true;
      break;
    }
    step = server.step(answer.response);
    ex.server.push_back(step);
  }
  ex.last = step;
  return ex;
}

}  // namespace pop3::auth::test
