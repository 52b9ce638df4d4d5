#pragma once

// The commit stage: the only step that changes anything outside the run's temporary folder. The
// output folder goes into place first, the previous one kept aside; then the ledger commits; then
// the previous output is removed. If the ledger cannot commit, the previous output is put back:
// the ledger never records a run whose outputs are missing because a rename failed after it. A
// kill -9 between the two (no cleanup possible) leaves the new output in place and the ledger
// without the run: the job can be run again.
#include "io/output_folder.hpp"
#include "ledger/ledger.hpp"

#include <filesystem>
#include <string>

namespace landquota {

struct Committed {
    std::filesystem::path out; // where the outputs now are
    std::string ledger_head;   // the ledger's head hash, "" when the run recorded nothing
};

// `session` may be null (a job that does not allocate records nothing).
Committed commit(ledger::Ledger::Session* session, OutputFolder& folder);

} // namespace landquota
