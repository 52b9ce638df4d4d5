#include "pipeline/commit.hpp"

#include "core/crash_point.hpp"

namespace landquota {

Committed commit(ledger::Ledger::Session* session, OutputFolder& folder) {
    Committed out;
    folder.put_in_place(); // the previous output is kept aside until the ledger has committed
    crash_point("after-output-rename");
    crash_point("before-ledger-commit");
    if (session) {
        try {
            out.ledger_head = session->commit();
        } catch (...) {
            folder.put_back(); // no output of a run the ledger does not hold
            throw;
        }
    }
    crash_point("after-ledger-commit");
    folder.discard_old();
    out.out = folder.destination();
    return out;
}

} // namespace landquota
