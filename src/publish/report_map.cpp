#include "publish/report_map.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"
#include "publish/allocation_index.hpp"

#include <map>
#include <ogr_api.h>
#include <ogr_geometry.h>

namespace landquota {

namespace {

using nlohmann::json;

double mu(std::int64_t hundredths) {
    return static_cast<double>(hundredths) / 100.0;
}

class ToWgs84 {
  public:
    explicit ToWgs84(const OGRSpatialReference& crs) : from_(crs) {
        from_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        to_.importFromEPSG(4326);
        to_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER); // longitude, latitude
        ct_.reset(OGRCreateCoordinateTransformation(&from_, &to_));
        if (!ct_)
            throw Error(Stage::Publish, tr("report.html: no transformation to WGS 84 for the map"));
    }

    // The geometry as a GeoJSON geometry object, 7 decimals (about 1 cm).
    json operator()(OGRGeometry& g) const {
        if (g.transform(ct_.get()) != OGRERR_NONE)
            throw Error(Stage::Publish, tr("report.html: cannot move a map feature to WGS 84"));
        const char* options[] = {"COORDINATE_PRECISION=7", nullptr};
        char* text = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(&g), const_cast<char**>(options));
        json out = json::parse(text);
        CPLFree(text);
        return out;
    }
    json operator()(const GEOSGeometry* g) const {
        auto o = to_ogr(g);
        return (*this)(*o);
    }

  private:
    OGRSpatialReference from_, to_;
    std::unique_ptr<OGRCoordinateTransformation> ct_;
};

json feature(json geometry, json properties) {
    return {{"type", "Feature"}, {"geometry", std::move(geometry)}, {"properties", properties}};
}

json collection() {
    return {{"type", "FeatureCollection"}, {"features", json::array()}};
}

} // namespace

json report_map(const RunResults& r, const OGRSpatialReference& crs) {
    const ToWgs84 wgs84(crs);
    const ReferenceLayers& ref = r.inputs.reference;
    json out;

    std::map<std::string, const VillageRef*> village;
    for (const auto& v : ref.villages)
        village[v.id] = &v;
    json villages = collection();
    for (const auto& v : r.quota.villages) {
        const auto it = village.find(v.village_id);
        if (it == village.end() || !it->second->geometry)
            continue;
        villages["features"].push_back(
            feature(wgs84(it->second->geometry.get()), {{"id", v.village_id},
                                                        {"name", v.name},
                                                        {"township", v.township_id},
                                                        {"relocating", v.relocating},
                                                        {"freed_mu", mu(v.freed_mu_hundredths)}}));
    }
    out["villages"] = std::move(villages);

    json townships = collection();
    for (const auto& t : ref.townships)
        if (t.geometry)
            townships["features"].push_back(
                feature(wgs84(t.geometry.get()), {{"id", t.id}, {"name", t.name}}));
    out["townships"] = std::move(townships);

    json exclusions = collection();
    for (const auto& x : ref.exclusions)
        if (x.geometry)
            exclusions["features"].push_back(
                feature(wgs84(x.geometry.get()), {{"zone", x.zone_name}}));
    out["exclusions"] = std::move(exclusions);

    // Corridors: each belt (dissolved, as in result.gpkg) and its line routes.
    if (!ref.corridors.empty()) {
        json belts = collection(), routes = collection();
        for (const auto& c : ref.corridors) {
            if (c.belt)
                belts["features"].push_back(
                    feature(wgs84(c.belt.get()), {{"corridor", c.name},
                                                  {"role", to_string(c.role)},
                                                  {"buffer_m", c.buffer_m},
                                                  {"belt_ha", c.belt_m2 / 10000.0}}));
            for (const auto& route : c.routes)
                if (GEOSGeom_getDimensions_r(Geos::ctx(), route.geometry.get()) == 1)
                    routes["features"].push_back(feature(wgs84(route.geometry.get()),
                                                         {{"corridor", c.name},
                                                          {"route", route.name},
                                                          {"length_km", route.length_m / 1000.0}}));
        }
        out["corridor_belts"] = std::move(belts);
        out["corridor_routes"] = std::move(routes);
    }

    const AllocationRun* a = r.allocation;
    if (!a)
        return out;
    const AllocationIndex index(*a);
    std::map<std::string, const GEOSGeometry*> shape;
    for (const auto& s : ref.sites)
        shape[s.site.site_id] = s.geometry.get();
    json sites = collection();
    for (const auto& s : a->sites) {
        const AreaCm2x100 got = index.given_to(s.site_id);
        sites["features"].push_back(
            feature(wgs84(shape.at(s.site_id)),
                    {{"id", s.site_id},
                     {"name", s.name},
                     {"demand_mu", mu(hundredths_m2_to_mu_hundredths(s.demand))},
                     {"allocated_mu", mu(index.site_mu(s.site_id))},
                     {"fulfilment", AllocationIndex::fulfilment(got, s.demand)}}));
    }
    out["sites"] = std::move(sites);

    json flows = collection();
    for (const auto& t : a->transfers) {
        const QuotaLot& l = index.lot(t.lot_id);
        const Site& s = index.site(t.site_id);
        OGRLineString line;
        line.addPoint(l.x, l.y);
        line.addPoint(s.x, s.y);
        flows["features"].push_back(
            feature(wgs84(line), {{"id", t.transfer_id},
                                  {"from", l.village_name},
                                  {"to", s.name},
                                  {"mu", mu(index.transfer_mu(t.transfer_id))}}));
    }
    out["flows"] = std::move(flows);
    return out;
}

} // namespace landquota
