#pragma once

#include "core/finding_log.hpp"
#include "geo/geos.hpp"
#include "io/layer_reader.hpp"
#include "landquota/model.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace landquota {

// Where a feature lives, for findings: file, layer and how to name the feature.
struct FeatureRef {
    const LayerReader* reader;
    std::string id_field; // the mapped id field, "" if none
    std::string describe(const SourceFeature& f, const std::string& id_value) const;
    Finding finding(Finding::Severity s, std::string check, const SourceFeature& f,
                    const std::string& id_value, std::string field, std::string message) const;
};

// Geometry checks shared by every polygon layer: present, non-empty, polygonal, valid. An invalid
// geometry is an error unless the job repairs (GEOS make-valid, structure method), in which case
// the repair is listed as a warning with the area it changed. Returns a valid (multi)polygon in
// the working CRS, or nullptr when the feature cannot be used.
// `repaired` (optional) is set when the returned geometry is a repair, not the source's own.
GeomPtr checked_polygon(const SourceFeature& f, const FeatureRef& ref, const std::string& id_value,
                        bool repair_invalid, FindingLog& log, bool* repaired = nullptr);

// Duplicate ids in a stream of any size: 64-bit hashes are kept (8 bytes a feature), and the rare
// hash collision is confirmed on the real ids in a second pass by the caller.
class DuplicateIdDetector {
  public:
    void add(const std::string& id);
    // The hashes seen more than once (sorted). Call once, after the stream.
    std::vector<std::uint64_t> repeated_hashes();
    static std::uint64_t hash(const std::string& id);

  private:
    std::vector<std::uint64_t> hashes_;
};

} // namespace landquota
