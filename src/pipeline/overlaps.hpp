#pragma once

#include "pipeline/validate.hpp"

#include <string>
#include <vector>

namespace landquota {

// Reclaimable pieces must not overlap: an overlap would be counted twice as freed quota. Each
// pair overlapping by at least one accounting unit (0.01 m²) is logged as the error
// `overlapping_parcels`, on the later parcel, naming both source parcels.

// Run and `check` alike test the pieces the parcel pass keeps in memory, in the order the pass gave
// them (the order a run writes them), with an STR-tree over their envelopes: reading them back
// from the written GeoPackage cost a second pass over SQLite (3 % of a run), and a run that
// allocates keeps the pieces for the ledger anyway.
class ReclaimedPieces {
  public:
    // Takes the pieces and returns them, borrowed, for the ledger's lot outlines (LotPieces).
    const GEOSGeometry* add(std::string parcel_id, GIntBig source_fid, GeomPtr pieces);
    std::size_t size() const { return pieces_.size(); }
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
