#include "pop3/auth/apop.hpp"

#include "ascii.hpp"
#include "pop3/auth/digest.hpp"
#include "pop3/auth/hex.hpp"
#include "pop3/auth/random.hpp"

namespace pop3::auth {

namespace {

// RFC 5322 §3.2.3 atext.
bool is_atext(char c) noexcept {
  return detail::is_alnum(c) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// dot-atom-text: 1*atext *("." 1*atext)
bool is_dot_atom_text(std::string_view s) noexcept {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char previous = '\0';
  for (const char c : s) {
    if (c == '.' ? previous == '.' : !is_atext(c)) return false;
    previous = c;
  }
  return true;
}

// Stricter than id-right: a host name (letters, digits, '-'), so the timestamp is safe
// in every client we know of.
bool usable_host(std::string_view host) noexcept {
  if (host.empty() || host.size() > 253 || !is_dot_atom_text(host)) return false;
  for (const char c : host) {
    if (!detail::is_alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string make_apop_timestamp(std::string_view host) {
  const std::string_view right = usable_host(host) ? host : std::string_view("localhost");
  std::string out = "<";
  out += hex_encode(random_bytes(8));
  out += '.';
  out += hex_encode(random_bytes(8));
  out += '@';
  out += right;
  out += '>';
  return out;
}

bool valid_apop_timestamp(std::string_view text) noexcept {
  if (text.size() < 5 || text.front() != '<' || text.back() != '>') return false;
  const std::string_view inner = text.substr(1, text.size() - 2);
  const std::size_t at = inner.find('@');
  if (at == std::string_view::npos) return false;
  return is_dot_atom_text(inner.substr(0, at)) && is_dot_atom_text(inner.substr(at + 1));
}

std::string apop_digest(std::string_view timestamp, const Secret& secret) {
  return hex_encode(md5_parts({timestamp, secret.reveal()}));
}

}  // namespace pop3::auth
