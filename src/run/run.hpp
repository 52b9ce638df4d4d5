#pragma once

// The orchestrator: a run is the stages of docs/architecture.md called in order.
#include "core/finding_log.hpp"
#include "pipeline/allocation_run.hpp"
#include "pipeline/analyse.hpp"
#include "pipeline/corridors.hpp"
#include "pipeline/job.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/parcel_pass.hpp"
#include "pipeline/quota.hpp"

#include <filesystem>
#include <gdal.h>
#include <optional>

namespace landquota {

// Progress in GDAL's form: fraction done, a message, user data; return FALSE to cancel.
struct RunOptions {
    std::filesystem::path out; // output folder (replaced atomically); unused by check
    bool check_only = false;   // ingest and validate only, write nothing
    // A plan: everything computed against the ledger as it stands and written to `out`, marked
    // as a plan; the ledger file is only read (its entries are recorded into a copy).
    bool plan = false;
    // A plan reads the ledger's state from this copy when set (compare: every plan sees the same
    // moment), while naming the real ledger in its outputs.
    std::filesystem::path ledger_state_from;
    std::filesystem::path ledger; // overrides the job's [ledger] path when set
    std::string operator_name;    // who runs the job, recorded in the ledger (default: $USER)
    std::string lang;             // reports' language, "zh" or "en"; "" = from locale, then data
    GDALProgressFunc progress = nullptr;
    void* progress_arg = nullptr;
};

struct RunReport {
    FindingLog findings;
    bool committed = false; // outputs are in place at `out`
    std::filesystem::path out;
    ParcelCounts counts;                     // every parcel read, and each status
    QuotaTables quota;                       // empty in a check or after errors
    CorridorReport corridors;                // per [[corridor]] and region
    std::optional<AllocationRun> allocation; // when the job allocates
    Analyses analyses;                       // declared clusters and the job's [[analysis]]
    std::string
        ledger_head;   // the ledger's head hash after this run's commit (a plan: as it would be)
    Manifest manifest; // as written, with the publishing time added
};

// Runs a job end to end. Validation errors leave no output (the report says why); bad input
// that makes the run impossible throws landquota::Error.
RunReport run_job(const Job& job, const RunOptions& options);

// Registers GDAL's drivers once.
void init_gdal();

} // namespace landquota
