#pragma once
// pop3::sim in one include: the Simulation and everything it is built from.
#include "pop3/sim/clock.hpp"
#include "pop3/sim/eavesdropper.hpp"
#include "pop3/sim/events.hpp"
#include "pop3/sim/link.hpp"
#include "pop3/sim/middlebox.hpp"
#include "pop3/sim/scenario.hpp"
#include "pop3/sim/seeded.hpp"
#include "pop3/sim/simulation.hpp"
#include "pop3/sim/tls_identity.hpp"
#include "pop3/sim/tls_pipe.hpp"
