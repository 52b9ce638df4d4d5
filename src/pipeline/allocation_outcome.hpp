#pragma once

// What an allocation came to, in the words a land office uses: which sites received quota in this
// run, which got nothing and why, and — when the run allocated nothing — the reason (no accepted
// lot, the quota spent by named earlier runs, every site already supplied, no allowed pair).
#include "pipeline/allocation_run.hpp"

#include <string>
#include <vector>

namespace landquota {

struct UnsuppliedSite {
    std::string site_id, name;
    AreaCm2x100 wanted = 0; // its demand left after earlier runs: 0 when they met it
};

// Sites that received no transfer in this run, in the run's site order.
std::vector<UnsuppliedSite> unsupplied_sites(const AllocationRun& a);

// Sites that received at least one transfer in this run.
std::size_t supplied_sites(const AllocationRun& a);

// Why the run moved no quota; "" when it moved some. `ledger` names the ledger as the user gave it.
std::string why_nothing_allocated(const AllocationRun& a, const std::string& ledger);

} // namespace landquota
