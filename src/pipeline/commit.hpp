#pragma once

// The commit stage: the only step that changes anything outside the run's temporary folder. The
// ledger first: it is the record. A crash between the two leaves the run recorded and its output
// folder missing (it can be made again); never an output the ledger does not know.
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
