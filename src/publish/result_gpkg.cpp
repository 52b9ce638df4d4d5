// result.gpkg: the result layers in the working CRS, for QGIS, each with its default style and
// field aliases stored inside; and project.qgz, the QGIS project that opens them as one map.
#include "publish/gpkg_styles.hpp"
#include "publish/qgis_project.hpp"
#include "publish/result_layers.hpp"

namespace landquota {

namespace {

class ResultGpkgWriter final : public Writer {
  public:
    ResultGpkgWriter(const WriterContext& c)
        : folder_(c.folder), crs_(c.crs),
          layers_(VectorWriter::geopackage(c.folder / "result.gpkg", c.crs), c.plan) {}
    void parcel(const PassedParcel& p) override { layers_.parcel(p); }
    void finish(const RunResults& r) override {
        layers_.finish(r);
        const StoredStyles styles =
            store_styles(folder_ / "result.gpkg", result_styles(r),
                         r.corridors ? corridor_tables(*r.corridors) : std::vector<Table>{});
        write_qgis_project(folder_ / "project.qgz", "result.gpkg", styles, crs_,
                           "landquota — " + r.job.name +
                               (r.manifest.plan ? std::string(" — ") + kPlanBanner : ""));
    }

  private:
    std::filesystem::path folder_;
    const OGRSpatialReference& crs_;
    ResultLayersWriter layers_;
};

} // namespace

std::unique_ptr<Writer> make_result_gpkg_writer(const WriterContext& c) {
    return std::make_unique<ResultGpkgWriter>(c);
}

} // namespace landquota
