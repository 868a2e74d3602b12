#pragma once
// Maildir file names (https://cr.yp.to/proto/maildir.html, and Dovecot's additions).
//
//   cur/1700000000.M123456P4242Q7.host,S=1200,W=1230:2,RS
//       `------------ unique name ------------------' `info'
//
// The unique name is fixed at delivery and never changes; what follows the ':' is the
// "info" (for "2," the flags), which readers rewrite by renaming the file. Dovecot adds
// size hints after a ',' (S= bytes on disk, W= bytes in wire form); they belong to the
// unique name. A file in new/ has no info yet.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace pop3::maildir {

// The unique name: everything before the first ':' (the whole name if there is none).
[[nodiscard]] std::string_view unique_part(std::string_view file_name) noexcept;

// When the message was delivered, as the unique name tells it: the leading decimal
// seconds, and the microseconds of a following ".M<usec>" (Dovecot, Postfix). Names
// that do not start with a timestamp have known == false.
struct DeliveryStamp {
  bool known = false;
  std::uint64_t seconds = 0;
  std::uint64_t micros = 0;
  friend auto operator<=>(const DeliveryStamp&, const DeliveryStamp&) = default;
};
[[nodiscard]] DeliveryStamp delivery_stamp(std::string_view unique) noexcept;

// Orders unique names with runs of digits compared as numbers, so "...M9P1Q9.h" sorts
// before "...M10P1Q10.h" (deliveries in one second, or one microsecond, stay in order).
// Ties between equal numbers spelled differently ("01", "1") fall back to plain byte
// order, so this is a strict total order.
[[nodiscard]] bool natural_less(std::string_view a, std::string_view b) noexcept;

// The host part of a unique name: '/' and ':' written as \057 and \072 (as the Maildir
// spec says), so the name is one path component and its info separator is unambiguous.
// An empty host becomes "localhost".
[[nodiscard]] std::string escape_host(std::string_view host);

// "SECONDS.M<usec>P<pid>Q<counter>.HOST": time, process and a per-process counter make
// it unique on this host; HOST (escaped) makes it unique across hosts.
[[nodiscard]] std::string make_unique_name(std::chrono::system_clock::time_point when, pid_t pid,
                                           std::uint64_t counter, std::string_view host);

// This host's name, as gethostname(2) gives it ("localhost" if that fails).
[[nodiscard]] std::string local_host_name();

}  // namespace pop3::maildir
