#pragma once

#include "io/layer_source.hpp"

#include <gdal_priv.h>
#include <memory>
#include <ogrsf_frmts.h>
#include <string>
#include <vector>

namespace landquota {

// The fields a layer is read with: source field names and the job-file keys that named them (for
// messages), in the order a SourceFeature's values come in. An empty name reads as "".
struct FieldRequest {
    std::vector<std::string> fields, keys;
};

// One feature as the engine sees it: its FID, the mapped attribute values as strings (in the
// order the fields were asked for; "" for a null or for a field not mapped) and its geometry in
// the working CRS (nullptr when the source has none).
struct SourceFeature {
    GIntBig fid = OGRNullFID;
    std::vector<std::string> values;
    std::unique_ptr<OGRGeometry> geometry;
};

// Reads one layer of any GDAL vector source: opens it (with an encoding when asked), checks the
// mapped fields exist and the layer has a CRS, and streams features reprojected to the working
// CRS. All errors name the file, the layer and the job-file key.
class LayerReader {
  public:
    LayerReader(const LayerSource& source, FieldRequest request);
    ~LayerReader();

    const LayerSource& source() const { return source_; }
    const std::string& layer_name() const { return layer_name_; }
    // The layer's CRS; nullptr when it has none.
    const OGRSpatialReference* crs() const;
    GIntBig feature_count();
    // The centre of the layer's extent in geographic longitude/latitude.
    void centre_lon_lat(double& lon, double& lat);

    // Sets the CRS features are delivered in. Required before next().
    void set_working_crs(const OGRSpatialReference& working);
    bool next(SourceFeature& out);
    void rewind();

    // Every file behind the dataset (for hashing into the manifest).
    std::vector<std::string> files() const;

  private:
    void refuse_text_in_numeric_columns(const std::vector<std::string>& field_keys);

    LayerSource source_;
    std::vector<std::string> fields_;
    std::vector<int> field_index_;
    std::string layer_name_;
    GDALDatasetUniquePtr ds_;
    OGRLayer* layer_ = nullptr;
    std::unique_ptr<OGRCoordinateTransformation> transform_;
};

} // namespace landquota
