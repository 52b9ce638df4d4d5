#include "io/vector_writer.hpp"

#include "core/translate.hpp"
#include "io/write_checks.hpp"
#include "landquota/error.hpp"

#include <cpl_string.h>
#include <fmt/format.h>

namespace landquota {

namespace {

constexpr std::int64_t kFeaturesPerTransaction = 20000;

GDALDriver* driver(const char* name) {
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(name);
    if (!d)
        throw Error(Stage::Publish, trf("GDAL has no {} driver", name), Error::Kind::Internal);
    return d;
}

GDALDatasetUniquePtr create(const char* drv, const std::filesystem::path& file) {
    GDALDatasetUniquePtr ds(
        driver(drv)->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw Error(Stage::Publish, write_failure(file, CPLGetLastErrorMsg()));
    return ds;
}

} // namespace

VectorWriter::VectorWriter(std::filesystem::path path, const OGRSpatialReference& crs, bool geojson)
    : path_(std::move(path)), geojson_(geojson), crs_(crs.Clone()) {}

VectorWriter VectorWriter::geopackage(const std::filesystem::path& file,
                                      const OGRSpatialReference& crs) {
    VectorWriter w(file, crs, false);
    w.datasets_.push_back(create("GPKG", file));
    return w;
}

VectorWriter VectorWriter::geojson_folder(const std::filesystem::path& folder,
                                          const OGRSpatialReference& crs) {
    std::filesystem::create_directories(folder);
    return VectorWriter(folder, crs, true);
}

VectorWriter VectorWriter::geojson_file(const std::filesystem::path& file,
                                        const OGRSpatialReference& crs) {
    VectorWriter w(file, crs, true);
    w.single_file_ = true;
    return w;
}

VectorWriter::VectorWriter(VectorWriter&& o) noexcept
    : path_(std::move(o.path_)), geojson_(o.geojson_), single_file_(o.single_file_),
      datasets_(std::move(o.datasets_)), crs_(o.crs_), layers_(std::move(o.layers_)),
      pending_(o.pending_) {
    o.crs_ = nullptr;
    o.pending_ = 0;
}

VectorWriter::~VectorWriter() {
    if (!datasets_.empty() && !geojson_ && pending_ > 0)
        datasets_.front()->RollbackTransaction();
    if (crs_)
        crs_->Release();
}

int VectorWriter::add_layer(const std::string& name, OGRwkbGeometryType type,
                            const std::vector<FieldSpec>& fields, const std::string& id_field) {
    CPLStringList opts;
    GDALDataset* ds = nullptr;
    std::filesystem::path where = path_;
    if (geojson_) {
        if (single_file_ && !layers_.empty())
            throw Error(Stage::Publish, trf("{}: a GeoJSON file holds one layer", path_.string()),
                        Error::Kind::Internal);
        where = single_file_ ? path_ : path_ / (name + ".geojson");
        datasets_.push_back(create("GeoJSON", where));
        ds = datasets_.back().get();
        opts.SetNameValue("RFC7946", "YES");
        opts.SetNameValue("COORDINATE_PRECISION", "7");
        opts.SetNameValue("WRITE_NAME", "NO");
        if (!id_field.empty()) {
            opts.SetNameValue("ID_FIELD", id_field.c_str());
            opts.SetNameValue("ID_TYPE", "String");
        }
    } else {
        ds = datasets_.front().get();
        if (pending_ > 0) {
            if (ds->CommitTransaction() != OGRERR_NONE)
                throw Error(Stage::Publish, write_failure(path_, CPLGetLastErrorMsg()));
            pending_ = 0;
        }
        opts.SetNameValue("FID", "fid");
    }
    OGRLayer* layer = ds->CreateLayer(name.c_str(), crs_, type, opts.List());
    if (!layer)
        throw Error(Stage::Publish, write_failure(where, fmt::format("layer '{}': {}", name,
                                                                     CPLGetLastErrorMsg())));
    for (const auto& f : fields) {
        OGRFieldDefn d(f.name.c_str(), f.type);
        if (!f.alias.empty())
            d.SetAlternativeName(f.alias.c_str());
        d.SetSubType(f.subtype);
        if (layer->CreateField(&d) != OGRERR_NONE)
            throw Error(Stage::Publish,
                        write_failure(where, fmt::format("field '{}.{}': {}", name, f.name,
                                                         CPLGetLastErrorMsg())));
    }
    // GDAL's GeoPackage driver creates a layer's table at its first feature or at close: an
    // empty layer would land after the others. Creating it now keeps the layers in call order.
    if (!geojson_ && layer->SyncToDisk() != OGRERR_NONE)
        throw Error(Stage::Publish, write_failure(where, fmt::format("layer '{}': {}", name,
                                                                     CPLGetLastErrorMsg())));
    layers_.push_back({ds, layer});
    return static_cast<int>(layers_.size()) - 1;
}

void VectorWriter::write(int layer, const std::vector<FieldValue>& values,
                         const OGRGeometry* geometry) {
    const Layer& l = layers_.at(static_cast<std::size_t>(layer));
    if (!geojson_ && pending_ == 0)
        l.ds->StartTransaction();
    OGRFeature f(l.layer->GetLayerDefn());
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
    if (l.layer->CreateFeature(&f) != OGRERR_NONE)
        throw Error(Stage::Publish,
                    write_failure(path_, fmt::format("a feature of layer '{}': {}",
                                                     l.layer->GetName(), CPLGetLastErrorMsg())));
    if (!geojson_ && ++pending_ >= kFeaturesPerTransaction) {
        if (l.ds->CommitTransaction() != OGRERR_NONE)
            throw Error(Stage::Publish, write_failure(path_, CPLGetLastErrorMsg()));
        pending_ = 0;
    }
}

void VectorWriter::close() {
    if (datasets_.empty())
        return;
    if (!geojson_ && pending_ > 0 && datasets_.front()->CommitTransaction() != OGRERR_NONE)
        throw Error(Stage::Publish, write_failure(path_, CPLGetLastErrorMsg()));
    pending_ = 0;
    layers_.clear();
    // GDALClose flushes and finalises the files (a GeoPackage builds its spatial indexes here):
    // each close is checked, so a full disk is an error rather than a file without its index.
    for (std::size_t i = 0; i < datasets_.size(); ++i) {
        const std::filesystem::path file =
            geojson_ && !single_file_ ? std::filesystem::path(datasets_[i]->GetDescription())
                                      : path_;
        close_checked(datasets_[i], file, Stage::Publish);
    }
    datasets_.clear();
}

} // namespace landquota
