#include "pipeline/overlaps.hpp"

#include "core/translate.hpp"
#include "geo/geos.hpp"
#include "geo/polygon_index.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>

namespace landquota {

namespace {

// The overlap of two pieces in m², or 0 below one accounting unit (neighbours sharing an edge,
// or a sliver).
double overlap_area(const GEOSGeometry* a, const GEOSGeometry* b) {
    GeomPtr inter(GEOSIntersection_r(Geos::ctx(), a, b));
    const double area = inter ? planar_area(inter.get()) : 0.0;
    return area < 0.01 ? 0.0 : area;
}

// One finding, worded alike in a run and in `check`: on the later parcel, naming the earlier.
Finding overlap_finding(const std::string& parcels_file, const std::string& parcels_layer,
                        const std::string& id_field, const std::string& later_id, GIntBig later_fid,
                        const std::string& earlier_id, GIntBig earlier_fid, double area) {
    return Finding{Finding::Severity::Error,
                   "overlapping_parcels",
                   parcels_file,
                   parcels_layer,
                   trf("{}={} (FID {})", id_field, later_id, later_fid),
                   "",
                   trf("overlaps parcel {}={} (FID {}) by {:.2f} m²: the overlap would "
                       "be counted twice as freed quota",
                       id_field, earlier_id, earlier_fid, area)};
}

} // namespace

const GEOSGeometry* ReclaimedPieces::add(std::string parcel_id, GIntBig source_fid,
                                         GeomPtr pieces) {
    pieces_.push_back(Piece{std::move(parcel_id), source_fid, std::move(pieces)});
    return pieces_.back().geometry.get();
}

std::size_t ReclaimedPieces::check_overlaps(const std::string& parcels_file,
                                            const std::string& parcels_layer,
                                            const std::string& id_field, FindingLog& log) const {
    std::vector<const GEOSGeometry*> geometries;
    geometries.reserve(pieces_.size());
    for (const auto& p : pieces_)
        geometries.push_back(p.geometry.get());
    const PolygonIndex index(geometries);
    std::size_t pairs = 0;
    for (std::size_t b = 0; b < pieces_.size(); ++b)
        for (const std::size_t a : index.candidates(geometries[b])) {
            if (a >= b)
                break; // candidates come in ascending order; each pair once, earlier first
            const double area = overlap_area(geometries[a], geometries[b]);
            if (area == 0.0)
                continue;
            ++pairs;
            log.add(overlap_finding(parcels_file, parcels_layer, id_field, pieces_[b].parcel_id,
                                    pieces_[b].source_fid, pieces_[a].parcel_id,
                                    pieces_[a].source_fid, area));
        }
    return pairs;
}

} // namespace landquota
