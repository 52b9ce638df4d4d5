#pragma once

#include "geo/polygon_index.hpp"
#include "landquota/model.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/validate.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace landquota {

// Which village a parcel belongs to: the village-code field when the job maps one (checked
// against geometry), else the village it overlaps most.
struct Assignment {
    int village = -1;              // index into the villages, -1: in no village
    std::string geometric_village; // what the geometry says, for the mismatch report
    bool mismatch = false;         // field and geometry disagree
    bool unknown_code = false;     // the field names a village that does not exist
};

class Assigner {
  public:
    explicit Assigner(const ReferenceLayers& ref);
    Assignment assign(const GEOSGeometry* parcel, const std::string& village_code) const;

  private:
    const ReferenceLayers& ref_;
    std::unique_ptr<PolygonIndex> index_;
    std::map<std::string, int> by_code_;
};

// One accounting row per village with its township, zone and region resolved: township from the
// village's township field, or (without one) by largest overlap with the township polygons; zone
// and region from the township. Problems are logged (an unknown township code is an error).
std::vector<VillageQuota> village_rows(const ReferenceLayers& ref, const VillageInput& input,
                                       FindingLog& log);

} // namespace landquota
