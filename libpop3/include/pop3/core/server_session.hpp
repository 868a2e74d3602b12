#pragma once
// ServerSession: the server side of one POP3 connection, sans-IO.
//
// Driving it:
//   ServerSession s(config, authenticator, maildrops, now);
//   loop: s.feed(bytes, now) whenever bytes arrive; then call s.next(now) until it
//   returns NeedInput (write every Send in order; on StartTls do the handshake and call
//   tls_established() or tls_failed(); on Closed close the connection). When nothing
//   arrives, call next(now) again at s.deadline(): a failed login's -ERR is held back
//   until then, and the autologout timer fires then. The timer restarts with each
//   complete command line (RFC 1939 §3), not with bytes that do not end one.
//   If the connection drops, call connection_lost(): the session closes without UPDATE.
//
// Contract:
// - Commands are answered strictly in order, one at a time, so pipelined commands
//   (RFC 2449 PIPELINING) get their replies in order.
// - Every malformed or illegal command gets -ERR and the session goes on (until
//   max_errors in a row, which ends it).
// - A message is read from the maildrop in pieces as the Sends are taken, so memory
//   does not grow with message size.
// - Deletions reach the maildrop's commit() only on QUIT in TRANSACTION.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pop3/core/authenticator.hpp"
#include "pop3/core/capability.hpp"
#include "pop3/core/command.hpp"
#include "pop3/core/dot_stuffing.hpp"
#include "pop3/core/events.hpp"
#include "pop3/core/line_framer.hpp"
#include "pop3/core/maildrop.hpp"
#include "pop3/core/state_table.hpp"
#include "pop3/core/time.hpp"

namespace pop3 {

struct ServerConfig {
  std::string greeting = "POP3 server ready";
  // The APOP timestamp to put in the greeting ("<...@host>"), fresh and unique for every
  // connection; empty for no APOP. pop3::auth::make_apop_timestamp() makes one.
  std::string apop_timestamp;
  std::string implementation = "pop3lab";
  std::string server_name = "pop3lab";  // in the QUIT reply: "<name> POP3 server signing off"
  bool tls_available = false;           // STLS can be offered on this connection
  bool tls_active = false;              // the connection is already under TLS (implicit TLS port)
  // RFC 2595 §4 LOGINDISABLED: without TLS, USER/PASS and PLAIN/LOGIN are neither
  // advertised nor accepted.
  bool plaintext_auth_requires_tls = false;
  bool offer_utf8 = true;  // RFC 6856
  bool offer_pipelining = true;
  std::optional<int> expire_days;          // RFC 2449 EXPIRE; nullopt: not advertised
  std::optional<int> login_delay_seconds;  // RFC 2449 LOGIN-DELAY
  std::chrono::seconds autologout{600};
  // RFC 1939 §3 requires at least 10 minutes; a lab may ask for less explicitly.
  bool allow_short_autologout = false;
  std::chrono::milliseconds failed_auth_delay{0};
  std::uint64_t max_message_octets = 0;  // 0: no limit; larger messages get -ERR [SYS/PERM]
  int max_errors = 20;                   // consecutive bad commands before the session is ended
  bool accept_bare_lf = false;           // leniency: commands may end with LF alone
};

class ServerSession {
 public:
  ServerSession(ServerConfig config, Authenticator& authenticator, MaildropProvider& maildrops,
                TimePoint now);
  ~ServerSession();
  ServerSession(const ServerSession&) = delete;
  ServerSession& operator=(const ServerSession&) = delete;

  void feed(std::string_view bytes, TimePoint now);
  Step next(TimePoint now);

  // When next() must be called even if no input arrives: a held-back reply is due or
  // the autologout timer expires.
  [[nodiscard]] TimePoint deadline() const noexcept;
  // The two parts of deadline(): when a held-back reply (a failed login's -ERR) is due,
  // if one is; and when the autologout timer fires.
  [[nodiscard]] std::optional<TimePoint> reply_due() const noexcept { return hold_until_; }
  [[nodiscard]] TimePoint autologout_at() const noexcept;
  // The autologout timer's length (RFC 1939 §3: ten minutes at least, unless the config
  // allows a lab's shorter one). A driver also gives up on a write that makes no
  // progress for this long: a client that reads nothing must not hold its maildrop.
  [[nodiscard]] Duration autologout_period() const noexcept;

