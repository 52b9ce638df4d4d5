#pragma once

#include "landquota/allocation.hpp"
#include "landquota/compensation.hpp"
#include "landquota/model.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/quota.hpp"

#include <map>
#include <string>
#include <vector>

namespace landquota {

// The reclaimed parcels of each village, gathered while the parcels stream (only reclaimable
// ones: the construction land of relocating villages), so a lot can name its parcels.
using LotParcels = std::map<std::string, std::vector<LotParcel>>; // village id -> parcels
// The reclaimed pieces of those parcels (working CRS), kept only when the job allocates: the
// ledger records them with the lot, so a trace can draw the ground its quota came from.
// village id -> pieces, borrowed from the parcel pass's ReclaimedPieces
using LotPieces = std::map<std::string, std::vector<const GEOSGeometry*>>;

// One lot per village with positive freed quota. Its state comes from the villages' state field
// (default "accepted"); only accepted lots may be allocated (国土资发〔2008〕138号: quota becomes
// usable when reclamation is accepted).
std::vector<QuotaLot> make_lots(const QuotaTables& quota, const ReferenceLayers& ref,
                                LotParcels parcels);

inline bool allocable(const QuotaLot& lot) {
    return lot.state == "accepted";
}

// The sites as plugins see them, each placed in the township (zone, region) it overlaps most; in
// the order of ref.sites.
std::vector<Site> locate_sites(const ReferenceLayers& ref, const QuotaTables& quota);

// Township figures for award formulas: freed quota, quota allocated from it, declared indicators.
std::vector<TownshipFigures> township_figures(const QuotaTables& quota, const ReferenceLayers& ref,
                                              const std::vector<QuotaLot>& lots,
                                              const std::vector<Transfer>& transfers);

} // namespace landquota
