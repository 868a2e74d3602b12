#pragma once
// Stable names for error codes in "violation" records. The core's category gives a
// message but no identifier; a trace needs one that does not change with the wording.
#include <string>
#include <string_view>
#include <system_error>

namespace pop3::trace::detail {

// "tls_injection" for pop3 errors; "<category>:<value>" for any other category.
[[nodiscard]] std::string error_name(std::error_code error);
// "peer_violation", "local_misuse", "outcome"; "" outside the pop3 category.
[[nodiscard]] std::string_view error_kind_name(std::error_code error);

}  // namespace pop3::trace::detail
