#pragma once

#include "core/finding_log.hpp"
#include "geo/area_calculator.hpp"
#include "landquota/model.hpp"
#include "pipeline/inputs.hpp"

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

// The village rows with the resettlement land of each village added (ellipsoidal area of its
// resettlement sites, hundredths of m²); a village whose resettlement exceeds its reclaim is a
// warning. Sites naming unknown villages were refused at ingest.
std::vector<VillageQuota> add_resettlement(std::vector<VillageQuota> villages,
                                           const ReferenceLayers& ref, const AreaCalculator& area,
                                           const VillageInput& input, FindingLog& log);

// Builds the unit tables from village rows whose reclaim and resettle are filled in.
QuotaTables compute_quota(std::vector<VillageQuota> villages, const ReferenceLayers& ref);

} // namespace landquota
