#pragma once

// A hand-sized county whose every figure can be worked out on paper: two villages near the
// central meridian of EPSG:4549 (where planar and ellipsoidal areas agree to 1e-4 m²), parcels
// of 100 m × 100 m, a red line and basic farmland that cut some of them, one resettlement site.
#include "support.hpp"

#include <functional>

namespace landquota::test {

struct MiniCounty {
    std::vector<Row> villages, townships, parcels, redline, farmland, resettlement;
    std::string parcel_crs = "EPSG:4549";
    std::string job_extra;   // appended to job.toml (inside [reclaim], or new tables)
    std::string job_options; // added under [job]
    std::string parcels_landuse_key = "DLBM";

    MiniCounty();
    // Writes county.gpkg and job.toml into dir; returns the job file.
    fs::path write(const fs::path& dir) const;
};

// Expected figures of the unmodified mini county (m²).
inline constexpr double kMiniV1Reclaim = 15000.0; // P1 whole + half of P2
inline constexpr double kMiniV1Resettle = 2000.0; // R1, 40 m × 50 m

} // namespace landquota::test
