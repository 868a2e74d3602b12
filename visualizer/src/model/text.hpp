#pragma once
// Small text helpers for showing protocol bytes to people. Display only: nothing here
// parses POP3 (the core does that); these turn bytes into something readable.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pop3::viz {

// Lower-case hex, bytes separated by spaces: "17 03 03 00 2b". At most `max` bytes,
// then " ..." when there were more.
[[nodiscard]] std::string hex_bytes(std::string_view bytes,
                                    std::size_t max = std::string_view::npos);

// One line for a list: the line end (CR LF / LF) dropped, TAB as a space, other control
// bytes and bytes >= 0x7F as \xNN. UTF-8 text is left alone when it is valid.
[[nodiscard]] std::string printable(std::string_view bytes);

// The line without its line end ("USER alice\r\n" -> "USER alice").
[[nodiscard]] std::string_view strip_line_end(std::string_view line) noexcept;

// The first space-separated word.
[[nodiscard]] std::string_view first_word(std::string_view line) noexcept;

[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;
// Case-insensitive (ASCII) substring search; an empty needle is found everywhere.
[[nodiscard]] bool icontains(std::string_view haystack, std::string_view needle) noexcept;

// "0.000 ms", "12.345 ms", "2.500 s".
[[nodiscard]] std::string format_time(std::chrono::microseconds t);

// Unsigned decimal, nullopt unless the whole text is digits (and fits).
[[nodiscard]] std::optional<std::uint64_t> parse_number(std::string_view text) noexcept;

}  // namespace pop3::viz
