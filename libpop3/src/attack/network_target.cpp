#include "pop3/attack/network_target.hpp"

#include <asio/ip/address.hpp>
#include <stdexcept>
#include <thread>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/client_mechanisms.hpp"

namespace pop3::attack {

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  std::error_code ec;
  const asio::ip::address a = asio::ip::make_address(host, ec);
  return !ec && a.is_loopback();
}

NetworkTarget::NetworkTarget(net::ClientOptions options)
    : options_(std::move(options)), start_(Clock::now()) {
  if (!is_loopback_host(options_.host))
    throw std::invalid_argument(
        "the online guesser only attacks servers on this machine (loopback), not " + options_.host);
}

NetworkTarget::~NetworkTarget() {
  disconnect();
}

std::string NetworkTarget::describe() const {
  return "pop3 server at " + options_.host + ":" + std::to_string(options_.port) +
         (options_.tls == net::TlsMode::Implicit   ? " (implicit TLS)"
          : options_.tls == net::TlsMode::StartTls ? " (STLS)"
                                                   : "");
}

void NetworkTarget::disconnect() {
  if (!client_) return;
  try {
    if (client_->connected() && client_->session().state() != State::Closed) (void)client_->quit();
  } catch (const std::exception&) {
    // Leaving anyway.
  }
  client_->close();
  client_.reset();
}

void NetworkTarget::wait(Duration d) {
  disconnect();
  std::this_thread::sleep_for(d);
}

Reply NetworkTarget::login(std::string_view user, std::string_view password, LoginMethod method) {
  switch (method) {
    case LoginMethod::UserPass: {
      Reply r = client_->command({Verb::User, {std::string(user)}});
      if (!r.ok()) return r;
      return client_->command({Verb::Pass, {std::string(password)}});
    }
    case LoginMethod::Apop: {
      const auto& timestamp = client_->session().apop_timestamp();
      if (!timestamp)
        throw net::ClientError(net::FailureKind::ServerRefused, "the greeting offers no APOP");
      return client_->command(
          {Verb::Apop, {std::string(user), auth::apop_digest(*timestamp, Secret(password))}});
    }
    default: {
      auto m = auth::make_client_mechanism(login_method_name(method), user, Secret(password));
      return client_->authenticate(std::move(m));
    }
  }
  return {};
}

Attempt NetworkTarget::attempt(std::string_view user, std::string_view password,
                               LoginMethod method) {
  Attempt a;
  const Duration begin = elapsed();
  try {
    if (!client_) {
      client_ = std::make_unique<net::Client>(options_);
      ++connections_;
      (void)client_->connect();
      if (options_.tls == net::TlsMode::StartTls) client_->starttls();
    }
    a.connection = connections_;
    const Reply r = login(user, password, method);
    a.outcome = classify_login_reply(r);
    a.reply = status_text(r);
  } catch (const std::exception& e) {
    a.connection = connections_;
    a.outcome = AttemptOutcome::Error;
    a.reply = e.what();
  }
  a.at = elapsed();
  a.took = a.at - begin;
  if (a.outcome == AttemptOutcome::Accepted || a.outcome == AttemptOutcome::Error ||
      (client_ && client_->session().state() == State::Closed))
    disconnect();
  return a;
}

}  // namespace pop3::attack
