#pragma once
// Internal to the server session: a RETR or TOP body being sent, read from the maildrop
// piece by piece, cut after the requested number of body lines for TOP, stuffed.
#include <memory>
#include <string_view>

#include "pop3/core/dot_stuffing.hpp"
#include "pop3/core/maildrop.hpp"
#include "pop3/core/server_session.hpp"

namespace pop3 {

struct ServerSession::Streaming {
  std::unique_ptr<MessageStream> stream;
  DotEncoder encoder;
  bool top = false;
  std::uint64_t lines_left = 0;  // TOP: body lines still to send
  bool in_headers = true;
  std::size_t line_octets = 0;  // octets of the current line so far, before its LF

  // Keeps the part of `data` that TOP sends; returns false once TOP has all it needs.
  bool filter(std::string_view& data) {
    if (!top) return true;
    std::size_t i = 0;
    while (i < data.size()) {
      if (!in_headers && lines_left == 0) {
        data = data.substr(0, i);
        return false;
      }
      const std::size_t lf = data.find('\n', i);
      if (lf == std::string_view::npos) {
        line_octets += data.size() - i;
        return true;
      }
      line_octets += lf - i;
      const bool empty_line =
          line_octets == 0 || (line_octets == 1 && lf > 0 && data[lf - 1] == '\r');
      if (in_headers) {
        if (empty_line) in_headers = false;
      } else {
        --lines_left;
      }
      line_octets = 0;
      i = lf + 1;
    }
    if (!in_headers && lines_left == 0) return false;
    return true;
  }
};

}  // namespace pop3
