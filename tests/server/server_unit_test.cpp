#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "endpoint.hpp"
#include "pop3/auth/policy.hpp"
#include "settings.hpp"

using namespace pop3;
using namespace pop3::server;
namespace fs = std::filesystem;

namespace {

struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& text) {
    std::random_device rd;
    path = fs::temp_directory_path() / ("pop3lab-settings-" + std::to_string(rd()) + ".toml");
    std::ofstream(path) << text;
  }
  ~TempFile() { fs::remove(path); }
};

// An Authenticator that accepts one password, for exercising the policy wrapper.
class OnePassword final : public Authenticator {
 public:
  AuthDecision check_user_pass(std::string_view user, const Secret& pw) override {
    if (pw.reveal() == "right")
      return {AuthDecision::Outcome::Accepted, std::string(user), {}, {}, {}};
    return {AuthDecision::Outcome::Rejected, {}, "wrong", "AUTH", {}};
  }
  AuthDecision check_apop(std::string_view, std::string_view, std::string_view) override {
    return {};
  }
  bool apop_available() const override { return false; }
  std::vector<std::string> sasl_mechanisms() const override { return {}; }
  std::unique_ptr<ServerMechanism> start_sasl(std::string_view) override { return nullptr; }
};

}  // namespace

TEST_CASE("endpoints parse IPv4, bracketed IPv6, host names and any-address") {
  auto v4 = parse_endpoint("127.0.0.1:1110");
  REQUIRE(v4);
  CHECK(v4->host == "127.0.0.1");
  CHECK(v4->port == 1110);
  CHECK(v4->is_loopback());
  auto v6 = parse_endpoint("[::1]:995");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->to_string() == "[::1]:995");
  CHECK(v6->is_loopback());
  auto any = parse_endpoint(":110");
  REQUIRE(any);
  CHECK(any->host.empty());
  CHECK_FALSE(any->is_loopback());
  CHECK_FALSE(parse_endpoint("::1:995"));
  CHECK_FALSE(parse_endpoint("host:65536"));
  CHECK_FALSE(parse_endpoint("host"));
}

TEST_CASE("the config file sets every kind of setting, relative paths from its directory") {
  TempFile f(
      "profile = \"lab\"\n"
      "listen = [\"127.0.0.1:2110\", \"[::1]:2110\"]\n"
      "tls_listen = \"127.0.0.1:2995\"\n"
      "users = \"users\"\n"
      "mail_root = \"/srv/mail\"\n"
      "hostname = \"pop.example\"\n"
      "[policy]\n"
      "plaintext_auth = \"tls-only\"\n"
      "failed_login_delay_ms = 1500\n"
      "lockout_after = 7\n"
      "max_connections_per_address = 3\n"
      "[trace]\n"
      "feed = \"127.0.0.1:2999\"\n");
  ServerSettings s;
  load_config_file(s, f.path);
  CHECK(s.profile == "lab");
  REQUIRE(s.listen.size() == 2);
  CHECK(s.listen[1].host == "::1");
  REQUIRE(s.tls_listen.size() == 1);
  CHECK(s.users == f.path.parent_path() / "users");
  CHECK(s.mail_root == "/srv/mail");
  CHECK(s.hostname == "pop.example");
  // Explicit keys win over the profile.
  CHECK(s.policy.plaintext_auth == PlaintextAuth::TlsOnly);
  CHECK(s.policy.failed_login_delay == std::chrono::milliseconds(1500));
  CHECK(s.policy.lockout_after == 7);
  CHECK(s.policy.max_connections_per_address == 3);
  REQUIRE(s.trace_feed);
  CHECK(s.trace_feed->port == 2999);
  CHECK(validate(s).empty());
}

TEST_CASE("a config file mistake names the file, the line and the key") {
  TempFile f("listen = \"127.0.0.1:1110\"\n[policy]\nlockout_afterr = 3\n");
  ServerSettings s;
  CHECK_THROWS_WITH_AS(load_config_file(s, f.path),
                       doctest::Contains(":3: policy.lockout_afterr: unknown setting"),
                       std::runtime_error);
  TempFile g("listen = \"nowhere\"\n");
  CHECK_THROWS_WITH_AS(load_config_file(s, g.path), doctest::Contains("is not ADDR:PORT"),
                       std::runtime_error);
}

TEST_CASE(
    "validation refuses a trace feed off loopback and a short autologout outside the lab profile") {
  ServerSettings s;
  s.listen = {Endpoint{"127.0.0.1", 1110}};
  s.users = "u";
  s.mail_root = "m";
  CHECK(validate(s).empty());
  s.trace_feed = Endpoint{"0.0.0.0", 1999};
  CHECK(validate(s).size() == 1);
  s.trace_feed.reset();
  s.policy.autologout = std::chrono::seconds(60);
  CHECK(validate(s).size() == 1);
  apply_profile(s, "lab");
  s.policy.autologout = std::chrono::seconds(60);
  CHECK(validate(s).empty());
}

TEST_CASE("the lab profile allows plaintext logins and shortens the delays") {
  ServerSettings s;
  CHECK(s.policy.plaintext_auth == PlaintextAuth::TlsOnly);
  apply_profile(s, "lab");
  CHECK(s.policy.plaintext_auth == PlaintextAuth::Allow);
  CHECK(s.policy.failed_login_delay < std::chrono::seconds(1));
  CHECK_THROWS(apply_profile(s, "party"));
}

TEST_CASE(
    "each failure from an address adds to the penalty, up to the maximum, and a success clears "
    "it") {
  Policy p;
  p.penalty_step = std::chrono::milliseconds(100);
  p.penalty_max = std::chrono::milliseconds(250);
  p.lockout_after = 0;
  auth::PolicyState state(p);
  OnePassword inner;
  auth::PolicyAuthenticator auth(inner, state, "192.0.2.1");
  CHECK(auth.check_user_pass("alice", Secret("no")).penalty == std::chrono::milliseconds(0));
  CHECK(auth.check_user_pass("alice", Secret("no")).penalty == std::chrono::milliseconds(100));
  CHECK(auth.check_user_pass("alice", Secret("no")).penalty == std::chrono::milliseconds(200));
  CHECK(auth.check_user_pass("alice", Secret("no")).penalty == std::chrono::milliseconds(250));
  auth::PolicyAuthenticator other(inner, state, "192.0.2.2");
  CHECK(other.check_user_pass("alice", Secret("no")).penalty == std::chrono::milliseconds(0));
  CHECK(auth.check_user_pass("alice", Secret("right")).accepted());
  CHECK(auth.check_user_pass("alice", Secret("no")).penalty == std::chrono::milliseconds(0));
}

TEST_CASE(
    "after N failures a user is locked out, even with the right password, with [LOGIN-DELAY]") {
  Policy p;
  p.lockout_after = 3;
  p.lockout_duration = std::chrono::seconds(300);
  auth::PolicyState state(p);
  OnePassword inner;
  auth::PolicyAuthenticator auth(inner, state, "192.0.2.1");
  for (int i = 0; i < 3; ++i)
    CHECK_FALSE(auth.check_user_pass("bob", Secret("guess")).accepted());
  const AuthDecision locked = auth.check_user_pass("bob", Secret("right"));
  CHECK_FALSE(locked.accepted());
  CHECK(locked.response_code == "LOGIN-DELAY");
  // Other users are not affected.
  CHECK(auth.check_user_pass("carol", Secret("right")).accepted());
  CHECK(state.locked_out("bob", Clock::now()));
  CHECK_FALSE(state.locked_out("bob", Clock::now() + std::chrono::seconds(301)));
}
