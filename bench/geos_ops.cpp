#include "geos_ops.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace county {

namespace {
void onGeosMessage(const char* message, void*) {
    (void)message; // GEOS also signals failures by returning null; those are reported by own()
}
} // namespace

GEOSContextHandle_t geos() {
    static GEOSContextHandle_t handle = [] {
        GEOSContextHandle_t h = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(h, onGeosMessage, nullptr);
        return h;
    }();
    return handle;
}

Geom own(GEOSGeometry* g, const char* what) {
    if (!g)
        throw std::runtime_error(fmt::format("GEOS {} failed", what));
    return Geom(g);
}

Geom clone(const GEOSGeometry& g) {
    return own(GEOSGeom_clone_r(geos(), &g), "clone");
}

namespace {
GEOSCoordSequence* sequence(std::span<const Point> points, bool close) {
    const auto n = static_cast<unsigned>(points.size() + (close ? 1 : 0));
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos(), n, 2);
    for (unsigned i = 0; i < points.size(); ++i)
        GEOSCoordSeq_setXY_r(geos(), seq, i, points[i].x, points[i].y);
    if (close)
        GEOSCoordSeq_setXY_r(geos(), seq, n - 1, points[0].x, points[0].y);
    return seq;
}
} // namespace

Geom polygon(std::span<const Point> ring) {
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(geos(), sequence(ring, true));
    return own(GEOSGeom_createPolygon_r(geos(), shell, nullptr, 0), "polygon");
}

Geom line(std::span<const Point> points) {
    return own(GEOSGeom_createLineString_r(geos(), sequence(points, false)), "line");
}

Geom multiPoint(std::span<const Point> points) {
    std::vector<Geom> pts;
    for (const auto& p : points)
        pts.push_back(own(GEOSGeom_createPointFromXY_r(geos(), p.x, p.y), "point"));
    return collection(std::move(pts), GEOS_MULTIPOINT);
}

Geom collection(std::vector<Geom> parts, int type) {
    std::vector<GEOSGeometry*> raw;
    for (auto& p : parts)
        raw.push_back(p.release());
    return own(
        GEOSGeom_createCollection_r(geos(), type, raw.data(), static_cast<unsigned>(raw.size())),
        "collection");
}

std::vector<const GEOSGeometry*> parts(const GEOSGeometry& g) {
    std::vector<const GEOSGeometry*> out;
    const int type = GEOSGeomTypeId_r(geos(), &g);
    if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON ||
        type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(geos(), &g);
        for (int i = 0; i < n; ++i)
            out.push_back(GEOSGetGeometryN_r(geos(), &g, i));
    } else if (!GEOSisEmpty_r(geos(), &g)) {
        out.push_back(&g);
    }
    return out;
}

std::vector<Point> coordinates(const GEOSGeometry& g) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos(), &g);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(geos(), seq, &n);
    std::vector<Point> out(n);
    for (unsigned i = 0; i < n; ++i)
        GEOSCoordSeq_getXY_r(geos(), seq, i, &out[i].x, &out[i].y);
    return out;
}

std::vector<std::vector<Point>> rings(const GEOSGeometry& polygon) {
    std::vector<std::vector<Point>> out{coordinates(*GEOSGetExteriorRing_r(geos(), &polygon))};
    const int holes = GEOSGetNumInteriorRings_r(geos(), &polygon);
    for (int i = 0; i < holes; ++i)
        out.push_back(coordinates(*GEOSGetInteriorRingN_r(geos(), &polygon, i)));
    return out;
}

Geom intersection(const GEOSGeometry& a, const GEOSGeometry& b) {
    return own(GEOSIntersection_r(geos(), &a, &b), "intersection");
}

Geom difference(const GEOSGeometry& a, const GEOSGeometry& b) {
    return own(GEOSDifference_r(geos(), &a, &b), "difference");
}

Geom buffer(const GEOSGeometry& g, double width) {
    return own(GEOSBuffer_r(geos(), &g, width, 4), "buffer");
}

Geom boundary(const GEOSGeometry& g) {
    return own(GEOSBoundary_r(geos(), &g), "boundary");
}

Geom unaryUnion(const GEOSGeometry& g) {
    return own(GEOSUnaryUnion_r(geos(), &g), "union");
}

