#pragma once
// FilteredIndex: the indexes of the rows of a list that pass a text filter, kept up to
// date as rows are appended (the list only grows), rebuilt only when the filter changes.
// A list panel draws the index with ImGuiListClipper, so a million rows cost what the
// screen shows. Rows are sorted by record, so clipping the index to the timeline cursor
// is a binary search.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pop3::viz {

class FilteredIndex {
 public:
  // Returns the row's text to match against (case-insensitive substring).
  using TextOf = std::function<std::string_view(std::size_t row, std::string& scratch)>;

  using Pred = std::function<bool(std::size_t row)>;

  // Looks at rows [seen, total) (all of them after a filter change or reset()).
  void update(const std::string& filter, std::size_t total, const TextOf& text_of);
  // The same with any condition; `key` names it (a new key starts over).
  void update_if(const std::string& key, std::size_t total, const Pred& pred);
  void reset() noexcept;
  [[nodiscard]] const std::vector<std::size_t>& rows() const noexcept { return rows_; }
  [[nodiscard]] std::size_t size() const noexcept { return rows_.size(); }
  [[nodiscard]] const std::string& filter() const noexcept { return filter_; }
  // Tag the index with the model generation it was built for; a new one resets it.
  void bind(std::uint64_t generation) noexcept;

 private:
  std::string filter_;
  std::size_t seen_ = 0;
  std::vector<std::size_t> rows_;
  std::uint64_t generation_ = ~std::uint64_t{0};
};

}  // namespace pop3::viz
