#pragma once
// The UIDL of a Maildir message is its unique name (see names.hpp): it is fixed at
// delivery, so it survives sessions, restarts and flag changes. qmail-pop3d made the same
// choice; Dovecot offers the Maildir file name as a UIDL format too (%f).
//
// RFC 1939 §7 allows only 1..70 characters in 0x21..0x7E. A unique name that breaks the
// rule (too long, say, with a long host name; or a space or a byte above 0x7E) gets a
// derived UIDL instead, still a pure function of the name:
//
//     <longest valid prefix, at most 53 characters> "~" <16 hex digits of FNV-1a-64>
//
// FNV-1a is computed over the name's bytes, so it is the same on every build and host
// (std::hash makes no such promise). The prefix keeps the UIDL recognisable in `ls`.
#include <cstdint>
#include <string>
#include <string_view>

namespace pop3::maildir {

// 64-bit FNV-1a (offset basis 14695981039346656037, prime 1099511628211).
[[nodiscard]] std::uint64_t fnv1a64(std::string_view bytes) noexcept;

// The UIDL for a unique name: the name itself when valid, else the derived form above.
[[nodiscard]] std::string uidl_for(std::string_view unique_name);

// A UIDL for the second and later messages of a snapshot that would share one (the same
// unique name twice, e.g. in new/ and cur/): the same derived form, over `uidl` and the
// message's file name, which the first message of the group does not get.
[[nodiscard]] std::string disambiguated_uidl(std::string_view uidl, std::string_view file_name);

}  // namespace pop3::maildir
