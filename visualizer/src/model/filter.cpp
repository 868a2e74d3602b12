#include "model/filter.hpp"

#include "model/text.hpp"

namespace pop3::viz {

void FilteredIndex::reset() noexcept {
  seen_ = 0;
  rows_.clear();
}

void FilteredIndex::bind(std::uint64_t generation) noexcept {
  if (generation != generation_) {
    generation_ = generation;
    reset();
  }
}

void FilteredIndex::update(const std::string& filter, std::size_t total, const TextOf& text_of) {
  if (filter != filter_) {
    filter_ = filter;
    reset();
  }
  if (total < seen_) reset();  // the list was rebuilt from scratch
  std::string scratch;
  for (; seen_ < total; ++seen_) {
    if (filter_.empty()) {
      rows_.push_back(seen_);
      continue;
    }
    scratch.clear();
    if (icontains(text_of(seen_, scratch), filter_)) rows_.push_back(seen_);
  }
}

void FilteredIndex::update_if(const std::string& key, std::size_t total, const Pred& pred) {
  if (key != filter_) {
    filter_ = key;
    reset();
  }
  if (total < seen_) reset();
  for (; seen_ < total; ++seen_)
    if (pred(seen_)) rows_.push_back(seen_);
}

}  // namespace pop3::viz
