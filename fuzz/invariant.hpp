#pragma once
// What every fuzz target shares: a check that aborts on a broken invariant (naming it, so
// that libFuzzer or the replay driver reports the input together with the rule it broke),
// and a reader that takes control bytes off the front of an input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace pop3fuzz {

[[noreturn]] inline void broken(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
  std::abort();
}

// The input as text, the form every parser under test takes.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  return size == 0 ? std::string_view{}
                   : std::string_view(reinterpret_cast<const char*>(data), size);
}

// Takes control bytes off the front of an input; a missing byte reads as 0, so every input
// (the empty one included) is a valid one.
class Controls {
 public:
  explicit Controls(std::string_view input) : rest_(input) {}
  std::uint8_t byte() noexcept {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  // The part up to the first `separator` (removed with it), or everything if there is none.
  std::string_view until(char separator) noexcept {
    const std::size_t at = rest_.find(separator);
    const std::string_view part = rest_.substr(0, at);
    rest_.remove_prefix(at == std::string_view::npos ? rest_.size() : at + 1);
    return part;
  }
  [[nodiscard]] std::string_view rest() const noexcept { return rest_; }

 private:
  std::string_view rest_;
};

// Cuts `whole` into pieces whose sizes cycle through 1..period, so that streaming code is
// exercised at every possible split point across runs. period 0: one piece.
template <class Fn>
void in_pieces(std::string_view whole, std::size_t period, Fn&& fn) {
  if (period == 0) {
    fn(whole);
    return;
  }
  std::size_t size = 1;
  while (!whole.empty()) {
    const std::size_t n = size < whole.size() ? size : whole.size();
    fn(whole.substr(0, n));
    whole.remove_prefix(n);
    size = size % period + 1;
  }
}

}  // namespace pop3fuzz

// An invariant the code under test promises; on failure the process aborts (a "crash" for
// libFuzzer, a failed ctest for the replay driver).
#define FUZZ_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::pop3fuzz::broken(#condition, __FILE__, __LINE__))
