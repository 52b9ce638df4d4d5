// geojson/<layer>.geojson: the result layers as RFC 7946 GeoJSON for the web (WGS 84 lon/lat,
// counter-clockwise exterior rings, 7 decimals, ids as strings), one file per layer.
#include "publish/result_layers.hpp"

namespace landquota {

std::unique_ptr<Writer> make_geojson_writer(const WriterContext& c) {
    return std::make_unique<ResultLayersWriter>(
        VectorWriter::geojson_folder(c.folder / "geojson", c.crs), c.plan);
}

} // namespace landquota
