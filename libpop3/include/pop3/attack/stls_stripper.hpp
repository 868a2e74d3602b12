#pragma once
// StlsStripper: the STARTTLS downgrade (RFC 2595 §2.2's warning; Zakir Durumeric et al.,
// "Neither Snow Nor Rain Nor MITM", 2015). An on-path attacker who can change plaintext
// removes "STLS" from the server's CAPA reply, and can answer the client's STLS with
// -ERR itself without passing it on. A client that takes TLS only when it is offered then
// logs in in clear; a client that requires TLS gives up. Nothing else is touched.
//
// Contract:
// - Plaintext is handled by whole lines, whatever the chunking (a LineBuffer per
//   direction): a line is passed on once its LF has arrived; octets of an unfinished line
//   wait. Lines it does not change go on unchanged, in order.
// - s2c: inside the body of a +OK reply to CAPA, a line whose tag is STLS is removed.
// - c2s (answer_stls on): the client's STLS line is not passed on; "-ERR ..." is
//   injected toward the client in its place, in reply order (after the replies to
//   commands sent before it).
// - TLS chunks (should TLS start anyway) pass unchanged.
// - Every change is a note in the link session ("removed STLS from the CAPA reply").
#include <cstddef>
#include <string>
#include <string_view>

#include "pop3/attack/conversation.hpp"
#include "pop3/attack/line_buffer.hpp"
#include "pop3/sim/middlebox.hpp"

namespace pop3::attack {

struct StlsStripperOptions {
  bool strip_capa = true;   // remove STLS from CAPA replies
  bool answer_stls = true;  // answer the client's STLS with -ERR instead of passing it on
  std::string stls_reply = "-ERR command not available";  // the line injected (no CRLF)
};

class StlsStripper final : public sim::Middlebox {
 public:
  explicit StlsStripper(StlsStripperOptions options = {}) : options_(std::move(options)) {}

  [[nodiscard]] std::string_view name() const noexcept override { return "stls-stripper"; }
  void on_chunk(const sim::ChunkView& chunk, sim::MiddleboxOutput& out) override;

  [[nodiscard]] std::size_t stls_removed_from_capa() const noexcept { return removed_; }
  [[nodiscard]] std::size_t stls_answered() const noexcept { return answered_; }

 private:
  void client_chunk(std::string_view octets, sim::MiddleboxOutput& out);
  void server_chunk(std::string_view octets, sim::MiddleboxOutput& out);
  // Injects the owed -ERR once every reply before it has gone through.
  void pay_debts(std::string& forward, sim::MiddleboxOutput& out);

  StlsStripperOptions options_;
  ConversationFollower follower_;
  LineBuffer c2s_;
  LineBuffer s2c_;
  std::size_t owed_ = 0;  // STLS commands swallowed and not answered yet
  std::size_t removed_ = 0;
  std::size_t answered_ = 0;
};

}  // namespace pop3::attack
