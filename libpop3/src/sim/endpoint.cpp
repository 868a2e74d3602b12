#include "endpoint.hpp"

namespace pop3::sim::detail {

void Endpoint::collect(std::vector<WireWrite>& out) {
  std::string bytes = tls_->take_wire();
  if (!bytes.empty())
    out.push_back(WireWrite{trace::Channel::Tls, std::move(bytes), false, 0, 0, {}});
}

std::vector<WireWrite> Endpoint::start_tls(TlsPipe pipe) {
  std::vector<WireWrite> out;
  if (tls_) return out;
  tls_.emplace(std::move(pipe));
  tls_->start();
  collect(out);
  return out;
}

WireWrite Endpoint::encrypt(std::uint64_t begin, std::string bytes) {
  tls_->write_app(bytes);
  WireWrite w{trace::Channel::Tls, tls_->take_wire(), true, begin, begin + bytes.size(), {}};
  w.app = std::move(bytes);
  return w;
}

std::vector<WireWrite> Endpoint::send_app(std::string bytes) {
  std::vector<WireWrite> out;
  const std::uint64_t begin = app_sent_;
  app_sent_ += bytes.size();
  if (!tls_) {
    WireWrite w{trace::Channel::Plain, bytes, true, begin, app_sent_, {}};
    w.app = std::move(bytes);
    out.push_back(std::move(w));
  } else if (tls_->established()) {
    out.push_back(encrypt(begin, std::move(bytes)));
  } else if (tls_->state() == TlsPipe::State::Handshaking ||
             tls_->state() == TlsPipe::State::Idle) {
    held_.push_back(Held{begin, std::move(bytes)});  // e.g. the greeting on an implicit-TLS port
  }
  // Failed or closed: the bytes have nowhere to go.
  return out;
}

Incoming Endpoint::receive(std::string_view wire) {
  Incoming in;
  if (!tls_) {
    in.app = std::string(wire);
    return in;
  }
  const bool was_up = tls_->established();
  tls_->put_wire(wire);
  collect(in.writes);
  if (!was_up && tls_->established()) {
    in.tls_up = true;
    tls_was_up_ = true;
    for (Held& h : held_)
      in.writes.push_back(encrypt(h.begin, std::move(h.bytes)));
    held_.clear();
  }
  if (tls_->failed() && !failure_reported_) {
    failure_reported_ = true;
    in.tls_failed = true;
    in.failure = tls_->failure();
    held_.clear();
    collect(in.writes);  // the alert, if OpenSSL wrote one
  }
  in.app = tls_->take_app();
  return in;
}

std::vector<WireWrite> Endpoint::close() {
  std::vector<WireWrite> out;
  if (tls_ && tls_->established()) {
    tls_->close();
    collect(out);
  }
  return out;
}

}  // namespace pop3::sim::detail