  void tls_established(TimePoint now);
  void tls_failed();
  void connection_lost();
  // Graceful shutdown: tell the client and close; no UPDATE.
  void shutdown(std::string_view reason);

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool tls_active() const noexcept { return config_.tls_active; }
  [[nodiscard]] const std::string& user() const noexcept { return user_; }
  [[nodiscard]] Capabilities capabilities() const;
  // Total octets received and sent so far (the offsets of SecretSeen events).
  [[nodiscard]] std::uint64_t octets_in() const noexcept { return octets_in_; }
  [[nodiscard]] std::uint64_t octets_out() const noexcept { return octets_out_; }

 private:
  struct Streaming;
  void greet();
  void handle_line(const FramedLine& line, TimePoint now);
  void announce(const Command& command, const std::string& raw, std::uint64_t offset);
  void handle_command(const Command& command, const std::string& raw, std::uint64_t offset,
                      TimePoint now);
  void handle_sasl_line(const std::string& text, const std::string& raw, std::uint64_t offset,
                        TimePoint now);
  void do_user(const Command& c);
  void do_pass(const Command& c, TimePoint now);
  void do_apop(const Command& c, TimePoint now);
  void do_auth(const Command& c, const std::string& raw, std::uint64_t offset, TimePoint now);
  void do_stls();
  void do_capa();
  void do_stat();
  void do_list(const Command& c, bool uidl);
  void do_retr(const Command& c, bool top);
  void do_dele(const Command& c);
  void do_rset();
  void do_quit();
  void sasl_result(const SaslStep& step, Signal signal, std::optional<Verb> verb, TimePoint now);
  void login_succeeded(const std::string& user, Signal signal, std::optional<Verb> verb);
  void login_failed(Signal signal, std::optional<Verb> verb, const AuthDecision& decision,
                    TimePoint now);
  [[nodiscard]] bool plaintext_auth_allowed() const noexcept;
  [[nodiscard]] std::vector<std::string> offered_mechanisms() const;
  std::optional<std::size_t> message_number(const std::string& arg, bool allow_deleted);
  void reply(Status status, std::string text, std::optional<ResponseCode> code = std::nullopt);
  void reply_multiline(std::string text, std::vector<std::string> lines, Verb verb);
  void error_reply(Errc error, std::string text, std::optional<ResponseCode> code = {});
  void move(Signal signal, std::optional<Verb> verb, Outcome outcome);
  void emit(Step step);
  void send(std::string bytes);
  void pump_stream();
  void close_now(bool update_done);
  static std::size_t line_end_size(const std::string& raw) noexcept;

  ServerConfig config_;
  Authenticator& authenticator_;
  MaildropProvider& maildrops_;
  LineFramer framer_;
  State state_ = State::Authorization;
  std::deque<Step> queue_;
  std::string user_;  // after USER; after login, the logged-in user
  std::unique_ptr<ServerMechanism> sasl_;
  std::string sasl_name_;
  std::unique_ptr<Maildrop> maildrop_;
  std::unique_ptr<Streaming> streaming_;
  std::optional<Verb> current_verb_;
  std::uint64_t octets_in_ = 0;  // octets received (framed or discarded)
  std::uint64_t octets_out_ = 0;
  std::uint64_t consumed_ = 0;  // octets framed so far (offset of the next line)
  TimePoint last_activity_;
  std::optional<TimePoint> hold_until_;  // a failed login's -ERR is held back until then
  std::size_t held_from_ = 0;            // queue_ entries before this index are not held
  int consecutive_errors_ = 0;
  bool utf8_ = false;
  bool tls_pending_ = false;
  bool closed_ = false;
  bool closed_reported_ = false;
  bool update_done_ = false;
};

}  // namespace pop3
