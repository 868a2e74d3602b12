#pragma once
// The maildrop as a POP3 session sees it (RFC 1939 §3): a snapshot taken when the
// session enters TRANSACTION, messages numbered from 1 and never renumbered, deletion
// marks that only take effect in UPDATE.
//
// Implementations: pop3::maildrop::MemoryMaildrop (tests, simulator) and
// pop3::maildir::Maildir (the server). Both produce messages in wire form.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pop3 {

struct MessageInfo {
  std::uint64_t octets = 0;  // size in wire form: CRLF line ends, before dot-stuffing
  std::string uidl;          // RFC 1939 §7: 1..70 characters in 0x21..0x7E
};

// A message's wire form, read in pieces so a large message never sits in memory whole.
// Wire form: every line ends in CRLF, including the last; exactly `octets` bytes.
class MessageStream {
 public:
  virtual ~MessageStream() = default;
  // Fills up to out.size() bytes; returns how many, 0 at the end. Throws
  // std::system_error if the message cannot be read.
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

struct UpdateResult {
  std::size_t removed = 0;  // messages actually removed
  std::size_t failed = 0;   // marked messages that could not be removed (still there)
  std::string error;        // what went wrong, when failed > 0
  [[nodiscard]] bool ok() const noexcept { return failed == 0; }
};

class Maildrop {
 public:
  virtual ~Maildrop() = default;  // releases the lock; never deletes anything

  // Messages in the snapshot, deleted ones included.
  [[nodiscard]] virtual std::size_t count() const noexcept = 0;
  // number is 1-based and must be in 1..count().
  [[nodiscard]] virtual const MessageInfo& info(std::size_t number) const = 0;
  [[nodiscard]] virtual bool is_deleted(std::size_t number) const = 0;
  virtual void mark_deleted(std::size_t number) = 0;
  virtual void unmark_all() = 0;  // RSET
  virtual std::unique_ptr<MessageStream> open_message(std::size_t number) = 0;
  // UPDATE: remove every marked message. Each removal is atomic: a message is either
  // still there, whole, or gone.
  virtual UpdateResult commit() = 0;

  // Derived from the above: what STAT reports.
  [[nodiscard]] std::size_t live_count() const;
  [[nodiscard]] std::uint64_t live_octets() const;
};

// Opening a user's maildrop takes its exclusive lock.
struct MaildropOpen {
  enum class Outcome { Opened, InUse, Unavailable };
  Outcome outcome = Outcome::Unavailable;
  std::unique_ptr<Maildrop> maildrop;
  std::string reason;
};

class MaildropProvider {
 public:
  virtual ~MaildropProvider() = default;
  virtual MaildropOpen open(std::string_view user) = 0;
};

// RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E.
[[nodiscard]] bool valid_uidl(std::string_view uidl) noexcept;

}  // namespace pop3
