// SCRAM messages (RFC 5802 §7): building and parsing, both sides.
#include <vector>

#include "pop3/auth/base64.hpp"
#include "pop3/auth/random.hpp"
#include "pop3/auth/scram.hpp"

namespace pop3::auth::scram {

namespace {

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
}

// "x=value": the value if the attribute is `name`.
std::optional<std::string_view> attribute(std::string_view part, char name) {
  if (part.size() < 2 || part[0] != name || part[1] != '=') return std::nullopt;
  return part.substr(2);
}

// attr-val (RFC 5802 §7): ALPHA "=" value. Extensions are allowed and ignored.
bool valid_extension(std::string_view part) {
  return part.size() >= 2 &&
         ((part[0] >= 'a' && part[0] <= 'z') || (part[0] >= 'A' && part[0] <= 'Z')) &&
         part[1] == '=';
}

bool extensions_valid(const std::vector<std::string_view>& parts, std::size_t from,
                      std::size_t to) {
  for (std::size_t i = from; i < to; ++i) {
    if (!valid_extension(parts[i])) return false;
  }
  return true;
}

std::optional<std::uint32_t> parse_iterations(std::string_view text) {
  if (text.empty() || text.size() > 10 || text[0] == '0') return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value == 0 || value > max_iterations) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

std::optional<ClientFirst> fail(std::string& error, std::string message) {
  error = std::move(message);
  return std::nullopt;
}

}  // namespace

