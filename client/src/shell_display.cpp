#include "shell_display.hpp"

#include "explain.hpp"
#include "pop3/core/exposure.hpp"

namespace pop3::client {

ShellDisplay::ShellDisplay(std::function<void(const std::string&)> print)
    : print_(std::move(print)), transcript_([this](const std::string& line) { print_(line); }) {
  transcript_.show_bodies = true;
  transcript_.show_states = false;  // printed here, with the reason
}

void ShellDisplay::print(const std::string& text) {
  print_(text);
}

void ShellDisplay::note(const std::string& text) {
  print_("-- " + text);
}

void ShellDisplay::step(const Step& step) {
  transcript_.step(step);
  if (const auto* command = std::get_if<CommandEvent>(&step)) {
    note(explain_command(command->command.verb));
  } else if (const auto* secret = std::get_if<SecretSeen>(&step)) {
    if (secret->direction == Direction::ClientToServer) {
      const bool tls = session_ && session_->tls_active();
      after_send_.push_back(
          "the " + secret->label +
          " is masked here (exposure: " + std::string(exposure_name(secret->exposure)) + "). " +
          (tls ? std::string("TLS encrypts it, so an eavesdropper sees nothing of it.")
               : std::string(exposure_consequence(secret->exposure))));
    }
  } else if (std::holds_alternative<Send>(step)) {
    sent_ = true;
    for (const auto& n : after_send_)
      note(n);
    after_send_.clear();
  } else if (const auto* reply = std::get_if<ReplyEvent>(&step)) {
    if (!reply->greeting) {
      last_reply_ = Reply::make(reply->reply.status, reply->reply.code,
                                reply->reply.text);  // without the body
    }
  } else if (const auto* auth = std::get_if<AuthStep>(&step)) {
    note(auth->mechanism +
         (auth->direction == Direction::ClientToServer ? ", client: " : ", server: ") +
         auth->description);
  } else if (const auto* change = std::get_if<StateChange>(&step)) {
    changed_ = true;
    note("state: " + std::string(state_name(change->to)) + " (" + change->why + ")");
  } else if (const auto* v = std::get_if<Violation>(&step)) {
    print_("!! " + v->error.message() + (v->detail.empty() ? "" : ": " + v->detail));
  }
}

void ShellDisplay::tls(std::string_view description) {
  note("TLS established: " + std::string(description));
}

void ShellDisplay::begin() {
  changed_ = false;
  sent_ = false;
}

void ShellDisplay::end(State now) {
  if (sent_ && !changed_) note("state: " + std::string(state_name(now)));
  changed_ = false;
  sent_ = false;
}

}  // namespace pop3::client
