#pragma once

#include <string>

namespace landquota {

// Where a layer comes from: any source GDAL opens (file, folder, or connection string).
struct LayerSource {
    std::string path;     // as resolved: relative paths are taken from the job file's folder
    std::string layer;    // empty: the source's only layer
    std::string encoding; // empty: let GDAL decide (e.g. a shapefile's .cpg); "GBK" etc.
    std::string table;    // the job-file table it came from, for messages: "inputs.parcels"
};

} // namespace landquota
