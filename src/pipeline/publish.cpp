#include "pipeline/publish.hpp"

#include "io/csv_writer.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <fstream>
#include <map>
#include <ogr_geometry.h>

namespace landquota {

namespace fs = std::filesystem;

namespace {

std::unique_ptr<OGRGeometry> as_multipolygon(const OGRGeometry& g) {
    return std::unique_ptr<OGRGeometry>(OGRGeometryFactory::forceToMultiPolygon(g.clone()));
}

// Union of GEOS geometries (for townships, zones, regions drawn from their members).
GeomPtr union_of(const std::vector<const GEOSGeometry*>& parts) {
    auto* ctx = Geos::ctx();
    if (parts.empty())
        return nullptr;
    std::vector<GEOSGeometry*> clones;
    for (const auto* p : parts)
        clones.push_back(GEOSGeom_clone_r(ctx, p));
    GeomPtr coll(GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, clones.data(),
                                             static_cast<unsigned>(clones.size())));
    GeomPtr u(GEOSUnaryUnion_r(ctx, coll.get()));
    return polygonal_part(u.get());
}

const std::vector<FieldSpec> kUnitFields = {
    {"villages", OFTInteger64}, {"reclaim_m2", OFTReal}, {"resettle_m2", OFTReal},
    {"freed_m2", OFTReal},      {"freed_mu", OFTReal},
};

std::vector<FieldValue> unit_values(const UnitQuota& u) {
    return {u.villages, m2(u.reclaim), m2(u.resettle), m2(u.freed()),
            static_cast<double>(u.freed_mu_hundredths) / 100.0};
}

std::vector<std::string> unit_cells(const UnitQuota& u) {
    return {std::to_string(u.villages), format_m2(u.reclaim), format_m2(u.resettle),
            format_m2(u.freed()), format_mu(u.freed_mu_hundredths)};
}

template <typename T> std::vector<T> concat(std::vector<T> a, const std::vector<T>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace

Publisher::Publisher(const fs::path& folder, const OGRSpatialReference& crs) : folder_(folder) {
    fs::create_directories(folder_ / "tables");
    gpkg_ = std::make_unique<GpkgWriter>(folder_ / "result.gpkg", crs);
    parcels_layer_ = gpkg_->add_layer("parcels", wkbMultiPolygon,
                                      {{"parcel_id", OFTString},
                                       {"landuse", OFTString},
                                       {"village_id", OFTString},
                                       {"township_id", OFTString},
                                       {"zone_id", OFTString},
                                       {"area_m2", OFTReal},
                                       {"planar_m2", OFTReal},
                                       {"status", OFTString},
                                       {"reclaim_m2", OFTReal},
                                       {"excluded_by", OFTString},
                                       {"reason", OFTString}});
    reclaimed_layer_ = gpkg_->add_layer("reclaimed", wkbMultiPolygon,
                                        {{"parcel_id", OFTString},
                                         {"source_fid", OFTInteger64},
                                         {"village_id", OFTString},
                                         {"landuse", OFTString},
                                         {"reclaim_m2", OFTReal},
                                         {"excluded_by", OFTString}});
}

Publisher::~Publisher() = default;

void Publisher::parcel(const ParcelRow& r, const OGRGeometry& geometry) {
    gpkg_->write(parcels_layer_,
                 {r.parcel_id, r.landuse, r.village_id, r.township_id, r.zone_id, m2(r.area),
                  m2(r.planar), std::string(to_string(r.status)), m2(r.reclaim), r.excluded_by,
                  r.reason},
                 as_multipolygon(geometry).get());
}

void Publisher::reclaimed(const ParcelRow& r, GIntBig source_fid, const OGRGeometry& pieces) {
    gpkg_->write(reclaimed_layer_,
                 {r.parcel_id, std::int64_t{source_fid}, r.village_id, r.landuse, m2(r.reclaim),
                  r.excluded_by},
                 as_multipolygon(pieces).get());
}

void Publisher::finish(const QuotaTables& q, const ReferenceLayers& ref, const FindingLog& findings,
                       const nlohmann::ordered_json& manifest) {
    // Geometries of the units: villages as given; townships as given or as the union of their
    // villages; zones and regions as unions.
    std::map<std::string, const GEOSGeometry*> village_geom, township_geom;
    for (const auto& v : ref.villages)
        village_geom[v.id] = v.geometry.get();
    for (const auto& t : ref.townships)
        township_geom[t.id] = t.geometry.get();
    std::map<std::string, std::vector<const GEOSGeometry*>> tw_parts;
    for (const auto& v : q.villages)
        tw_parts[v.township_id].push_back(village_geom[v.village_id]);
    std::map<std::string, GeomPtr> tw_union;
    auto township_shape = [&](const std::string& id) -> const GEOSGeometry* {
        if (auto it = township_geom.find(id); it != township_geom.end())
            return it->second;
        auto& u = tw_union[id];
        if (!u)
            u = union_of(tw_parts[id]);
        return u.get();
    };

    const int lv = gpkg_->add_layer("villages", wkbMultiPolygon,
                                    concat<FieldSpec>({{"village_id", OFTString},
                                                       {"name", OFTString},
                                                       {"township_id", OFTString},
                                                       {"zone_id", OFTString},
                                                       {"region_id", OFTString},
                                                       {"relocating", OFTInteger},
                                                       {"parcels", OFTInteger64},
                                                       {"reclaimable_parcels", OFTInteger64}},
                                                      {{"reclaim_m2", OFTReal},
                                                       {"resettle_m2", OFTReal},
                                                       {"freed_m2", OFTReal},
                                                       {"freed_mu", OFTReal}}));
    CsvWriter vcsv(folder_ / "tables" / "villages.csv");
    vcsv.row({"village_id", "name", "township_id", "zone_id", "region_id", "relocating", "parcels",
              "reclaimable_parcels", "reclaim_m2", "resettle_m2", "freed_m2", "freed_mu"});
    for (const auto& v : q.villages) {
        gpkg_->write(lv,
                     {v.village_id, v.name, v.township_id, v.zone_id, v.region_id,
                      std::int64_t{v.relocating ? 1 : 0}, v.parcels, v.reclaimable_parcels,
                      m2(v.reclaim), m2(v.resettle), m2(v.freed()),
                      static_cast<double>(v.freed_mu_hundredths) / 100.0},
                     as_multipolygon(*to_ogr(village_geom[v.village_id])).get());
        vcsv.row({v.village_id, v.name, v.township_id, v.zone_id, v.region_id,
                  v.relocating ? "1" : "0", std::to_string(v.parcels),
                  std::to_string(v.reclaimable_parcels), format_m2(v.reclaim),
                  format_m2(v.resettle), format_m2(v.freed()), format_mu(v.freed_mu_hundredths)});
    }
    vcsv.close();

    // Townships, zones, regions: same columns, different keys.
    // Townships also carry their region: zone ids may repeat across regions.
    auto write_units = [&](const std::string& layer, const std::string& key,
                           const std::string& parent, bool with_region,
                           const std::vector<UnitQuota>& units, auto shape_of) {
        std::vector<FieldSpec> keys{{key, OFTString}, {"name", OFTString}, {parent, OFTString}};
        std::vector<std::string> header{key, "name", parent};
        if (with_region) {
            keys.push_back({"region_id", OFTString});
            header.emplace_back("region_id");
        }
        const int l =
            gpkg_->add_layer(layer, wkbMultiPolygon, concat<FieldSpec>(keys, kUnitFields));
        CsvWriter csv(folder_ / "tables" / (layer + ".csv"));
        csv.row(concat<std::string>(
            header, {"villages", "reclaim_m2", "resettle_m2", "freed_m2", "freed_mu"}));
        for (const auto& u : units) {
            GeomPtr shape = shape_of(u);
            const auto g = shape ? as_multipolygon(*to_ogr(shape.get())) : nullptr;
            std::vector<FieldValue> values{u.id, u.name, u.parent_id};
            std::vector<std::string> cells{u.id, u.name, u.parent_id};
            if (with_region) {
                values.emplace_back(u.region_id);
                cells.push_back(u.region_id);
            }
            gpkg_->write(l, concat<FieldValue>(values, unit_values(u)), g.get());
            csv.row(concat<std::string>(cells, unit_cells(u)));
        }
        csv.close();
    };
    auto* ctx = Geos::ctx();
    write_units("townships", "township_id", "zone_id", true, q.townships, [&](const UnitQuota& u) {
        const GEOSGeometry* g = township_shape(u.id);
        return GeomPtr(g ? GEOSGeom_clone_r(ctx, g) : nullptr);
    });
    write_units("zones", "zone_id", "region_id", false, q.zones, [&](const UnitQuota& z) {
        std::vector<const GEOSGeometry*> parts;
        for (const auto& t : q.townships)
            if (t.parent_id == z.id && t.region_id == z.parent_id)
                if (const GEOSGeometry* g = township_shape(t.id))
                    parts.push_back(g);
        return union_of(parts);
    });
    write_units("regions", "region_id", "county", false, q.regions, [&](const UnitQuota& r) {
        std::vector<const GEOSGeometry*> parts;
        for (const auto& t : q.townships)
            if (t.region_id == r.id)
                if (const GEOSGeometry* g = township_shape(t.id))
                    parts.push_back(g);
        return union_of(parts);
    });
    gpkg_->close();

    CsvWriter fcsv(folder_ / "tables" / "findings.csv");
    fcsv.row({"severity", "check", "file", "layer", "feature", "field", "message"});
    for (const auto& f : findings.kept())
        fcsv.row({f.is_error() ? "error" : "warning", f.check, f.file, f.layer, f.feature, f.field,
                  f.message});
    // Only the first findings of each kind are kept in full (memory stays bounded); say so.
    for (const auto& [check, n] : findings.counts())
        if (n > FindingLog::kKeepPerCheck)
            fcsv.row({"note", check, "", "", "", "",
                      fmt::format("{} more '{}' findings are not listed ({} in all)",
                                  n - FindingLog::kKeepPerCheck, check, n)});
    fcsv.close();

    std::ofstream m(folder_ / "manifest.json", std::ios::binary);
    m << manifest.dump(2) << "\n";
    if (!m)
        throw Error("publish", (folder_ / "manifest.json").string() + ": write failed");
}

} // namespace landquota
