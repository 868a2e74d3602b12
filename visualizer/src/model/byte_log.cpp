#include "model/byte_log.hpp"

#include <algorithm>

namespace pop3::viz {

std::string_view ByteLog::bytes(const ByteRow& row) const noexcept {
  const std::string& s = streams_[dir_index(row.dir)];
  const auto b = static_cast<std::size_t>(std::min<std::uint64_t>(row.begin, s.size()));
  const auto e = static_cast<std::size_t>(std::min<std::uint64_t>(row.end, s.size()));
  return std::string_view(s).substr(b, e - b);
}

std::uint64_t ByteLog::end_at(Direction dir, std::size_t cursor) const noexcept {
  const auto& marks = marks_[dir_index(dir)];
  // The last mark whose record is before the cursor.
  auto it = std::partition_point(marks.begin(), marks.end(),
                                 [&](const Mark& m) { return m.record < cursor; });
  return it == marks.begin() ? 0 : std::prev(it)->end;
}

trace::Channel ByteLog::channel_at(Direction dir, std::uint64_t offset) const noexcept {
  const auto& marks = marks_[dir_index(dir)];
  auto it = std::partition_point(marks.begin(), marks.end(),
                                 [&](const Mark& m) { return m.end <= offset; });
  return it == marks.end() ? trace::Channel::Plain : it->channel;
}

std::size_t ByteLog::open_row(std::size_t record, Direction dir, trace::Channel channel) {
  const std::size_t d = dir_index(dir);
  ByteRow row;
  row.first_record = row.last_record = record;
  row.dir = dir;
  row.channel = channel;
  row.begin = row.end = streams_[d].size();
  rows_.push_back(row);
  by_dir_[d].push_back(rows_.size() - 1);
  open_[d] = static_cast<std::ptrdiff_t>(rows_.size() - 1);
  return rows_.size() - 1;
}

void ByteLog::add(std::size_t record, Direction dir, trace::Channel channel,
                  std::string_view bytes) {
  if (bytes.empty()) return;
  const std::size_t d = dir_index(dir);
  // A change of channel (STLS) closes the open row of the other kind.
  if (open_[d] >= 0 && rows_[static_cast<std::size_t>(open_[d])].channel != channel) open_[d] = -1;
  if (channel == trace::Channel::Plain)
    add_plain(record, dir, bytes);
  else
    add_tls(record, dir, bytes);
  marks_[d].push_back({record, streams_[d].size(), channel});
}

void ByteLog::add_plain(std::size_t record, Direction dir, std::string_view bytes) {
  const std::size_t d = dir_index(dir);
  std::string& s = streams_[d];
  for (const char c : bytes) {
    if (open_[d] < 0) open_row(record, dir, trace::Channel::Plain);
    s.push_back(c);
    ByteRow& row = rows_[static_cast<std::size_t>(open_[d])];
    row.end = s.size();
    row.last_record = record;
    if (c == '\n' || row.end - row.begin >= kMaxRowBytes) {
      row.complete = c == '\n';
      open_[d] = -1;
    }
  }
}

void ByteLog::add_tls(std::size_t record, Direction dir, std::string_view bytes) {
  const std::size_t d = dir_index(dir);
  std::string& s = streams_[d];
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (open_[d] < 0) open_row(record, dir, trace::Channel::Tls);
    ByteRow& row = rows_[static_cast<std::size_t>(open_[d])];
    row.last_record = record;
    const std::uint64_t have = row.end - row.begin;
    // Fill the 5-byte header first, then the payload it announces.
    const std::uint64_t want = have < 5 ? 5 - have : (5 + row.tls_length) - have;
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(want, bytes.size() - i));
    s.append(bytes.substr(i, take));
    i += take;
    row.end += take;
    if (row.end - row.begin == 5 && row.tls_length == 0 && have < 5) {
      const auto* h = reinterpret_cast<const unsigned char*>(s.data() + row.begin);
      row.tls_type = h[0];
      row.tls_version = static_cast<std::uint16_t>((h[1] << 8) | h[2]);
      row.tls_length = static_cast<std::uint32_t>((h[3] << 8) | h[4]);
    }
    if (row.end - row.begin >= 5 && row.end - row.begin == 5 + row.tls_length) {
      row.complete = true;
      open_[d] = -1;
    }
  }
}

}  // namespace pop3::viz
