#include "geo/scale_error.hpp"

#include <cmath>
#include <cpl_conv.h>
#include <limits>
#include <memory>
#include <proj.h>
#include <string>

namespace landquota {

double scale_error(const OGRSpatialReference& crs, double lon_deg, double lat_deg) {
    constexpr double kNowhere = std::numeric_limits<double>::infinity();
    // The projection as a PROJ operation (not the CRS object, whose geographic input would be in
    // its base CRS's axis order and units): radians, longitude first.
    char* proj4 = nullptr;
    if (crs.exportToProj4(&proj4) != OGRERR_NONE || !proj4) {
        CPLFree(proj4);
        return kNowhere;
    }
    std::string definition = proj4;
    CPLFree(proj4);
    if (const auto at = definition.find("+type=crs"); at != std::string::npos)
        definition.erase(at, 9);
    const std::unique_ptr<PJ_CONTEXT, decltype(&proj_context_destroy)> ctx(proj_context_create(),
                                                                           proj_context_destroy);
    const std::unique_ptr<PJ, decltype(&proj_destroy)> pj(
        proj_create(ctx.get(), definition.c_str()), proj_destroy);
    if (!pj)
        return kNowhere;
    const PJ_COORD at = proj_coord(proj_torad(lon_deg), proj_torad(lat_deg), 0, 0);
    const PJ_FACTORS f = proj_factors(pj.get(), at);
    if (proj_context_errno(ctx.get()) != 0 || !std::isfinite(f.meridional_scale) ||
        !std::isfinite(f.parallel_scale) || f.meridional_scale <= 0 || f.parallel_scale <= 0)
        return kNowhere;
    return std::max(std::abs(f.meridional_scale - 1.0), std::abs(f.parallel_scale - 1.0));
}

} // namespace landquota
