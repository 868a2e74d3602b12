// Opening the shell's connection. Like open_session() (session.cpp), but with the
// session's state checks off, so that a command sent in the wrong state reaches the
// server and its -ERR can be seen, and with message bodies kept in the reply (shown
// line by line) rather than streamed.
#include "shell_context.hpp"

namespace pop3::client {

std::unique_ptr<net::Client> connect_shell(const Settings& s, ShellDisplay& display,
                                           Observer& observer, bool& via_stls) {
  net::ClientOptions o = client_options(s);
  o.session.enforce_states = false;
  o.session.stream_message_bodies = false;
  auto client = std::make_unique<net::Client>(o);
  display.watch(client->session());
  observer.attach(*client, [&display](const Step& step) { display.step(step); });
  client->on_tls = [traced = client->on_tls, &display](std::string_view description) {
    if (traced) traced(description);
    display.tls(description);
  };

  display.note("connecting to " + s.url.host + ":" + std::to_string(s.url.port) +
               " (TLS: " + std::string(tls_mode_name(s.tls)) + ")");
  client->connect();
  const ClientSession& session = client->session();
  display.note("state: " + std::string(state_name(session.state())) + " (" +
               std::string(state_description(session.state())) + ")");
  if (session.apop_timestamp())
    display.note("the greeting carries the timestamp " + *session.apop_timestamp() +
                 ": the server offers APOP");

  display.begin();
  const Reply capa = client->command(Command{Verb::Capa, {}});
  display.end(session.state());
  if (!capa.ok()) display.note("the server has no CAPA (RFC 1939 only)");

  if (s.tls == net::TlsMode::StartTls) {
    if (!session.capabilities().has("STLS")) {
      throw net::ClientError(
          net::FailureKind::StartTlsUnavailable,
          "the server does not offer STLS, and --tls=starttls requires it: nothing more was sent. "
          "Someone on the path may have removed it from CAPA (STARTTLS stripping); use --tls=none "
          "only "
          "if you accept the password crossing in clear");
    }
    display.note("--tls=starttls: upgrading to TLS before anything else is sent");
    display.begin();
    client->starttls();
    via_stls = true;
    display.note(
        "TLS is up. What was learned in plaintext is forgotten (RFC 2595 §4): asking CAPA again.");
    display.begin();
    client->command(Command{Verb::Capa, {}});
    display.end(session.state());
  } else if (s.tls == net::TlsMode::None) {
    display.note(
        "--tls=none: everything typed here, passwords included, crosses the network in clear");
  }
  return client;
}

}  // namespace pop3::client
