#include "model/lab_variant.hpp"

#include "pop3/labs/lab_run.hpp"

namespace pop3::viz {

namespace {

bool same_step(const labs::Step& a, const labs::Step& b) {
  return a.action == b.action && a.client == b.client && a.line == b.line && a.lines == b.lines &&
         a.user == b.user && a.mechanism == b.mechanism && a.title == b.title;
}

}  // namespace

LabVariant comparison_lab(const labs::Lab& lab) {
  LabVariant v;
  v.with_tls = !labs::lab_uses_tls(lab);
  v.lab = labs::tls_variant(lab, v.with_tls ? "stls" : "none");
  v.title = v.with_tls ? "the same lab over STLS" : "the same lab without TLS";
  // Line the two step lists up: steps only the variant has run with the original step
  // before them; steps only the original has are skipped by the variant.
  const auto& a = lab.steps;
  const auto& b = v.lab.steps;
  std::size_t j = 0;
  auto take_added = [&] {
    while (j < b.size()) {
      bool matches_later = false;
      for (std::size_t k = v.counts.size() - 1; k < a.size() && !matches_later; ++k)
        matches_later = same_step(a[k], b[j]);
      if (matches_later) break;
      if (!v.inserted) v.inserted = j;
      ++j;
    }
  };
  v.counts.push_back(0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (j < b.size() && same_step(a[i], b[j])) ++j;
    v.counts.push_back(j);
    take_added();
    v.counts.back() = j;
  }
  return v;
}

std::size_t LabVariant::steps_for(std::size_t done) const noexcept {
  if (counts.empty()) return 0;
  return counts[done < counts.size() ? done : counts.size() - 1];
}

}  // namespace pop3::viz
