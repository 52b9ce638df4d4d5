#pragma once

#include "pipeline/validate.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace landquota {

// Reclaimable pieces must not overlap: an overlap would be counted twice as freed quota. Each
// pair overlapping by at least one accounting unit (0.01 m²) is logged as the error
// `overlapping_parcels`, on the later parcel, naming both source parcels.

// In a run: reads the published `reclaimed` layer back from the GeoPackage and queries its
// R-tree, so memory stays flat however many pieces a county has. Returns the number of pairs.
std::size_t check_reclaimed_overlaps(const std::filesystem::path& gpkg,
                                     const std::string& parcels_file,
                                     const std::string& parcels_layer, const std::string& id_field,
                                     FindingLog& log);

// In `check`, which writes nothing: the same test over the pieces held in memory, in the order
// the pass gave them (the order a run writes them), with an STR-tree over their envelopes.
class ReclaimedPieces {
  public:
    void add(std::string parcel_id, GIntBig source_fid, const OGRGeometry& pieces);
    // Returns the number of overlapping pairs, each logged as a run would log it.
    std::size_t check_overlaps(const std::string& parcels_file, const std::string& parcels_layer,
                               const std::string& id_field, FindingLog& log) const;

  private:
    struct Piece {
        std::string parcel_id;
        GIntBig source_fid;
        GeomPtr geometry;
    };
    std::vector<Piece> pieces_;
};

} // namespace landquota
