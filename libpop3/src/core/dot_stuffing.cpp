#include "pop3/core/dot_stuffing.hpp"

namespace pop3 {

void DotEncoder::encode(std::string_view data, std::string& out) {
  if (data.empty()) return;
  out.reserve(out.size() + data.size() + 16);
  std::size_t run_start = 0;
  std::size_t i = 0;
  while (i < data.size()) {
    if (at_line_start_) {
      if (data[i] == '.') {
        out.append(data.substr(run_start, i - run_start));
        out.push_back('.');  // the stuffing octet; data[i] itself goes out with the run
        run_start = i;
      }
      at_line_start_ = false;
    }
    const std::size_t lf = data.find('\n', i);
    if (lf == std::string_view::npos) break;
    i = lf + 1;
    at_line_start_ = true;
  }
  out.append(data.substr(run_start));
  last_was_cr_ = data.back() == '\r';
}

void DotEncoder::finish(std::string& out) {
  if (!at_line_start_) out += last_was_cr_ ? "\n" : "\r\n";
  out += ".\r\n";
  at_line_start_ = true;
  last_was_cr_ = false;
}

std::size_t DotDecoder::decode(std::string_view data, std::string& out) {
  std::size_t i = 0;
  while (i < data.size() && state_ != State::Done) {
    const char c = data[i];
    switch (state_) {
      case State::InLine: {
        // Copy the run up to the next line-end candidate in one go.
        std::size_t stop = data.find_first_of(options_.accept_bare_lf ? "\r\n" : "\r", i);
        if (stop == std::string_view::npos) stop = data.size();
        out.append(data.substr(i, stop - i));
        i = stop;
        if (i < data.size()) {
          out.push_back(data[i]);
          state_ = data[i] == '\r' ? State::InLineCr : State::LineStart;
          ++i;
        }
        continue;
      }
      case State::LineStart:
        if (c == '.') {
          state_ = State::Dot;
          ++i;
          continue;
        }
        state_ = State::InLine;
        continue;  // handle c as ordinary line content
      case State::InLineCr:
        if (c == '\n') {
          out.push_back(c);
          state_ = State::LineStart;
          ++i;
        } else {
          state_ = State::InLine;  // a lone CR is content
        }
        continue;
      case State::Dot:
        if (c == '\r') {
          state_ = State::DotCr;
          ++i;
        } else if (c == '\n' && options_.accept_bare_lf) {
          state_ = State::Done;
          ++i;
        } else {
          // RFC 1939 §3: a leading '.' followed by anything but CRLF is stripped.
          state_ = State::InLine;
        }
        continue;
      case State::DotCr:
        if (c == '\n') {
          state_ = State::Done;
          ++i;
        } else {
          out.push_back('\r');  // ".\r" then more: the dot was stuffing, the CR is content
          state_ = State::InLineCr;
        }
        continue;
      case State::Done:
        break;
    }
  }
  return i;
}

}  // namespace pop3
