#pragma once
// Memory of a process tree, from /proc (Linux): the sum over the processes given and all
// their descendants, so that a multi-process server (Dovecot) and a single-process one are
// measured the same way. PSS shares pages between the processes that map them.
#include <cstdint>
#include <vector>

namespace pop3::bench {

struct TreeMemory {
  std::uint64_t rss = 0;  // bytes, VmRSS summed
  std::uint64_t pss = 0;  // bytes, Pss from smaps_rollup summed
  int processes = 0;
};

[[nodiscard]] TreeMemory tree_memory(const std::vector<int>& roots);

}  // namespace pop3::bench
