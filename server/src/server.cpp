#include "server.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "pop3/auth/apop.hpp"
#include "pop3/maildir/provider.hpp"
#include "pop3/net/connection.hpp"
#include "pop3/net/tls.hpp"
#include "pop3/trace/recorder.hpp"
#include "pop3/trace/writer.hpp"
#include "session_log.hpp"
#include "trace_feed.hpp"

namespace pop3::server {
namespace {

constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);

trace::HeaderRecord trace_header() {
  trace::HeaderRecord h;
  h.producer = "pop3-server " POP3LAB_VERSION;
  h.created =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  return h;
}

std::string endpoint_text(const asio::ip::tcp::endpoint& ep) {
  return ep.address().is_v6() ? "[" + ep.address().to_string() + "]:" + std::to_string(ep.port())
                              : ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

Server::Server(ServerSettings settings, std::shared_ptr<spdlog::logger> logger)
    : settings_(std::move(settings)),
      log_(std::move(logger)),
      signals_(io_, SIGINT, SIGTERM),
      policy_state_(settings_.policy),
      trace_start_(Clock::now()) {
  load_users();
  setup_tls();
  if (settings_.trace_file) {
    // Traces name users and, with --trace-expose-secrets, hold passwords: owner only.
    const int fd =
        ::open(settings_.trace_file->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    trace_stream_.open(*settings_.trace_file, std::ios::app);
    if (!trace_stream_)
      throw std::runtime_error("cannot write the trace file " + settings_.trace_file->string());
    trace_file_ = std::make_unique<trace::JsonlWriter>(trace_stream_, trace_header(),
                                                       trace::WriterOptions{true});
  }
}

Server::~Server() = default;

void Server::load_users() {
  auto users = std::make_shared<Users>();
  users->file = auth::read_passwd_file(settings_.users);
  for (const auto& e : users->file.errors)
    log_->warn("event=users-file file={} line={} problem={}", log_value(settings_.users.string()),
               e.line, log_value(e.message));
  if (users->file.store.size() == 0)
    log_->warn("event=users-file problem=\"no users: nobody can log in\"");
  auth::ServerMechanismOptions options;
  options.host = settings_.hostname;
  users->authenticator = std::make_unique<auth::StoreAuthenticator>(users->file.store, options);
  std::string sasl;
  for (const auto& m : users->authenticator->sasl_mechanisms())
    sasl += (sasl.empty() ? "" : " ") + m;
  log_->info("event=users-loaded users={} sasl=\"{}\" apop={}", users->file.store.size(), sasl,
             users->authenticator->apop_available() ? "yes" : "no");
  users_ = std::move(users);  // sessions under way keep the previous generation
}

void Server::setup_tls() {
  if (settings_.cert && settings_.key) {
    cert_path_ = *settings_.cert;
    tls_.emplace(net::make_server_tls_context(*settings_.cert, *settings_.key));
    return;
  }
  // No certificate given: make (once) and use a self-signed one next to the users file.
  const auto dir = settings_.users.parent_path().empty() ? std::filesystem::path(".")
                                                         : settings_.users.parent_path();
  cert_path_ = dir / "pop3lab-cert.pem";
  const auto key = dir / "pop3lab-key.pem";
  if (!std::filesystem::exists(cert_path_) || !std::filesystem::exists(key)) {
    net::write_self_signed_certificate(cert_path_, key, {"localhost", settings_.hostname},
                                       {"127.0.0.1", "::1"});
    log_->info("event=certificate-created cert={} note=\"self-signed; clients need --cafile\"",
               log_value(cert_path_.string()));
  }
  tls_.emplace(net::make_server_tls_context(cert_path_, key));
}

void Server::open_listener(const Endpoint& endpoint, bool implicit_tls) {
  asio::ip::tcp::resolver resolver(io_);
  const auto results =
      resolver.resolve(endpoint.host.empty() ? "::" : endpoint.host, std::to_string(endpoint.port),
                       asio::ip::tcp::resolver::passive);
  for (const auto& entry : results) {
    auto listener =
        std::make_unique<Listener>(Listener{asio::ip::tcp::acceptor(io_), implicit_tls});
    auto& a = listener->acceptor;
    const auto ep = entry.endpoint();
    try {
      a.open(ep.protocol());
      a.set_option(asio::ip::tcp::acceptor::reuse_address(true));
      if (ep.address().is_v6() && endpoint.host.empty()) a.set_option(asio::ip::v6_only(false));
      a.bind(ep);
      a.listen(asio::socket_base::max_listen_connections);
    } catch (const std::system_error& e) {
      throw std::system_error(e.code(), "cannot listen on " + endpoint_text(ep));
    }
    listeners_.push_back(std::move(listener));
  }
}

void Server::bind() {
  for (const auto& ep : settings_.listen)
    open_listener(ep, false);
  for (const auto& ep : settings_.tls_listen)
    open_listener(ep, true);
  if (settings_.trace_feed) {
    trace_feed_ = std::make_unique<TraceFeed>(io_, *settings_.trace_feed, trace_header());
  }
}

std::vector<std::string> Server::plain_endpoints() const {
  std::vector<std::string> out;
  for (const auto& l : listeners_)
    if (!l->implicit_tls) out.push_back(endpoint_text(l->acceptor.local_endpoint()));
  return out;
}

std::vector<std::string> Server::tls_endpoints() const {
  std::vector<std::string> out;
  for (const auto& l : listeners_)
    if (l->implicit_tls) out.push_back(endpoint_text(l->acceptor.local_endpoint()));
  return out;
}

std::string Server::trace_feed_endpoint() const {
  return trace_feed_ ? trace_feed_->endpoint() : "";
}

ServerConfig Server::session_config(bool implicit_tls) const {
  ServerConfig c;
  c.greeting = settings_.greeting;
  c.apop_timestamp = auth::make_apop_timestamp(settings_.hostname);
  c.implementation = "pop3lab " POP3LAB_VERSION;
  c.server_name = settings_.hostname;
  c.tls_available = tls_.has_value() && !implicit_tls;
  c.tls_active = implicit_tls;
  c.plaintext_auth_requires_tls = settings_.policy.plaintext_auth == PlaintextAuth::TlsOnly;
  c.autologout = settings_.policy.autologout;
  c.allow_short_autologout = settings_.profile == "lab";
  c.failed_auth_delay = settings_.policy.failed_login_delay;
  c.max_message_octets = settings_.policy.max_message_octets;
  c.accept_bare_lf = settings_.policy.accept_bare_lf;
  c.expire_days = -1;  // this server never deletes mail on its own
  return c;
}

void Server::run(std::chrono::seconds grace) {
  if (!maildrops_) {
    // Only now, after any privilege drop: the first thing that touches mail.
    // A user with an account but no Maildir yet gets an empty one, as with Dovecot.
    maildir::MaildirOptions options;
    options.create = true;
    maildrops_ = std::make_unique<maildir::MaildirProvider>(settings_.mail_root, options);
  }
  for (auto& l : listeners_)
    asio::co_spawn(io_, accept_loop(*l), asio::detached);
  signals_.async_wait([this, grace](asio::error_code ec, int signal) {
    if (ec) return;
    log_->info("event=shutdown signal={} sessions={}", signal, sessions_.size());
    begin_shutdown(grace);
  });
  reload_signal_.emplace(io_, SIGHUP);
  std::function<void()> wait_hup = [&] {
    reload_signal_->async_wait([&](asio::error_code ec, int) {
      if (ec) return;
      try {
        load_users();
      } catch (const std::exception& e) {
        log_->error("event=users-reload-failed error={}", log_value(e.what()));
      }
      wait_hup();
    });
  };
  wait_hup();
  // Returns once every connection coroutine has finished: shutdown ends them all (see
  // begin_shutdown), so none is left suspended to be destroyed with the io_context after
  // the state it refers to.
  io_.run();
}

void Server::begin_shutdown(std::chrono::seconds grace) {
  if (stopping_) return;
  stopping_ = true;
  for (auto& l : listeners_) {
    asio::error_code ignored;
    l->acceptor.close(ignored);
  }
  signals_.cancel();
  if (reload_signal_) reload_signal_->cancel();
  if (trace_feed_) trace_feed_->stop();
  // Politely first: each session tells its client and closes, without UPDATE.
  for (auto& [id, control] : sessions_)
    control->request_shutdown("server shutting down");
  // Then firmly: a client that does not read its last reply (a stalled write) or does not
  // close has its connection closed, which ends its coroutine.
  grace_timer_.emplace(io_, grace);
  grace_timer_->async_wait([this](asio::error_code) {
    if (!sessions_.empty()) log_->warn("event=shutdown-forced sessions={}", sessions_.size());
    for (auto& [id, control] : sessions_)
      control->abort();
  });
  if (sessions_.empty()) grace_timer_->cancel();
}

asio::awaitable<void> Server::accept_loop(Listener& listener) {
  for (;;) {
    auto [ec, socket] = co_await listener.acceptor.async_accept(kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) co_return;
      log_->warn("event=accept-failed error={}", log_value(ec.message()));
      continue;
    }
    const std::uint64_t id = next_id_++;
    asio::co_spawn(io_, serve(std::move(socket), listener.implicit_tls, id),
                   [this, id](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       log_->error("session={} event=crashed error={}", id, log_value(ex.what()));
                     }
                   });
  }
}

asio::awaitable<void> Server::serve(asio::ip::tcp::socket socket, bool implicit_tls,
                                    std::uint64_t id) {
  socket.set_option(asio::ip::tcp::no_delay(true));
  net::Connection connection(std::move(socket));
  const std::string address = connection.remote_address();
  SessionLog slog(log_, id, address);

  // Connection limits: refused with a greeting the client can show, then closed.
  int& from_address = per_address_[address];
  struct Release {
    Server& s;
    const std::string& a;
    ~Release() {
      if (--s.per_address_[a] <= 0) s.per_address_.erase(a);
    }
  } release{*this, address};
  ++from_address;
  const bool too_many = static_cast<int>(sessions_.size()) >= settings_.policy.max_connections ||
                        from_address > settings_.policy.max_connections_per_address;
  if (too_many || stopping_) {
    slog.warn("refused", too_many ? "reason=too-many-connections" : "reason=shutting-down");
    if (!implicit_tls)
      co_await connection.write("-ERR [SYS/TEMP] too many connections, try again later\r\n");
    connection.abort();
    co_return;
  }

  slog.info("connected", std::string("local=") + connection.local_endpoint() +
                             (implicit_tls ? " tls=implicit" : ""));
  const TimePoint start = Clock::now();
  std::optional<trace::Recorder> file_trace, feed_trace;
  const std::string session_id = std::to_string(id);
  if (trace_file_) {
    file_trace.emplace(*trace_file_, session_id, trace::Role::Server,
                       trace::RecorderOptions{trace_start_, settings_.trace_expose_secrets});
    file_trace->session_start(start, address, {},
                              implicit_tls ? trace::Channel::Tls : trace::Channel::Plain);
  }
  if (trace_feed_) {
    // The feed is for watching labs live: it shows what an eavesdropper would get.
    feed_trace.emplace(*trace_feed_, session_id, trace::Role::Server,
                       trace::RecorderOptions{trace_start_, true});
    feed_trace->session_start(start, address, {},
                              implicit_tls ? trace::Channel::Tls : trace::Channel::Plain);
  }
  auto each_trace = [&](auto&& f) {
    if (file_trace) f(*file_trace);
    if (feed_trace) f(*feed_trace);
  };

  if (implicit_tls) {
    if (auto ec = co_await connection.start_tls(*tls_, asio::ssl::stream_base::server)) {
      slog.info("tls-failed", "error=" + log_value(ec.message()));
      each_trace([&](trace::Recorder& r) {
        r.tls_failed(ec.message(), Clock::now());
        r.session_end(Clock::now(), "TLS handshake failed");
      });
      connection.abort();
      co_return;
    }
    slog.info("tls", "cipher=" + log_value(connection.tls_description()));
  }

  auth::PolicyAuthenticator authenticator(
      [this]() -> std::shared_ptr<Authenticator> {
        // The current generation of the users file, kept alive by whoever holds it.
        return std::shared_ptr<Authenticator>(users_, users_->authenticator.get());
      },
      policy_state_, address);
  ServerSession session(session_config(implicit_tls), authenticator, *maildrops_, start);
  net::SessionControl control(io_.get_executor());
  control.on_abort([&connection] { connection.abort(); });
  sessions_[id] = &control;
  if (stopping_) control.request_shutdown("server shutting down");

  net::ServerDriverHooks hooks;
  hooks.on_step = [&](const Step& step) {
    slog.step(step);
    each_trace([&](trace::Recorder& r) { r.step(step, Clock::now()); });
  };
  hooks.on_tls_up = [&](const std::string& description) {
    slog.info("tls", "cipher=" + log_value(description));
    const auto space = description.find(' ');
    each_trace([&](trace::Recorder& r) {
      r.tls_established(description.substr(0, space),
                        space == std::string::npos ? "" : description.substr(space + 1),
                        Clock::now());
    });
  };
  hooks.on_tls_failed = [&](const std::string& error) {
    slog.info("tls-failed", "error=" + log_value(error));
    each_trace([&](trace::Recorder& r) { r.tls_failed(error, Clock::now()); });
  };
  co_await net::run_server_session(connection, session, implicit_tls ? nullptr : &*tls_, control,
                                   hooks);
  sessions_.erase(id);
  each_trace([&](trace::Recorder& r) { r.session_end(Clock::now()); });
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  slog.info("disconnected", "duration_ms=" + std::to_string(ms));
  if (stopping_ && sessions_.empty() && grace_timer_) grace_timer_->cancel();
}

}  // namespace pop3::server
