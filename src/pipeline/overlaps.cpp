#include "pipeline/overlaps.hpp"

#include "geo/polygon_index.hpp"

#include <fmt/format.h>

namespace landquota {

void OverlapCheck::add(const std::string& parcel_id, GIntBig fid, const GEOSGeometry* pieces) {
    pieces_.push_back(Piece{parcel_id, fid, GeomPtr(GEOSGeom_clone_r(Geos::ctx(), pieces))});
}

std::size_t OverlapCheck::report(FindingLog& log) {
    std::vector<const GEOSGeometry*> geoms;
    for (const auto& p : pieces_)
        geoms.push_back(p.geometry.get());
    const PolygonIndex index(geoms);
    const FeatureRef ref{&parcels_, id_field_};
    std::size_t pairs = 0;
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
        for (std::size_t j : index.overlapping(geoms[i])) {
            if (j <= i)
                continue;
            GeomPtr inter(GEOSIntersection_r(Geos::ctx(), geoms[i], geoms[j]));
            const double a = inter ? planar_area(inter.get()) : 0.0;
            if (a < 0.01)
                continue;
            ++pairs;
            SourceFeature at;
            at.fid = pieces_[j].fid;
            log.add(ref.finding(Finding::Severity::Error, "overlapping_parcels", at, pieces_[j].id,
                                "",
                                fmt::format("overlaps parcel {}={} (FID {}) by {:.2f} m²: the "
                                            "overlap would be counted twice as freed quota",
                                            id_field_, pieces_[i].id, pieces_[i].fid, a)));
        }
    }
    pieces_.clear();
    return pairs;
}

} // namespace landquota
