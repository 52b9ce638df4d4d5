// GEOS operations the county generator needs, on owned geometries (RAII over the reentrant C API).
//
// The generator builds every polygon layer as faces of one noded line set, so neighbours share
// their vertices exactly: lines are snap-rounded to a millimetre grid (GEOSUnaryUnionPrec), then
// polygonized. Everything here is deterministic for the same inputs and GEOS version.
#pragma once

#include <geos_c.h>

#include <memory>
#include <span>
#include <vector>

namespace county {

struct Point {
    double x = 0, y = 0;
};

GEOSContextHandle_t geos();

struct GeomDeleter {
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos(), g); }
};
using Geom = std::unique_ptr<GEOSGeometry, GeomDeleter>;

// Throws std::runtime_error naming `what` when GEOS returns null.
Geom own(GEOSGeometry* g, const char* what);
Geom clone(const GEOSGeometry& g);

Geom polygon(std::span<const Point> ring); // closed by the function
Geom line(std::span<const Point> points);
Geom multiPoint(std::span<const Point> points);
Geom collection(std::vector<Geom> parts, int type = GEOS_GEOMETRYCOLLECTION);

// Parts of a collection (or the geometry itself when it is not one), borrowed.
std::vector<const GEOSGeometry*> parts(const GEOSGeometry& g);
std::vector<Point> coordinates(const GEOSGeometry& lineOrRing);
// Exterior ring first, then holes.
std::vector<std::vector<Point>> rings(const GEOSGeometry& polygon);

Geom intersection(const GEOSGeometry& a, const GEOSGeometry& b);
Geom difference(const GEOSGeometry& a, const GEOSGeometry& b);
Geom buffer(const GEOSGeometry& g, double width);
Geom boundary(const GEOSGeometry& g);
Geom unaryUnion(const GEOSGeometry& g);
Geom coverageUnion(std::span<const GEOSGeometry* const> polygons);

// Voronoi edges (or cells) of points, reaching at least over `extent`.
Geom voronoi(std::span<const Point> seeds, const GEOSGeometry& extent, bool edgesOnly);

// Lines split every `step` metres or less (new vertices on the straight segments).
Geom densify(const GEOSGeometry& lines, double step);

// Nodes the lines on a 1 mm grid (snap rounding) and returns the faces they enclose; dangles
// are dropped.
std::vector<Geom> faces(const GEOSGeometry& lines);

double area(const GEOSGeometry& g);
Point pointOnSurface(const GEOSGeometry& g);
Point centroid(const GEOSGeometry& g);
bool contains(const GEOSGeometry& polygon, Point p);
bool within(const GEOSGeometry& a, const GEOSGeometry& b);
bool intersects(const GEOSGeometry& a, const GEOSGeometry& b);
bool isPolygon(const GEOSGeometry& g);
bool isValid(const GEOSGeometry& g);
bool isEmpty(const GEOSGeometry& g);
double distance(const GEOSGeometry& a, Point p);
void envelope(const GEOSGeometry& g, double& minx, double& miny, double& maxx, double& maxy);

} // namespace county
