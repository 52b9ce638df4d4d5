#pragma once

// The record stage: a run's entries in the audit ledger — provenance, the lots as they stand (and
// their state changes), the transfers and the payments. Appended inside the run's ledger session;
// durable only when the commit stage commits it.
#include "ledger/ledger.hpp"
#include "pipeline/allocation_run.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/ledger_state.hpp"
#include "pipeline/lots.hpp"

#include <string>

namespace landquota {

// Returns the ledger's head hash after the run's entries (not yet committed). `pieces` are the
// reclaimed pieces of each lot's village, recorded with the lot (docs/audit.md).
std::string record_in_ledger(ledger::Ledger::Session& session, const Job& job, const Inputs& in,
                             const AllocationRun& run, const LedgerState& state,
                             const LotPieces& pieces);

} // namespace landquota
