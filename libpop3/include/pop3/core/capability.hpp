#pragma once
// RFC 2449 capabilities: what a CAPA reply lists, parsed and explained.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pop3 {

struct Capability {
  std::string name;                 // upper case: "SASL", "TOP", "X-FOO"
  std::vector<std::string> params;  // "PLAIN", "CRAM-MD5", ...
  friend bool operator==(const Capability&, const Capability&) = default;
};

class Capabilities {
 public:
  Capabilities() = default;
  // From the body lines of a CAPA reply. Names are case-insensitive (RFC 2449 §6).
  static Capabilities parse(const std::vector<std::string>& lines);

  void add(Capability capability);
  [[nodiscard]] bool has(std::string_view name) const noexcept;
  [[nodiscard]] const Capability* find(std::string_view name) const noexcept;
  // SASL mechanisms listed, upper case.
  [[nodiscard]] std::vector<std::string> sasl_mechanisms() const;
  [[nodiscard]] bool has_sasl(std::string_view mechanism) const noexcept;
  [[nodiscard]] const std::vector<Capability>& all() const noexcept { return caps_; }
  [[nodiscard]] bool empty() const noexcept { return caps_.empty(); }
  // The CAPA body lines, in the order added.
  [[nodiscard]] std::vector<std::string> to_lines() const;

 private:
  std::vector<Capability> caps_;
};

// A plain-words explanation of a capability, for `pop3-client info` and the labs.
[[nodiscard]] std::string explain_capability(const Capability& capability);

}  // namespace pop3
