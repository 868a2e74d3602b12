#pragma once
// Protocol bytes drawn so that nothing hides: printable text as it is, CR and LF as small
// "CR" "LF" pills (the line end is part of the protocol), NUL and other control bytes as
// pills with their name or hex, a stuffed dot in its own colour, and secret bytes on a
// background that says how an observer sees them. Drawn with the mono font.
#include <imgui.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "widgets/theme.hpp"

namespace pop3::viz::ui {

struct Highlight {
  std::uint64_t begin = 0;  // in the same offsets as `base` below
  std::uint64_t end = 0;
  ImU32 colour = 0;
};

struct ByteTextOptions {
  bool mark_stuffed_dot = false;  // the first byte is a '.' added by dot-stuffing
  bool mark_terminator = false;   // the line is the "." that ends a multi-line reply
  ImU32 colour = colour::text;
  float max_width = 0;  // stop drawing past this width (0: no limit)
};

// Draws `bytes` (which start at offset `base`) on one line at `pos` in the window's draw
// list; returns the width drawn.
float draw_bytes(ImDrawList* dl, const Fonts& fonts, ImVec2 pos, std::string_view bytes,
                 std::uint64_t base, std::span<const Highlight> highlights,
                 const ByteTextOptions& options = {});

// The same as an item on the current line (advances the cursor).
void byte_text(const Fonts& fonts, std::string_view bytes, std::uint64_t base = 0,
               std::span<const Highlight> highlights = {}, const ByteTextOptions& options = {});

// A hex dump: offset, 16 bytes in hex, the same as text. Secret bytes highlighted.
void hex_view(const Fonts& fonts, std::string_view bytes, std::uint64_t base,
              std::span<const Highlight> highlights);

}  // namespace pop3::viz::ui
