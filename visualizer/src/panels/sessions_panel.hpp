#pragma once
// The sessions of the trace (role, peer, state as of the cursor, TLS, how it ended) and
// the maildrop as the focused session's trace shows it: message numbers, sizes, UIDLs,
// deletion marks, and what UPDATE will do.
#include <cstdint>

#include "model/maildrop_view.hpp"
#include "panels/panel.hpp"

namespace pop3::viz {

class SessionsPanel final : public Panel {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "Sessions & maildrop"; }
  void draw(PanelContext& ctx) override;

 private:
  // The maildrop view is a replay of the session's replies: cached per revision, cursor
  // and focus, so a long trace costs it once, not every frame.
  MaildropView view_;
  std::size_t view_from_ = 0;
  std::uint64_t view_revision_ = ~std::uint64_t{0};
  std::size_t view_cursor_ = ~std::size_t{0};
  std::size_t view_focus_ = ~std::size_t{0};
};

}  // namespace pop3::viz
