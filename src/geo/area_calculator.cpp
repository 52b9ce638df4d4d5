#include "geo/area_calculator.hpp"

#include "core/translate.hpp"
#include "geo/crs.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <ogr_geometry.h>
#include <vector>

namespace landquota {

AreaCalculator::AreaCalculator(const OGRSpatialReference& working, double densify_m)
    : ellipsoid_(ellipsoid_of(working)), trapezoid_(ellipsoid_), densify_m_(densify_m) {
    if (!working.IsProjected())
        throw Error(Stage::Measure, tr("the working CRS must be projected (metres)"));
    const auto geog = geographic_of(working);
    to_geographic_.reset(OGRCreateCoordinateTransformation(&working, geog.get()));
    if (!to_geographic_)
        throw Error(Stage::Measure, tr("cannot build the inverse projection of the working CRS"),
                    Error::Kind::Internal);
}

AreaCalculator::~AreaCalculator() = default;

void AreaCalculator::measure_ring(const OGRLinearRing& ring, double sign, CrossCheck check,
                                  MeasuredArea& acc) const {
    const int n = ring.getNumPoints();
    if (n < 4)
        return;
    // A ring whose densified outline would take millions of points is not a parcel: it is a
    // coordinate typed wrong ("119.69" as ".19.69") or data in another CRS, thousands of km off.
    // Measuring it would take minutes (found by tests/fuzz/fuzz_layer_feature).
    double points = 0;
    for (int i = 0; i + 1 < n; ++i)
        points += std::max(1.0, std::ceil(std::hypot(ring.getX(i + 1) - ring.getX(i),
                                                     ring.getY(i + 1) - ring.getY(i)) /
                                          densify_m_));
    if (!(points <= kMaxRingPoints))
        throw Error(Stage::Measure,
                    trf("its outline is about {:.0f} km long: a coordinate far from the "
                        "others (a typing slip) or coordinates in another CRS than the "
                        "layer says",
                        points * densify_m_ / 1000.0));
    std::vector<double> x, y;
    x.reserve(static_cast<std::size_t>(n));
    y.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i + 1 < n; ++i) {
        const double x0 = ring.getX(i), y0 = ring.getY(i);
        const double x1 = ring.getX(i + 1), y1 = ring.getY(i + 1);
        const double len = std::hypot(x1 - x0, y1 - y0);
        const int steps = static_cast<int>(std::clamp(std::ceil(len / densify_m_), 1.0, 1e6));
        for (int k = 0; k < steps; ++k) {
            const double t = static_cast<double>(k) / steps;
            x.push_back(x0 + t * (x1 - x0));
            y.push_back(y0 + t * (y1 - y0));
        }
    }
    if (!to_geographic_->Transform(x.size(), x.data(), y.data()))
        throw Error(Stage::Measure, tr("inverse projection failed for a ring"),
                    Error::Kind::Internal);
    // Rings are measured by magnitude; sign says exterior (+) or hole (−), whatever the
    // orientation the source stored them in.
    acc.ellipsoidal_m2 += sign * std::abs(trapezoid_.ring_area_m2(x.data(), y.data(), x.size()));
    if (check == CrossCheck::Yes)
        acc.geodesic_m2 +=
            sign * std::abs(geodesic_ring_area_m2(ellipsoid_, x.data(), y.data(), x.size()));
}

MeasuredArea AreaCalculator::measure(const OGRGeometry& g, CrossCheck check) const {
    MeasuredArea out;
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) {
        const auto& poly = *g.toPolygon();
        if (poly.IsEmpty())
            return out;
        measure_ring(*poly.getExteriorRing(), 1.0, check, out);
        for (int i = 0; i < poly.getNumInteriorRings(); ++i)
            measure_ring(*poly.getInteriorRing(i), -1.0, check, out);
        out.planar_m2 = poly.get_Area();
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (const OGRGeometry* part : *g.toGeometryCollection()) {
            const MeasuredArea m = measure(*part, check);
            out.ellipsoidal_m2 += m.ellipsoidal_m2;
            out.geodesic_m2 += m.geodesic_m2;
            out.planar_m2 += m.planar_m2;
        }
    }
    return out;
}

} // namespace landquota
