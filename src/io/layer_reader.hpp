#pragma once

#include "io/layer_source.hpp"

#include <gdal_priv.h>
#include <memory>
#include <ogrsf_frmts.h>
#include <optional>
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
    // The layer's extent in its own CRS's units; nothing when it has none (an empty layer).
    std::optional<OGREnvelope> extent();
    // The corners and the centre of the layer's extent in geographic longitude/latitude (degrees),
    // centre last.
    std::vector<std::pair<double, double>> extent_lon_lat();
    // The centre of the layer's extent in geographic longitude/latitude.
    void centre_lon_lat(double& lon, double& lat);

    // Sets the CRS features are delivered in. Required before next().
    void set_working_crs(const OGRSpatialReference& working);
    // The next feature, or false at the end. Reads are all or nothing: a GDAL error while reading
    // (a damaged page, a file cut short), fewer features than the layer declares, or text that is
    // not UTF-8 stop the run with an error naming the last good feature.
    bool next(SourceFeature& out);
    void rewind();

    // Every file behind the dataset (for hashing into the manifest).
    std::vector<std::string> files() const;

  private:
    void refuse_text_in_numeric_columns(const std::vector<std::string>& field_keys);
    [[noreturn]] void stop_reading(const std::string& why) const;
    void check_complete();
    void check_text(const SourceFeature& f) const;

    LayerSource source_;
    std::vector<std::string> fields_, keys_;
    std::vector<int> field_index_;
    std::vector<bool> text_field_; // [i]: fields_[i] is a string field, checked for its encoding
    bool gbk_suspect_ = false;     // a Shapefile without a .cpg or an encoding in the job
    GIntBig declared_count_ = -1;  // what the driver says cheaply, -1 when it cannot
    GIntBig read_count_ = 0;       // features read since the last rewind
    GIntBig last_good_fid_ = OGRNullFID;
    std::string layer_name_;
    GDALDatasetUniquePtr ds_;
    OGRLayer* layer_ = nullptr;
    std::unique_ptr<OGRCoordinateTransformation> transform_;
};

} // namespace landquota
