#include "pipeline/commit.hpp"

namespace landquota {

Committed commit(ledger::Ledger::Session* session, OutputFolder& folder) {
    Committed out;
    if (session)
        out.ledger_head = session->commit();
    folder.commit();
    out.out = folder.destination();
    return out;
}

} // namespace landquota
