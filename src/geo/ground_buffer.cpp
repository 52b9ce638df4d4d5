#include "geo/ground_buffer.hpp"

#include "core/translate.hpp"
#include "geo/crs.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <cmath>
#include <geodesic.h>
#include <memory>
#include <ogr_geometry.h>
#include <vector>

namespace landquota {

namespace {

using TransformPtr = std::unique_ptr<OGRCoordinateTransformation>;

TransformPtr transform(const OGRSpatialReference& from, const OGRSpatialReference& to) {
    TransformPtr t(OGRCreateCoordinateTransformation(&from, &to));
    if (!t)
        throw Error(Stage::Measure, tr("cannot build the corridor's local projection"),
                    Error::Kind::Internal);
    return t;
}

std::unique_ptr<OGRGeometry> carried(const OGRGeometry& g, OGRCoordinateTransformation& t) {
    std::unique_ptr<OGRGeometry> out(g.clone());
    if (out->transform(&t) != OGRERR_NONE)
        throw Error(Stage::Measure, tr("cannot carry a corridor into its local projection"),
                    Error::Kind::Internal);
    return out;
}

void farthest(const OGRGeometry& g, double& rho) {
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbLineString || type == wkbLinearRing) {
        const auto& l = *g.toSimpleCurve();
        for (int i = 0; i < l.getNumPoints(); ++i)
            rho = std::max(rho, std::hypot(l.getX(i), l.getY(i)));
    } else if (type == wkbPolygon) {
        for (const auto* ring : *g.toPolygon())
            farthest(*ring, rho);
    } else if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        for (const auto* part : *g.toGeometryCollection())
            farthest(*part, rho);
    }
}

void add_length(const OGRGeometry& g, const geod_geodesic& geod, double& sum) {
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbLineString) {
        const auto& l = *g.toLineString();
        for (int i = 0; i + 1 < l.getNumPoints(); ++i) {
            double s = 0;
            geod_inverse(&geod, l.getY(i), l.getX(i), l.getY(i + 1), l.getX(i + 1), &s, nullptr,
                         nullptr);
            sum += s;
        }
    } else if (type == wkbMultiLineString || type == wkbGeometryCollection) {
        for (const auto* part : *g.toGeometryCollection())
            add_length(*part, geod, sum);
    }
}

} // namespace

GroundBuffer buffer_on_ground(const GEOSGeometry* g, const OGRSpatialReference& working,
                              double distance_m, double densify_m) {
    GroundBuffer out;
    std::unique_ptr<OGRGeometry> source = to_ogr(g);
    source->segmentize(densify_m); // follow the working CRS's straight edges
    OGREnvelope env;
    source->getEnvelope(&env);
    const auto geog = geographic_of(working);
    double lon = (env.MinX + env.MaxX) / 2, lat = (env.MinY + env.MaxY) / 2;
    if (!transform(working, *geog)->Transform(1, &lon, &lat))
        throw Error(Stage::Measure, tr("cannot place a corridor's centre"), Error::Kind::Internal);

    // Azimuthal equidistant on the same ellipsoid: distances from the centre are true, and the
    // scale across them grows only as (ρ/R)²/6, so a belt a few hundred km long keeps its width.
    OGRSpatialReference local;
    local.CopyGeogCSFrom(&working);
    local.SetProjCS("corridor azimuthal equidistant");
    local.SetAE(lat, lon, 0.0, 0.0);
    local.SetLinearUnits(SRS_UL_METER, 1.0);
    local.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRGeometry> near = carried(*source, *transform(working, local));

    double rho = 0;
    farthest(*near, rho);
    const double R = working.GetSemiMajor();
    const double x = (rho + distance_m) / R;
    out.width_error = x * x / 6.0;
    if (out.width_error > kMaxWidthError)
        throw Error(Stage::Ingest,
                    trf("a corridor reaches {:.0f} km from its centre: its belt's width would be "
                        "off by more than {:.1f}%; split the route into parts",
                        rho / 1000.0, kMaxWidthError * 100.0));

    // Arcs in segments no longer than densify_m (64 to 256 per quarter circle).
    const int quadsegs =
        static_cast<int>(std::clamp(std::ceil(M_PI * distance_m / 2.0 / densify_m), 64.0, 256.0));
    auto* ctx = Geos::ctx();
    GeomPtr local_geos = to_geos(*near);
    GeomPtr buffered(GEOSBuffer_r(ctx, local_geos.get(), distance_m, quadsegs));
    if (!buffered)
        throw Error(Stage::Measure, trf("cannot buffer a corridor: {}", Geos::last_error()),
                    Error::Kind::Internal);
    GeomPtr poly = polygonal_part(buffered.get());
    if (!poly)
        return out;
    std::unique_ptr<OGRGeometry> belt = to_ogr(poly.get());
    belt->segmentize(densify_m); // the local projection's straight edges, followed back
    std::unique_ptr<OGRGeometry> back = carried(*belt, *transform(local, working));
    GeomPtr result = to_geos(*back);
    if (GEOSisValid_r(ctx, result.get()) != 1)
        result = make_valid_structure(result.get());
    out.belt = polygonal_part(result.get());
    return out;
}

double ground_length_m(const GEOSGeometry* g, const OGRSpatialReference& working,
                       double densify_m) {
    std::unique_ptr<OGRGeometry> line = to_ogr(g);
    line->segmentize(densify_m);
    const auto geog = geographic_of(working);
    std::unique_ptr<OGRGeometry> lonlat = carried(*line, *transform(working, *geog));
    geod_geodesic geod;
    const Ellipsoid e = ellipsoid_of(working);
    geod_init(&geod, e.a, flattening(e));
    double sum = 0;
    add_length(*lonlat, geod, sum);
    return sum;
}

} // namespace landquota
