#pragma once

#include "geo/area_calculator.hpp"
#include "geo/polygon_index.hpp"
#include "landquota/model.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/job.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace landquota {

// An overlay GEOS could not compute for one parcel: that parcel's error, never land counted as
// reclaimable. Not an Error, so that catching it never swallows an internal error.
class OverlayFailure : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What the reclaim rules need to know of a parcel.
struct ParcelFacts {
    std::string landuse, village_class, slope;
    bool has_village_class = false; // the job maps a village-class field
    bool in_village = false;
    bool village_relocating = false;
    double area_m2 = 0.0; // its ellipsoidal area, already measured
};

struct ReclaimOutcome {
    ParcelStatus status = ParcelStatus::NotEligible;
    AreaCm2x100 reclaim = 0; // accepted reclaimable area, hundredths of m²
    GeomPtr pieces;          // the reclaimable pieces (working CRS), nullptr when none
    std::string excluded_by; // every exclusion zone that cut it, by name, ";"-separated
    std::string reason;      // why not eligible / excluded, for planners
};

// Applies [reclaim]: eligibility by land use, village class, slope and relocation; then clips out
// the exclusion zones, keeps what lies inside the `include` corridors (when the job has any) and
// drops pieces below the minimum size. Areas are ellipsoidal.
class Reclaimer {
  public:
    Reclaimer(const ReclaimRules& rules, const ReferenceLayers& ref, const AreaCalculator& area);
    ~Reclaimer();
    ReclaimOutcome reclaim(const ParcelFacts& facts, const GEOSGeometry* parcel) const;
    // Whether the attribute rules let the parcel reach the overlay (its area may then enter the
    // quota account); true exactly when reclaim() goes on to clip it. Needs no area.
    bool may_reclaim(const ParcelFacts& facts) const;

  private:
    const ReclaimRules& rules_;
    const ReferenceLayers& ref_;
    const AreaCalculator& area_;
    std::unique_ptr<PolygonIndex> exclusions_;
    std::vector<std::size_t> rank_; // each zone's place in the canonical order (name, shape)
    // The union of the belts of `include` corridors (methods.md §6.2): when there is one, only
    // land inside it is reclaimable.
    GeomPtr include_;
    PreparedPtr include_prepared_;
    std::string include_names_;
};

} // namespace landquota
