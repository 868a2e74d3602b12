#pragma once
// ByteLog: the bytes of one session in both directions, as they arrived record by record,
// cut into rows a list can show: one row per line on the plain channel, one row per TLS
// record on the tls channel. Rows are created when their first byte arrives, so their
// order is the order of the conversation, and a row's first record only grows along the
// list (which is what lets a list clip to the timeline cursor with a binary search).
//
// One ByteLog holds a session's wire bytes (the TCP stream of each direction: plain and
// TLS bytes share its offsets) and another its application bytes (the POP3 stream).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pop3/core/events.hpp"
#include "pop3/sim/eavesdropper.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::viz {

[[nodiscard]] constexpr std::size_t dir_index(Direction d) noexcept {
  return d == Direction::ClientToServer ? 0 : 1;
}

struct ByteRow {
  std::size_t first_record = 0;  // model record holding the row's first byte
  std::size_t last_record = 0;   // ... and its last byte so far
  Direction dir = Direction::ClientToServer;
  trace::Channel channel = trace::Channel::Plain;
  std::uint64_t begin = 0;  // [begin, end) of the direction's stream
  std::uint64_t end = 0;
  bool complete = false;  // the line ended (LF) or the TLS record is whole
  // TLS record header (channel tls): content type (20..23), record version, length.
  std::uint8_t tls_type = 0;
  std::uint16_t tls_version = 0;
  std::uint32_t tls_length = 0;
};

// The panels name a row's TLS content type with the simulator's table.
using pop3::sim::tls_content_type_name;

class ByteLog {
 public:
  // A longer line is cut into rows of this many bytes (a list row stays bounded).
  static constexpr std::uint64_t kMaxRowBytes = 16 * 1024;

  // Bytes of model record `record`. `offset` is where the producer says they start; the
  // log trusts the order and appends (a gap in a damaged trace shifts nothing else).
  void add(std::size_t record, Direction dir, trace::Channel channel, std::string_view bytes);

  [[nodiscard]] const std::string& stream(Direction dir) const noexcept {
    return streams_[dir_index(dir)];
  }
  [[nodiscard]] std::string_view bytes(const ByteRow& row) const noexcept;
  [[nodiscard]] const std::vector<ByteRow>& rows() const noexcept { return rows_; }
  // Indexes into rows() of one direction's rows, in order.
  [[nodiscard]] const std::vector<std::size_t>& rows_of(Direction dir) const noexcept {
    return by_dir_[dir_index(dir)];
  }
  // How long the direction's stream was once records [0, cursor) had arrived.
  [[nodiscard]] std::uint64_t end_at(Direction dir, std::size_t cursor) const noexcept;
  // The channel of the stream byte at `offset` (the channel its record came on).
  [[nodiscard]] trace::Channel channel_at(Direction dir, std::uint64_t offset) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }

 private:
  struct Mark {
    std::size_t record;
    std::uint64_t end;  // stream length after the record
    trace::Channel channel;
  };
  void add_plain(std::size_t record, Direction dir, std::string_view bytes);
  void add_tls(std::size_t record, Direction dir, std::string_view bytes);
  std::size_t open_row(std::size_t record, Direction dir, trace::Channel channel);

  std::array<std::string, 2> streams_;
  std::array<std::vector<Mark>, 2> marks_;
  std::array<std::vector<std::size_t>, 2> by_dir_;
  std::array<std::ptrdiff_t, 2> open_{-1, -1};  // the row still growing, per direction
  std::vector<ByteRow> rows_;
};

}  // namespace pop3::viz
