#pragma once
// Appending messages to an mbox file (the mboxrd variant): a "From " separator line,
// the message with CRLF turned into LF and every line that matches /^>*From / given one
// more '>', then an empty line. Each message is written whole and fsynced before
// commit() returns; the file is locked (fcntl) while a message is appended.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace pop3::client {

class MboxWriter {
 public:
  explicit MboxWriter(std::filesystem::path path);
  ~MboxWriter();
  MboxWriter(const MboxWriter&) = delete;
  MboxWriter& operator=(const MboxWriter&) = delete;

  // The offset at which the next message starts (for the UIDL store's journal).
  [[nodiscard]] std::uint64_t end_offset() const;
  void begin();
  void append(std::string_view wire_data);  // pieces of the message in wire form
  void commit();                            // writes, fsyncs, unlocks
  void abort() noexcept;                    // drops what was appended since begin()

 private:
  void write_all(const std::string& data);
  void quote_line(std::string_view line);
  std::filesystem::path path_;
  int fd_ = -1;
  std::string pending_;  // the message being built
  std::string partial_;  // an unfinished line of input
  bool active_ = false;
};

}  // namespace pop3::client
