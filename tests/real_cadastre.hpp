#pragma once

// The real-world cadastre in ../shared/realdata (Etalab parcels of five communes in Essonne, in
// EPSG:4326 GeoJSON), and GDAL's ogr2ogr in process to make fixtures from it.
#include "support.hpp"

#include <string>
#include <vector>

namespace landquota::test {

// shared/ sits beside the repository (as in CI); LANDQUOTA_SHARED points elsewhere if needed.
fs::path real_data();

// ogr2ogr, in process (GDAL's own library form of the tool); appends when `dst` exists.
void ogr2ogr(const fs::path& dst, const std::string& src, std::vector<std::string> args);

} // namespace landquota::test
