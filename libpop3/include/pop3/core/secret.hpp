#pragma once
// Secret: a password or SASL payload that must not leak into logs or traces.
//
// Contract:
// - Printing (operator<<, to_string via ostream) always shows "<redacted>"; the only way
//   to read the value is reveal(), so every place that handles the cleartext is greppable.
// - The storage is overwritten when the Secret is destroyed or reassigned.
// - equals() compares in time independent of where the first difference is.
#include <iosfwd>
#include <string>
#include <string_view>

namespace pop3 {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  explicit Secret(std::string_view value) : value_(value) {}
  explicit Secret(const char* value) : value_(value) {}
  Secret(const Secret& other) = default;
  Secret(Secret&& other) noexcept;
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  [[nodiscard]] std::string_view reveal() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return value_.size(); }
  [[nodiscard]] bool equals(const Secret& other) const noexcept;

  static constexpr std::string_view redacted = "<redacted>";

 private:
  void wipe() noexcept;
  std::string value_;
};

std::ostream& operator<<(std::ostream& os, const Secret& secret);

}  // namespace pop3
