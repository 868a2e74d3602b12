#pragma once
// Reply: a server response. A status line (+OK, -ERR, or "+ " continuation during AUTH),
// an optional RFC 2449 response code, and for multi-line replies the body lines with
// dot-stuffing already removed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pop3 {

enum class Status : std::uint8_t { Ok, Err, Continue };

// RFC 2449 §8 extended response codes, including RFC 3206 and RFC 5034 / RFC 6856 ones.
// Unknown codes are kept as text (the code hierarchy is open-ended).
struct ResponseCode {
  std::string text;  // "IN-USE", "SYS/TEMP", ...

  static ResponseCode in_use() { return {"IN-USE"}; }
  static ResponseCode login_delay() { return {"LOGIN-DELAY"}; }
  static ResponseCode sys_temp() { return {"SYS/TEMP"}; }
  static ResponseCode sys_perm() { return {"SYS/PERM"}; }
  static ResponseCode auth() { return {"AUTH"}; }
  static ResponseCode utf8() { return {"UTF8"}; }

  // The part before the first '/', which is what RFC 2449 says a client may act on.
  [[nodiscard]] std::string_view top() const noexcept;
  // What the code tells the client, in a sentence (for the shell and the labs).
  [[nodiscard]] std::string_view meaning() const noexcept;
  friend bool operator==(const ResponseCode&, const ResponseCode&) = default;
};

struct Reply {
  Status status = Status::Ok;
  std::optional<ResponseCode> code;
  std::string text;                // after the status (and code), without CRLF
  bool multiline = false;          // a body follows the status line
  std::vector<std::string> lines;  // body lines, unstuffed, without CRLF (not for RETR/TOP)
  std::string body;                // RETR/TOP message data, unstuffed, CRLF line ends

  [[nodiscard]] bool ok() const noexcept { return status == Status::Ok; }
  friend bool operator==(const Reply&, const Reply&) = default;

  static Reply make(Status status, std::optional<ResponseCode> code, std::string text) {
    Reply r;
    r.status = status;
    r.code = std::move(code);
    r.text = std::move(text);
    return r;
  }
  static Reply positive(std::string text) {
    return make(Status::Ok, std::nullopt, std::move(text));
  }
  static Reply negative(std::string text, std::optional<ResponseCode> code = std::nullopt) {
    return make(Status::Err, std::move(code), std::move(text));
  }
};

[[nodiscard]] std::string_view status_token(Status status) noexcept;  // "+OK", "-ERR", "+"

}  // namespace pop3
