#pragma once
// What an on-path observer learned, per secret that crossed: the password itself, its
// base64 (and what it decodes to), a digest open to offline guessing, or nothing but
// ciphertext. Beside this run, the same lab with TLS the other way round (the simulator
// plays both), so the lesson is one glance: same secret, readable or not.
#include <cstddef>

#include "panels/panel.hpp"

namespace pop3::viz {

class CredentialsPanel final : public Panel {
 public:
  // The most exposures a column lists: the newest as of the cursor, the rest counted.
  static constexpr std::size_t kMaxShown = 50;
  [[nodiscard]] const char* name() const noexcept override { return "Credentials"; }
  void draw(PanelContext& ctx) override;

 private:
  void column(PanelContext& ctx, const TraceModel& model, std::size_t cursor, int id);
};

}  // namespace pop3::viz
