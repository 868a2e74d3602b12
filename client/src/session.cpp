#include "session.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/cli/password.hpp"
#include "pop3/trace/recorder.hpp"
#include "pop3/trace/writer.hpp"
#include "transcript.hpp"

namespace pop3::client {

struct Observer::Tracing {
  std::ofstream stream;
  std::unique_ptr<trace::JsonlWriter> writer;
  std::unique_ptr<trace::Recorder> recorder;
  bool ended = false;
};

Observer::Observer(const Settings& settings) : verbose_(settings.verbose) {
  if (settings.trace) {
    tracing_ = std::make_unique<Tracing>();
    tracing_->stream.open(*settings.trace, std::ios::trunc);
    if (!tracing_->stream)
      throw std::runtime_error("cannot write the trace file " + settings.trace->string());
    trace::HeaderRecord header;
    header.producer = "pop3-client " POP3LAB_VERSION;
    header.created =
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    tracing_->writer = std::make_unique<trace::JsonlWriter>(tracing_->stream, header);
    tracing_->recorder = std::make_unique<trace::Recorder>(
        *tracing_->writer, "1", trace::Role::Client,
        trace::RecorderOptions{Clock::now(), settings.trace_expose_secrets});
    tracing_->recorder->session_start(
        Clock::now(), settings.url.host + ":" + std::to_string(settings.url.port), settings.account,
        settings.tls == net::TlsMode::Implicit ? trace::Channel::Tls : trace::Channel::Plain);
  }
}

Observer::~Observer() {
  try {
    finish();
  } catch (...) {
  }
}

void Observer::finish() {
  if (tracing_ && !tracing_->ended) {
    tracing_->ended = true;
    tracing_->recorder->session_end(Clock::now());
    tracing_->stream.flush();
  }
}

void Observer::attach(net::Client& client, std::function<void(const Step&)> extra) {
  std::shared_ptr<Transcript> transcript;
  if (verbose_) {
    transcript =
        std::make_shared<Transcript>([](const std::string& line) { std::cerr << line << '\n'; });
    transcript->show_bodies = false;
    transcript->show_states = true;
  }
  client.on_step = [this, transcript, extra](const Step& step) {
    if (transcript) transcript->step(step);
    if (tracing_ && !tracing_->ended) tracing_->recorder->step(step, Clock::now());
    if (extra) extra(step);
  };
  client.on_tls = [this](std::string_view description) {
    note("TLS: " + std::string(description));
    if (tracing_ && !tracing_->ended) {
      const std::string d(description);
      const auto space = d.find(' ');
      tracing_->recorder->tls_established(
          d.substr(0, space), space == std::string::npos ? "" : d.substr(space + 1), Clock::now());
    }
  };
}

void Observer::note(const std::string& text, bool always) const {
  if (verbose_ || always) std::cerr << "-- " << text << '\n';
}

void Observer::warn(const std::string& text) const {
  std::cerr << "pop3-client: warning: " << text << '\n';
}

LoginChoice choose_login(const Capabilities& caps, bool apop_offered,
                         const std::optional<std::string>& asked) {
  if (asked) {
    std::string name = *asked;
    for (char& c : name)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name == "USER" || name == "USER/PASS") return {"USER", "--auth asked for USER/PASS"};
    if (name == "APOP") return {"APOP", "--auth asked for APOP"};
    return {name, "--auth asked for " + name};
  }
  const auto sasl = auth::choose_client_mechanism(caps.sasl_mechanisms());
  if (sasl.mechanism && (*sasl.mechanism == auth::Mechanism::ScramSha256 ||
                         *sasl.mechanism == auth::Mechanism::CramMd5))
    return {sasl.name, sasl.reason};
  if (apop_offered)
    return {"APOP", "the greeting offers APOP, whose digest hides the password better than " +
                        (sasl.mechanism ? sasl.name : std::string("USER/PASS")) +
                        " (but is open to an offline guess)"};
  if (sasl.mechanism) return {sasl.name, sasl.reason};
  return {"USER", caps.empty()
                      ? "the server lists no capabilities: USER/PASS, the RFC 1939 baseline"
                      : "no SASL mechanism or APOP offered: USER/PASS"};
}

Secret obtain_password(const Settings& s) {
  if (s.password_file) return cli::read_password_file(*s.password_file);
  if (const char* env = std::getenv("POP3_PASSWORD"); env) return Secret(env);
  if (auto typed = cli::prompt_password("Password for " + s.url.user + "@" + s.url.host + ": "))
    return std::move(*typed);
  throw net::ClientError(
      net::FailureKind::Local,
      "no password: give --password-file, set POP3_PASSWORD, or run on a terminal");
}

