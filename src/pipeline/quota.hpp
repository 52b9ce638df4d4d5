#pragma once

#include "geo/area_calculator.hpp"
#include "landquota/model.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/validate.hpp"

#include <vector>

namespace landquota {

// The freed quota of every unit. Areas are exact integer sums of the village rows; mu figures
// are apportioned top-down (county, region, zone, township, village) by largest remainder, so at
// every level the rows shown add up to the total shown.
struct QuotaTables {
    std::vector<VillageQuota> villages; // sorted by region, zone, township, village
    std::vector<UnitQuota> townships;   // parent_id = zone
    std::vector<UnitQuota> zones;       // parent_id = region
    std::vector<UnitQuota> regions;     // parent_id = "" (the county)
    UnitQuota county;
};

// Adds the resettlement land of each village (ellipsoidal area of its sites, hundredths of m²).
// Sites naming unknown villages were refused at ingest.
void add_resettlement(std::vector<VillageQuota>& villages, const ReferenceLayers& ref,
                      const AreaCalculator& area);

// Builds the unit tables from village rows whose reclaim and resettle are filled in.
QuotaTables compute_quota(std::vector<VillageQuota> villages, const ReferenceLayers& ref);

} // namespace landquota
