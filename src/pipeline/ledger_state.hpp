#pragma once

// The ledger-state stage: what earlier committed runs spent from each lot and gave to each site,
// and what is therefore left to allocate in this run.
#include "landquota/allocation.hpp"
#include "ledger/ledger.hpp"
#include "pipeline/job.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace landquota {

struct LedgerState {
    std::filesystem::path path;                   // the ledger file
    std::int64_t run = 0;                         // this run's number in it
    std::string prefix;                           // "R3-": ids unique across the ledger's runs
    std::map<std::string, AreaCm2x100> spent;     // lot id -> transferred, reversals excepted
    std::map<std::string, AreaCm2x100> received;  // site id -> received, reversals excepted
    std::vector<ledger::EarlierRun> earlier_runs; // the committed runs that moved quota
    std::string head;                             // the ledger's head hash as this run found it
};

// Reads the state inside the run's ledger session (which holds the write lock until the commit, so
// no other run can spend the same quota in between).
LedgerState read_ledger_state(ledger::Ledger::Session& session, const std::filesystem::path& path);

// A lot's freed quota may shrink with new survey data, but never below what earlier runs already
// transferred from it: that is an Error asking for those transfers to be reversed first.
void check_spent_within(const std::vector<QuotaLot>& lots, const LedgerState& state);

// The allocable lots (accepted ones) with what earlier runs spent taken off; lots used up are
// left out.
std::vector<QuotaLot> unspent_lots(const std::vector<QuotaLot>& lots, const LedgerState& state);

// The sites with what earlier runs gave them taken off their demand.
std::vector<Site> remaining_demand(std::vector<Site> sites, const LedgerState& state);

// [ledger] on_shortfall = "refuse": before the allocation, the sites may not ask for more than
// the unspent quota; after it, they must have received all they asked for (quota may remain yet be
// out of reach under the strategy's flow rules or distances).
void refuse_shortfall_before(const LedgerSettings& settings, const LedgerState& state,
                             const std::vector<QuotaLot>& supply, const std::vector<Site>& demand);
void refuse_shortfall_after(const LedgerSettings& settings, const std::vector<Site>& demand,
                            const std::vector<Transfer>& transfers);

// Ids made unique across the runs of a ledger: T0001 -> R3-T0001.
template <typename Row>
std::vector<Row> with_run_prefix(std::vector<Row> rows, std::string Row::*id,
                                 const std::string& prefix) {
    for (auto& r : rows)
        r.*id = prefix + r.*id;
    return rows;
}

} // namespace landquota