std::string escape_saslname(std::string_view user) {
  std::string out;
  for (const char c : user) {
    if (c == '=') {
      out += "=3D";
    } else if (c == ',') {
      out += "=2C";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> unescape_saslname(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ',') return std::nullopt;
    if (name[i] != '=') {
      out.push_back(name[i]);
      continue;
    }
    const std::string_view code = name.substr(i + 1, 2);
    if (code == "3D") {
      out.push_back('=');
    } else if (code == "2C") {
      out.push_back(',');
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return out;
}

bool valid_nonce(std::string_view nonce) noexcept {
  if (nonce.empty()) return false;
  for (const char c : nonce) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

std::string make_nonce() {
  return base64_encode(random_bytes(18));
}

std::string client_first_bare(std::string_view user, std::string_view nonce) {
  return "n=" + escape_saslname(user) + ",r=" + std::string(nonce);
}

std::optional<ClientFirst> parse_client_first(std::string_view message, std::string& error) {
  const auto parts = split_commas(message);
  if (parts.size() < 4) return fail(error, "client-first-message has too few attributes");
  ClientFirst out;
  if (parts[0] != "n" && parts[0] != "y") {
    return fail(error, parts[0].starts_with("p=")
                           ? "client-first-message asks for channel binding, not offered"
                           : "client-first-message has a bad GS2 channel-binding flag");
  }
  if (!parts[1].empty()) {
    const auto a = attribute(parts[1], 'a');
    const auto authzid = a ? unescape_saslname(*a) : std::nullopt;
    if (!authzid || authzid->empty()) {
      return fail(error, "client-first-message has a bad authorization identity");
    }
    out.authzid = *authzid;
  }
  out.gs2_header = std::string(message.substr(0, parts[0].size() + parts[1].size() + 2));
  out.bare = std::string(message.substr(out.gs2_header.size()));

  if (attribute(parts[2], 'm')) {
    return fail(error, "client-first-message has a mandatory extension (m=), not supported");
  }
  const auto n = attribute(parts[2], 'n');
  const auto user = n ? unescape_saslname(*n) : std::nullopt;
  if (!user || user->empty()) return fail(error, "client-first-message has a bad user name");
  out.user = *user;
  const auto r = attribute(parts[3], 'r');
  if (!r || !valid_nonce(*r)) return fail(error, "client-first-message has a bad nonce");
  out.nonce = std::string(*r);
  if (!extensions_valid(parts, 4, parts.size())) {
    return fail(error, "client-first-message has a malformed extension");
  }
  return out;
}

std::string server_first(std::string_view nonce, std::string_view salt, std::uint32_t iterations) {
  return "r=" + std::string(nonce) + ",s=" + base64_encode(salt) +
         ",i=" + std::to_string(iterations);
}

std::optional<ServerFirst> parse_server_first(std::string_view message, std::string& error) {
  const auto parts = split_commas(message);
  if (!parts.empty() && attribute(parts[0], 'm')) {
    error = "server-first-message has a mandatory extension (m=), not supported";
    return std::nullopt;
  }
  if (parts.size() < 3) {
    error = "server-first-message has too few attributes";
    return std::nullopt;
  }
  const auto r = attribute(parts[0], 'r');
  const auto s = attribute(parts[1], 's');
  const auto i = attribute(parts[2], 'i');
  if (!r || !valid_nonce(*r)) {
    error = "server-first-message has a bad nonce";
    return std::nullopt;
  }
  const auto salt = s ? base64_decode(*s) : std::nullopt;
  if (!salt || salt->empty()) {
    error = "server-first-message has a bad salt (not base64)";
    return std::nullopt;
  }
  const auto iterations = i ? parse_iterations(*i) : std::nullopt;
  if (!iterations) {
    error = "server-first-message has a bad iteration count (1.." + std::to_string(max_iterations) +
            " accepted)";
    return std::nullopt;
  }
  if (!extensions_valid(parts, 3, parts.size())) {
    error = "server-first-message has a malformed extension";
    return std::nullopt;
  }
  return ServerFirst{std::string(*r), *salt, *iterations};
}

std::string client_final_without_proof(std::string_view gs2, std::string_view nonce) {
  return "c=" + base64_encode(gs2) + ",r=" + std::string(nonce);
}

std::optional<ClientFinal> parse_client_final(std::string_view message, std::string& error) {
  const auto parts = split_commas(message);
  if (parts.size() < 3) {
    error = "client-final-message has too few attributes";
    return std::nullopt;
  }
  const auto c = attribute(parts[0], 'c');
  const auto r = attribute(parts[1], 'r');
  const auto p = attribute(parts.back(), 'p');
  if (!c || !base64_decode(*c)) {
    error = "client-final-message has bad channel-binding data";
    return std::nullopt;
  }
  if (!r || !valid_nonce(*r)) {
    error = "client-final-message has a bad nonce";
    return std::nullopt;
  }
  const auto proof = p ? base64_decode(*p) : std::nullopt;
  if (!proof || proof->empty()) {
    error = "client-final-message has a bad proof (p=, last, base64)";
    return std::nullopt;
  }
  if (!extensions_valid(parts, 2, parts.size() - 1)) {
    error = "client-final-message has a malformed extension";
    return std::nullopt;
  }
  ClientFinal out;
  out.channel_binding = std::string(*c);
  out.nonce = std::string(*r);
  out.proof = *proof;
  out.without_proof = std::string(message.substr(0, message.size() - parts.back().size() - 1));
  return out;
}

std::string auth_message(std::string_view first_bare, std::string_view server_first_message,
                         std::string_view final_without_proof) {
  std::string out(first_bare);
  out += ',';
  out += server_first_message;
  out += ',';
  out += final_without_proof;
  return out;
}

std::optional<ServerFinal> parse_server_final(std::string_view message, std::string& error) {
  const auto parts = split_commas(message);
  ServerFinal out;
  if (const auto e = attribute(parts[0], 'e')) {
    out.error = std::string(*e);
  } else if (const auto v = attribute(parts[0], 'v')) {
    out.verifier = base64_decode(*v);
    if (!out.verifier || out.verifier->empty()) {
      error = "server-final-message has a bad verifier (v=, base64)";
      return std::nullopt;
    }
  } else {
    error = "server-final-message has neither v= nor e=";
    return std::nullopt;
  }
  if (!extensions_valid(parts, 1, parts.size())) {
    error = "server-final-message has a malformed extension";
    return std::nullopt;
  }
  return out;
}

}  // namespace pop3::auth::scram
