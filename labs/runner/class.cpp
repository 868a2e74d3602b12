// `pop3-lab class new`: a class on a real pop3-server. One account per student (Dovecot
// passwd-file, {PLAIN} so that every mechanism works), a Maildir with the mail of a lab (or
// a small default set), a password made from the class seed, and a handout. docs/instructors.md.
#include "class.hpp"

#include <fcntl.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/passwd_file.hpp"
#include "pop3/labs/lab_file.hpp"
#include "pop3/labs/personalize.hpp"
#include "pop3/maildir/writer.hpp"

namespace pop3::labs {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// The default mail of a class without --lab: a welcome with the student's code word, so that
// a trace of RETR 1 proves the student read their own maildrop.
std::vector<std::string> default_mail(const std::string& student, const std::string& user,
                                      const std::string& code) {
  return {
      "From: Lab Instructor <instructor@pop3lab.test>\nTo: " + user +
          "@pop3lab.test\n"
          "Subject: Welcome to the POP3 lab, " +
          student + "\nMessage-ID: <welcome." + user +
          "@pop3lab.test>\n\n"
          "This maildrop is yours alone. Your code word is " +
          code + ".\n",
      "From: Lab Instructor <instructor@pop3lab.test>\nTo: " + user +
          "@pop3lab.test\n"
          "Subject: Three messages to practise on\nMessage-ID: <practice." +
          user +
          "@pop3lab.test>\n\n"
          "LIST, UIDL, TOP 2 0 and RETR 2 all work on this one.\n",
      "From: Lab Instructor <instructor@pop3lab.test>\nTo: " + user +
          "@pop3lab.test\n"
          "Subject: Delete me\nMessage-ID: <delete-me." +
          user +
          "@pop3lab.test>\n\n"
          "DELE 3, then QUIT, and this message is gone for good.\n",
  };
}

// For the command lines of the handout: one argument to a POSIX shell whatever the name
// holds ($, quotes, backslashes, spaces).
std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string account_name(const std::string& student) {
  std::string out;
  for (const char ch : student) {
    const auto c = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(ch)));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
      out += static_cast<char>(c);
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.'))
    out.pop_back();
  while (!out.empty() && (out.front() == '-' || out.front() == '.'))
    out.erase(0, 1);
  return out;
}

std::string class_password(std::uint64_t seed, const std::string& student) {
  return made_up_password(student_seed(seed, student), "class account");
}

