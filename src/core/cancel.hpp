#pragma once

// Cancellation on SIGINT/SIGTERM: the signal handler only sets a flag (all a handler may safely
// do); the run checks it at every progress step and between stages and unwinds with an Error,
// so the temporary output folder is removed and the ledger transaction rolls back, as after any
// other error.
#include "landquota/error.hpp"

#include <atomic>

namespace landquota {

inline std::atomic<int>& cancel_signal() {
    static std::atomic<int> signal{0};
    return signal;
}

inline void throw_if_cancelled() {
    if (const int s = cancel_signal().load(std::memory_order_relaxed))
        throw Error(Stage::Run, s == 2 ? "interrupted (Ctrl-C): nothing was written and the "
                                         "ledger is unchanged"
                                       : "stopped by a signal (" + std::to_string(s) +
                                             "): nothing was written and the ledger is unchanged");
}

} // namespace landquota
