#pragma once

#include "landquota/message.hpp"
#include "landquota/options.hpp"
#include "landquota/units.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace landquota {

// A reclaimed parcel's share in a lot: what an auditor follows from a site back to the ground.
struct LotParcel {
    std::string parcel_id;
    std::string holder;  // household holding the homestead (mapped field), or "" if unknown
    std::string landuse; // land-use code before reclamation
    AreaCm2x100 reclaim = 0;
};

// A lot of freed quota: today one per village with positive freed quota.
struct QuotaLot {
    std::string lot_id;
    std::string village_id, village_name, township_id, zone_id, region_id;
    AreaCm2x100 area = 0;   // the freed quota in the lot (reclaim − resettlement)
    std::string state;      // planned, reclaimed, accepted, allocated
    std::string reclaim_to; // what the land becomes: arable, high_standard, other_farmland, forest
    std::string accepted;   // when reclamation was accepted (text that sorts: "2024-06-30")
    std::string township_type; // its township's type (一镇一策: 文旅, 农业), "" when undeclared
    double x = 0, y = 0;       // a point of the village in the working CRS (metres), for distances
    std::vector<LotParcel> parcels;
    // The share (0–1) of its reclaim inside the belts of `priority` corridors (methods.md §6.2):
    // the lot order key "corridor". 0 when the job has none.
    double corridor = 0.0;
};

// An industrial site (建新区) asking for quota.
struct Site {
    std::string site_id, name, township_id, zone_id, region_id;
    AreaCm2x100 demand = 0;
    // Declared policy attributes, by the names the job file gives them (investment_yuan,
    // tax_per_mu, priority, earliest_year, ...). Missing values are absent, not zero.
    std::map<std::string, double> attributes;
    double x = 0, y = 0; // a point of the site in the working CRS (metres)
};

// Quota moved from one lot to one site.
struct Transfer {
    std::string transfer_id; // assigned by the engine after allocation
    std::string lot_id, site_id;
    AreaCm2x100 area = 0;
};

// Totals, exact in hundredths of m²: the supply of lots, the demand of sites, what transfers move.
inline AreaCm2x100 total_area(const std::vector<QuotaLot>& lots) {
    AreaCm2x100 sum = 0;
    for (const auto& l : lots)
        sum += l.area;
    return sum;
}
inline AreaCm2x100 total_demand(const std::vector<Site>& sites) {
    AreaCm2x100 sum = 0;
    for (const auto& s : sites)
        sum += s.demand;
    return sum;
}
inline AreaCm2x100 total_area(const std::vector<Transfer>& transfers) {
    AreaCm2x100 sum = 0;
    for (const auto& t : transfers)
        sum += t.area;
    return sum;
}

struct AllocationResult {
    std::vector<Transfer> transfers;
    // Named figures for the manifest and reports: objective, shadow_price_yuan_per_mu, ...
    std::vector<std::pair<std::string, double>> figures;
    std::vector<Message> notes; // plugin_message(…): shown in the user's language
};

// An allocation strategy: given the available lots and the sites, decide the transfers. The
// engine checks the result (no lot or site over-used, no unknown ids) whatever the plugin does.
class AllocationStrategy {
  public:
    virtual ~AllocationStrategy() = default;
    virtual AllocationResult allocate(const std::vector<QuotaLot>& lots,
                                      const std::vector<Site>& sites) = 0;
};

} // namespace landquota