namespace {

[[noreturn]] void refused(const Reply& reply, const std::string& what) {
  const std::string text =
      what + ": " + (reply.code ? "[" + reply.code->text + "] " : "") + reply.text;
  if (reply.code && reply.code->text == "IN-USE")
    throw net::ClientError(net::FailureKind::InUse, text);
  if (reply.code && (reply.code->top() == "SYS"))
    throw net::ClientError(net::FailureKind::ServerRefused, text);
  throw net::ClientError(net::FailureKind::AuthFailed, text);
}

}  // namespace

void log_in(net::Client& client, const Settings& s, Observer& observer) {
  if (s.url.user.empty())
    throw net::ClientError(net::FailureKind::Local, "no user name: pop3://USER@HOST:PORT");
  const auto& session = client.session();
  const LoginChoice choice = choose_login(
      session.capabilities(), session.apop_timestamp().has_value(), s.auth ? s.auth : s.url.auth);
  observer.note("login with " + choice.mechanism + ": " + choice.reason);
  Secret password = obtain_password(s);
  if (choice.mechanism == "USER") {
    Reply r = client.command({Verb::User, {s.url.user}});
    if (!r.ok()) refused(r, "USER");
    r = client.command({Verb::Pass, {std::string(password.reveal())}});
    if (!r.ok()) refused(r, "PASS");
    return;
  }
  if (choice.mechanism == "APOP") {
    if (!session.apop_timestamp())
      throw net::ClientError(
          net::FailureKind::ServerRefused,
          "APOP: the greeting has no timestamp, so the server does not offer APOP");
    const std::string digest = auth::apop_digest(*session.apop_timestamp(), password);
    Reply r = client.command({Verb::Apop, {s.url.user, digest}});
    if (!r.ok()) refused(r, "APOP");
    return;
  }
  if (session.capabilities_known() && !session.capabilities().has_sasl(choice.mechanism))
    throw net::ClientError(
        net::FailureKind::ServerRefused,
        "the server does not offer AUTH " + choice.mechanism + " here" +
            (client.session().tls_active() ? "" : " (some servers offer it only under TLS)"));
  auto mechanism = auth::make_client_mechanism(choice.mechanism, s.url.user, std::move(password));
  if (!mechanism)
    throw net::ClientError(net::FailureKind::Local,
                           "pop3-client does not implement " + choice.mechanism);
  Reply r = client.authenticate(std::move(mechanism));
  if (!r.ok()) refused(r, "AUTH " + choice.mechanism);
}

net::ClientOptions client_options(const Settings& s) {
  net::ClientOptions o;
  o.host = s.url.host;
  o.port = s.url.port;
  o.tls = s.tls;
  o.tls_options = s.tls_options;
  o.timeout = s.timeout;
  o.session.stream_message_bodies = true;
  if (const char* keylog = std::getenv("SSLKEYLOGFILE"); keylog && *keylog) o.key_log = keylog;
  return o;
}

std::unique_ptr<net::Client> open_session(const Settings& s, Observer& observer, bool login) {
  auto client = std::make_unique<net::Client>(client_options(s));
  observer.attach(*client);
  observer.note("connecting to " + s.url.host + ":" + std::to_string(s.url.port) +
                " (TLS: " + std::string(tls_mode_name(s.tls)) + ")");
  client->connect();
  Reply capa = client->command({Verb::Capa, {}});
  if (!capa.ok()) observer.note("the server has no CAPA (RFC 1939 only)");
  if (s.tls == net::TlsMode::StartTls) {
    if (!client->session().capabilities().has("STLS")) {
      throw net::ClientError(net::FailureKind::StartTlsUnavailable,
                             "the server does not offer STLS, and --tls=starttls requires it: no "
                             "credentials were sent. "
                             "Someone on the path may have removed it from CAPA (STARTTLS "
                             "stripping); use --tls=none only "
                             "if you accept the password crossing in clear");
    }
    client->starttls();
    client->command({Verb::Capa, {}});
  } else if (s.tls == net::TlsMode::None && login) {
    observer.warn("--tls=none: the password and the mail cross the network in clear");
  }
  if (login) log_in(*client, s, observer);
  return client;
}

}  // namespace pop3::client
