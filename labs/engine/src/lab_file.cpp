#include "pop3/labs/lab_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "pop3/labs/checks.hpp"
#include "pop3/labs/personalize.hpp"

namespace pop3::labs {
namespace {

class Reader {
 public:
  Reader(std::filesystem::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node& node, const std::string& key,
                         const std::string& what) const {
    throw std::runtime_error(file_.string() + ":" + std::to_string(node.source().begin.line) +
                             ": " + key + ": " + what);
  }
  template <class T>
  T get(const toml::node& node, const std::string& key, const char* kind) const {
    auto v = node.value<T>();
    if (!v) fail(node, key, std::string("expected ") + kind);
    return *v;
  }
  std::string str(const toml::node& n, const std::string& key) const {
    return get<std::string>(n, key, "a string");
  }
  bool boolean(const toml::node& n, const std::string& key) const {
    return get<bool>(n, key, "true or false");
  }
  std::int64_t integer(const toml::node& n, const std::string& key) const {
    return get<std::int64_t>(n, key, "an integer");
  }
  std::uint32_t small(const toml::node& n, const std::string& key) const {
    const auto v = integer(n, key);
    if (v < 0 || v > 1'000'000'000) fail(n, key, "out of range");
    return static_cast<std::uint32_t>(v);
  }
  std::vector<std::string> strings(const toml::node& n, const std::string& key) const {
    const auto* arr = n.as_array();
    if (!arr) fail(n, key, "expected an array of strings");
    std::vector<std::string> out;
    for (const auto& e : *arr)
      out.push_back(str(e, key));
    return out;
  }
  const toml::table& table(const toml::node& n, const std::string& key) const {
    const auto* t = n.as_table();
    if (!t) fail(n, key, "expected a table");
    return *t;
  }
  const toml::array& tables(const toml::node& n, const std::string& key) const {
    const auto* a = n.as_array();
    if (!a || !a->is_array_of_tables()) fail(n, key, "expected [[" + key + "]] tables");
    return *a;
  }
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

// Message files are small .eml files beside lab.toml. Anything else named there (a device
// such as /dev/zero, a FIFO, a huge file) would hang the reader or exhaust its memory.
constexpr std::uintmax_t kMaxMessageFile = 16u << 20;

std::string read_message_file(const Reader& r, const toml::node& n, const std::string& key,
                              const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec))
    r.fail(n, key, "cannot read " + p.string() + ": not a file");
  const std::uintmax_t size = std::filesystem::file_size(p, ec);
  if (ec) r.fail(n, key, "cannot read " + p.string() + ": " + ec.message());
  if (size > kMaxMessageFile) r.fail(n, key, "cannot read " + p.string() + ": larger than 16 MiB");
  std::ifstream in(p, std::ios::binary);
  if (!in) r.fail(n, key, "cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void one_of(const Reader& r, const toml::node& n, const std::string& key, const std::string& value,
            std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return;
    if (*a) list += std::string(list.empty() ? "" : ", ") + a;
  }
  r.fail(n, key, "\"" + value + "\" is not one of " + list);
}

std::string akey_of(const std::string& key) {
  return key + ".random_from";
}

// A wordlist named in a lab: beside lab.toml, else in the labs' shared wordlists/ folder.
std::filesystem::path wordlist_file(const Reader& r, const toml::node& n, const std::string& key,
                                    const std::filesystem::path& lab_dir, const std::string& name) {
  if (name.empty()) r.fail(n, key, "a wordlist file name is needed");
  for (const auto& p : {lab_dir / name, lab_dir.parent_path() / "wordlists" / name})
    if (std::filesystem::is_regular_file(p)) return p;
  r.fail(n, key, "no wordlist \"" + name + "\" beside lab.toml or in ../wordlists/");
}

void read_scenario(const Reader& r, const toml::table& t, Lab& lab) {
  Scenario& s = lab.scenario;
  for (auto&& [k, v] : t) {
    const std::string key = "scenario." + std::string(k.str());
    if (k == "seed")
      s.seed = static_cast<std::uint64_t>(r.integer(v, key));
    else if (k == "tls") {
      s.tls = r.str(v, key);
      if (s.tls != "none" && s.tls != "stls" && s.tls != "implicit")
        r.fail(v, key, "expected none, stls or implicit");
    } else if (k == "plaintext_auth")
      s.plaintext_auth = r.boolean(v, key);
    else if (k == "failed_login_delay_ms")
      s.failed_login_delay_ms = r.small(v, key);
    else if (k == "chunk")
      s.chunk = r.small(v, key);
    else if (k == "latency_ms")
      s.latency_ms = r.small(v, key);
    else if (k == "expose_secrets")
      s.expose_secrets = r.boolean(v, key);
    else if (k == "real_server")
      s.allow_real_server = r.boolean(v, key);
    else if (k == "verify_certificate")
      s.verify_certificate = r.boolean(v, key);
    else if (k == "expected_host")
      s.expected_host = r.str(v, key);
    else if (k == "attacker") {
      s.attacker = r.str(v, key);
      one_of(r, v, key, s.attacker,
             {"", "strip-stls", "strip-stls-and-refuse", "inject-behind-stls",
              "substitute-certificate"});
    } else if (k == "inject")
      s.inject = r.str(v, key);
    else if (k == "inject_toward") {
      s.inject_toward = r.str(v, key);
      one_of(r, v, key, s.inject_toward, {"server", "client"});
    } else if (k == "certificate") {
      s.certificate = r.str(v, key);
      one_of(r, v, key, s.certificate, {"untrusted", "wrong-host", "expired"});
    } else if (k == "server_certificate") {
      s.server_certificate = r.str(v, key);
      one_of(r, v, key, s.server_certificate, {"", "untrusted", "wrong-host", "expired"});
    } else if (k == "client_starttls") {
      s.client_starttls = r.str(v, key);
      one_of(r, v, key, s.client_starttls, {"opportunistic", "required"});
    } else if (k == "penalty_step_ms")
      s.penalty_step_ms = r.small(v, key);
    else if (k == "penalty_max_ms")
      s.penalty_max_ms = r.small(v, key);
    else if (k == "lockout_after")
      s.lockout_after = r.small(v, key);
    else if (k == "lockout_seconds")
      s.lockout_seconds = r.small(v, key);
    else if (k == "randomize")
      s.randomize = r.boolean(v, key);
    else if (k == "accounts") {
      for (const auto& a : r.tables(v, key)) {
        Account acc;
        for (auto&& [ak, av] : *a.as_table()) {
          const std::string akey = key + "." + std::string(ak.str());
          if (ak == "user")
            acc.user = r.str(av, akey);
          else if (ak == "password")
            acc.password = r.str(av, akey);
          else if (ak == "scheme")
            acc.scheme = r.str(av, akey);
          else if (ak == "random_from")
            acc.random_from = r.str(av, akey);
          else
            r.fail(av, akey, "unknown key");
        }
        if (acc.user.empty()) r.fail(a, key, "an account needs a user");
        if (!acc.random_from.empty())
          (void)wordlist_file(r, a, akey_of(key), lab.directory, acc.random_from);
        s.accounts.push_back(std::move(acc));
      }
    } else if (k == "messages") {
      for (const auto& m : r.tables(v, key)) {
        MessageSpec msg;
        for (auto&& [mk, mv] : *m.as_table()) {
          const std::string mkey = key + "." + std::string(mk.str());
          if (mk == "user")
            msg.user = r.str(mv, mkey);
          else if (mk == "text")
            msg.text = r.str(mv, mkey);
          else if (mk == "file")
            msg.text = read_message_file(r, mv, mkey, lab.directory / r.str(mv, mkey));
          else
            r.fail(mv, mkey, "unknown key");
        }
        if (msg.user.empty()) r.fail(m, key, "a message needs a user");
        s.messages.push_back(std::move(msg));
      }
    } else {
      r.fail(v, key, "unknown key");
    }
  }
}

void read_step(const Reader& r, const toml::table& t, Lab& lab) {
  static const std::set<std::string> actions{
      "connect", "send",         "pipeline", "login", "starttls",  "quit",  "drop",
      "wait",    "victim_login", "crack",    "guess", "reconnect", "replay"};
  Step step;
  const std::string key = "steps[" + std::to_string(lab.steps.size() + 1) + "]";
  for (auto&& [k, v] : t) {
    const std::string name(k.str());
    if (k == "action")
      step.action = r.str(v, key + ".action");
    else if (k == "line")
      step.line = r.str(v, key + ".line");
    else if (k == "lines")
      step.lines = r.strings(v, key + ".lines");
    else if (k == "mechanism")
      step.mechanism = r.str(v, key + ".mechanism");
    else if (k == "user")
      step.user = r.str(v, key + ".user");
    else if (k == "seconds")
      step.seconds = static_cast<double>(r.integer(v, key + ".seconds"));
    else if (k == "wordlist")
      step.wordlist = r.str(v, key + ".wordlist");
    else if (k == "max")
      step.max = r.small(v, key + ".max");
    else if (k == "ask_capa")
      step.ask_capa = r.boolean(v, key + ".ask_capa");
    else if (k == "verb")
      step.verb = r.str(v, key + ".verb");
    else if (k == "client") {
      const auto n = r.small(v, key + ".client");
      if (n != 1 && n != 2)
        r.fail(v, key + ".client", "client must be 1 (the lab's client) or 2 (a second client)");
      step.client = static_cast<int>(n);
    } else if (k == "attacker") {
      step.attacker = r.str(v, key + ".attacker");
      one_of(r, v, key + ".attacker", *step.attacker,
             {"none", "strip-stls", "strip-stls-and-refuse", "inject-behind-stls",
              "substitute-certificate"});
    } else if (k == "certificate") {
      step.certificate = r.str(v, key + ".certificate");
      one_of(r, v, key + ".certificate", *step.certificate, {"untrusted", "wrong-host", "expired"});
    } else if (k == "server_certificate") {
      step.server_certificate = r.str(v, key + ".server_certificate");
      one_of(r, v, key + ".server_certificate", *step.server_certificate,
             {"", "untrusted", "wrong-host", "expired"});
    } else if (k == "verify_certificate")
      step.verify_certificate = r.boolean(v, key + ".verify_certificate");
    else if (k == "policy") {
      step.policy = r.str(v, key + ".policy");
      one_of(r, v, key + ".policy", step.policy, {"opportunistic", "required"});
    } else if (k == "title")
      step.title = r.str(v, key + ".title");
    else if (k == "look")
      step.look = r.str(v, key + ".look");
    else if (k == "question")
      step.question = r.str(v, key + ".question");
    else if (k == "answer")
      step.answer = r.str(v, key + ".answer");
    else
      r.fail(v, key + "." + name, "unknown key");
  }
  if (!actions.contains(step.action))
    r.fail(t, key,
           "action must be one of connect, send, pipeline, login, starttls, quit, drop, wait, "
           "victim_login, crack, "
           "guess, reconnect, replay");
  if (step.action == "send" && step.line.empty()) r.fail(t, key, "send needs line = \"...\"");
  if (step.action == "pipeline" && step.lines.empty())
    r.fail(t, key, "pipeline needs lines = [...]");
  if (step.action == "replay" && step.verb.empty()) r.fail(t, key, "replay needs verb = \"...\"");
  if (step.action != "reconnect" &&
      (step.attacker || step.certificate || step.server_certificate || step.verify_certificate))
    r.fail(t, key,
           "attacker, certificate, server_certificate and verify_certificate are for reconnect "
           "steps (the scenario sets "
           "them)");
  if (step.action == "crack" || step.action == "guess")
    step.wordlist_path = wordlist_file(r, t, key + ".wordlist", lab.directory, step.wordlist);
  if (step.action == "login" || step.action == "victim_login" || step.action == "guess") {
    if (step.user.empty() && !lab.scenario.accounts.empty())
      step.user = lab.scenario.accounts.front().user;
    const bool known = std::any_of(lab.scenario.accounts.begin(), lab.scenario.accounts.end(),
                                   [&](const Account& a) { return a.user == step.user; });
    if (!known)
      r.fail(t, key, "login as \"" + step.user + "\", who is not an account of the scenario");
  }
  if (step.question.empty() != step.answer.empty())
    r.fail(t, key, "a question needs its answer, and an answer its question");
  const auto ends_connection = [](const Step& s) {
    return s.action == "drop" || s.action == "quit" || s.action == "victim_login";
  };
  if (step.client == 2) {
    // The second client: a connection of its own, opened with connect.
    static const std::set<std::string> second{"connect",  "send", "pipeline", "login",
                                              "starttls", "quit", "drop",     "wait"};
    if (!second.contains(step.action))
      r.fail(t, key,
             "client 2 may connect, send, pipeline, login, starttls, quit, drop and wait, not " +
                 step.action);
    const auto last = std::find_if(lab.steps.rbegin(), lab.steps.rend(), [](const Step& s) {
      return s.client == 2 && s.action != "wait";
    });
    const bool open = last != lab.steps.rend() && !ends_connection(*last);
    if (step.action == "connect" && open)
      r.fail(t, key, "client 2 is still connected: quit or drop before it connects again");
    if (step.action != "connect" && !open)
      r.fail(t, key,
             "client 2 has no connection here: its first step (and the one after a quit or drop) "
             "is connect");
  } else {
    // After the connection ends only what needs no connection may follow, until a reconnect.
    const auto since = std::find_if(lab.steps.rbegin(), lab.steps.rend(), [](const Step& s) {
      return s.client == 1 && s.action == "reconnect";
    });
    const auto over = std::find_if(lab.steps.rbegin(), since, [&](const Step& s) {
      return s.client == 1 && ends_connection(s);
    });
    if (over != since && step.action != "wait" && step.action != "crack" &&
        step.action != "reconnect")
      r.fail(t, key,
             "the connection is over after \"" + over->action +
                 "\": only wait, crack and reconnect may follow");
  }
  lab.steps.push_back(std::move(step));
}

void read_check(const Reader& r, const toml::table& t, Lab& lab) {
  Check c;
  const std::string key = "checks[" + std::to_string(lab.checks.size() + 1) + "]";
  for (auto&& [k, v] : t) {
    const std::string name = key + "." + std::string(k.str());
    if (k == "id")
      c.id = r.str(v, name);
    else if (k == "description")
      c.description = r.str(v, name);
    else if (k == "hint")
      c.hint = r.str(v, name);
    else if (k == "kind")
      c.kind = r.str(v, name);
    else if (k == "expect")
      c.expect = r.boolean(v, name);
    else if (k == "role")
      c.role = r.str(v, name);
    else if (k == "state")
      c.state = r.str(v, name);
    else if (k == "verb")
      c.verb = r.str(v, name);
    else if (k == "status")
      c.status = r.str(v, name);
    else if (k == "code")
      c.code = r.str(v, name);
    else if (k == "exposure")
      c.exposure = r.str(v, name);
    else if (k == "channel")
      c.channel = r.str(v, name);
    else if (k == "text")
      c.text = r.str(v, name);
    else if (k == "error")
      c.error = r.str(v, name);
    else if (k == "count")
      c.count = r.integer(v, name);
    else if (k == "done")
      c.done = r.boolean(v, name);
    else if (k == "ms")
      c.ms = r.integer(v, name);
    else if (k == "wordlist")
      c.wordlist = r.str(v, name);
    else
      r.fail(v, name, "unknown key");
  }
  const auto& kinds = check_kinds();
  if (std::find(kinds.begin(), kinds.end(), c.kind) == kinds.end())
    r.fail(t, key, "unknown kind \"" + c.kind + "\"");
  if (c.id.empty() || c.description.empty())
    r.fail(t, key, "a check needs an id and a description");
  auto need = [&](bool ok, const char* what) {
    if (!ok) r.fail(t, key, "kind " + c.kind + " needs " + what);
  };
  if (c.kind == "state") need(!c.state.empty(), "state = \"...\"");
  if (c.kind == "command" || c.kind == "reply") need(!c.verb.empty(), "verb = \"...\"");
  if (c.kind == "wire_contains" || c.kind == "received" || c.kind == "note")
    need(!c.text.empty(), "text = \"...\"");
  if (c.kind == "delay") need(!c.verb.empty() && c.ms.has_value(), "verb = \"...\" and ms = N");
  if (c.kind == "cracked")
    c.wordlist_path = wordlist_file(r, t, key + ".wordlist", lab.directory, c.wordlist);
  if (!c.role.empty() && c.role != "client" && c.role != "server")
    r.fail(t, key, "role must be client or server");
  if (!c.status.empty() && c.status != "ok" && c.status != "err" && c.status != "continue")
    r.fail(t, key, "status must be ok, err or continue");
  lab.checks.push_back(std::move(c));
}

}  // namespace

Lab load_lab_impl(const std::filesystem::path& directory, const std::string& student,
                  const StandIn* as);

Lab load_lab(const std::filesystem::path& directory, const std::string& student) {
  return load_lab_impl(directory, student, nullptr);
}

Lab load_lab(const std::filesystem::path& directory, const std::string& student,
             const StandIn& as) {
  return load_lab_impl(directory, student, &as);
}

Lab load_lab_impl(const std::filesystem::path& directory, const std::string& student,
                  const StandIn* as) {
  const auto file = directory / "lab.toml";
  Reader r(file);
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
  Lab lab;
  lab.directory = directory;
  lab.slug = directory.filename().string();
  // The scenario first: steps refer to its accounts.
  if (const auto* s = root.get("scenario")) read_scenario(r, r.table(*s, "scenario"), lab);
  for (auto&& [k, v] : root) {
    const std::string key(k.str());
    if (k == "number")
      lab.number = static_cast<int>(r.integer(v, key));
    else if (k == "slug")
      lab.slug = r.str(v, key);
    else if (k == "title")
      lab.title = r.str(v, key);
    else if (k == "objectives")
      lab.objectives = r.strings(v, key);
    else if (k == "background")
      lab.background = r.str(v, key);
    else if (k == "scenario")
      continue;
    else if (k == "steps") {
      for (const auto& s : r.tables(v, key))
        read_step(r, *s.as_table(), lab);
    } else if (k == "checks") {
      for (const auto& c : r.tables(v, key))
        read_check(r, *c.as_table(), lab);
    } else {
      r.fail(v, key, "unknown key");
    }
  }
  if (lab.number <= 0)
    throw std::runtime_error(file.string() + ": number = N (a positive integer) is required");
  if (lab.title.empty()) throw std::runtime_error(file.string() + ": title is required");
  if (lab.steps.empty()) throw std::runtime_error(file.string() + ": a lab needs [[steps]]");
  try {
    personalize(lab, student, as);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
  return lab;
}

std::vector<Lab> load_labs(const std::filesystem::path& root, const std::string& student) {
  std::vector<Lab> labs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec))
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "lab.toml"))
      labs.push_back(load_lab(entry.path(), student));
  if (ec)
    throw std::runtime_error("cannot read the labs directory " + root.string() + ": " +
                             ec.message());
  std::sort(labs.begin(), labs.end(),
            [](const Lab& a, const Lab& b) { return a.number < b.number; });
  for (std::size_t i = 1; i < labs.size(); ++i)
    if (labs[i].number == labs[i - 1].number)
      throw std::runtime_error("two labs are number " + std::to_string(labs[i].number) + ": " +
                               labs[i - 1].slug + " and " + labs[i].slug);
  return labs;
}

std::filesystem::path default_labs_root() {
  if (const char* dir = std::getenv("POP3LAB_LABS_DIR"); dir && *dir) return dir;
#ifdef POP3LAB_SOURCE_LABS
  if (std::filesystem::exists(POP3LAB_SOURCE_LABS)) return POP3LAB_SOURCE_LABS;
#endif
  return "/usr/local/share/pop3lab/labs";
}

}  // namespace pop3::labs
