#pragma once

// Named points where a crash matters most (around the commit), for the test suite's kill -9
// cases: with LANDQUOTA_CRASH_AT=<name> the process kills itself with SIGKILL there, exactly as a
// power cut or `kill -9` would, so what the ledger and the output folder hold afterwards can be
// checked deterministically rather than by guessing a delay. Unset, it costs one getenv.
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace landquota {

inline void crash_point(const char* name) {
    const char* at = std::getenv("LANDQUOTA_CRASH_AT");
    if (at && std::strcmp(at, name) == 0)
        std::raise(SIGKILL);
}

} // namespace landquota