Geom coverageUnion(std::span<const GEOSGeometry* const> polygons) {
    std::vector<Geom> copies;
    for (const auto* p : polygons)
        copies.push_back(clone(*p));
    const Geom all = collection(std::move(copies), GEOS_MULTIPOLYGON);
    return own(GEOSCoverageUnion_r(geos(), all.get()), "coverage union");
}

Geom voronoi(std::span<const Point> seeds, const GEOSGeometry& extent, bool edgesOnly) {
    const Geom points = multiPoint(seeds);
    return own(GEOSVoronoiDiagram_r(geos(), points.get(), &extent, 0.0, edgesOnly ? 1 : 0),
               "Voronoi diagram");
}

Geom densify(const GEOSGeometry& lines, double step) {
    std::vector<Geom> out;
    for (const auto* part : parts(lines)) {
        const int type = GEOSGeomTypeId_r(geos(), part);
        if (type != GEOS_LINESTRING && type != GEOS_LINEARRING)
            continue;
        const auto pts = coordinates(*part);
        std::vector<Point> dense;
        for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
            const Point a = pts[i], b = pts[i + 1];
            const int n =
                std::max(1, static_cast<int>(std::ceil(std::hypot(b.x - a.x, b.y - a.y) / step)));
            for (int k = 0; k < n; ++k)
                dense.push_back({a.x + (b.x - a.x) * k / n, a.y + (b.y - a.y) * k / n});
        }
        if (!pts.empty())
            dense.push_back(pts.back());
        if (dense.size() >= 2)
            out.push_back(line(dense));
    }
    return collection(std::move(out), GEOS_MULTILINESTRING);
}

std::vector<Geom> faces(const GEOSGeometry& lines) {
    const Geom noded = own(GEOSUnaryUnionPrec_r(geos(), &lines, 0.001), "noding");
    const GEOSGeometry* input[] = {noded.get()};
    const Geom polygons = own(GEOSPolygonize_r(geos(), input, 1), "polygonize");
    std::vector<Geom> out;
    for (const auto* p : parts(*polygons))
        out.push_back(clone(*p));
    return out;
}

double area(const GEOSGeometry& g) {
    double a = 0;
    GEOSArea_r(geos(), &g, &a);
    return a;
}

namespace {
Point pointOf(Geom g) {
    Point p;
    GEOSGeomGetX_r(geos(), g.get(), &p.x);
    GEOSGeomGetY_r(geos(), g.get(), &p.y);
    return p;
}
} // namespace

Point pointOnSurface(const GEOSGeometry& g) {
    return pointOf(own(GEOSPointOnSurface_r(geos(), &g), "point on surface"));
}

Point centroid(const GEOSGeometry& g) {
    return pointOf(own(GEOSGetCentroid_r(geos(), &g), "centroid"));
}

bool contains(const GEOSGeometry& polygon, Point p) {
    const Geom pt = own(GEOSGeom_createPointFromXY_r(geos(), p.x, p.y), "point");
    return GEOSContains_r(geos(), &polygon, pt.get()) == 1;
}

bool within(const GEOSGeometry& a, const GEOSGeometry& b) {
    return GEOSWithin_r(geos(), &a, &b) == 1;
}

bool intersects(const GEOSGeometry& a, const GEOSGeometry& b) {
    return GEOSIntersects_r(geos(), &a, &b) == 1;
}

bool isPolygon(const GEOSGeometry& g) {
    return GEOSGeomTypeId_r(geos(), &g) == GEOS_POLYGON;
}

bool isValid(const GEOSGeometry& g) {
    return GEOSisValid_r(geos(), &g) == 1;
}

bool isEmpty(const GEOSGeometry& g) {
    return GEOSisEmpty_r(geos(), &g) == 1;
}

double distance(const GEOSGeometry& a, Point p) {
    const Geom pt = own(GEOSGeom_createPointFromXY_r(geos(), p.x, p.y), "point");
    double d = 0;
    GEOSDistance_r(geos(), &a, pt.get(), &d);
    return d;
}

void envelope(const GEOSGeometry& g, double& minx, double& miny, double& maxx, double& maxy) {
    GEOSGeom_getXMin_r(geos(), &g, &minx);
    GEOSGeom_getYMin_r(geos(), &g, &miny);
    GEOSGeom_getXMax_r(geos(), &g, &maxx);
    GEOSGeom_getYMax_r(geos(), &g, &maxy);
}

} // namespace county
