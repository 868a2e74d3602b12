#pragma once
// ClientSession: the client side of one POP3 connection, sans-IO.
//
// Driving it:
//   ClientSession c(config);
//   c.send(command) / c.authenticate(mechanism) queue commands (pipelining is allowed:
//   replies are matched to commands in order); c.feed(bytes) when bytes arrive; then
//   c.next() until NeedInput: write every Send, act on StartTls (handshake, then
//   tls_established() or tls_failed()) and Closed; read ReplyEvent for the answers.
//
// Contract:
// - Whether a reply is multi-line is decided by the command table, by the command and its
//   arguments, and only for +OK.
// - send() refuses arguments with CR, LF or NUL (CRLF injection) and, when
//   enforce_states is on, commands not legal in the state the session will be in once
//   the commands already sent succeed.
// - After +OK to STLS, any bytes already received behind that reply are discarded and
//   reported, and the capabilities learned before TLS are forgotten (RFC 2595 §4).
// - A SASL exchange is carried out by the mechanism: each "+ " challenge is answered
//   automatically, and every step is reported as an AuthStep event.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "pop3/core/capability.hpp"
#include "pop3/core/command.hpp"
#include "pop3/core/dot_stuffing.hpp"
#include "pop3/core/events.hpp"
#include "pop3/core/line_framer.hpp"
#include "pop3/core/mechanism.hpp"
#include "pop3/core/state_table.hpp"

namespace pop3 {

struct ClientConfig {
  bool enforce_states = true;  // off for the shell, so students can see the -ERR
  // RETR/TOP data as BodyChunk events, not in Reply::body. The chunks of a body come
  // before the ReplyEvent of their reply, which ends the body.
  bool stream_message_bodies = false;
  bool accept_bare_lf = false;  // leniency: replies may end lines with LF alone
  bool tls_active = false;      // implicit TLS: the connection started under TLS
};

class ClientSession {
 public:
  explicit ClientSession(ClientConfig config = {});
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;
  ClientSession(ClientSession&&) noexcept;
  ClientSession& operator=(ClientSession&&) noexcept;

  void feed(std::string_view bytes);
  Step next();

  std::error_code send(const Command& command);
  // A line as typed (the shell). Parsed when it can be, to know the reply's shape; an
  // unknown keyword is sent as it is and expects a one-line reply. Refuses CR/LF/NUL.
  // During a SASL exchange without a mechanism object, the line is a client response.
  std::error_code send_raw(std::string_view line);
  // AUTH <mechanism> [initial response], then the whole exchange.
  std::error_code authenticate(std::unique_ptr<ClientMechanism> mechanism);

  void tls_established();
  void tls_failed();
  void connection_lost();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool greeted() const noexcept { return greeted_; }
  [[nodiscard]] bool tls_active() const noexcept { return config_.tls_active; }
  [[nodiscard]] const std::optional<std::string>& apop_timestamp() const noexcept {
    return apop_timestamp_;
  }
  [[nodiscard]] const Capabilities& capabilities() const noexcept { return capabilities_; }
  [[nodiscard]] bool capabilities_known() const noexcept { return capabilities_known_; }
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }
  [[nodiscard]] std::uint64_t octets_in() const noexcept { return octets_in_; }
  [[nodiscard]] std::uint64_t octets_out() const noexcept { return octets_out_; }

 private:
  struct Pending {
    std::optional<Verb> verb;  // nullopt: unknown keyword or a SASL response line
    std::size_t arg_count = 0;
    bool sasl_response = false;
  };
  std::error_code check_can_send(std::optional<Verb> verb) const;
  void write_line(std::string line, std::optional<Verb> verb, std::size_t args, bool sasl);
  void handle_status_line(const FramedLine& line);
  void read_body(const std::string& data);
  void finish_reply(Reply reply, std::optional<Verb> verb, bool sasl);
  void handle_continuation(Reply reply, const Pending& pending);
  void fail(Errc error, std::string detail);
  void apply(Signal signal, std::optional<Verb> verb, Outcome outcome);
  void repredict();
  void emit(Step step);

  ClientConfig config_;
  LineFramer framer_;
  DotDecoder decoder_;
  State state_ = State::Authorization;
  State predicted_ = State::Authorization;
  std::deque<Step> queue_;
  std::deque<Pending> pending_;
  std::unique_ptr<ClientMechanism> mechanism_;
  std::optional<ClientSaslStep> deferred_initial_;  // an initial response too long for AUTH
  std::optional<Reply> in_body_;                    // a multi-line reply whose body is being read
  std::optional<Verb> body_verb_;
  std::string body_text_;  // unstuffed body so far (not streamed)
  Capabilities capabilities_;
  bool capabilities_known_ = false;
  std::optional<std::string> apop_timestamp_;
  bool greeted_ = false;
  bool stls_pending_ = false;
  bool tls_pending_ = false;
  bool closed_ = false;
  bool closed_reported_ = false;
  bool update_done_ = false;
  std::uint64_t octets_in_ = 0;
  std::uint64_t octets_out_ = 0;
  std::uint64_t in_offset_ = 0;  // incoming octets taken by the session so far
};

}  // namespace pop3
