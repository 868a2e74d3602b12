#include "pop3/core/events.hpp"

namespace pop3 {

std::string_view direction_name(Direction d) noexcept {
  return d == Direction::ClientToServer ? "c2s" : "s2c";
}

}  // namespace pop3
