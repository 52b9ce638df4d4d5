#pragma once

#include <geos_c.h>
#include <memory>
#include <string>

class OGRGeometry;

namespace landquota {

// The GEOS reentrant context of this thread, with errors captured into a string so a failed
// operation can be reported with the feature it concerns.
class Geos {
  public:
    static GEOSContextHandle_t ctx();
    static const std::string& last_error();
};

struct GeomDeleter {
    void operator()(GEOSGeometry* g) const noexcept {
        if (g)
            GEOSGeom_destroy_r(Geos::ctx(), g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    void operator()(const GEOSPreparedGeometry* p) const noexcept {
        if (p)
            GEOSPreparedGeom_destroy_r(Geos::ctx(), p);
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

// OGR <-> GEOS, in the same coordinates.
GeomPtr to_geos(const OGRGeometry& g);
std::unique_ptr<OGRGeometry> to_ogr(const GEOSGeometry* g);

// Planar area of a GEOS geometry (working CRS units²).
double planar_area(const GEOSGeometry* g);

// make-valid with the "structure" method (GEOS ≥ 3.10): rings are rebuilt by their structure, so
// a bow-tie parcel keeps both lobes instead of losing one; collapsed parts are dropped.
GeomPtr make_valid_structure(const GEOSGeometry* g);

// A point guaranteed inside a polygon (its "point on surface"), for labels, distances and flow
// lines; x and y are left as they are if GEOS cannot make one.
void point_on_surface(const GEOSGeometry* g, double& x, double& y);

// Only the polygonal part of a geometry (overlay results can carry slivers of lower dimension),
// as a MultiPolygon or nullptr when there is none.
GeomPtr polygonal_part(const GEOSGeometry* g);

} // namespace landquota
