#pragma once

// The allocation stage: the job's strategy plugin matches supply (lots) to demand (sites).
#include "landquota/allocation.hpp"
#include "pipeline/resolve_plugins.hpp"

#include <vector>

namespace landquota {

// Runs the strategy on the allocable lots and checks what it returns whatever it is: every
// transfer names a known lot and site, is positive, and no lot or site is used beyond its area or
// demand. A plugin that breaks these is an internal error naming it. The transfers come back
// merged per (site, lot) and numbered T0001… in that order.
AllocationResult allocate(const ResolvedPlugin& strategy, const std::vector<QuotaLot>& lots,
                          const std::vector<Site>& sites);

} // namespace landquota
