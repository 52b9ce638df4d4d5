#include "geo/ellipsoidal_area.hpp"

#include <cmath>
#include <geodesic.h>
#include <numbers>
#include <vector>

namespace landquota {

namespace {
constexpr double kDegToRad = std::numbers::pi / 180.0;
}

EllipsoidalTrapezoid::EllipsoidalTrapezoid(Ellipsoid e) {
    const double f = e.inv_f == 0.0 ? 0.0 : 1.0 / e.inv_f; // GDAL's convention: 0 means a sphere
    const double e2 = f * (2.0 - f);
    const double e4 = e2 * e2, e6 = e4 * e2, e8 = e6 * e2;
    const double b = e.a * (1.0 - f);
    b2_ = b * b;
    // Coefficients as printed in the survey specification (e.g. 30/80 rather than 3/8) so the
    // code can be checked against the text line by line.
    A_ = 1.0 + 3.0 / 6.0 * e2 + 30.0 / 80.0 * e4 + 35.0 / 112.0 * e6 + 630.0 / 2304.0 * e8;
    B_ = 1.0 / 6.0 * e2 + 15.0 / 80.0 * e4 + 21.0 / 112.0 * e6 + 420.0 / 2304.0 * e8;
    C_ = 3.0 / 80.0 * e4 + 7.0 / 112.0 * e6 + 180.0 / 2304.0 * e8;
    D_ = 1.0 / 112.0 * e6 + 45.0 / 2304.0 * e8;
    E_ = 5.0 / 2304.0 * e8;
}

double EllipsoidalTrapezoid::trapezoid_m2(double b1, double b2, double dl) const {
    const double db = b2 - b1, bm = 0.5 * (b1 + b2);
    return 2.0 * b2_ * dl *
           (A_ * std::sin(0.5 * db) * std::cos(bm) - B_ * std::sin(1.5 * db) * std::cos(3.0 * bm) +
            C_ * std::sin(2.5 * db) * std::cos(5.0 * bm) -
            D_ * std::sin(3.5 * db) * std::cos(7.0 * bm) +
            E_ * std::sin(4.5 * db) * std::cos(9.0 * bm));
}

double EllipsoidalTrapezoid::ring_area_m2(const double* lon_deg, const double* lat_deg,
                                          std::size_t n) const {
    if (n >= 2 && lon_deg[0] == lon_deg[n - 1] && lat_deg[0] == lat_deg[n - 1])
        --n; // closing vertex repeated
    if (n < 3)
        return 0.0;
    // Reference parallel: the first vertex. Trapezoids are measured from it rather than from the
    // equator so every term stays small and no precision is lost to cancellation.
    const double b0 = lat_deg[0] * kDegToRad;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1) % n;
        double dl = (lon_deg[j] - lon_deg[i]) * kDegToRad;
        if (dl > std::numbers::pi) // an edge crossing the antimeridian
            dl -= 2.0 * std::numbers::pi;
        else if (dl < -std::numbers::pi)
            dl += 2.0 * std::numbers::pi;
        const double bm = 0.5 * (lat_deg[i] + lat_deg[j]) * kDegToRad;
        // The trapezoid between this edge (at its mean latitude) and the reference parallel.
        sum += trapezoid_m2(b0, bm, dl);
    }
    // Counter-clockwise rings run west along their northern side: negate so CCW is positive.
    return -sum;
}

double geodesic_ring_area_m2(Ellipsoid e, const double* lon_deg, const double* lat_deg,
                             std::size_t n) {
    if (n >= 2 && lon_deg[0] == lon_deg[n - 1] && lat_deg[0] == lat_deg[n - 1])
        --n;
    if (n < 3)
        return 0.0;
    geod_geodesic g;
    geod_init(&g, e.a, flattening(e));
    std::vector<double> lats(lat_deg, lat_deg + n), lons(lon_deg, lon_deg + n);
    double area = 0.0, perimeter = 0.0;
    geod_polygonarea(&g, lats.data(), lons.data(), static_cast<int>(n), &area, &perimeter);
    return area; // GeographicLib: counter-clockwise is positive
}

} // namespace landquota
