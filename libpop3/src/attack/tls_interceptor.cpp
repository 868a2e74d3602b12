#include "pop3/attack/tls_interceptor.hpp"

#include <stdexcept>

#include "pop3/sim/tls_identity.hpp"

namespace pop3::attack {

TlsInterceptor::TlsInterceptor(std::shared_ptr<const sim::TlsIdentity> presented,
                               std::shared_ptr<Interception> interception,
                               sim::TlsSettings settings)
    : presented_(std::move(presented)),
      log_(interception ? std::move(interception) : std::make_shared<Interception>()),
      settings_(std::move(settings)) {
  if (!presented_) throw std::invalid_argument("TlsInterceptor: no certificate to present");
  *log_ = Interception{};
}

void TlsInterceptor::on_chunk(const sim::ChunkView& chunk, sim::MiddleboxOutput& out) {
  if (chunk.channel == trace::Channel::Plain) {
    saw_plaintext_ = true;
    out.forward();
    return;
  }
  if (!toward_client_) start(out);
  if (chunk.direction == Direction::ClientToServer)
    toward_client_->put_wire(chunk.bytes);
  else
    toward_server_->put_wire(chunk.bytes);
  pump(out);
}

void TlsInterceptor::start(sim::MiddleboxOutput& out) {
  toward_client_.emplace(sim::TlsPipe::server(settings_, *presented_));
  sim::TlsSettings upstream = settings_;
  upstream.verify_peer = false;
  toward_server_.emplace(sim::TlsPipe::client(upstream, nullptr));
  toward_server_->start();
  log_->handshake_started = true;
  if (saw_plaintext_) follower_.assume_greeted();  // the greeting went by in plaintext
  std::string names;
  for (const auto& n : presented_->dns_names())
    names += (names.empty() ? "" : ", ") + n;
  out.note("answering the client's TLS handshake itself with a certificate for " + names +
           " (O=" + presented_->options().organization + ", SHA-256 " +
           presented_->fingerprint_sha256().substr(0, 23) +
           "...), and opening its own TLS connection to the server");
}

void TlsInterceptor::read_from_client(const std::string& app, sim::MiddleboxOutput& out) {
  log_->from_client += app;
  for (const std::string& line : client_lines_.add(app)) {
    const LineInfo info = follower_.client_line(strip_line_end(line));
    if (info.kind == LineKind::Command && info.command)
      out.note("read under TLS from the client: " + describe(*info.command));
    else if (info.kind == LineKind::SaslResponse)
      out.note("read under TLS from the client: a SASL response (" + std::to_string(line.size()) +
               " octets)");
  }
  for_server_ += app;
}

void TlsInterceptor::read_from_server(const std::string& app) {
  log_->from_server += app;
  // The follower needs the replies too, to know where an AUTH exchange ends.
  for (const std::string& line : server_lines_.add(app))
    (void)follower_.server_line(strip_line_end(line));
  for_client_ += app;
}

void TlsInterceptor::pump(sim::MiddleboxOutput& out) {
  sim::TlsPipe& client = *toward_client_;
  sim::TlsPipe& server = *toward_server_;

  if (std::string app = client.take_app(); !app.empty()) read_from_client(app, out);
  if (std::string app = server.take_app(); !app.empty()) read_from_server(app);
  if (server.established() && !for_server_.empty()) {
    server.write_app(for_server_);
    for_server_.clear();
  }
  if (client.established() && !for_client_.empty()) {
    client.write_app(for_client_);
    for_client_.clear();
  }
  if (client.peer_closed() && !closed_server_ && server.established()) {
    closed_server_ = true;
    server.close();
  }
  if (server.peer_closed() && !closed_client_ && client.established()) {
    closed_client_ = true;
    client.close();
  }
  if (std::string wire = server.take_wire(); !wire.empty())
    out.inject(Direction::ClientToServer, std::move(wire), trace::Channel::Tls);
  if (std::string wire = client.take_wire(); !wire.empty())
    out.inject(Direction::ServerToClient, std::move(wire), trace::Channel::Tls);

  if (!client_done_ && client.established()) {
    client_done_ = true;
    log_->client_accepted = true;
    out.note("the client accepted the substitute certificate (" + client.version() +
             "): from now on the interceptor reads everything");
  } else if (!client_done_ && client.failed()) {
    client_done_ = true;
    log_->client_failure = client.failure();
    out.note("the client refused the substitute certificate (" + client.failure() + ")");
  }
  if (!server_noted_ && server.established()) {
    server_noted_ = true;
    log_->server_connected = true;
    out.note("TLS to the real server is up (" + server.version() + ")");
  }
}

}  // namespace pop3::attack
