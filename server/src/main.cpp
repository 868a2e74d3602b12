// pop3-server: command line -> settings -> run. Everything else lives in the library
// and in this directory's other files.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "lab_setup.hpp"
#include "limits.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/passwd_file.hpp"
#include "pop3/cli/password.hpp"
#include "privileges.hpp"
#include "server.hpp"
#include "settings.hpp"

namespace {

using namespace pop3;
using namespace pop3::server;

std::shared_ptr<spdlog::logger> make_logger(const ServerSettings& s) {
  std::vector<spdlog::sink_ptr> sinks;
  if (!s.quiet) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (s.log_file)
    sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(s.log_file->string()));
  auto logger = std::make_shared<spdlog::logger>("pop3-server", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  logger->flush_on(spdlog::level::info);
  return logger;
}

int run_passwd(const std::filesystem::path& users, const std::string& user,
               const std::string& scheme_name,
               const std::optional<std::filesystem::path>& password_file) {
  const auto scheme = auth::parse_scheme_name(scheme_name);
  if (!scheme) {
    std::cerr << "pop3-server passwd: unknown scheme " << scheme_name
              << " (PLAIN, SHA512-CRYPT or SCRAM-SHA-256)\n";
    return 2;
  }
  if (!auth::valid_passwd_user(user)) {
    std::cerr << "pop3-server passwd: \"" << user
              << "\" cannot be a user name (no ':' or spaces)\n";
    return 2;
  }
  std::optional<Secret> password;
  if (password_file) {
    password = cli::read_password_file(*password_file);
  } else if (const char* env = std::getenv("POP3_PASSWORD"); env && *env) {
    password = Secret(env);
  } else {
    password = cli::prompt_password("New password for " + user + ": ");
    if (password) {
      auto again = cli::prompt_password("Again: ");
      if (!again || !again->equals(*password)) {
        std::cerr << "pop3-server passwd: the passwords differ; nothing changed\n";
        return 1;
      }
    }
  }
  if (!password || password->empty()) {
    std::cerr
        << "pop3-server passwd: no password given (--password-file, POP3_PASSWORD or a terminal)\n";
    return 2;
  }
  auth::update_passwd_file(users, user, auth::encode_dovecot_password(*scheme, *password));
  std::cout << "pop3-server passwd: " << user << " stored as {" << auth::scheme_name(*scheme)
            << "} in " << users.string() << "\n";
  switch (*scheme) {
    case auth::PasswordScheme::Plain:
    case auth::PasswordScheme::Cleartext:
      std::cout
          << "  allows every mechanism (APOP and CRAM-MD5 need the plaintext), and anyone who "
             "reads the file reads the password\n";
      break;
    case auth::PasswordScheme::Sha512Crypt:
      std::cout << "  allows USER/PASS, PLAIN and LOGIN only: APOP, CRAM-MD5 and SCRAM need other "
                   "schemes\n";
      break;
    case auth::PasswordScheme::ScramSha256:
      std::cout << "  allows SCRAM-SHA-256, USER/PASS, PLAIN and LOGIN; not APOP or CRAM-MD5\n";
      break;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pop3-server: a POP3 server on Maildir, for teaching and for real clients.\n"
      "With no arguments it makes a lab directory with sample users and mail and serves it\n"
      "on loopback. See docs/server.md."};
  app.set_version_flag("--version", "pop3-server " POP3LAB_VERSION);
  ServerSettings s;
  std::vector<std::string> listen, tls_listen;
  std::optional<std::filesystem::path> config, cert, key, users, mail_root, trace, log_file,
      lab_dir;
  std::optional<std::string> run_as, profile, hostname, plaintext, trace_feed;
  std::optional<int> delay_ms, lockout_after, autologout;
  bool lab = false, expose = false, quiet = false;

  app.add_option("--listen", listen, "plaintext listener (STLS offered), ADDR:PORT; repeatable");
  app.add_option("--tls-listen", tls_listen,
                 "implicit-TLS listener (RFC 8314), ADDR:PORT; repeatable");
  app.add_option("--users", users, "Dovecot passwd-file: name:{SCHEME}secret");
  app.add_option("--mail-root", mail_root, "user U's maildrop is MAIL_ROOT/U/Maildir");
  app.add_option("--cert", cert,
                 "TLS certificate chain (PEM); default: a self-signed one beside --users");
  app.add_option("--key", key, "TLS private key (PEM)");
  app.add_option("--config", config, "TOML settings file (docs/server.md); the command line wins");
  app.add_option("--run-as", run_as, "after binding, drop root and become this user");
  app.add_option("--profile", profile, "settings profile: default or lab");
  app.add_option("--hostname", hostname, "name in APOP timestamps, CRAM-MD5 challenges and QUIT");
  app.add_option("--plaintext-auth", plaintext,
                 "allow or tls-only: USER/PASS, PLAIN and LOGIN before TLS")
      ->check(CLI::IsMember({"allow", "tls-only"}));
  app.add_option("--failed-login-delay-ms", delay_ms, "delay before -ERR for a failed login");
  app.add_option("--lockout-after", lockout_after,
                 "lock a user out after N failures in a row (0: never)");
  app.add_option("--autologout", autologout, "seconds of inactivity before the server hangs up");
  app.add_option("--trace", trace, "append the JSON Lines trace of every session to FILE");
  app.add_flag("--trace-expose-secrets", expose,
               "keep passwords in --trace (labs that teach sniffing)");
  app.add_option("--trace-feed", trace_feed,
                 "serve the live trace on loopback ADDR:PORT (carries secrets)");
  app.add_option("--log-file", log_file, "also write the log to FILE");
  app.add_flag("-q,--quiet", quiet, "no log lines on standard error");
  app.add_flag("--lab", lab, "serve the lab directory (the default with no arguments)");
  app.add_option("--lab-dir", lab_dir,
                 "where the lab directory is (default: ~/.local/share/pop3lab/lab)");

  auto* passwd = app.add_subcommand("passwd", "add a user to a users file or change a password");
  std::string passwd_user, scheme = "SCRAM-SHA-256";
  std::filesystem::path passwd_users;
  std::optional<std::filesystem::path> password_file;
  passwd->add_option("user", passwd_user, "the user")->required();
  passwd->add_option("--users", passwd_users, "the passwd-file to change")->required();
  passwd->add_option("--scheme", scheme, "PLAIN, SHA512-CRYPT or SCRAM-SHA-256 (default)");
  passwd->add_option("--password-file", password_file,
                     "read the password from FILE (else POP3_PASSWORD, else a prompt)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, the version, or what is wrong
    return code == 0 ? 0 : 2;
  }

  try {
    if (passwd->parsed()) return run_passwd(passwd_users, passwd_user, scheme, password_file);

    if (argc == 1 || lab || lab_dir) {
      const auto dir = lab_dir ? *lab_dir : default_lab_directory();
      s = prepare_lab(dir);
      lab = true;
    }
    // The profile sets a baseline that the config file and the other flags refine.
    if (profile) apply_profile(s, *profile);
    if (config) load_config_file(s, *config);
    auto endpoints = [](const std::vector<std::string>& texts) {
      std::vector<Endpoint> out;
      for (const auto& t : texts) {
        auto ep = parse_endpoint(t);
        if (!ep)
          throw std::runtime_error("\"" + t +
                                   "\" is not ADDR:PORT (e.g. 127.0.0.1:1110 or [::1]:1110)");
        out.push_back(*ep);
      }
      return out;
    };
    if (!listen.empty() || !tls_listen.empty()) {
      s.listen = endpoints(listen);
      s.tls_listen = endpoints(tls_listen);
    }
    if (users) s.users = *users;
    if (mail_root) s.mail_root = *mail_root;
    if (cert) s.cert = *cert;
    if (key) s.key = *key;
    if (run_as) s.run_as = *run_as;
    if (hostname) s.hostname = *hostname;
    if (plaintext)
      s.policy.plaintext_auth =
          *plaintext == "allow" ? PlaintextAuth::Allow : PlaintextAuth::TlsOnly;
    if (delay_ms) s.policy.failed_login_delay = std::chrono::milliseconds(*delay_ms);
    if (lockout_after) s.policy.lockout_after = *lockout_after;
    if (autologout) s.policy.autologout = std::chrono::seconds(*autologout);
    if (trace) s.trace_file = *trace;
    if (expose) s.trace_expose_secrets = true;
    if (trace_feed) {
      s.trace_feed = parse_endpoint(*trace_feed);
      if (!s.trace_feed)
        throw std::runtime_error("--trace-feed: \"" + *trace_feed + "\" is not ADDR:PORT");
    }
    if (log_file) s.log_file = *log_file;
    if (quiet) s.quiet = true;
    if (const auto problems = validate(s); !problems.empty()) {
      for (const auto& p : problems)
        std::cerr << "pop3-server: " << p << "\n";
      return 2;
    }

    auto logger = make_logger(s);
    if (running_as_root() && !s.run_as)
      logger->warn(
          "event=running-as-root note=\"use --run-as USER to drop privileges after binding\"");
    // One descriptor per session: the soft limit (often 1024) would refuse sessions long
    // before max_connections. Before the privilege drop, so --run-as does not matter.
    (void)raise_descriptor_limit();
    Server server(s, logger);
    server.bind();
    if (s.run_as) drop_privileges(*s.run_as);

    std::string line = "pop3-server: accepting connections on";
    for (const auto& e : server.plain_endpoints())
      line += " " + e + " (plaintext, STLS)";
    for (const auto& e : server.tls_endpoints())
      line += " " + e + " (TLS)";
    std::cout << line << std::endl;
    if (s.trace_feed)
      std::cout << "pop3-server: live trace feed on " << server.trace_feed_endpoint()
                << " -- it carries passwords in clear, for the labs" << std::endl;
    if (lab) {
      std::cout << lab_instructions(s.users.parent_path(), server.plain_endpoints(),
                                    server.tls_endpoints(), server.certificate())
                << std::flush;
    }
    server.run();
    std::cout << "pop3-server: stopped" << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "pop3-server: " << e.what() << "\n";
    return 1;
  }
}
