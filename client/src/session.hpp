#pragma once
// Opening a session the way every pop3-client command does: connect, TLS as asked (and
// refusing to send credentials when STARTTLS is required but missing), then log in with
// the strongest mechanism both sides support, or the one named. Reports what it does to
// an Observer (the -v lines, the shell's transcript, the trace).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pop3/core/capability.hpp"
#include "pop3/core/secret.hpp"
#include "pop3/net/client.hpp"
#include "settings.hpp"

namespace pop3::trace {
class Recorder;
class JsonlWriter;
}  // namespace pop3::trace

namespace pop3::client {

// Everything a run shows and records. One per program run.
class Observer {
 public:
  explicit Observer(const Settings& settings);
  ~Observer();
  // Hooks the client's steps to the transcript (if verbose), the trace and `extra`.
  void attach(net::Client& client, std::function<void(const Step&)> extra = {});
  // A remark for -v ("chose CRAM-MD5: ..."); `always` prints even without -v.
  void note(const std::string& text, bool always = false) const;
  void warn(const std::string& text) const;
  void finish();  // ends the trace
  [[nodiscard]] bool verbose() const noexcept { return verbose_; }

 private:
  bool verbose_;
  struct Tracing;
  std::unique_ptr<Tracing> tracing_;
};

struct LoginChoice {
  std::string mechanism;  // "USER", "APOP", "PLAIN", ...
  std::string reason;
};

// Which way to log in, given what the server offered (capabilities may be empty when the
// server has no CAPA) and what was asked.
[[nodiscard]] LoginChoice choose_login(const Capabilities& caps, bool apop_offered,
                                       const std::optional<std::string>& asked);

// The password: --password-file, else $POP3_PASSWORD, else a prompt on the terminal.
[[nodiscard]] Secret obtain_password(const Settings& settings);

// The connection settings every command starts from: host, port, TLS, timeout, and the
// TLS key log when SSLKEYLOGFILE is set. Message bodies are streamed (the shell turns
// that off, and the state checks too).
[[nodiscard]] net::ClientOptions client_options(const Settings& settings);

// Connect, TLS, and (unless `login` is false) authenticate. Throws net::ClientError.
std::unique_ptr<net::Client> open_session(const Settings& settings, Observer& observer,
                                          bool login = true);

// Logs in on an open client. Throws net::ClientError (AuthFailed, InUse, ...).
void log_in(net::Client& client, const Settings& settings, Observer& observer);

}  // namespace pop3::client
