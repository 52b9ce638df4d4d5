#pragma once

#include <cstddef>

namespace landquota {

// An ellipsoid by its semi-major axis (m) and inverse flattening.
struct Ellipsoid {
    double a;
    double inv_f;
};
// The flattening f = 1 / inv_f; a sphere (inv_f = 0) has none.
inline double flattening(Ellipsoid e) {
    return e.inv_f == 0.0 ? 0.0 : 1.0 / e.inv_f;
}
// CGCS2000 (China Geodetic Coordinate System 2000); numerically the same as GRS80.
inline constexpr Ellipsoid kCGCS2000{6378137.0, 298.257222101};

// The official land-survey ellipsoidal area (椭球面积) of the third national land survey:
// the area of an ellipsoidal trapezoid bounded by two meridians ΔL apart and the parallels B1,
// B2 is
//   S = 2 b² ΔL [A sin(½ΔB) cos Bm − B sin(3/2 ΔB) cos 3Bm + C sin(5/2 ΔB) cos 5Bm
//                − D sin(7/2 ΔB) cos 7Bm + E sin(9/2 ΔB) cos 9Bm]
// with ΔB = B2 − B1, Bm = (B1 + B2)/2 and A..E series in e² (see docs/methods.md). A ring's area
// is the algebraic sum, over its edges, of the trapezoids each edge bounds with a reference
// parallel (Green's theorem on the ellipsoid).
class EllipsoidalTrapezoid {
  public:
    explicit EllipsoidalTrapezoid(Ellipsoid e = kCGCS2000);

    // Area of the trapezoid between parallels b1, b2 (radians) over a longitude span dl (radians).
    double trapezoid_m2(double b1, double b2, double dl) const;

    // Signed area of a ring of geodetic coordinates in degrees (closed or not: the closing edge
    // is implied). Positive when counter-clockwise (east = +x, north = +y).
    double ring_area_m2(const double* lon_deg, const double* lat_deg, std::size_t n) const;

  private:
    double b2_; // b² (m²)
    double A_, B_, C_, D_, E_;
};

// GeographicLib's geodesic polygon area (PROJ's geod_polygonarea) of the same ring: the
// independent cross-check. Signed like ring_area_m2.
double geodesic_ring_area_m2(Ellipsoid e, const double* lon_deg, const double* lat_deg,
                             std::size_t n);

} // namespace landquota
