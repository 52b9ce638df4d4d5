#pragma once

// What the allocation part of a run gives: the lots, the sites, what was left to allocate after
// earlier runs, the transfers and payments, and the ledger they are recorded in.
#include "landquota/allocation.hpp"
#include "landquota/compensation.hpp"
#include "ledger/ledger.hpp"
#include "pipeline/resolve_plugins.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace landquota {

struct LedgerRef {
    std::string path;
    std::int64_t run = 0;
    std::string head_hash; // after this run's entries (filled by the record stage)
    // The ledger verified with this run's entries in, before the commit (chain and books, as
    // `audit verify` checks them): the report states it.
    bool verified = false;
    std::int64_t entries = 0;   // entries verified, this run's included
    std::string verify_problem; // the first bad entry, when not verified
    std::string start_hash; // the head as the run found it: what a plan or comparison started from
};

struct AllocationRun {
    std::string strategy;
    std::vector<QuotaLot> lots;      // every lot, allocable or not
    std::vector<Site> sites;         // placed in their units, with their full demand
    std::vector<QuotaLot> supply;    // the allocable lots less what earlier runs spent
    std::vector<Site> demand;        // the sites less what earlier runs gave them
    std::vector<Transfer> transfers; // numbered R<run>-T0001…
    std::vector<Payment> payments;   // numbered R<run>-P00001…
    std::vector<std::pair<std::string, double>> figures; // the strategy's named figures
    std::vector<std::string> notes;
    std::vector<PluginRecord> plugins; // the strategy, then the compensation models
    bool compensated = false;          // the job has compensation models
    LedgerRef ledger;
    // What earlier committed runs of the ledger gave (reversals excepted), so the outputs show
    // per lot and site: earlier, this run, remaining; and the runs, to say where quota went.
    std::map<std::string, AreaCm2x100> earlier_spent;    // lot id -> m²
    std::map<std::string, AreaCm2x100> earlier_received; // site id -> m²
    std::vector<ledger::EarlierRun> earlier_runs;
};

} // namespace landquota
