#include "lab_setup.hpp"

#include <cstdlib>
#include <sstream>

#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/passwd_file.hpp"
#include "pop3/maildir/writer.hpp"

namespace pop3::server {

const std::vector<LabUser>& lab_users() {
  static const std::vector<LabUser> users{
      {"alice", "wonderland"}, {"bob", "builder"}, {"carol", "123456"}};
  return users;
}

std::filesystem::path default_lab_directory() {
  if (const char* dir = std::getenv("POP3LAB_LAB_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "pop3lab" / "lab";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "pop3lab" / "lab";
}

std::vector<std::string> sample_messages(const std::string& user) {
  std::vector<std::string> out;
  out.push_back(
      "From: Lab Instructor <instructor@pop3lab.test>\n"
      "To: " +
      user +
      "@pop3lab.test\n"
      "Subject: Welcome to pop3lab\n"
      "Date: Mon, 02 Nov 2026 09:00:00 +0000\n"
      "Message-ID: <welcome." +
      user +
      "@pop3lab.test>\n"
      "\n"
      "Hello " +
      user +
      ",\n"
      "\n"
      "This maildrop is yours for the lab. Try STAT, LIST, UIDL, TOP 1 0 and RETR 1,\n"
      "then DELE a message and see what RSET and QUIT do to it.\n");
  out.push_back(
      "From: Lab Instructor <instructor@pop3lab.test>\n"
      "To: " +
      user +
      "@pop3lab.test\n"
      "Subject: Lines that begin with a dot\n"
      "Date: Mon, 02 Nov 2026 09:05:00 +0000\n"
      "Message-ID: <dots." +
      user +
      "@pop3lab.test>\n"
      "\n"
      "The next lines begin with dots. On the wire the server doubles each leading\n"
      "dot (byte-stuffing), so that a line holding a single dot can end the reply.\n"
      ".\n"
      "..\n"
      ".hidden\n"
      "Watch RETR 2 in the trace: the size LIST reports counts each dot once.\n");
  out.push_back(
      "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@pop3lab.test>\n"
      "To: " +
      user +
      "@pop3lab.test\n"
      "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_=E2=80=94_8-bit_text?=\n"
      "Date: Mon, 02 Nov 2026 09:10:00 +0000\n"
      "Message-ID: <eightbit." +
      user +
      "@pop3lab.test>\n"
      "MIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=UTF-8\n"
      "Content-Transfer-Encoding: 8bit\n"
      "\n"
      "Grüße aus Köln! Ça va? Привет. こんにちは。\n"
      "POP3 moves these bytes unchanged: sizes are counted in octets, not characters.\n");
  std::ostringstream big;
  big << "From: Lab Instructor <instructor@pop3lab.test>\n"
      << "To: " << user << "@pop3lab.test\n"
      << "Subject: A large message (about 1 MiB)\n"
      << "Date: Mon, 02 Nov 2026 09:15:00 +0000\n"
      << "Message-ID: <large." << user << "@pop3lab.test>\n"
      << "\n"
      << "Try TOP 4 5 to read the start without downloading the whole message.\n";
  // Deterministic filler that looks like base64 (76 characters a line).
  std::uint32_t x = 2463534242u;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int line = 0; line < 13800; ++line) {
    std::string l(76, 'A');
    for (char& c : l) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      c = alphabet[x % 64];
    }
    big << l << '\n';
  }
  out.push_back(big.str());
  return out;
}

ServerSettings prepare_lab(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  ServerSettings s;
  apply_profile(s, "lab");
  s.users = dir / "users";
  s.mail_root = dir / "mail";
  s.listen = {Endpoint{"127.0.0.1", 1110}};
  s.tls_listen = {Endpoint{"127.0.0.1", 1995}};
  // Plaintext secrets, so that every mechanism (APOP and CRAM-MD5 included) can be tried.
  if (!std::filesystem::exists(s.users)) {
    for (const auto& u : lab_users())
      auth::update_passwd_file(
          s.users, u.name,
          auth::encode_dovecot_password(auth::PasswordScheme::Plain, Secret(u.password)));
  }
  for (const auto& u : lab_users()) {
    const auto maildir = s.mail_root / u.name / "Maildir";
    bool empty = true;
    for (const char* sub : {"cur", "new"}) {
      std::error_code ec;
      if (std::filesystem::exists(maildir / sub, ec) &&
          !std::filesystem::is_empty(maildir / sub, ec))
        empty = false;
    }
    if (!empty) continue;
    maildir::MaildirWriter writer(maildir);
    for (const auto& message : sample_messages(u.name))
      writer.deliver(message);
  }
  return s;
}

std::string lab_instructions(const std::filesystem::path& dir,
                             const std::vector<std::string>& plain,
                             const std::vector<std::string>& tls,
                             const std::filesystem::path& cert) {
  const std::string p = plain.empty() ? "127.0.0.1:1110" : plain.front();
  const std::string t = tls.empty() ? "127.0.0.1:1995" : tls.front();
  const std::string port = p.substr(p.rfind(':') + 1);
  const std::string tport = t.substr(t.rfind(':') + 1);
  std::ostringstream o;
  o << "\nLab directory: " << dir.string() << "\n"
    << "Accounts (lab passwords, meant to be sniffed):";
  for (const auto& u : lab_users())
    o << "  " << u.name << " / " << u.password;
  o << "\n\nConnect with:\n"
    << "  pop3-client shell pop3://alice@" << p << "            (password: wonderland)\n"
    << "  curl -u alice:wonderland pop3://" << p << "/\n"
    << "  curl -u alice:wonderland pop3://" << p << "/1\n"
    << "  curl --cacert " << cert.string() << " -u alice:wonderland pop3s://localhost:" << tport
    << "/\n"
    << "  python3 -c 'import poplib; p = poplib.POP3(\"127.0.0.1\", " << port
    << "); p.user(\"alice\"); p.pass_(\"wonderland\"); print(p.stat()); p.quit()'\n"
    << "  nc -C 127.0.0.1 " << port << "    (then type USER alice, PASS wonderland, STAT, QUIT)\n"
    << "\nPress Ctrl-C to stop; nothing is deleted unless a client QUITs after DELE.\n";
  return o.str();
}

}  // namespace pop3::server
