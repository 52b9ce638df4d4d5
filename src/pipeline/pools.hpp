#pragma once

// Pooling (methods.md §8.1): quota is allocated in stages, from the narrowest unit to the widest.
// Quzhou's county pools under the city's one gate are `pools = ["region", "job"]`: each county's
// quota serves its own sites first, and what is left is pooled city-wide.
#include "landquota/allocation.hpp"
#include "pipeline/job.hpp"
#include "pipeline/resolve_plugins.hpp"

#include <string>
#include <vector>

namespace landquota {

// The unit a lot or site belongs to at a level: zone ids may repeat across regions, so a zone's
// key carries its region.
std::string pool_key(PoolLevel level, const std::string& region_id, const std::string& zone_id);

// Runs the strategy once per unit of each stage's level, on what earlier stages left, and merges
// the transfers (one per site and lot, numbered T0001… as `allocate` does). Within a unit every
// lot and site share the unit, so the strategy's `flows` at that level or a wider one are lifted
// there: flows govern what crosses units, in the stages wide enough to cross them. `objective`
// and `lp_objective` add up over the stages; a figure of a single stage keeps its name, and with
// several stages every other figure is named after its stage ("shadow_price_per_mu [region
// 柯城区]").
AllocationResult allocate_in_pools(const ResolvedPlugin& strategy,
                                   const std::vector<PoolLevel>& pools,
                                   const std::vector<QuotaLot>& lots,
                                   const std::vector<Site>& sites);

} // namespace landquota
