#pragma once

// Buffers and lengths measured on the ground (the ellipsoid), for geometries held in the
// working (projected) CRS: a corridor's belt "3 km each side" is 3 km on the ground, not 3 km
// of a projection whose scale drifts away from its central meridian.
#include "geo/geos.hpp"

#include <ogr_spatialref.h>

namespace landquota {

struct GroundBuffer {
    GeomPtr belt; // in the working CRS, nullptr when the buffer is empty
    // The largest relative error of the belt's width from the local projection: the belt is
    // narrower than asked by at most this fraction (docs/methods.md §6.2).
    double width_error = 0.0;
};

// Buffers `g` (working CRS) by `distance_m` on the ground: `g` is densified (`densify_m`) and
// carried into an azimuthal equidistant projection on the working CRS's ellipsoid, centred on
// its extent, buffered there (arcs with segments no longer than `densify_m`), densified and
// carried back. Throws an input Error when the geometry reaches so far from its centre that the
// width error would exceed kMaxWidthError.
GroundBuffer buffer_on_ground(const GEOSGeometry* g, const OGRSpatialReference& working,
                              double distance_m, double densify_m);
inline constexpr double kMaxWidthError = 1e-3;

// The length on the ellipsoid of the linear parts of `g` (working CRS): each edge densified by
// `densify_m` in the plane, inverse-projected, and summed as geodesics (GeographicLib). Polygons
// have no length (0).
double ground_length_m(const GEOSGeometry* g, const OGRSpatialReference& working, double densify_m);

} // namespace landquota
