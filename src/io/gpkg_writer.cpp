#include "io/gpkg_writer.hpp"

#include "landquota/error.hpp"

#include <cpl_string.h>
#include <fmt/format.h>

namespace landquota {

namespace {
constexpr std::int64_t kFeaturesPerTransaction = 20000;
}

GpkgWriter::GpkgWriter(const std::filesystem::path& file, const OGRSpatialReference& crs)
    : file_(file) {
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!drv)
        throw Error(Stage::Publish, "GDAL has no GPKG driver", Error::Kind::Internal);
    ds_.reset(drv->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds_)
        throw Error(Stage::Publish,
                    fmt::format("{}: cannot create ({})", file.string(), CPLGetLastErrorMsg()));
    crs_ = crs.Clone();
}

GpkgWriter::~GpkgWriter() {
    if (ds_ && pending_ > 0)
        ds_->RollbackTransaction();
    if (crs_)
        crs_->Release();
}

int GpkgWriter::add_layer(const std::string& name, OGRwkbGeometryType type,
                          const std::vector<FieldSpec>& fields) {
    if (pending_ > 0) {
        ds_->CommitTransaction();
        pending_ = 0;
    }
    CPLStringList opts;
    opts.SetNameValue("FID", "fid");
    OGRLayer* layer = ds_->CreateLayer(name.c_str(), crs_, type, opts.List());
    if (!layer)
        throw Error(Stage::Publish,
                    fmt::format("{}: cannot create layer '{}'", file_.string(), name));
    for (const auto& f : fields) {
        OGRFieldDefn d(f.name.c_str(), f.type);
        if (layer->CreateField(&d) != OGRERR_NONE)
            throw Error(Stage::Publish, fmt::format("{}: cannot create field '{}.{}'",
                                                    file_.string(), name, f.name));
    }
    layers_.push_back(layer);
    return static_cast<int>(layers_.size()) - 1;
}

void GpkgWriter::write(int layer, const std::vector<FieldValue>& values,
                       const OGRGeometry* geometry) {
    if (pending_ == 0)
        ds_->StartTransaction();
    OGRLayer* l = layers_.at(static_cast<std::size_t>(layer));
    OGRFeature f(l->GetLayerDefn());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int idx = static_cast<int>(i);
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    f.SetFieldNull(idx);
                else if constexpr (std::is_same_v<T, std::string>)
                    f.SetField(idx, v.c_str());
                else if constexpr (std::is_same_v<T, std::int64_t>)
                    f.SetField(idx, static_cast<GIntBig>(v));
                else
                    f.SetField(idx, v);
            },
            values[i]);
    }
    if (geometry)
        f.SetGeometry(geometry);
    if (l->CreateFeature(&f) != OGRERR_NONE)
        throw Error(Stage::Publish, fmt::format("{}: cannot write a feature of layer '{}'",
                                                file_.string(), l->GetName()));
    if (++pending_ >= kFeaturesPerTransaction) {
        ds_->CommitTransaction();
        pending_ = 0;
    }
}

void GpkgWriter::close() {
    if (!ds_)
        return;
    if (pending_ > 0 && ds_->CommitTransaction() != OGRERR_NONE)
        throw Error(Stage::Publish, fmt::format("{}: commit failed", file_.string()));
    pending_ = 0;
    ds_.reset(); // GDALClose: flushes and finalises the file
}

} // namespace landquota
