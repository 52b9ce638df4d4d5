#pragma once

#include <string>

namespace landquota {

// The versions of the libraries that compute the results, for the manifest and --version: an
// area or a reprojection is only reproducible with the same GDAL, PROJ and GEOS.
struct LibraryVersions {
    std::string gdal, proj, geos;
};

LibraryVersions library_versions();

} // namespace landquota
