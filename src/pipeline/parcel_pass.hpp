#pragma once

// The parcel pass: one feature at a time (PDAL's processOne), validate it and, in a run, measure,
// assign and reclaim it. Parcels stream; memory holds one feature and the per-village sums.
#include "core/finding_log.hpp"
#include "core/progress.hpp"
#include "geo/area_calculator.hpp"
#include "pipeline/assign.hpp"
#include "pipeline/corridors.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/lots.hpp"
#include "pipeline/overlaps.hpp"
#include "pipeline/plausibility.hpp"
#include "pipeline/reclaim.hpp"
#include "pipeline/validate.hpp"

#include <functional>
#include <memory>
#include <optional>

namespace landquota {

// One parcel as published.
struct ParcelRow {
    std::string parcel_id, landuse, village_id, township_id, zone_id;
    AreaCm2x100 area = 0, planar = 0, reclaim = 0;
    ParcelStatus status = ParcelStatus::NotEligible;
    std::string excluded_by, reason;
};

// What the pass gives for one usable parcel, for the writers. `geometry` may point into the
// source feature: valid until the next feature is read.
struct PassedParcel {
    ParcelRow row;
    GIntBig source_fid = OGRNullFID;
    const OGRGeometry* geometry = nullptr; // as published: the source's, or `repaired`
    std::unique_ptr<OGRGeometry> repaired; // the repair of an invalid source geometry
    std::unique_ptr<OGRGeometry> pieces;   // the reclaimed pieces, or nullptr
};

struct ParcelCounts {
    std::int64_t parcels = 0; // every feature read
    std::int64_t reclaimable = 0, excluded = 0, not_eligible = 0, outside = 0;
};

// The official area against GeographicLib's, over the parcels of the cross-check's range.
struct AreaCheck {
    std::int64_t parcels_checked = 0;
    double max_abs_gap_m2 = 0.0;
    std::string max_gap_parcel;
};

// What the pass gives when the stream has ended.
struct ParcelPassResult {
    std::vector<VillageQuota> villages; // parcels and reclaim filled in (resettlement not yet)
    LotParcels lot_parcels;             // the reclaimable parcels of each village
    ReclaimedPieces reclaimed;          // every reclaimable parcel's pieces, for the overlap check
    LotPieces lot_pieces;               // and by village, when the job allocates
    ParcelCounts counts;
    AreaCheck area_check;
    CorridorTally corridors; // the reclaimable land inside each [[corridor]]'s belt
};

class ParcelPass {
  public:
    // `measure` false: validation only (check). `villages`: the accounting rows, one per village.
    ParcelPass(const Job& job, const ReferenceLayers& ref, const AreaCalculator& area,
               std::vector<VillageQuota> villages, bool measure);

    // Validates one feature; in a run also measures, assigns and reclaims it. Returns the parcel
    // to publish, or nothing (unusable, validation only, or any error seen so far: then nothing
    // will be published and only validation goes on).
    std::optional<PassedParcel> process_one(const SourceFeature& f, const FeatureRef& ref,
                                            FindingLog& log);

    // After the stream: duplicate ids (confirmed on a second read of `parcels`) and the test
    // that the village field holds village codes at all.
    ParcelPassResult finish(LayerReader& parcels, FindingLog& log);

    const std::string& id_field() const { return job_.parcels.id; }

  private:
    const Job& job_;
    const AreaCalculator& area_;
    const Assigner assigner_;
    const Reclaimer reclaimer_;
    const CorridorClipper corridors_;
    bool measure_;
    ParcelPassResult result_;
    DuplicateIdDetector ids_;
    std::int64_t village_codes_given_ = 0, village_codes_unknown_ = 0;
    VillageCover cover_;
    std::string villages_file_;
    std::string first_unknown_code_;
};

// Streams every parcel of `in` through the pass, handing each usable one to `sink`.
ParcelPassResult run_parcel_pass(ParcelPass& pass, LayerReader& parcels, FindingLog& log,
                                 Progress& progress,
                                 const std::function<void(const PassedParcel&)>& sink);

} // namespace landquota
