#pragma once
// What an on-path observer learned from one secret, as of the cursor: the trace's
// exposure record says where the secret was and how it crossed; the bytes come from the
// wire (the simulator's "link" session: exactly what the eavesdropper captured) or, for a
// trace without a wire view, from the session's application bytes.
#include <cstddef>
#include <optional>
#include <string>

#include "model/trace_model.hpp"

namespace pop3::viz {

struct ExposureView {
  const ExposureEntry* exposure = nullptr;
  std::string observed;   // observed_exposure(): "cleartext", "base64", ... or "encrypted"
  bool readable = false;  // crossed in the clear and is a secret
  bool crossed = false;   // its bytes (or the record carrying them) are in the trace by the cursor
  bool redacted = false;  // the trace masked the bytes ('*')
  std::string seen;       // the bytes as seen: the secret itself, its base64, the digest
  std::optional<std::string> decoded;  // base64 decoded (AUTH PLAIN: NUL user NUL password)
  std::string ciphertext;              // under TLS: the TLS record that carried it, as seen
  std::uint8_t tls_type = 0;
  std::string learned;  // what that means, in a sentence
};

[[nodiscard]] ExposureView describe(const TraceModel& model, const ExposureEntry& exposure,
                                    std::size_t cursor);

// The exposures an eavesdropper panel should list, recorded before the cursor: those of
// the simulator's links (all of a lab's connections), else the client sessions', else the
// server sessions' (each secret once), else all.
[[nodiscard]] std::vector<const ExposureEntry*> observer_exposures(const TraceModel& model,
                                                                   std::size_t cursor);

}  // namespace pop3::viz
