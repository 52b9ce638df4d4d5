#pragma once

#include "io/gpkg_writer.hpp"
#include "io/output_folder.hpp"
#include "landquota/compensation.hpp"
#include "landquota/model.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/quota.hpp"
#include "pipeline/validate.hpp"

#include <memory>
#include <nlohmann/json.hpp>

namespace landquota {

// One parcel as published.
struct ParcelRow {
    std::string parcel_id, landuse, village_id, township_id, zone_id;
    AreaCm2x100 area = 0, planar = 0, reclaim = 0;
    ParcelStatus status = ParcelStatus::NotEligible;
    std::string excluded_by, reason;
};

// What allocation and compensation produced, for publishing.
struct AllocationTables {
    const std::vector<QuotaLot>& lots;
    const std::vector<SiteRef>& sites;
    const std::vector<Transfer>& transfers;
    const std::vector<Payment>& payments;
};

// Writes a run's outputs into an OutputFolder: result.gpkg (parcels and reclaimed stream in as
// they are computed; villages, townships, zones and regions at the end), tables/*.csv and
// manifest.json. Nothing is visible at the destination until the folder is committed.
class Publisher {
  public:
    Publisher(const std::filesystem::path& folder, const OGRSpatialReference& crs);
    ~Publisher();

    void parcel(const ParcelRow& row, const OGRGeometry& geometry);
    void reclaimed(const ParcelRow& row, GIntBig source_fid, const OGRGeometry& pieces);
    // Sites, flows, lots, lot parcels, transfers, payments (publish_allocation.cpp). Before
    // finish().
    void allocation(const AllocationTables& tables);
    void finish(const QuotaTables& quota, const ReferenceLayers& ref, const FindingLog& findings,
                const nlohmann::ordered_json& manifest);

  private:
    std::filesystem::path folder_;
    std::unique_ptr<GpkgWriter> gpkg_;
    int parcels_layer_ = -1, reclaimed_layer_ = -1;
};

// "1234.56" as a number for JSON/GPKG: hundredths of m² to m² (exact to the hundredth).
inline double m2(AreaCm2x100 a) {
    return hundredths_to_m2(a);
}

} // namespace landquota
