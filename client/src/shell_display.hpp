#pragma once
// What the shell prints about the session: the transcript ("C: "/"S: ", secrets
// masked), and the "-- " lines around it: what each command does, every state change
// and why, each SASL step, what a secret on the wire exposes, the TLS handshake.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/client_session.hpp"
#include "transcript.hpp"

namespace pop3::client {

class ShellDisplay {
 public:
  explicit ShellDisplay(std::function<void(const std::string&)> print);

  // The session whose TLS state decides what a secret exposes (set once connected).
  void watch(const ClientSession& session) { session_ = &session; }

  void step(const Step& step);             // for Client::on_step
  void tls(std::string_view description);  // for Client::on_tls
  void note(const std::string& text);      // "-- text"
  void print(const std::string& text);     // as it is

  // Around one command typed at the shell. end() prints "-- state: X" when the
  // command crossed the wire but did not change the state (changes print as they happen).
  void begin();
  void end(State now);

  // The last reply to a command (not the greeting), for callers whose Client call threw.
  [[nodiscard]] const std::optional<Reply>& last_reply() const noexcept { return last_reply_; }

 private:
  std::function<void(const std::string&)> print_;
  Transcript transcript_;
  const ClientSession* session_ = nullptr;
  std::optional<Reply> last_reply_;
  std::vector<std::string> after_send_;  // exposure notes, shown under the line they concern
  bool changed_ = false;
  bool sent_ = false;
};

}  // namespace pop3::client
