#pragma once
// The sequence diagram: the client's lifeline on the left, the server's on the right, each
// command and reply an arrow in time. Multi-line bodies are folded ("2 lines, 14 octets")
// and open with a click; -ERR is red; state changes, TLS and violations sit between the
// lifelines. Clicking a row selects its bytes everywhere (the other side's transcript, the
// wire). The list keeps an index of the rows that pass the filter and draws it with
// ImGuiListClipper, so a long trace scrolls as smoothly as a short one.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/filter.hpp"
#include "panels/panel.hpp"

namespace pop3::viz {

class SequencePanel final : public Panel {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "Sequence"; }
  void draw(PanelContext& ctx) override;

  // One line of the list: a transcript row, or one body line of an opened reply.
  struct Flat {
    std::size_t row = 0;
    int body_line = -1;
  };
  // The rows shown this frame (after filter, cursor and folding): for tests.
  [[nodiscard]] std::vector<Flat> flat() const {
    return {flat_.begin(), flat_.begin() + static_cast<std::ptrdiff_t>(shown_count_)};
  }
  // The rows drawn last frame and where (for tests and scripted screenshots).
  struct Drawn {
    std::size_t row;
    int body_line;
    ImVec2 min, max;
  };
  [[nodiscard]] const std::vector<Drawn>& drawn() const noexcept { return drawn_; }
  bool open_all = false;  // every multi-line body shown (a setting)
  void toggle(std::size_t record) {
    opened_.contains(record) ? (void)opened_.erase(record) : (void)opened_.insert(record);
  }

 private:
  // Brings flat_ up to date with the filtered index (appending what is new, or from
  // scratch after a change of session, filter, folding or the events switch).
  void extend(const Session& s);
  void draw_row(PanelContext& ctx, std::size_t session, const Session& s, const Flat& f,
                float width);

  char filter_[128] = {};
  bool show_events_ = true;
  FilteredIndex index_;
  std::vector<Flat> flat_;
  std::vector<Drawn> drawn_;
  std::set<std::size_t> opened_;  // records of replies whose body is shown
  std::map<std::size_t, std::vector<BodyLine>> bodies_;
  std::size_t built_session_ = ~std::size_t{0};
  std::size_t flat_built_ = 0;   // index rows already in flat_
  std::size_t shown_count_ = 0;  // flat_ rows before the cursor
  std::string built_filter_;
  std::size_t built_opened_ = 0;
  bool built_events_ = true;
  bool built_open_all_ = false;
  bool open_incomplete_ = false;  // an opened body was still arriving when flattened
  std::size_t last_count_ = 0;
  int follow_ = 0;  // frames left to keep the end in view
  std::uint64_t generation_ = ~std::uint64_t{0};
};

}  // namespace pop3::viz
