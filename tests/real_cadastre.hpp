#pragma once

// The real-world cadastre in ../shared/realdata (Etalab parcels of five communes in Essonne, in
// EPSG:4326 GeoJSON), and GDAL's ogr2ogr in process to make fixtures from it.
#include "support.hpp"

#include <string>
#include <vector>

namespace landquota::test {

// shared/ sits beside the repository (as in CI); LANDQUOTA_SHARED points elsewhere if needed.
fs::path real_data();

// ogr2ogr, in process (GDAL's own library form of the tool); appends when `dst` exists. Throws
// std::runtime_error with GDAL's message (the catalogue's runner has no Catch).
void ogr2ogr(const fs::path& dst, const std::string& src, std::vector<std::string> args);

// A fixture made of the real cadastre: parcels with one land-use code `DLBM` added, communes (the
// convex hull of each commune's parcels; hulls overlap, which exercises the largest-overlap
// assignment against the commune field) as villages, every commune relocating, and a job.
struct Cadastre {
    std::string landuse = "0101";      // paddy: nothing reclaimable, a quick and clean run
    std::vector<std::string> communes; // codes (91027 …); empty: all five
    std::string file = "cadastre.gpkg";
    std::string driver = "GPKG"; // of `file`; multi-polygons, so Shapefiles keep every part
    std::string name = "essonne";
};

// Writes the fixture into `dir`; returns the job file. Throws when shared/realdata is missing.
fs::path make_cadastre(const fs::path& dir, const Cadastre& c = {});

} // namespace landquota::test
