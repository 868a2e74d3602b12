#pragma once
// The maildrop as a session's trace shows it, as of the cursor: message numbers and sizes
// from STAT, LIST and RETR/TOP replies, UIDLs from UIDL replies, deletion marks from
// DELE (and RSET, which clears them), and what UPDATE will do (or did). Only what crossed
// the wire is known: a message the client never listed is not shown.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/trace_model.hpp"

namespace pop3::viz {

struct MessageView {
  std::uint64_t number = 0;
  std::optional<std::uint64_t> size;  // octets, as LIST says
  std::string uidl;
  bool deleted = false;    // marked by DELE (+OK), not cleared by RSET
  bool retrieved = false;  // RETR answered +OK
};

enum class UpdatePhase : std::uint8_t {
  NotLoggedIn,   // AUTHORIZATION: no maildrop open
  Transaction,   // QUIT now would run UPDATE
  Updating,      // UPDATE entered, not ended
  Updated,       // the session ended after UPDATE
  EndedWithout,  // the session ended without UPDATE: nothing removed
};

struct MaildropView {
  std::optional<std::uint64_t> count;  // STAT (or the listing)
  std::optional<std::uint64_t> octets;
  std::vector<MessageView> messages;  // by number
  UpdatePhase phase = UpdatePhase::NotLoggedIn;
  std::vector<std::uint64_t> marked;  // numbers marked for deletion
  std::uint64_t marked_octets = 0;    // of those with a known size
  std::string update;                 // what UPDATE will do / did, in a sentence
  [[nodiscard]] bool known() const noexcept { return count.has_value() || !messages.empty(); }
};

[[nodiscard]] MaildropView maildrop_at(const TraceModel& model, std::size_t session,
                                       std::size_t cursor);

}  // namespace pop3::viz
