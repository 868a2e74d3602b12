#pragma once
// Line ends between the disk and the wire, converted in pieces of any size.
//
// On the wire (RFC 1939) every line ends in CRLF, the last one included. On disk a
// Maildir message may use LF (what Postfix, Dovecot and procmail store), CRLF, or a mix.
// The rules match pop3::maildrop::to_wire_form, so both maildrops agree to the octet:
//   - an LF not preceded by CR becomes CRLF; every other byte passes unchanged
//     (a bare CR included);
//   - a non-empty message gets a final line end: "\n" after a trailing CR, "\r\n" after
//     anything but LF; an empty message stays empty.
// The state carried between pieces is the last byte seen, so a CR at the end of one piece
// followed by an LF at the start of the next is one line end, not two.
//
// The way back (to_disk, for delivery) turns CRLF into LF except where the CR itself
// follows a CR: "\r\r\n" is kept as is, because LF-only storage cannot tell it from
// "\r\n" otherwise. With that exception the round trip is exact: the wire form of what
// was stored equals the wire form of what was delivered.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pop3::maildir {

// Disk form -> wire form, in pieces, into caller-supplied buffers.
class WireEncoder {
 public:
  struct Step {
    std::size_t consumed = 0;  // bytes of input used
    std::size_t produced = 0;  // bytes written to out
  };
  // Converts as much of `in` as fits in out[0..capacity). Input left unconsumed must be
  // passed again.
  Step encode(std::string_view in, char* out, std::size_t capacity) noexcept;
  // After the last input: writes the final line end, if one is owed. Returns the bytes
  // written; call again until done() (needs at most two bytes of room in total).
  std::size_t finish(char* out, std::size_t capacity) noexcept;
  [[nodiscard]] bool done() const noexcept { return finished_ && pending_size_ == 0; }

 private:
  std::size_t flush(char* out, std::size_t capacity) noexcept;

  char last_ = 0;  // the last input byte, 0 before any
  bool seen_input_ = false;
  bool finished_ = false;
  char pending_[2] = {};  // output owed but not yet written (out was full)
  std::size_t pending_size_ = 0;
};

// Counts the wire octets of a disk form fed in pieces, without producing them.
class WireSizer {
 public:
  void add(std::string_view piece) noexcept;
  // The wire size of everything added so far, final line end included.
  [[nodiscard]] std::uint64_t total() const noexcept;
  [[nodiscard]] std::uint64_t disk_size() const noexcept { return disk_; }

 private:
  std::uint64_t disk_ = 0;
  std::uint64_t added_crs_ = 0;
  char last_ = 0;
};

[[nodiscard]] std::uint64_t wire_size(std::string_view disk_form) noexcept;
[[nodiscard]] std::string to_wire(std::string_view disk_form);

// CRLF -> LF, in pieces (see the rule above). A CR at the end of a piece is held back
// until the next piece (or finish) shows whether an LF follows.
class DiskEncoder {
 public:
  void encode(std::string_view in, std::string& out);
  void finish(std::string& out);

 private:
  char last_ = 0;  // the last byte written out
  bool held_cr_ = false;
  bool held_cr_after_cr_ = false;
};

[[nodiscard]] std::string to_disk(std::string_view crlf_form);

}  // namespace pop3::maildir
