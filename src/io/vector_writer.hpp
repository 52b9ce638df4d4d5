#pragma once

#include <cstdint>
#include <filesystem>
#include <gdal_priv.h>
#include <memory>
#include <ogrsf_frmts.h>
#include <string>
#include <variant>
#include <vector>

namespace landquota {

struct FieldSpec {
    FieldSpec(std::string name_, OGRFieldType type_ = OFTString,
              OGRFieldSubType subtype_ = OFSTNone, std::string alias_ = {})
        : name(std::move(name_)), type(type_), alias(std::move(alias_)), subtype(subtype_) {}
    std::string name;
    OGRFieldType type = OFTString;
    std::string alias;                  // a display name for people: "图斑标识码"
    OGRFieldSubType subtype = OFSTNone; // OFSTJSON: GeoJSON writes the text as a JSON value
};
using FieldValue = std::variant<std::monostate, std::string, std::int64_t, double>;

// Writes vector layers with GDAL, in one of two forms:
//  - a GeoPackage holding every layer, in the working CRS, in large transactions (GeoPackage is
//    SQLite: one transaction per feature would be a hundred times slower);
//  - a folder of RFC 7946 GeoJSON files, one per layer (GDAL's GeoJSON driver with RFC7946=YES:
//    WGS 84 longitude/latitude, counter-clockwise exterior rings, 7 decimals, no "crs" member).
class VectorWriter {
  public:
    static VectorWriter geopackage(const std::filesystem::path& file,
                                   const OGRSpatialReference& crs);
    static VectorWriter geojson_folder(const std::filesystem::path& folder,
                                       const OGRSpatialReference& crs);
    // One RFC 7946 GeoJSON file holding a single layer (e.g. an audit trace).
    static VectorWriter geojson_file(const std::filesystem::path& file,
                                     const OGRSpatialReference& crs);
    VectorWriter(VectorWriter&&) noexcept;
    ~VectorWriter();

    // Returns a handle (the layer's index) for write(). `id_field`, when given, is written as the
    // GeoJSON feature's "id" (a string); the GeoPackage ignores it.
    int add_layer(const std::string& name, OGRwkbGeometryType type,
                  const std::vector<FieldSpec>& fields, const std::string& id_field = "");
    void write(int layer, const std::vector<FieldValue>& values, const OGRGeometry* geometry);
    void close();

  private:
    struct Layer {
        GDALDataset* ds;
        OGRLayer* layer;
    };
    VectorWriter(std::filesystem::path path, const OGRSpatialReference& crs, bool geojson);

    std::filesystem::path path_; // the GeoPackage, the GeoJSON folder or the GeoJSON file
    bool geojson_ = false;
    bool single_file_ = false;                   // path_ is the GeoJSON file of the only layer
    std::vector<GDALDatasetUniquePtr> datasets_; // one (GPKG), or one per layer (GeoJSON)
    OGRSpatialReference* crs_ = nullptr;
    std::vector<Layer> layers_;
    std::int64_t pending_ = 0;
};

} // namespace landquota
