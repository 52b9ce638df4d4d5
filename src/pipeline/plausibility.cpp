#include "pipeline/plausibility.hpp"

#include "core/translate.hpp"
#include "geo/crs.hpp"
#include "geo/scale_error.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <ogr_api.h>
#include <vector>

namespace landquota {

namespace {

std::string where(const LayerReader& r) {
    return fmt::format("{}, layer '{}'", r.source().path, r.layer_name());
}

std::string span(const OGREnvelope& e) {
    return fmt::format("x {:.6g} … {:.6g}, y {:.6g} … {:.6g}", e.MinX, e.MaxX, e.MinY, e.MaxY);
}

// "1:12,345" for a scale error (a fraction of a length); a percentage from 1 % up.
std::string one_in(double error) {
    if (!std::isfinite(error))
        return "beyond measure (PROJ cannot project it there)";
    if (error >= 0.01)
        return fmt::format("{:.1f} %", 100.0 * error);
    const auto n = static_cast<long long>(std::llround(1.0 / error));
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return "1:" + out;
}

// Planar area of a (multi)polygon; 0 for anything else.
double polygon_area(const OGRGeometry& g) {
    return OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)));
}

} // namespace

void check_layer_extent(LayerReader& layer) {
    const OGRSpatialReference* crs = layer.crs();
    if (!crs)
        return;
    const std::optional<OGREnvelope> found = layer.extent();
    if (!found)
        return;
    const OGREnvelope& e = *found;
    const std::string label = srs_label(*crs);
    if (crs->IsProjected()) {
        if (std::abs(e.MinX) <= 180 && std::abs(e.MaxX) <= 180 && std::abs(e.MinY) <= 90 &&
            std::abs(e.MaxY) <= 90)
            throw Error(Stage::Ingest,
                        trf("{}: its CRS {} is projected (in {}) but every coordinate lies "
                            "within ±180/±90 ({}): these are longitudes and latitudes in "
                            "degrees. Give the layer its real CRS (its .prj file, or the "
                            "GeoPackage's SRS): a geographic one such as EPSG:4490 "
                            "(CGCS2000) or EPSG:4326 (WGS 84)",
                            where(layer), label, crs->GetAttrValue("UNIT") ?: "metres", span(e)));
        const double metres = crs->GetLinearUnits();
        const double widest = std::max(e.MaxX - e.MinX, e.MaxY - e.MinY) * metres;
        if (widest > kMaxCountySpanM)
            throw Error(Stage::Ingest,
                        trf("{}: the layer spans {:.0f} km in its CRS {} ({}), more than "
                            "any county ({:.0f} km): the coordinates are likely in "
                            "millimetres or centimetres labelled metres. Give the layer "
                            "the CRS its coordinates are really in (its .prj file, or the "
                            "GeoPackage's SRS)",
                            where(layer), widest / 1000.0, label, span(e),
                            kMaxCountySpanM / 1000.0));
        return;
    }
    if (crs->IsGeographic() && (std::max(std::abs(e.MinX), std::abs(e.MaxX)) > 360 ||
                                std::max(std::abs(e.MinY), std::abs(e.MaxY)) > 90))
        throw Error(Stage::Ingest,
                    trf("{}: its CRS {} is geographic (degrees) but the coordinates reach "
                        "far beyond ±180/±90 ({}): these are metres of a projected CRS. "
                        "Give the layer the CRS it was made in (its .prj file, or the "
                        "GeoPackage's SRS), e.g. EPSG:4549 for CGCS2000 / 3-degree "
                        "Gauss-Kruger CM 120E",
                        where(layer), label, span(e)));
}

