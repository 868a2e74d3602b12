#pragma once
// A ClientSession and a ServerSession connected back to back in memory, with a
// transcript of every line each side wrote ("C: ..." / "S: ...").
#include <string>
#include <variant>
#include <vector>

#include "pop3/core/client_session.hpp"
#include "pop3/core/server_session.hpp"
#include "pop3test/fakes.hpp"

namespace pop3test {

class SessionPair {
 public:
  SessionPair(pop3::ServerConfig server_config, pop3::Authenticator& auth,
              pop3::MaildropProvider& maildrops, pop3::ClientConfig client_config = {})
      : server(std::move(server_config), auth, maildrops, clock.now), client(client_config) {}

  // Moves bytes both ways until neither side has anything to say. With chunk > 0 the
  // bytes cross in pieces of that size.
  void run(std::size_t chunk = 0) {
    for (int round = 0; round < 100000; ++round) {
      bool moved = false;
      for (;;) {
        pop3::Step step = server.next(clock.now);
        if (std::holds_alternative<pop3::NeedInput>(step)) break;
        if (auto* send = std::get_if<pop3::Send>(&step)) {
          record('S', send->bytes);
          deliver_to_client(send->bytes, chunk);
          moved = true;
        }
        const bool closed = std::holds_alternative<pop3::Closed>(step);
        server_steps.push_back(std::move(step));
        if (closed) {
          server_closed = true;
          break;
        }
      }
      for (;;) {
        pop3::Step step = client.next();
        if (std::holds_alternative<pop3::NeedInput>(step)) break;
        if (auto* send = std::get_if<pop3::Send>(&step)) {
          record('C', send->bytes);
          if (!server_closed) deliver_to_server(send->bytes, chunk);
          moved = true;
        }
        const bool closed = std::holds_alternative<pop3::Closed>(step);
        client_steps.push_back(std::move(step));
        if (closed) {
          client_closed = true;
          break;
        }
      }
      if (!moved) return;
    }
  }

  template <class T>
  std::vector<T> client_events() const {
    std::vector<T> out;
    for (const auto& s : client_steps)
      if (auto* e = std::get_if<T>(&s)) out.push_back(*e);
    return out;
  }
  template <class T>
  std::vector<T> server_events() const {
    std::vector<T> out;
    for (const auto& s : server_steps)
      if (auto* e = std::get_if<T>(&s)) out.push_back(*e);
    return out;
  }
  // The last reply the client received.
  pop3::Reply last_reply() const {
    auto replies = client_events<pop3::ReplyEvent>();
    return replies.empty() ? pop3::Reply{} : replies.back().reply;
  }

  FakeClock clock;
  pop3::ServerSession server;
  pop3::ClientSession client;
  std::vector<pop3::Step> server_steps;
  std::vector<pop3::Step> client_steps;
  std::string transcript;  // "C: line\nS: line\n..." (CRLF shown as the line break)
  bool server_closed = false;
  bool client_closed = false;

 private:
  void deliver_to_client(const std::string& bytes, std::size_t chunk) {
    for (std::size_t i = 0; i < bytes.size(); i += (chunk ? chunk : bytes.size()))
      client.feed(std::string_view(bytes).substr(i, chunk ? chunk : bytes.size()));
  }
  void deliver_to_server(const std::string& bytes, std::size_t chunk) {
    for (std::size_t i = 0; i < bytes.size(); i += (chunk ? chunk : bytes.size()))
      server.feed(std::string_view(bytes).substr(i, chunk ? chunk : bytes.size()), clock.now);
  }
  void record(char who, const std::string& bytes) {
    partial_[who == 'C'] += bytes;
    std::string& buf = partial_[who == 'C'];
    std::size_t pos;
    while ((pos = buf.find("\r\n")) != std::string::npos) {
      transcript += who;
      transcript += ": ";
      transcript += buf.substr(0, pos);
      transcript += '\n';
      buf.erase(0, pos + 2);
    }
  }
  std::string partial_[2];
};

}  // namespace pop3test
