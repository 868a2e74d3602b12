#pragma once
// The wire as an eavesdropper sees it: every byte that crossed, in order, exactly as it
// crossed. Plain bytes one line per row with CR and LF shown, dot-stuffed dots and the
// terminating dot marked, and secrets on a background that says how readable they are;
// after STLS, TLS records as ciphertext (type, version, length, the bytes). The selected
// row opens in a hex view below. In a trace with no wire records (a client's own trace)
// the application bytes of the focused session are shown instead, and said to be.
#include <cstdint>
#include <optional>
#include <vector>

#include "model/filter.hpp"
#include "panels/panel.hpp"
#include "widgets/byte_text.hpp"

namespace pop3::viz {

class WirePanel final : public Panel {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "Wire"; }
  void draw(PanelContext& ctx) override;

  // Rows shown this frame (indexes into the byte log's rows): for tests.
  [[nodiscard]] std::vector<std::size_t> shown() const {
    return {index_.rows().begin(),
            index_.rows().begin() + static_cast<std::ptrdiff_t>(shown_count_)};
  }

 private:
  std::vector<ui::Highlight> highlights(const TraceModel& model, std::size_t session,
                                        const ByteLog& log, const ByteRow& row, bool wire) const;

  char filter_[128] = {};
  bool show_c2s_ = true, show_s2c_ = true;
  FilteredIndex index_;
  std::size_t shown_count_ = 0;
  std::optional<std::size_t> open_row_;  // the byte-log row shown in hex
  std::size_t built_session_ = ~std::size_t{0};
  bool built_wire_ = true;
  std::uint64_t generation_ = ~std::uint64_t{0};
  std::size_t last_count_ = 0;
  int follow_ = 0;
};

}  // namespace pop3::viz
