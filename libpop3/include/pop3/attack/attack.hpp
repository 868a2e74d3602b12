#pragma once
// pop3::attack in one include: the attackers of the security labs (docs/attacks.md).
//
// On the path (sim::Middlebox): StlsStripper, StartTlsInjector, TlsInterceptor, and the
// certificate substitutions; a scripted victim client with a STARTTLS policy.
// Online: OnlineGuesser against a SimulatedTarget (pop3-server's real login policy on
// virtual time) or a NetworkTarget (a real server on loopback).
// Offline: captures of APOP, CRAM-MD5 and SCRAM-SHA-256 logins, and the OfflineCracker.
#include "pop3/attack/capture.hpp"
#include "pop3/attack/certificates.hpp"
#include "pop3/attack/conversation.hpp"
#include "pop3/attack/guess_target.hpp"
#include "pop3/attack/line_buffer.hpp"
#include "pop3/attack/network_target.hpp"
#include "pop3/attack/offline_cracker.hpp"
#include "pop3/attack/online_guesser.hpp"
#include "pop3/attack/simulated_target.hpp"
#include "pop3/attack/starttls_injector.hpp"
#include "pop3/attack/stls_stripper.hpp"
#include "pop3/attack/tls_interceptor.hpp"
#include "pop3/attack/victim.hpp"
#include "pop3/attack/wordlist.hpp"
