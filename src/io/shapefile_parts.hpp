#pragma once

// A Shapefile is three files that must agree: the .shp's index (.shx) and the attribute table
// (.dbf) each count the records. A .dbf cut short (a copy that stopped, a full disk) still opens
// and GDAL reads its missing rows as empty attributes, so the counts are checked before reading.
#include <filesystem>
#include <string>

namespace landquota {

// Throws an Input error naming the file when the .dbf is shorter than its header says, or when
// the .shx and the .dbf count different records. `shp` is the layer's .shp file; a missing .shx
// or .dbf is left to GDAL.
void check_shapefile_parts(const std::filesystem::path& shp, const std::string& layer);

} // namespace landquota
