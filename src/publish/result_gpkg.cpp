// result.gpkg: the result layers in the working CRS, for QGIS.
#include "publish/result_layers.hpp"

namespace landquota {

namespace {

class ResultGpkgWriter final : public Writer {
  public:
    explicit ResultGpkgWriter(const WriterContext& c)
        : out_(VectorWriter::geopackage(c.folder / "result.gpkg", c.crs)), layers_(out_) {}
    void parcel(const PassedParcel& p) override { layers_.parcel(p); }
    void finish(const RunResults& r) override { layers_.finish(r); }

  private:
    VectorWriter out_;
    ResultLayers layers_;
};

} // namespace

std::unique_ptr<Writer> make_result_gpkg_writer(const WriterContext& c) {
    return std::make_unique<ResultGpkgWriter>(c);
}

} // namespace landquota
