#pragma once

#include "geo/ellipsoidal_area.hpp"

#include <memory>
#include <ogr_spatialref.h>

class OGRGeometry;
class OGRCoordinateTransformation;
class OGRLinearRing;

namespace landquota {

struct MeasuredArea {
    double ellipsoidal_m2 = 0; // official land-survey ellipsoidal area
    double geodesic_m2 = 0;    // GeographicLib on the same vertices: the cross-check, when asked
    double planar_m2 = 0;      // area in the working projection, for comparison only
};

// Measures polygons given in the working (projected) CRS: each ring is densified in the plane so
// its straight projected edges are followed on the ellipsoid, inverse-projected to geodetic
// coordinates on the CRS's own ellipsoid, and measured with the official trapezoid formula and,
// independently, GeographicLib when a cross-check is asked for (it costs more than the official
// formula: which parcels get it is the parcel pass's choice, see docs/methods.md).
enum class CrossCheck { No, Yes };

class AreaCalculator {
  public:
    AreaCalculator(const OGRSpatialReference& working, double densify_m);
    ~AreaCalculator();
    AreaCalculator(const AreaCalculator&) = delete;
    AreaCalculator& operator=(const AreaCalculator&) = delete;

    // Throws an input Error (Stage::Measure) for a ring that densifies into more than
    // kMaxRingPoints points: 20,000 km of outline at 10 m, far beyond any real parcel.
    MeasuredArea measure(const OGRGeometry& g, CrossCheck check = CrossCheck::No) const;
    static constexpr double kMaxRingPoints = 2e6;
    const Ellipsoid& ellipsoid() const { return ellipsoid_; }

  private:
    void measure_ring(const OGRLinearRing& ring, double sign, CrossCheck check,
                      MeasuredArea& acc) const;

    Ellipsoid ellipsoid_;
    EllipsoidalTrapezoid trapezoid_;
    double densify_m_;
    std::unique_ptr<OGRCoordinateTransformation> to_geographic_;
};

} // namespace landquota