int class_new(const std::filesystem::path& labs_root, const ClassOptions& o) {
  std::ifstream in(o.students);
  if (!in) {
    std::cerr << "pop3-lab: cannot read " << o.students.string() << "\n";
    return 2;
  }
  std::vector<ClassMember> members;
  std::set<std::string> users;
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    ClassMember m;
    m.student = line;
    m.user = account_name(line);
    if (m.user.empty()) {
      std::cerr << "pop3-lab: \"" << line << "\" makes no account name (letters, digits, . _ -)\n";
      return 2;
    }
    if (!users.insert(m.user).second) {
      std::cerr << "pop3-lab: two students make the account name " << m.user << "\n";
      return 2;
    }
    members.push_back(std::move(m));
  }
  if (members.empty()) {
    std::cerr << "pop3-lab: " << o.students.string() << " names no student\n";
    return 2;
  }
  const std::uint64_t seed = o.seed ? *o.seed : std::random_device{}() % 1'000'000'000u;
  std::optional<Lab> lab;
  if (o.lab) {
    for (auto& l : load_labs(labs_root))
      if (l.number == *o.lab) lab = l;
    if (!lab) {
      std::cerr << "pop3-lab: no lab " << *o.lab << "\n";
      return 2;
    }
  }
  namespace fs = std::filesystem;
  fs::create_directories(o.dir / "mail");
  fs::create_directories(o.dir / "handouts");
  const auto users_file = o.dir / "users";
  std::size_t delivered = 0;
  for (auto& m : members) {
    m.password = class_password(seed, m.student);
    auth::update_passwd_file(
        users_file, m.user,
        auth::encode_dovecot_password(auth::PasswordScheme::Plain, Secret(m.password)));
    // The mail: the lab's first account's messages as the student's lab has them (their
    // code word), or the default set.
    std::vector<std::string> mail;
    std::string code;
    if (lab) {
      const StandIn as{m.user, m.password};
      const Lab mine = load_lab(lab->directory, m.student, as);
      for (const auto& msg : mine.scenario.messages)
        if (msg.user == m.user) mail.push_back(msg.text);
      code = code_word(mine.scenario.seed);
    } else {
      code = code_word(student_seed(seed, m.student));
      mail = default_mail(m.student, m.user, code);
    }
    const auto maildir = o.dir / "mail" / m.user / "Maildir";
    const bool fresh = !fs::exists(maildir);
    maildir::MaildirWriter writer(maildir);
    if (fresh) {  // an existing maildrop keeps its mail: class new can be run again
      for (const auto& text : mail)
        writer.deliver(text);
      delivered += mail.size();
    }
    std::ofstream h(o.dir / "handouts" / (m.user + ".txt"), std::ios::trunc);
    h << "POP3 lab: your account\n"
      << "======================\n\n"
      << "Student:   " << m.student << "\n"
      << "Server:    " << o.host << ", port " << o.port << " (plaintext and STLS), port "
      << o.tls_port << " (implicit TLS)\n"
      << "User name: " << m.user << "\n"
      << "Password:  " << m.password << "\n"
      << (o.lab
              ? "Lab:       " + std::to_string(*o.lab) + (lab ? " (" + lab->title + ")" : "") + "\n"
              : "")
      << "\nThis account and its mail are yours alone; so are the answers. Do not share the "
         "password.\n\n"
      << "1. Trust the server's certificate: your instructor gives you its file, "
         "pop3lab-cert.pem.\n\n"
      << "2. Look around in the shell (the password is asked for, never shown):\n"
      << "     pop3-client shell pop3://" << m.user << "@" << o.host << ":" << o.port
      << " --cafile pop3lab-cert.pem\n\n"
      << "3. Record the session you hand in, with --trace:\n"
      << "     POP3_PASSWORD='" << m.password << "' pop3-client list pop3://" << m.user << "@"
      << o.host << ":" << o.port << " --tls none --auth USER --trace " << m.user << ".jsonl\n"
      << "   (the exercise sheet says which command and options; keep the file name: it says whose "
         "it is)\n\n"
      << "4. Check it yourself before you hand it in:\n"
      << "     POP3_PASSWORD='" << m.password << "' pop3-lab check "
      << (o.lab ? std::to_string(*o.lab) : std::string("N")) << " " << m.user << ".jsonl --student "
      << shell_quoted(m.student) << " --as " << m.user << "\n"
      << (o.lab ? "\nPractise on the simulator first, with your own values:\n     pop3-lab run " +
                      std::to_string(*o.lab) + " --student " + shell_quoted(m.student) + "\n"
                : std::string())
      << "\nHand in " << m.user << ".jsonl.\n";
  }
  // What grading needs to make each student's lab again.
  {
    // It holds every password: owner only from its first byte.
    const auto path = o.dir / "class.toml";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
    std::ofstream c(path, std::ios::trunc);
    toml::array students;
    for (const auto& m : members)
      students.push_back(
          toml::table{{"id", m.student}, {"user", m.user}, {"password", m.password}});
    toml::table doc{{"seed", static_cast<std::int64_t>(seed)}};
    if (o.lab) doc.insert("lab", *o.lab);
    doc.insert("students", std::move(students));
    c << "# Written by pop3-lab class new. pop3-lab grade N TRACES --class " << o.dir.string()
      << " reads it.\n"
      << doc << "\n";
    c.close();
    if (!c) throw std::runtime_error("cannot write " + path.string());
  }
  std::cout << "Class of " << members.size() << " in " << o.dir.string() << " (seed " << seed
            << "):\n"
            << "  " << users_file.string() << "              one account per student, {PLAIN}\n"
            << "  " << (o.dir / "mail").string() << "/USER/Maildir   " << delivered
            << " message(s) delivered\n"
            << "  " << (o.dir / "handouts").string() << "/USER.txt    a handout per student\n"
            << "  " << (o.dir / "class.toml").string()
            << "         the seed and the accounts, for grading (keep it private)\n\n"
            << "Serve the class:\n"
            << "  pop3-server --users " << users_file.string() << " --mail-root "
            << (o.dir / "mail").string() << " \\\n              --listen 0.0.0.0:" << o.port
            << " --tls-listen 0.0.0.0:" << o.tls_port << " --plaintext-auth allow --hostname "
            << o.host << "\n"
            << "and give the students the certificate it makes beside the users file ("
            << (o.dir / "pop3lab-cert.pem").string() << ").\n\n"
            << "Grade the traces they hand in:\n"
            << "  pop3-lab grade " << (o.lab ? std::to_string(*o.lab) : std::string("N"))
            << " TRACES... --class " << o.dir.string() << " --csv grades.csv\n";
  return 0;
}

std::vector<ClassMember> read_class(const std::filesystem::path& dir, std::uint64_t& seed) {
  const auto path = dir / "class.toml";
  if (!std::filesystem::exists(path))
    throw std::runtime_error("cannot read " + path.string() + " (made by pop3-lab class new)");
  toml::table doc;
  try {
    doc = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(path.string() + ", line " + std::to_string(e.source().begin.line) +
                             ": " + std::string(e.description()));
  }
  const auto bad = [&](const std::string& what) {
    return std::runtime_error(path.string() + ": " + what + " (made by pop3-lab class new)");
  };
  const auto s = doc["seed"].value<std::int64_t>();
  if (!s || *s < 0) throw bad("no seed = N");
  seed = static_cast<std::uint64_t>(*s);
  const toml::array* students = doc["students"].as_array();
  if (students == nullptr) throw bad("no [[students]]");
  std::vector<ClassMember> out;
  for (const toml::node& node : *students) {
    const toml::table* t = node.as_table();
    const auto number = std::to_string(out.size() + 1);
    if (t == nullptr) throw bad("student " + number + " is not a table");
    ClassMember m;
    for (auto [key, field] : {std::pair{"id", &m.student}, std::pair{"user", &m.user},
                              std::pair{"password", &m.password}}) {
      const auto v = (*t)[key].value<std::string>();
      if (!v || v->empty()) throw bad("student " + number + " has no " + key);
      *field = *v;
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace pop3::labs
