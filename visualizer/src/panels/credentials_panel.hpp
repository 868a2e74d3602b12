#pragma once
// What an on-path observer learned, per secret that crossed: the password itself, its
// base64 (and what it decodes to), a digest open to offline guessing, or nothing but
// ciphertext. Beside this run, the same lab with TLS the other way round (the simulator
// plays both), so the lesson is one glance: same secret, readable or not.
#include "panels/panel.hpp"

namespace pop3::viz {

class CredentialsPanel final : public Panel {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "Credentials"; }
  void draw(PanelContext& ctx) override;

 private:
  void column(PanelContext& ctx, const TraceModel& model, std::size_t cursor, int id);
};

}  // namespace pop3::viz
