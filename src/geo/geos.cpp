#include "geo/geos.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <cstdarg>
#include <cstdio>
#include <ogr_geometry.h>
#include <vector>

namespace landquota {

namespace {
thread_local std::string t_last_error;

void on_geos_message(const char* fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    t_last_error = buf;
}

struct ContextHolder {
    GEOSContextHandle_t h = GEOS_init_r();
    ContextHolder() {
        GEOSContext_setErrorHandler_r(h, on_geos_message);
        GEOSContext_setNoticeHandler_r(h, nullptr);
    }
    ~ContextHolder() { GEOS_finish_r(h); }
};
} // namespace

GEOSContextHandle_t Geos::ctx() {
    static thread_local ContextHolder holder;
    return holder.h;
}

const std::string& Geos::last_error() {
    return t_last_error;
}

GeomPtr to_geos(const OGRGeometry& g) {
    GeomPtr out(g.exportToGEOS(Geos::ctx()));
    if (!out)
        throw Error(Stage::Geometry, tr("cannot convert geometry to GEOS: ") + Geos::last_error(),
                    Error::Kind::Internal);
    return out;
}

std::unique_ptr<OGRGeometry> to_ogr(const GEOSGeometry* g) {
    std::unique_ptr<OGRGeometry> out(
        OGRGeometryFactory::createFromGEOS(Geos::ctx(), const_cast<GEOSGeometry*>(g)));
    if (!out)
        throw Error(Stage::Geometry, tr("cannot convert a GEOS geometry back to OGR"),
                    Error::Kind::Internal);
    return out;
}

double planar_area(const GEOSGeometry* g) {
    double a = 0.0;
    GEOSArea_r(Geos::ctx(), g, &a);
    return a;
}

GeomPtr make_valid_structure(const GEOSGeometry* g) {
    auto* ctx = Geos::ctx();
    GEOSMakeValidParams* p = GEOSMakeValidParams_create_r(ctx);
    GEOSMakeValidParams_setMethod_r(ctx, p, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx, p, 0);
    GeomPtr out(GEOSMakeValidWithParams_r(ctx, g, p));
    GEOSMakeValidParams_destroy_r(ctx, p);
    return out;
}

void point_on_surface(const GEOSGeometry* g, double& x, double& y) {
    GeomPtr p(GEOSPointOnSurface_r(Geos::ctx(), g));
    if (p) {
        GEOSGeomGetX_r(Geos::ctx(), p.get(), &x);
        GEOSGeomGetY_r(Geos::ctx(), p.get(), &y);
    }
}

GeomPtr polygonal_part(const GEOSGeometry* g) {
    auto* ctx = Geos::ctx();
    if (!g || GEOSisEmpty_r(ctx, g))
        return nullptr;
    std::vector<GEOSGeometry*> polys;
    const int n = GEOSGetNumGeometries_r(ctx, g);
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, g, i);
        const int type = GEOSGeomTypeId_r(ctx, part);
        if (type == GEOS_POLYGON) {
            if (!GEOSisEmpty_r(ctx, part))
                polys.push_back(GEOSGeom_clone_r(ctx, part));
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            GeomPtr sub = polygonal_part(part);
            if (sub) {
                const int m = GEOSGetNumGeometries_r(ctx, sub.get());
                for (int j = 0; j < m; ++j)
                    polys.push_back(GEOSGeom_clone_r(ctx, GEOSGetGeometryN_r(ctx, sub.get(), j)));
            }
        }
    }
    if (polys.empty())
        return nullptr;
    return GeomPtr(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polys.data(),
                                               static_cast<unsigned>(polys.size())));
}

} // namespace landquota
