#pragma once
// One structured log line per session event ("key=value ..."), through spdlog. What a
// secret looks like here is decided by the core: commands are printed with describe(),
// which redacts PASS and the APOP digest; SASL data is never printed.
#include <cstdint>
#include <memory>
#include <string>

#include "pop3/core/events.hpp"

namespace spdlog {
class logger;
}

namespace pop3::server {

class SessionLog {
 public:
  SessionLog(std::shared_ptr<spdlog::logger> logger, std::uint64_t session, std::string peer)
      : logger_(std::move(logger)), session_(session), peer_(std::move(peer)) {}
  void step(const Step& step);
  void info(const std::string& event, const std::string& details = {});
  void warn(const std::string& event, const std::string& details = {});

 private:
  std::string prefix(const std::string& event) const;
  std::shared_ptr<spdlog::logger> logger_;
  std::uint64_t session_;
  std::string peer_;
};

// A value for a key=value line: quoted when it has spaces or quotes.
[[nodiscard]] std::string log_value(std::string_view text);

}  // namespace pop3::server
