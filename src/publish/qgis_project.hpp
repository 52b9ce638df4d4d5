#pragma once

// project.qgz: a QGIS project over result.gpkg — the layers in groups (分配 / 约束 / 结果) in
// drawing order, each with its style, the working CRS and the county's extent. Paths are relative,
// so the output folder can be moved or mailed as a whole.
#include "publish/gpkg_styles.hpp"

#include <filesystem>
#include <ogr_spatialref.h>
#include <string>

namespace landquota {

void write_qgis_project(const std::filesystem::path& qgz, const std::string& gpkg_name,
                        const StoredStyles& layers, const OGRSpatialReference& crs,
                        const std::string& title);

} // namespace landquota
