#pragma once
// StartTlsInjector: STARTTLS command injection (CVE-2011-0411, Wietse Venema's Postfix
// advisory; the same flaw was found in many POP3, IMAP and SMTP servers and, the other
// way round, in clients: "NO STARTTLS", Poddebniak et al., USENIX Security 2021). The
// attacker appends plaintext right behind the STLS exchange, in the same TCP segment: a
// peer that reads its input buffer after switching to TLS runs the attacker's bytes as
// if they had come through the encrypted channel.
//
//   Target::Server  c2s: "STLS\r\n" + bytes (e.g. "CAPA\r\n", "USER victim\r\n")
//   Target::Client  s2c: "+OK Begin TLS\r\n" + bytes (e.g. a forged CAPA reply)
//
// pop3lab's sessions discard such bytes and report them (InjectionDiscarded, the
// "injection_discarded" trace record): that is what this attacker demonstrates.
//
// Contract:
// - Plaintext is handled by whole lines, whatever the chunking; the bytes go out in the
//   same delivery as the line they follow (the classic shape). With same_segment off they
//   are injected as a separate delivery instead: they then reach the peer after it has
//   switched to TLS and break its handshake, which is the other thing that can happen.
// - It injects once, at the first STLS (Target::Server) or the first +OK to STLS
//   (Target::Client); everything else passes unchanged. Notes say what it did.
#include <cstdint>
#include <string>
#include <string_view>

#include "pop3/attack/conversation.hpp"
#include "pop3/attack/line_buffer.hpp"
#include "pop3/sim/middlebox.hpp"

namespace pop3::attack {

class StartTlsInjector final : public sim::Middlebox {
 public:
  enum class Target : std::uint8_t {
    Server,  // behind the client's STLS command, toward the server
    Client,  // behind the server's +OK to STLS, toward the client
  };

  StartTlsInjector(Target target, std::string bytes, bool same_segment = true)
      : target_(target), bytes_(std::move(bytes)), same_segment_(same_segment) {}

  [[nodiscard]] std::string_view name() const noexcept override { return "starttls-injector"; }
  void on_chunk(const sim::ChunkView& chunk, sim::MiddleboxOutput& out) override;

  [[nodiscard]] bool injected() const noexcept { return injected_; }

 private:
  [[nodiscard]] bool is_trigger(const LineInfo& info, Direction direction) const;

  Target target_;
  std::string bytes_;
  bool same_segment_;
  ConversationFollower follower_;
  LineBuffer c2s_;
  LineBuffer s2c_;
  bool injected_ = false;
};

}  // namespace pop3::attack
