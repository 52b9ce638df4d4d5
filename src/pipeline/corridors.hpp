#pragma once

// Corridors (issue #12, methods.md §6.2): line or polygon layers buffered on the ground, used as
// zones with a role (include, exclude, report), and their report per corridor and region.
#include "core/finding_log.hpp"
#include "geo/area_calculator.hpp"
#include "landquota/allocation.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/quota.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace landquota {

// Reads every [[corridor]] of the job through the layer reader (lines are accepted here, and
// only here), buffers each route on the ground and dissolves the belts. The belts of `exclude`
// corridors join the exclusion zones under the corridor's name: the red line's machinery.
void read_corridors(const Job& job, const OGRSpatialReference& working, ReferenceLayers& ref,
                    std::vector<std::string>& files, FindingLog& log);

// What lies inside one corridor's belt, for one village.
struct CorridorInside {
    AreaCm2x100 reclaim = 0;  // the reclaimable pieces clipped to the belt (ellipsoidal)
    std::int64_t parcels = 0; // reclaimable parcels with land inside, each counted once
};
// [corridor index] -> village id -> what is inside.
using CorridorTally = std::vector<std::map<std::string, CorridorInside>>;

// Clips reclaimable pieces to the belts, during the parcel pass.
class CorridorClipper {
  public:
    CorridorClipper(const ReferenceLayers& ref, const AreaCalculator& area);
    ~CorridorClipper();
    // Adds a parcel's reclaimable `pieces` (whose area is `reclaim`) to every belt they enter.
    void add(const std::string& village_id, const GEOSGeometry* pieces, AreaCm2x100 reclaim,
             CorridorTally& tally) const;

  private:
    const ReferenceLayers& ref_;
    const AreaCalculator& area_;
    std::vector<PreparedPtr> belts_;
};

// One row of the corridor report: a corridor within one region (county) of the job, or the
// whole corridor when the job has no townships. The part of a belt outside every township is a
// row of its own (region kOutsideRegion), so the rows of a corridor add up to its belt.
struct CorridorRow {
    std::string corridor, role, region_id;
    double length_m = 0.0; // of the routes inside the region, on the ellipsoid
    AreaCm2x100 belt = 0;  // ellipsoidal
    AreaCm2x100 reclaim = 0;
    AreaCm2x100 freed = 0; // each village's freed quota in the share of its reclaim inside
    std::int64_t parcels = 0, villages = 0;
};
inline constexpr const char* kOutsideRegion = "outside";

// One village a corridor touches: its territory shares ground with the belt, or some of its
// reclaimable land lies inside. The rows of a corridor and region add up to its CorridorRow.
struct CorridorVillageRow {
    std::string corridor, role, region_id, township_id, township, village_id, name;
    AreaCm2x100 reclaim = 0; // as in CorridorRow, for this village only
    AreaCm2x100 freed = 0;
    std::int64_t parcels = 0;
};

struct CorridorReport {
    std::vector<CorridorRow> rows;
    std::vector<CorridorVillageRow> villages; // by corridor, then region, township and village
};

// The corridor report, after the quota stage.
CorridorReport corridor_report(const ReferenceLayers& ref, const QuotaTables& quota,
                               const CorridorTally& tally, const AreaCalculator& area,
                               const OGRSpatialReference& working, double densify_m);

// Sets each lot's `corridor`: the share of its village's reclaim inside the belts of the
// `priority` corridors (a parcel inside two of them counts once: the share is capped at 1).
void mark_priority_lots(std::vector<QuotaLot>& lots, const ReferenceLayers& ref,
                        const QuotaTables& quota, const CorridorTally& tally);

// A village's freed quota in the share `inside / reclaim`, rounded half away from zero, exact.
AreaCm2x100 freed_share(AreaCm2x100 freed, AreaCm2x100 inside, AreaCm2x100 reclaim);

} // namespace landquota
