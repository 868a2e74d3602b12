#pragma once
// The instructor's tools: a class on a real pop3-server, and grading students' traces.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pop3::labs {

struct ClassOptions {
  std::filesystem::path students;  // one student (name or id) a line; # comments
  std::filesystem::path dir;       // where users, mail/, handouts/ and class.toml go
  std::optional<std::uint64_t> seed;
  std::optional<int> lab;          // the lab whose mail each maildrop gets
  std::string host = "localhost";  // in the handouts
  int port = 1110;
  int tls_port = 1995;
};

struct ClassMember {
  std::string student;  // as in the students file
  std::string user;     // the account name made from it
  std::string password;
};

// "Ada Lovelace" -> "ada-lovelace": lower case, letters, digits, . _ -.
[[nodiscard]] std::string account_name(const std::string& student);
// The student's password in a class made with `seed`.
[[nodiscard]] std::string class_password(std::uint64_t seed, const std::string& student);

int class_new(const std::filesystem::path& labs_root, const ClassOptions& options);
// DIR/class.toml; throws std::runtime_error.
[[nodiscard]] std::vector<ClassMember> read_class(const std::filesystem::path& dir,
                                                  std::uint64_t& seed);

struct GradeOptions {
  std::vector<std::filesystem::path> traces;
  std::optional<std::filesystem::path> csv;
  std::optional<std::filesystem::path> class_dir;
};
int grade(const std::filesystem::path& labs_root, int number, const GradeOptions& options);

}  // namespace pop3::labs
