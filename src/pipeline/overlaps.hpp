#pragma once

#include "pipeline/validate.hpp"

#include <filesystem>
#include <string>

namespace landquota {

// Reclaimable pieces must not overlap: an overlap would be counted twice as freed quota. The
// check reads the published `reclaimed` layer back from the GeoPackage and queries its R-tree,
// so memory stays flat however many pieces a county has. Each pair overlapping by at least one
// accounting unit (0.01 m²) is logged as an error naming both source parcels. Returns the number
// of pairs.
std::size_t check_reclaimed_overlaps(const std::filesystem::path& gpkg,
                                     const std::string& parcels_file,
                                     const std::string& parcels_layer, const std::string& id_field,
                                     FindingLog& log);

} // namespace landquota
