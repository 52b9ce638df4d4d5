#pragma once

#include "geo/geos.hpp"
#include "pipeline/validate.hpp"

#include <string>
#include <vector>

namespace landquota {

// Reclaimable pieces must not overlap: an overlap would be counted twice as freed quota. Only
// the reclaimable pieces are kept for this check (a small share of a county's parcels: the
// construction land of relocating villages), not the whole layer.
class OverlapCheck {
public:
    explicit OverlapCheck(const LayerReader& parcels, std::string id_field)
        : parcels_(parcels), id_field_(std::move(id_field)) {}
    void add(const std::string& parcel_id, GIntBig fid, const GEOSGeometry* pieces);
    // Logs one error per overlapping pair (overlap of at least one accounting unit, 0.01 m²).
    // Returns the number of pairs.
    std::size_t report(FindingLog& log);

private:
    struct Piece {
        std::string id;
        GIntBig fid;
        GeomPtr geometry;
    };
    const LayerReader& parcels_;
    std::string id_field_;
    std::vector<Piece> pieces_;
};

} // namespace landquota
