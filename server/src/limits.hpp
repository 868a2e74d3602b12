#pragma once
// Process limits the server needs: one descriptor per session, so the soft
// RLIMIT_NOFILE (often 1024) would cap the sessions long before max_connections.
#include <cstdint>

namespace pop3::server {

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
std::uint64_t raise_descriptor_limit() noexcept;

}  // namespace pop3::server
