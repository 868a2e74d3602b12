#include "settings.hpp"

#include <toml++/toml.h>

#include <stdexcept>

namespace pop3::server {

void apply_profile(ServerSettings& s, const std::string& profile) {
  if (profile == "lab") {
    s.profile = "lab";
    s.policy.plaintext_auth = PlaintextAuth::Allow;
    static_cast<auth::LoginPolicy&>(s.policy) = auth::LoginPolicy::lab();
  } else if (profile == "default") {
    s.profile = "default";
    s.policy = Policy{};
  } else {
    throw std::runtime_error("unknown profile \"" + profile + "\" (default or lab)");
  }
}

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const toml::node& node,
                       const std::string& key, const std::string& what) {
  throw std::runtime_error(file.string() + ":" + std::to_string(node.source().begin.line) + ": " +
                           key + ": " + what);
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& value) {
  std::filesystem::path p(value);
  return p.is_absolute() ? p : base / p;
}

std::vector<Endpoint> endpoints(const std::filesystem::path& file, const toml::node& node,
                                const std::string& key) {
  std::vector<Endpoint> out;
  auto add = [&](const toml::node& n) {
    auto text = n.value<std::string>();
    if (!text) fail(file, n, key, "expected \"ADDR:PORT\"");
    auto ep = parse_endpoint(*text);
    if (!ep) fail(file, n, key, "\"" + *text + "\" is not ADDR:PORT");
    out.push_back(*ep);
  };
  if (const auto* arr = node.as_array()) {
    for (const auto& n : *arr)
      add(n);
  } else {
    add(node);
  }
  return out;
}

template <class T>
T required(const std::filesystem::path& file, const toml::node& node, const std::string& key,
           const char* kind) {
  auto v = node.value<T>();
  if (!v) fail(file, node, key, std::string("expected ") + kind);
  return *v;
}

}  // namespace

void load_config_file(ServerSettings& s, const std::filesystem::path& path) {
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
  const auto base = path.parent_path();
  // The profile first, so explicit keys override what it sets.
  if (const auto* n = table.get("profile"))
    apply_profile(s, required<std::string>(path, *n, "profile", "a string"));

  for (auto&& [k, node] : table) {
    const std::string key(k.str());
    if (key == "profile") continue;
    if (key == "listen")
      s.listen = endpoints(path, node, key);
    else if (key == "tls_listen")
      s.tls_listen = endpoints(path, node, key);
    else if (key == "users")
      s.users = resolve(base, required<std::string>(path, node, key, "a path"));
    else if (key == "mail_root")
      s.mail_root = resolve(base, required<std::string>(path, node, key, "a path"));
    else if (key == "cert")
      s.cert = resolve(base, required<std::string>(path, node, key, "a path"));
    else if (key == "key")
      s.key = resolve(base, required<std::string>(path, node, key, "a path"));
    else if (key == "run_as")
      s.run_as = required<std::string>(path, node, key, "a user name");
    else if (key == "hostname")
      s.hostname = required<std::string>(path, node, key, "a host name");
    else if (key == "greeting")
      s.greeting = required<std::string>(path, node, key, "a string");
    else if (key == "log_file")
      s.log_file = resolve(base, required<std::string>(path, node, key, "a path"));
    else if (key == "policy") {
      const auto* policy = node.as_table();
      if (!policy) fail(path, node, key, "expected a table");
      for (auto&& [pk, pn] : *policy) {
        const std::string name = "policy." + std::string(pk.str());
        auto ms = [&] {
          return std::chrono::milliseconds(required<std::int64_t>(path, pn, name, "milliseconds"));
        };
        auto secs = [&] {
          return std::chrono::seconds(required<std::int64_t>(path, pn, name, "seconds"));
        };
        auto integer = [&] {
          return static_cast<int>(required<std::int64_t>(path, pn, name, "an integer"));
        };
        if (pk == "plaintext_auth") {
          auto v = required<std::string>(path, pn, name, "\"allow\" or \"tls-only\"");
          if (v == "allow")
            s.policy.plaintext_auth = PlaintextAuth::Allow;
          else if (v == "tls-only")
            s.policy.plaintext_auth = PlaintextAuth::TlsOnly;
          else
            fail(path, pn, name, "expected \"allow\" or \"tls-only\"");
        } else if (pk == "failed_login_delay_ms")
          s.policy.failed_login_delay = ms();
        else if (pk == "penalty_step_ms")
          s.policy.penalty_step = ms();
        else if (pk == "penalty_max_ms")
          s.policy.penalty_max = ms();
        else if (pk == "lockout_after")
          s.policy.lockout_after = integer();
        else if (pk == "lockout_seconds")
          s.policy.lockout_duration = secs();
        else if (pk == "max_connections")
          s.policy.max_connections = integer();
        else if (pk == "max_connections_per_address")
          s.policy.max_connections_per_address = integer();
        else if (pk == "autologout_seconds")
          s.policy.autologout = secs();
        else if (pk == "max_message_octets")
          s.policy.max_message_octets =
              static_cast<std::uint64_t>(required<std::int64_t>(path, pn, name, "octets"));
        else if (pk == "accept_bare_lf")
          s.policy.accept_bare_lf = required<bool>(path, pn, name, "true or false");
        else
          fail(path, pn, name, "unknown setting");
      }
    } else if (key == "trace") {
      const auto* trace = node.as_table();
      if (!trace) fail(path, node, key, "expected a table");
      for (auto&& [tk, tn] : *trace) {
        const std::string name = "trace." + std::string(tk.str());
        if (tk == "file")
          s.trace_file = resolve(base, required<std::string>(path, tn, name, "a path"));
        else if (tk == "expose_secrets")
          s.trace_expose_secrets = required<bool>(path, tn, name, "true or false");
        else if (tk == "feed") {
          auto eps = endpoints(path, tn, name);
          if (eps.size() != 1) fail(path, tn, name, "expected one ADDR:PORT");
          s.trace_feed = eps.front();
        } else
          fail(path, tn, name, "unknown setting");
      }
    } else {
      fail(path, node, key, "unknown setting");
    }
  }
}

std::vector<std::string> validate(const ServerSettings& s) {
  std::vector<std::string> problems;
  if (s.listen.empty() && s.tls_listen.empty())
    problems.push_back(
        "nothing to listen on: give --listen or --tls-listen (or --lab, or no arguments at all, "
        "for the lab directory)");
  if (s.cert.has_value() != s.key.has_value()) problems.push_back("--cert and --key go together");
  if (s.users.empty()) problems.push_back("no users file: give --users FILE");
  if (s.mail_root.empty()) problems.push_back("no mail root: give --mail-root DIR");
  if (s.trace_feed && !s.trace_feed->is_loopback())
    problems.push_back(
        "the trace feed carries secrets: it only listens on loopback (127.0.0.1 or [::1])");
  if (s.policy.autologout < std::chrono::minutes(10) && s.profile != "lab")
    problems.push_back("RFC 1939 requires an autologout of at least 10 minutes");
  return problems;
}

}  // namespace pop3::server
