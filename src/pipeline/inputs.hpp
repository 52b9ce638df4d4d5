#pragma once

// The input model of a run: the reference layers held in memory, the parcel layer that streams,
// and the named fields each layer is read with.
#include "geo/geos.hpp"
#include "io/layer_reader.hpp"
#include "landquota/allocation.hpp"
#include "pipeline/job.hpp"

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
    bool lead = false; // the lead township of its zone (when the job maps `lead`)
    std::string type;  // the township's type (when the job maps `type`)
};
struct ExclusionPolygon {
    std::string zone_name; // which exclusion layer ("生态保护红线")
    GeomPtr geometry;
};
// One route (or zone) of a corridor layer, as read, and its length on the ellipsoid.
struct CorridorRoute {
    std::string name; // the name field's value, or "FID n"
    GeomPtr geometry; // working CRS: a line or a polygon
    double length_m = 0.0;
};
// A [[corridor]]: its routes and the belt around them, dissolved, so land inside two routes'
// belts is one piece of the belt, counted once.
struct CorridorRef {
    std::string name;
    CorridorRole role = CorridorRole::Report;
    double buffer_m = 0.0;
    std::string file, layer; // for messages
    std::vector<CorridorRoute> routes;
    GeomPtr belt;             // working CRS, nullptr when empty
    double width_error = 0.0; // largest relative error of the belt's width (ground_buffer.hpp)
    double belt_m2 = 0.0;     // ellipsoidal
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
    std::vector<ExclusionPolygon> exclusions; // with the belts of `exclude` corridors
    std::vector<CorridorRef> corridors;
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

// The fields each layer is read with, declared once per layer: its FieldRequest and a view that
// names a feature's values (so no stage indexes SourceFeature::values by position).
struct ParcelValues {
    const std::string &id, &landuse, &village, &village_class, &slope, &holder;
    explicit ParcelValues(const SourceFeature& f)
        : id(f.values[0]), landuse(f.values[1]), village(f.values[2]), village_class(f.values[3]),
          slope(f.values[4]), holder(f.values[5]) {}
    static FieldRequest request(const ParcelInput& p) {
        return {{p.id, p.landuse, p.village, p.village_class, p.slope, p.holder},
                {"id", "landuse", "village", "village_class", "slope", "holder"}};
    }
};

struct VillageValues {
    const std::string &id, &name, &township, &relocate, &state, &accepted, &reclaim_to;
    explicit VillageValues(const SourceFeature& f)
        : id(f.values[0]), name(f.values[1]), township(f.values[2]), relocate(f.values[3]),
          state(f.values[4]), accepted(f.values[5]), reclaim_to(f.values[6]) {}
    static FieldRequest request(const VillageInput& v) {
        return {{v.id, v.name, v.township, v.relocate, v.state, v.accepted, v.reclaim_to},
                {"id", "name", "township", "relocate", "state", "accepted", "reclaim_to"}};
    }
};

// Townships: the fixed fields, then one value per declared indicator.
struct TownshipValues {
    const std::string &id, &name, &zone, &region, &lead, &type;
    const std::string* indicators; // [i] for job.townships->indicators[i]
    explicit TownshipValues(const SourceFeature& f)
        : id(f.values[0]), name(f.values[1]), zone(f.values[2]), region(f.values[3]),
          lead(f.values[4]), type(f.values[5]), indicators(f.values.data() + 6) {}
    static FieldRequest request(const TownshipInput& t) {
        FieldRequest r{{t.id, t.name, t.zone, t.region, t.lead, t.type},
                       {"id", "name", "zone", "region", "lead", "type"}};
        for (const auto& ind : t.indicators) {
            r.fields.push_back(ind);
            r.keys.emplace_back("indicators");
        }
        return r;
    }
};

struct ResettlementValues {
    const std::string &id, &village;
    explicit ResettlementValues(const SourceFeature& f) : id(f.values[0]), village(f.values[1]) {}
    static FieldRequest request(const ResettlementInput& r) {
        return {{r.id, r.village}, {"id", "village"}};
    }
};

// Sites: the fixed fields, then one value per declared attribute (in the map's order).
struct SiteValues {
    const std::string &id, &name, &demand;
    const std::string* attributes; // [i] for the i-th entry of SiteInput::attributes
    explicit SiteValues(const SourceFeature& f)
        : id(f.values[0]), name(f.values[1]), demand(f.values[2]), attributes(f.values.data() + 3) {
    }
    static FieldRequest request(const SiteInput& s) {
        FieldRequest r{{s.id, s.name, s.demand}, {"id", "name", "demand"}};
        for (const auto& [attr, field] : s.attributes) {
            r.fields.push_back(field);
            r.keys.push_back("attributes." + attr);
        }
        return r;
    }
};

} // namespace landquota
