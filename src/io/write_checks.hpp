#pragma once

// Closing a written GDAL dataset with its errors checked. GDAL 3.6's GDALClose returns nothing,
// yet a GeoPackage does real work there (spatial indexes, the feature counts): a disk that fills
// while it closes leaves a file without its R-tree, and the run must fail, not report success.
#include "landquota/error.hpp"

#include <filesystem>
#include <gdal_priv.h>

namespace landquota {

// Flushes and closes `ds` (left empty); throws an Input error naming `file` if GDAL reported a
// failure on the way.
void close_checked(GDALDatasetUniquePtr& ds, const std::filesystem::path& file, Stage stage);

// The message for a file that could not be written: the system's reason and what to do.
std::string write_failure(const std::filesystem::path& file, const std::string& reason);

} // namespace landquota
