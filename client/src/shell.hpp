#pragma once
// pop3-client shell: the protocol-aware replacement for telnet and `openssl s_client`.
// Interactive on a terminal (libedit: line editing, history, completion of the commands
// legal in the current state); a script of commands when standard input is not one.
#include "settings.hpp"

namespace pop3::client {

// Runs the shell against settings.url; returns the process exit code.
int run_shell(const Settings& settings);

}  // namespace pop3::client
