#pragma once

#include "landquota/compensation.hpp"
#include "pipeline/job.hpp"
#include "pipeline/quota.hpp"
#include "pipeline/validate.hpp"

#include <filesystem>
#include <gdal.h>
#include <nlohmann/json.hpp>

namespace landquota {

// Progress in GDAL's form: fraction done, a message, user data; return FALSE to cancel.
struct RunOptions {
    std::filesystem::path out;    // output folder (replaced atomically); unused by check
    bool check_only = false;      // ingest and validate only, write nothing
    std::filesystem::path ledger; // overrides the job's [ledger] path when set
    std::string operator_name;    // who runs the job, recorded in the ledger (default: $USER)
    GDALProgressFunc progress = nullptr;
    void* progress_arg = nullptr;
};

struct RunReport {
    FindingLog findings;
    bool committed = false; // outputs are in place at `out`
    std::filesystem::path out;
    QuotaTables quota;
    std::vector<QuotaLot> lots; // with allocation: every lot, allocable or not
    std::vector<Transfer> transfers;
    std::vector<Payment> payments;
    std::string ledger_head; // the ledger's head hash after this run's commit
    nlohmann::ordered_json manifest;
    std::int64_t parcels = 0;
};

// Runs a job end to end: ingest → validate → assign → reclaim → quota → publish. Validation
// errors leave no output (the report says why); bad input that makes the run impossible throws
// landquota::Error.
RunReport run_job(const Job& job, const RunOptions& options);

// Registers GDAL's drivers once.
void init_gdal();

} // namespace landquota
