// geojson/<layer>.geojson: the result layers as RFC 7946 GeoJSON for the web (WGS 84 lon/lat,
// counter-clockwise exterior rings, 7 decimals, ids as strings), one file per layer.
#include "publish/result_layers.hpp"

namespace landquota {

namespace {

class GeoJsonWriter final : public Writer {
  public:
    explicit GeoJsonWriter(const WriterContext& c)
        : out_(VectorWriter::geojson_folder(c.folder / "geojson", c.crs)), layers_(out_) {}
    void parcel(const PassedParcel& p) override { layers_.parcel(p); }
    void finish(const RunResults& r) override { layers_.finish(r); }

  private:
    VectorWriter out_;
    ResultLayers layers_;
};

} // namespace

std::unique_ptr<Writer> make_geojson_writer(const WriterContext& c) {
    return std::make_unique<GeoJsonWriter>(c);
}

} // namespace landquota
