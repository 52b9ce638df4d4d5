#pragma once

// The quota and money of a run at every level (methods.md §8.1): for the whole job, each region
// (a county in a city job), zone and township, what its lots could give, what they gave, what its
// sites wanted and received, what crossed its border and what its people were paid. Each level's
// rows add up exactly to the job's row: a lot, site or payment outside every unit of a level is
// in that level's row with an empty id.
#include "pipeline/allocation_run.hpp"
#include "pipeline/quota.hpp"

#include <string>
#include <vector>

namespace landquota {

struct LevelBalance {
    std::string level;        // "job", "region", "zone", "township"
    std::string id;           // the unit's id ("" for the job, and for what lies in no unit)
    std::string name;         // the unit's name
    std::string parent;       // the unit one level up: a zone's region, a township's zone
    AreaCm2x100 supply = 0;   // allocable quota of its lots in this run (after earlier runs)
    AreaCm2x100 demand = 0;   // what its sites still asked for in this run
    AreaCm2x100 sent = 0;     // allocated from its lots, to any site
    AreaCm2x100 received = 0; // allocated to its sites, from any lot
    AreaCm2x100 within = 0;   // from its lots to its own sites
    Fen paid = 0;             // payments for its lots, and to its villages and townships
    AreaCm2x100 exported() const { return sent - within; }
    AreaCm2x100 imported() const { return received - within; }
    AreaCm2x100 unallocated() const { return supply - sent; }
};

// The rows: the job first, then regions, zones and townships, each level in id order.
std::vector<LevelBalance> level_balance(const QuotaTables& quota, const AllocationRun& a);

} // namespace landquota
