// result.gpkg: the result layers in the working CRS, for QGIS.
#include "publish/result_layers.hpp"

namespace landquota {

std::unique_ptr<Writer> make_result_gpkg_writer(const WriterContext& c) {
    return std::make_unique<ResultLayersWriter>(
        VectorWriter::geopackage(c.folder / "result.gpkg", c.crs));
}

} // namespace landquota
