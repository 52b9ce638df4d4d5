#include "pipeline/commit.hpp"

#include "core/crash_point.hpp"

namespace landquota {

Committed commit(ledger::Ledger::Session* session, OutputFolder& folder) {
    Committed out;
    crash_point("before-ledger-commit");
    if (session)
        out.ledger_head = session->commit();
    crash_point("after-ledger-commit");
    folder.commit();
    crash_point("after-output-rename");
    out.out = folder.destination();
    return out;
}

} // namespace landquota
