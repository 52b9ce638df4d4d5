#pragma once

#include <cstdint>
#include <filesystem>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <string>
#include <variant>
#include <vector>

namespace landquota {

struct FieldSpec {
    std::string name;
    OGRFieldType type = OFTString;
};
using FieldValue = std::variant<std::monostate, std::string, std::int64_t, double>;

// Writes layers of a GeoPackage in the working CRS, in large transactions (GeoPackage is SQLite:
// one transaction per feature would be a hundred times slower).
class GpkgWriter {
  public:
    GpkgWriter(const std::filesystem::path& file, const OGRSpatialReference& crs);
    ~GpkgWriter();

    // Returns a handle (the layer's index) for write().
    int add_layer(const std::string& name, OGRwkbGeometryType type,
                  const std::vector<FieldSpec>& fields);
    void write(int layer, const std::vector<FieldValue>& values, const OGRGeometry* geometry);
    void close();

  private:
    std::filesystem::path file_;
    GDALDatasetUniquePtr ds_;
    OGRSpatialReference* crs_ = nullptr;
    std::vector<OGRLayer*> layers_;
    std::int64_t pending_ = 0;
};

} // namespace landquota
