#include "pipeline/overlaps.hpp"

#include "core/translate.hpp"
#include "geo/geos.hpp"
#include "geo/polygon_index.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

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

void ReclaimedPieces::add(std::string parcel_id, GIntBig source_fid, const OGRGeometry& pieces) {
    pieces_.push_back(Piece{std::move(parcel_id), source_fid, to_geos(pieces)});
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

std::size_t check_reclaimed_overlaps(const std::filesystem::path& gpkg,
                                     const std::string& parcels_file,
                                     const std::string& parcels_layer, const std::string& id_field,
                                     FindingLog& log) {
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(gpkg.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* pieces = ds ? ds->GetLayerByName("reclaimed") : nullptr;
    if (!pieces)
        throw Error(Stage::Publish, gpkg.string() + ": cannot read back the reclaimed layer",
                    Error::Kind::Internal);
    // Candidate pairs straight from the GeoPackage's R-tree (a self-join SQLite answers in one
    // pass), ordered so each first piece is fetched once.
    OGRLayer* result = ds->ExecuteSQL(
        "SELECT a.id AS a, b.id AS b FROM rtree_reclaimed_geom a JOIN rtree_reclaimed_geom b "
        "ON a.id < b.id AND b.minx <= a.maxx AND b.maxx >= a.minx AND b.miny <= a.maxy "
        "AND b.maxy >= a.miny ORDER BY a.id, b.id",
        nullptr, nullptr);
    if (!result)
        throw Error(Stage::Publish, gpkg.string() + ": cannot query the reclaimed layer's R-tree",
                    Error::Kind::Internal);
    const auto release = [&ds](OGRLayer* l) { ds->ReleaseResultSet(l); };
    const std::unique_ptr<OGRLayer, decltype(release)> candidates(result, release);
    auto* ctx = Geos::ctx();
    std::size_t pairs = 0;
    GIntBig current = OGRNullFID;
    OGRFeatureUniquePtr fa;
    GeomPtr geos_a;
    PreparedPtr prepared_a;
    for (auto& row : *candidates) {
        const GIntBig ia = row->GetFieldAsInteger64(0), ib = row->GetFieldAsInteger64(1);
        if (ia != current) {
            current = ia;
            fa.reset(pieces->GetFeature(ia));
            geos_a = fa && fa->GetGeometryRef() ? to_geos(*fa->GetGeometryRef()) : nullptr;
            prepared_a.reset(geos_a ? GEOSPrepare_r(ctx, geos_a.get()) : nullptr);
        }
        if (!prepared_a)
            continue;
        OGRFeatureUniquePtr fb(pieces->GetFeature(ib));
        if (!fb || !fb->GetGeometryRef())
            continue;
        GeomPtr geos_b = to_geos(*fb->GetGeometryRef());
        if (GEOSPreparedIntersects_r(ctx, prepared_a.get(), geos_b.get()) != 1)
            continue;
        const double area = overlap_area(geos_a.get(), geos_b.get());
        if (area == 0.0)
            continue;
        ++pairs;
        log.add(overlap_finding(
            parcels_file, parcels_layer, id_field, fb->GetFieldAsString("parcel_id"),
            fb->GetFieldAsInteger64("source_fid"), fa->GetFieldAsString("parcel_id"),
            fa->GetFieldAsInteger64("source_fid"), area));
    }
    return pairs;
}

} // namespace landquota
