#include "pipeline/overlaps.hpp"

#include "core/translate.hpp"
#include "geo/geos.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

namespace landquota {

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
        GeomPtr inter(GEOSIntersection_r(ctx, geos_a.get(), geos_b.get()));
        const double area = inter ? planar_area(inter.get()) : 0.0;
        if (area < 0.01)
            continue; // neighbours sharing an edge, or a sliver below one accounting unit
        ++pairs;
        log.add(Finding{Finding::Severity::Error, "overlapping_parcels", parcels_file,
                        parcels_layer,
                        trf("{}={} (FID {})", id_field, fb->GetFieldAsString("parcel_id"),
                            fb->GetFieldAsInteger64("source_fid")),
                        "",
                        trf("overlaps parcel {}={} (FID {}) by {:.2f} m²: the overlap would "
                            "be counted twice as freed quota",
                            id_field, fa->GetFieldAsString("parcel_id"),
                            fa->GetFieldAsInteger64("source_fid"), area)});
    }
    return pairs;
}

} // namespace landquota
