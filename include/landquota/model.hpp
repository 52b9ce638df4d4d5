#pragma once

#include "landquota/units.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace landquota {

// What reclamation makes of a parcel.
enum class ParcelStatus {
    Reclaimable, // eligible, and some of it survives the exclusions and the minimum piece size
    Excluded,    // eligible by its use and village, but wholly excluded (zones, slope, min size)
    NotEligible, // its land use, village class or village does not qualify
    Outside,     // in no village
};
inline const char* to_string(ParcelStatus s) {
    switch (s) {
    case ParcelStatus::Reclaimable:
        return "reclaimable";
    case ParcelStatus::Excluded:
        return "excluded";
    case ParcelStatus::NotEligible:
        return "not_eligible";
    case ParcelStatus::Outside:
        return "outside";
    }
    return "?";
}

// A validation finding: what is wrong, and exactly where (file, layer, feature, field).
struct Finding {
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    std::string check; // a stable code: missing_field, duplicate_id, invalid_geometry, ...
    std::string file;
    std::string layer;
    std::string feature; // "BSM=3307230001 (FID 12)", or empty for layer-wide findings
    std::string field;
    std::string message;

    bool is_error() const { return severity == Severity::Error; }
    // "error [duplicate_id] parcels.gpkg, layer 'parcels', feature BSM=12 (FID 3), field 'BSM': …"
    std::string to_string() const {
        std::string where = file;
        if (!layer.empty())
            where += ", layer '" + layer + "'";
        if (!feature.empty())
            where += ", feature " + feature;
        if (!field.empty())
            where += ", field '" + field + "'";
        return std::string(is_error() ? "error" : "warning") + " [" + check + "] " + where + ": " +
               message;
    }
};

// The accounting of one village: integer hundredths of m².
struct VillageQuota {
    std::string village_id, name, township_id, zone_id, region_id;
    bool relocating = false;
    std::int64_t parcels = 0, reclaimable_parcels = 0;
    AreaCm2x100 reclaim = 0, resettle = 0;
    AreaCm2x100 freed() const { return reclaim - resettle; }
    std::int64_t freed_mu_hundredths = 0; // apportioned top-down so rows add up to the total
};

// The same summed over a grouping unit (township, zone, region, county).
struct UnitQuota {
    std::string id, name, parent_id;
    std::string
        region_id; // for townships: the region of their zone (zone ids may repeat across regions)
    std::int64_t villages = 0;
    AreaCm2x100 reclaim = 0, resettle = 0;
    AreaCm2x100 freed() const { return reclaim - resettle; }
    std::int64_t freed_mu_hundredths = 0; // apportioned top-down so rows add up to the total
};

} // namespace landquota
