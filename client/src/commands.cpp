#include "commands.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "exit_codes.hpp"
#include "session.hpp"

namespace pop3::client {
namespace {

void print_caps(const Capabilities& caps) {
  if (caps.empty()) {
    std::cout << "  (no capabilities: the server does not implement CAPA)\n";
    return;
  }
  for (const auto& c : caps.all())
    std::cout << "  " << explain_capability(c) << "\n";
}

int needed(const Reply& r, const std::string& what) {
  std::cerr << "pop3-client: " << what << ": " << (r.code ? "[" + r.code->text + "] " : "")
            << r.text << "\n";
  if (r.code) std::cerr << "  " << r.code->meaning() << "\n";
  return kServerRefused;
}

}  // namespace

int run_info(const Settings& s) {
  Observer observer(s);
  auto client = open_session(Settings{s}, observer, false);  // STLS already done for starttls
  auto& session = client->session();
  std::cout << "Server " << s.url.host << ":" << s.url.port << "\n";
  if (session.apop_timestamp())
    std::cout << "  APOP offered: the greeting carries the timestamp " << *session.apop_timestamp()
              << "\n";
  if (s.tls == net::TlsMode::StartTls) {
    std::cout << "Upgraded with STLS: " << client->tls_description() << "\n"
              << "What it offered before TLS is forgotten (RFC 2595); after TLS it offers:\n";
  } else if (s.tls == net::TlsMode::Implicit) {
    std::cout << "Under implicit TLS from the first byte: " << client->tls_description()
              << "\nIt offers:\n";
  } else {
    std::cout << "In plaintext (--tls=none); it offers:\n";
  }
  print_caps(session.capabilities());
  if (s.tls == net::TlsMode::None && session.capabilities().has("STLS"))
    std::cout << "STLS is offered: run with --tls=starttls to protect the login.\n";
  client->quit();
  observer.finish();
  return kOk;
}

int run_list(const Settings& s, bool uidl) {
  Observer observer(s);
  auto client = open_session(s, observer);
  Reply r = client->command({uidl ? Verb::Uidl : Verb::List, {}});
  if (!r.ok()) return needed(r, uidl ? "UIDL" : "LIST");
  for (const auto& line : r.lines)
    std::cout << line << "\n";
  client->quit();
  observer.finish();
  return kOk;
}

int run_top(const Settings& s, std::size_t message, std::size_t lines) {
  Observer observer(s);
  auto client = open_session(s, observer);
  std::string data;
  client->on_step = [&, previous = client->on_step](const Step& step) {
    if (previous) previous(step);
    if (auto* c = std::get_if<BodyChunk>(&step)) data += c->data;
  };
  Reply r = client->command({Verb::Top, {std::to_string(message), std::to_string(lines)}});
  if (!r.ok()) return needed(r, "TOP");
  std::cout << data << std::flush;
  client->quit();
  observer.finish();
  return kOk;
}

int run_retr(const Settings& s, std::size_t message,
             const std::optional<std::filesystem::path>& output) {
  Observer observer(s);
  auto client = open_session(s, observer);
  // To a file: written beside it and renamed when whole, so a cut-off download never
  // leaves a file that looks complete.
  std::optional<std::ofstream> file;
  std::filesystem::path partial;
  if (output) {
    partial = output->string() + ".part";
    file.emplace(partial, std::ios::binary | std::ios::trunc);
    if (!*file) throw std::runtime_error("cannot write " + partial.string());
  }
  client->on_step = [&, previous = client->on_step](const Step& step) {
    if (previous) previous(step);
    if (auto* c = std::get_if<BodyChunk>(&step)) {
      if (file) {
        file->write(c->data.data(), static_cast<std::streamsize>(c->data.size()));
      } else {
        std::cout.write(c->data.data(), static_cast<std::streamsize>(c->data.size()));
      }
    }
  };
  Reply r;
  try {
    r = client->command({Verb::Retr, {std::to_string(message)}});
  } catch (...) {
    if (file) std::filesystem::remove(partial);
    throw;
  }
  if (!r.ok()) {
    if (file) std::filesystem::remove(partial);
    return needed(r, "RETR");
  }
  if (file) {
    file->close();
    if (!*file) throw std::runtime_error("writing " + partial.string() + " failed");
    std::filesystem::rename(partial, *output);
  }
  std::cout << std::flush;
  client->quit();
  observer.finish();
  return kOk;
}

int run_dele(const Settings& s, std::size_t message) {
  Observer observer(s);
  auto client = open_session(s, observer);
  Reply r = client->command({Verb::Dele, {std::to_string(message)}});
  if (!r.ok()) return needed(r, "DELE");
  Reply bye = client->quit();
  if (!bye.ok()) return needed(bye, "QUIT (the deletion did not happen)");
  std::cout << "message " << message << " deleted (QUIT entered UPDATE)\n";
  observer.finish();
  return kOk;
}

}  // namespace pop3::client
