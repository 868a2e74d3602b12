#include "pop3/core/secret.hpp"

#include <ostream>

namespace pop3 {

// Moves copy and then wipe the source: moving a short std::string leaves its bytes in
// the source's inline buffer, where wipe() after a real move could no longer reach them.
Secret::Secret(Secret&& other) noexcept : value_(other.value_) {
  other.wipe();
}

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = other.value_;
    other.wipe();
  }
  return *this;
}

Secret::~Secret() {
  wipe();
}

void Secret::wipe() noexcept {
  // Writes through a volatile pointer are not optimised away, unlike a plain fill of
  // memory that is about to be freed.
  volatile char* p = value_.data();
  for (std::size_t i = 0; i < value_.size(); ++i)
    p[i] = 0;
  value_.clear();
}

bool Secret::equals(const Secret& other) const noexcept {
  // Length differences leak (as in every practical implementation); contents do not.
  if (value_.size() != other.value_.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < value_.size(); ++i)
    diff = static_cast<unsigned char>(diff | (value_[i] ^ other.value_[i]));
  return diff == 0;
}

std::ostream& operator<<(std::ostream& os, const Secret&) {
  return os << Secret::redacted;
}

}  // namespace pop3
