#include "geo/crs.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <cmath>
#include <cpl_conv.h>
#include <fmt/format.h>

namespace landquota {

int gk3_central_meridian(double lon_deg) {
    return 3 * static_cast<int>(std::lround(lon_deg / 3.0));
}

std::string gk3_zone_definition(double lon_deg) {
    const int cm = gk3_central_meridian(lon_deg);
    if (cm >= 75 && cm <= 135)
        return fmt::format("EPSG:{}", 4534 + (cm - 75) / 3);
    return fmt::format("+proj=tmerc +lat_0=0 +lon_0={} +k=1 +x_0=500000 +y_0=0 "
                       "+ellps=GRS80 +units=m +no_defs +type=crs",
                       cm);
}

std::unique_ptr<OGRSpatialReference> make_srs(const std::string& definition) {
    auto srs = std::make_unique<OGRSpatialReference>();
    if (srs->SetFromUserInput(definition.c_str()) != OGRERR_NONE)
        throw Error(Stage::Ingest, trf("cannot understand CRS '{}'", definition));
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string srs_label(const OGRSpatialReference& srs) {
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth && code)
        return fmt::format("{}:{}", auth, code);
    char* proj4 = nullptr;
    srs.exportToProj4(&proj4);
    std::string out = proj4 ? proj4 : "unknown";
    CPLFree(proj4);
    return out;
}

Ellipsoid ellipsoid_of(const OGRSpatialReference& srs) {
    return {srs.GetSemiMajor(), srs.GetInvFlattening()};
}

std::unique_ptr<OGRSpatialReference> geographic_of(const OGRSpatialReference& srs) {
    std::unique_ptr<OGRSpatialReference> geog(srs.CloneGeogCS());
    geog->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return geog;
}

} // namespace landquota
