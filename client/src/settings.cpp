#include "settings.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <stdexcept>

namespace pop3::client {

std::optional<net::TlsMode> parse_tls_mode(std::string_view text) {
  if (text == "implicit") return net::TlsMode::Implicit;
  if (text == "starttls") return net::TlsMode::StartTls;
  if (text == "none") return net::TlsMode::None;
  return std::nullopt;
}

std::string_view tls_mode_name(net::TlsMode mode) {
  switch (mode) {
    case net::TlsMode::Implicit:
      return "implicit";
    case net::TlsMode::StartTls:
      return "starttls";
    case net::TlsMode::None:
      return "none";
  }
  return "?";
}

namespace {

std::filesystem::path home() {
  const char* h = std::getenv("HOME");
  return h && *h ? std::filesystem::path(h) : std::filesystem::path(".");
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
  if (value.starts_with("~/")) return home() / value.substr(2);
  std::filesystem::path p(value);
  return p.is_absolute() ? p : base / p;
}

[[noreturn]] void fail(const std::filesystem::path& file, const toml::node& node,
                       const std::string& key, const std::string& what) {
  throw std::runtime_error(file.string() + ":" + std::to_string(node.source().begin.line) + ": " +
                           key + ": " + what);
}

}  // namespace

std::vector<Settings> load_accounts(const std::filesystem::path& file) {
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
  const auto base = file.parent_path();
  std::vector<Settings> out;
  const auto* accounts = table["accounts"].as_table();
  if (!accounts) throw std::runtime_error(file.string() + ": no [accounts.NAME] tables");
  for (auto&& [name, node] : *accounts) {
    const auto* t = node.as_table();
    const std::string prefix = "accounts." + std::string(name.str());
    if (!t) fail(file, node, prefix, "expected a table");
    Settings s;
    s.account = std::string(name.str());
    bool have_url = false;
    bool tls_given = false;
    for (auto&& [k, v] : *t) {
      const std::string key = prefix + "." + std::string(k.str());
      auto str = [&] {
        auto x = v.value<std::string>();
        if (!x) fail(file, v, key, "expected a string");
        return *x;
      };
      auto boolean = [&] {
        auto x = v.value<bool>();
        if (!x) fail(file, v, key, "expected true or false");
        return *x;
      };
      auto integer = [&] {
        auto x = v.value<std::int64_t>();
        if (!x || *x < 0) fail(file, v, key, "expected a non-negative integer");
        return *x;
      };
      if (k == "url") {
        auto u = net::parse_pop3_url(str());
        if (!u) fail(file, v, key, "expected pop3://USER@HOST:PORT or pop3s://...");
        s.url = *u;
        have_url = true;
      } else if (k == "tls") {
        auto m = parse_tls_mode(str());
        if (!m) fail(file, v, key, "expected implicit, starttls or none");
        s.tls = *m;
        tls_given = true;
      } else if (k == "cafile")
        s.tls_options.cafile = resolve(base, str());
      else if (k == "insecure")
        s.tls_options.insecure = boolean();
      else if (k == "auth")
        s.auth = str();
      else if (k == "password_file")
        s.password_file = resolve(base, str());
      else if (k == "trace")
        s.trace = resolve(base, str());
      else if (k == "maildir")
        s.maildir = resolve(base, str());
      else if (k == "mbox")
        s.mbox = resolve(base, str());
      else if (k == "keep")
        s.keep = boolean();
      else if (k == "only_new")
        s.only_new = boolean();
      else if (k == "max_size")
        s.max_size = static_cast<std::uint64_t>(integer());
      else if (k == "uidl_store")
        s.uidl_store = resolve(base, str());
      else if (k == "timeout_seconds")
        s.timeout = std::chrono::seconds(integer());
      else
        fail(file, v, key, "unknown setting");
    }
    if (!have_url) fail(file, node, prefix, "missing url");
    if (!tls_given && s.url.implicit_tls) s.tls = net::TlsMode::Implicit;
    if (s.maildir && s.mbox) fail(file, node, prefix, "give maildir or mbox, not both");
    out.push_back(std::move(s));
  }
  return out;
}

std::filesystem::path default_uidl_store(const Settings& s) {
  std::filesystem::path base;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) {
    base = x;
  } else {
    base = home() / ".local" / "state";
  }
  std::string id = s.url.user + "@" + s.url.host + ":" + std::to_string(s.url.port);
  for (char& c : id)
    if (c == '/' || c == '\\') c = '_';
  return base / "pop3lab" / "uidl" / id;
}

}  // namespace pop3::client
