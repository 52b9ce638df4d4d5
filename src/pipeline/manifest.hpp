#pragma once

// The manifest stage: a run's provenance and headline figures as typed fields; its JSON form
// (manifest.json) is produced in one place, in a fixed key order.
#include "core/finding_log.hpp"
#include "geo/versions.hpp"
#include "pipeline/allocation_outcome.hpp"
#include "pipeline/allocation_run.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/parcel_pass.hpp"
#include "pipeline/quota.hpp"

#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace landquota {

struct FileHash {
    std::string path; // relative to the job file's folder
    std::string sha256;
};

struct AllocationSummary {
    std::string strategy;
    std::vector<std::string> pools; // the stages of pooling ([allocation] pools), narrowest first
    std::size_t lots = 0, allocable_lots = 0, sites = 0, transfers = 0;
    std::size_t sites_supplied = 0; // sites that received quota in this run
    AreaCm2x100 supply = 0, demand = 0, allocated = 0;
    AreaCm2x100 earlier = 0;                // what earlier runs gave this job's sites
    std::vector<UnsuppliedSite> unsupplied; // sites that got nothing in this run
    std::string nothing_allocated;          // why, when the run moved no quota
    std::string benefit;      // the site attribute the objective weighs ("tax_per_mu"), if any
    std::string benefit_unit; // its unit as the job declares it ("万元/亩"), if any
    std::vector<std::pair<std::string, double>> figures;
    std::vector<std::string> notes;
    LedgerRef ledger;

    // A named figure (the last one of that name), or NaN when the strategy gave none.
    double figure(const std::string& name) const {
        for (auto it = figures.rbegin(); it != figures.rend(); ++it)
            if (it->first == name)
                return it->second;
        return std::numeric_limits<double>::quiet_NaN();
    }
};

struct CompensationSummary {
    std::size_t payments = 0;
    Fen total = 0;
    std::map<std::string, Fen> by_model;
};

// When and by whom a run was made.
struct RunStamp {
    std::string date;          // ISO 8601, UTC: "2026-11-24T20:20:00Z"
    std::string operator_name; // as recorded in the ledger
    static RunStamp now(std::string operator_name);
};

// The words that mark a plan's outputs everywhere (tables, layers, reports, the summary).
inline constexpr const char* kPlanBanner = "计划 / PLAN — not committed to the ledger";
// What an analysis of the run gave, for the manifest: its plugin, figures and notes.
struct AnalysisSummary {
    std::string name; // "index", "pairing", "index_2"
    PluginRecord plugin;
    std::vector<std::pair<std::string, double>> figures;
    std::vector<std::string> notes;
    std::vector<std::string> tables, layers;
};

struct Manifest {
    bool plan = false; // computed against the ledger as it stands, not committed to it
    LibraryVersions libraries;
    std::string job_name, job_file, job_sha256;
    std::string base_file, base_sha256; // the job it extends ([job] base), if any
    std::vector<std::string> overrides; // --set KEY=VALUE given for the run
    RunStamp stamp;
    std::vector<FileHash> inputs;
    std::string working_crs;
    ParcelCounts parcels;
    std::size_t villages = 0, townships = 0, zones = 0;
    std::int64_t errors = 0, warnings = 0;
    double densify_m = 0.0;
    AreaCheck area_check;
    UnitQuota totals;
    std::vector<UnitQuota> regions, zone_rows;
    std::vector<PluginRecord> plugins; // when the job allocates
    std::optional<AllocationSummary> allocation;
    std::optional<CompensationSummary> compensation;
    std::vector<AnalysisSummary> analyses;               // when the job has [[analysis]]
    std::vector<std::pair<std::string, double>> timings; // seconds per stage

    nlohmann::ordered_json to_json() const;
};

// Builds the manifest of a run; `allocation` is null when the job does not allocate.
Manifest make_manifest(const Job& job, const Inputs& in, const ParcelCounts& counts,
                       const AreaCheck& area_check, const QuotaTables& quota,
                       const FindingLog& findings, const AllocationRun* allocation,
                       const RunStamp& stamp, bool plan = false);

} // namespace landquota
