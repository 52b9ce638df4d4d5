#include "geo/versions.hpp"

#include <gdal.h>
#include <geos_c.h>
#include <proj.h>

namespace landquota {

LibraryVersions library_versions() {
    std::string geos = GEOSversion(); // "3.11.1-CAPI-1.17.1": the library's own version first
    geos = geos.substr(0, geos.find('-'));
    return {GDALVersionInfo("RELEASE_NAME"), proj_info().version, geos};
}

} // namespace landquota
