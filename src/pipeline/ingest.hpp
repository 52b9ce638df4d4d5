#pragma once

#include "geo/geos.hpp"
#include "io/layer_reader.hpp"
#include "landquota/allocation.hpp"
#include "pipeline/job.hpp"
#include "pipeline/validate.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace landquota {

struct VillageRef {
    std::string id, name, township_id;
    bool relocating = false;
    GeomPtr geometry;
    GIntBig fid = OGRNullFID;
    std::string state, accepted, reclaim_to; // lot attributes (optional fields)
};
struct TownshipRef {
    std::string id, name, zone_id, region_id;
    GeomPtr geometry;
    std::map<std::string, double> indicators;
};
struct ExclusionPolygon {
    std::string zone_name; // which exclusion layer ("生态保护红线")
    GeomPtr geometry;
};
struct SiteRef {
    Site site; // the plugin-facing record (zone and region filled by assignment)
    GeomPtr geometry;
    GIntBig fid = OGRNullFID;
};
struct ResettlementSite {
    std::string id, village_id;
    GeomPtr geometry;
};

// The layers that are small enough to hold: everything but the parcels, which stream.
struct ReferenceLayers {
    std::string villages_file, villages_layer; // for findings about villages
    std::vector<VillageRef> villages;
    std::vector<TownshipRef> townships;
    std::vector<ExclusionPolygon> exclusions;
    std::vector<ResettlementSite> resettlement;
    std::vector<SiteRef> sites;
};

// The opened inputs of a job: the reference layers read and checked, the parcel layer open and
// positioned, and the working CRS chosen.
struct Inputs {
    std::unique_ptr<OGRSpatialReference> working_crs;
    std::string working_crs_label;
    std::unique_ptr<LayerReader> parcels;
    ReferenceLayers reference;
    std::vector<std::string> input_files; // every file read, for the manifest's hashes
};

// Field positions in a parcel SourceFeature's values.
enum ParcelField {
    kParcelId = 0,
    kParcelLanduse,
    kParcelVillage,
    kParcelClass,
    kParcelSlope,
    kParcelHolder
};

// Opens every input, chooses the working CRS (the job's, or the 3° GK zone of the parcels'
// centre) and reads the reference layers, logging what is wrong with them.
Inputs ingest(const Job& job, FindingLog& log);

} // namespace landquota
