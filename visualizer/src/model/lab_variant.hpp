#pragma once
// The comparison run of the credentials panel: the same lab with the other answer to
// "is there TLS?", made by pop3::labs::tls_variant (the same switch as `pop3-lab run N
// --tls`). A lab that does not go under TLS is replayed with STLS offered and a starttls
// step after each connect; a lab that does is replayed without TLS. Same seed, same steps
// otherwise, so the two columns show the same secrets crossing, once readable and once
// not. Here: what the variant is, and which of its steps match the original's, so the
// two runs can go step for step.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pop3/labs/lab.hpp"

namespace pop3::viz {

struct LabVariant {
  labs::Lab lab;
  std::string title;                    // "over STLS" / "without TLS"
  bool with_tls = false;                // the variant is the TLS one
  std::optional<std::size_t> inserted;  // the first step the variant added (an index of it)
  // How many of the variant's steps correspond to the first `done` steps of the
  // original (an added starttls runs together with the connect before it).
  [[nodiscard]] std::size_t steps_for(std::size_t done) const noexcept;

  std::vector<std::size_t> counts;  // counts[done]
};

[[nodiscard]] LabVariant comparison_lab(const labs::Lab& lab);

}  // namespace pop3::viz