void check_parcel_sizes(LayerReader& parcels, std::size_t sample) {
    // In the layer's own projected units, before any reprojection: coordinates in millimetres
    // labelled metres would not even reach a working CRS sensibly. Geographic layers are judged
    // by their extent alone.
    const OGRSpatialReference* crs = parcels.crs();
    if (!crs || !crs->IsProjected())
        return;
    const double unit = crs->GetLinearUnits();
    std::vector<double> areas;
    SourceFeature f;
    while (areas.size() < sample && parcels.next(f))
        if (f.geometry && !f.geometry->IsEmpty())
            if (const double a = polygon_area(*f.geometry) * unit * unit; a > 0)
                areas.push_back(a);
    parcels.rewind();
    if (areas.empty())
        return; // no polygon to judge: the parcel pass reports each feature
    auto mid = areas.begin() + static_cast<std::ptrdiff_t>(areas.size() / 2);
    std::nth_element(areas.begin(), mid, areas.end());
    const double median = *mid;
    if (median >= kMinMedianParcelM2 && median <= kMaxMedianParcelM2)
        return;
    throw Error(Stage::Ingest,
                trf("{}: the median parcel of the first {} measures {:.6g} m² in the "
                    "layer's CRS, outside any plausible {:.0f} m² … {:.0f} km²: the "
                    "coordinates are likely in {} labelled metres. Give the layer the CRS "
                    "its coordinates are really in (its .prj file, or the GeoPackage's "
                    "SRS)",
                    where(parcels), areas.size(), median, kMinMedianParcelM2,
                    kMaxMedianParcelM2 / 1e6,
                    median > kMaxMedianParcelM2 ? "millimetres or centimetres" : "kilometres"));
}

void check_crs_distortion(const Job& job, const OGRSpatialReference& working,
                          const std::string& working_label, LayerReader& parcels, FindingLog& log) {
    const auto points = parcels.extent_lon_lat();
    double worst = 0;
    std::pair<double, double> at = points.back();
    for (const auto& [lon, lat] : points) {
        const double e = scale_error(working, lon, lat);
        if (!(e <= worst)) { // NaN and infinity are the worst
            worst = e;
            at = {lon, lat};
        }
    }
    if (worst <= kWarnScaleError)
        return;
    const std::string centre = fmt::format(
        "+proj=tmerc +lon_0={:.2f} +k=1 +x_0=500000 +ellps=GRS80 +units=m", points.back().first);
    const std::string fix =
        job.crs.empty()
            ? fmt::format("the data reach far from the centre of the zone chosen for them; set crs "
                          "in [job] to a projection centred on the data, e.g. '{}'",
                          centre)
            : fmt::format("set crs in [job] to a projection centred on the data, e.g. '{}' (the "
                          "3-degree Gauss-Kruger zone of its centre), or leave crs out to let "
                          "landquota choose",
                          gk3_zone_definition(points.back().first));
    const std::string what = fmt::format(
        "the working CRS {} stretches lengths by {} at {:.4f}°E {:.4f}°N, a corner of the "
        "parcels' extent or its centre",
        working_label, one_in(worst), at.first, at.second);
    if (!(worst <= kMaxScaleError))
        throw Error(Stage::Ingest, trf("{}: {}; above 1:{:.0f} it is refused (planar figures and "
                                       "densification would be wrong). To fix it, {}",
                                       job.file.string(), what, 1.0 / kMaxScaleError, fix));
    log.add(Finding{Finding::Severity::Warning, "crs_distortion", job.file.string(), "", "", "crs",
                    trf("{}; areas are ellipsoidal and stay exact, but planar figures "
                        "(planar_m2, piece sizes) are off by more than {}. To avoid it, {}",
                        what, one_in(kWarnScaleError), fix)});
}

void check_village_cover(const VillageCover& c, const ParcelInput& P,
                         const std::string& parcels_layer, const std::string& villages_file,
                         FindingLog& log) {
    if (c.parcels == 0)
        return;
    auto judge = [&](std::int64_t n, double bound, const std::string& check,
                     const std::string& first, const std::string& field, const std::string& what,
                     const std::string& fix) {
        if (n == 0)
            return;
        const double share = static_cast<double>(n) / static_cast<double>(c.parcels);
        const bool error =
            share > kWrongLayerShare || (share > bound && n >= kMinUncoveredForError);
        log.add(Finding{
            error ? Finding::Severity::Error : Finding::Severity::Warning, check, P.path,
            parcels_layer, "", field,
            trf("{} of {} parcels ({:.1f} %) {} (first: {}){}", n, c.parcels, 100.0 * share, what,
                first,
                error ? trf("; more than {:.0f} % is refused: {}", 100.0 * bound, fix) : "")});
    };
    judge(c.outside, kMaxOutsideShare, "outside_villages", c.first_outside, "",
          fmt::format("lie outside every village of {}", villages_file),
          "is inputs.villages the right layer, and are both layers in the CRS their files "
          "declare?");
    judge(c.mismatched, kMaxMismatchedShare, "village_mismatch_share", c.first_mismatched,
          P.village, "lie mostly in another village than their village field names",
          "is 'inputs.parcels.village' the right field, and inputs.villages the right layer?");
}

} // namespace landquota
