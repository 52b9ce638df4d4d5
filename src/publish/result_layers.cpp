#include "publish/result_layers.hpp"

#include "landquota/units.hpp"
#include "publish/allocation_index.hpp"
#include "publish/field_names.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <ogr_geometry.h>

namespace landquota {

namespace {

double m2(AreaCm2x100 a) {
    return hundredths_to_m2(a);
}
double mu_value(AreaCm2x100 a) {
    return static_cast<double>(hundredths_m2_to_mu_hundredths(a)) / 100.0;
}
double mu_figure(std::int64_t mu_hundredths) {
    return static_cast<double>(mu_hundredths) / 100.0;
}

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

template <typename T> std::vector<T> concat(std::vector<T> a, const std::vector<T>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const std::vector<FieldSpec> kUnitFields = {
    {"villages", OFTInteger64}, {"reclaim_m2", OFTReal}, {"resettle_m2", OFTReal},
    {"freed_m2", OFTReal},      {"freed_mu", OFTReal},   {"freed_ha", OFTReal},
};

std::vector<FieldValue> unit_values(const UnitQuota& u) {
    return {u.villages,
            m2(u.reclaim),
            m2(u.resettle),
            m2(u.freed()),
            mu_figure(u.freed_mu_hundredths),
            to_ha(u.freed())};
}

} // namespace

int ResultLayers::add_layer(const std::string& name, OGRwkbGeometryType type,
                            std::vector<FieldSpec> fields, const std::string& id_field) {
    if (plan_)
        fields.insert(fields.begin(), FieldSpec("plan", OFTString, OFSTNone, field_zh("plan")));
    return out_.add_layer(name, type, fields, id_field);
}

void ResultLayers::write(int layer, std::vector<FieldValue> values, const OGRGeometry* geometry) {
    if (plan_)
        values.insert(values.begin(), std::string(kPlanBanner));
    out_.write(layer, values, geometry);
}

ResultLayers::ResultLayers(VectorWriter& out, bool plan) : out_(out), plan_(plan) {
    parcels_ = add_layer("parcels", wkbMultiPolygon,
                         with_aliases({{"parcel_id", OFTString},
                                       {"landuse", OFTString},
                                       {"village_id", OFTString},
                                       {"township_id", OFTString},
                                       {"zone_id", OFTString},
                                       {"area_m2", OFTReal},
                                       {"planar_m2", OFTReal},
                                       {"status", OFTString},
                                       {"reclaim_m2", OFTReal},
                                       {"excluded_by", OFTString},
                                       {"reason", OFTString}}),
                         "parcel_id");
    reclaimed_ = add_layer("reclaimed", wkbMultiPolygon,
                           with_aliases({{"parcel_id", OFTString},
                                         {"source_fid", OFTInteger64},
                                         {"village_id", OFTString},
                                         {"landuse", OFTString},
                                         {"reclaim_m2", OFTReal},
                                         {"excluded_by", OFTString}}),
                           "parcel_id");
}

void ResultLayers::parcel(const PassedParcel& p) {
    const ParcelRow& r = p.row;
    write(parcels_,
          {r.parcel_id, r.landuse, r.village_id, r.township_id, r.zone_id, m2(r.area), m2(r.planar),
           std::string(to_string(r.status)), m2(r.reclaim), r.excluded_by, r.reason},
          as_multipolygon(*p.geometry).get());
    if (p.pieces)
        write(reclaimed_,
              {r.parcel_id, std::int64_t{p.source_fid}, r.village_id, r.landuse, m2(r.reclaim),
               r.excluded_by},
              as_multipolygon(*p.pieces).get());
}

void ResultLayers::finish(const RunResults& r) {
    if (r.allocation)
        allocation(*r.allocation, r.inputs.reference);
    if (r.analyses)
        analyses(*r.analyses, r.inputs.reference);
    units(r.quota, r.inputs.reference);
    context(r.inputs.reference);
    if (!r.inputs.reference.corridors.empty())
        corridors(r.inputs.reference);
    if (r.corridors)
        for (const Table& t : corridor_tables(*r.corridors))
            attribute_table(t);
    out_.close();
}

// A table of publish/tables.hpp as a layer without geometry, its Chinese column names as
// aliases: the figures a map's layers cannot carry, next to them in QGIS.
void ResultLayers::attribute_table(const Table& t) {
    std::vector<FieldSpec> fields;
    for (const auto& c : t.columns)
        fields.emplace_back(c.key,
                            c.unit == Unit::Text    ? OFTString
                            : c.unit == Unit::Count ? OFTInteger64
                                                    : OFTReal,
                            OFSTNone, c.zh);
    const int layer = add_layer(t.name, wkbNone, fields);
    for (const auto& row : t.rows) {
        std::vector<FieldValue> values;
        for (std::size_t i = 0; i < row.size(); ++i) {
            const Unit u = t.columns[i].unit;
            if (const auto* s = std::get_if<std::string>(&row[i]))
                values.emplace_back(*s);
            else if (const auto* d = std::get_if<double>(&row[i]))
                values.emplace_back(*d);
            else if (const std::int64_t v = std::get<std::int64_t>(row[i]);
                     u == Unit::AreaM2 || u == Unit::AreaMu || u == Unit::Yuan)
                values.emplace_back(static_cast<double>(v) / 100.0); // hundredths, as the layers
            else if (u == Unit::AreaHa)
                values.emplace_back(to_ha(v));
            else
                values.emplace_back(v);
        }
        write(layer, std::move(values), nullptr);
    }
}

// The exclusion zones and resettlement sites as read, so the map is complete without the inputs.
void ResultLayers::context(const ReferenceLayers& ref) {
    const int le = add_layer("exclusions", wkbMultiPolygon, with_aliases({{"zone", OFTString}}));
    for (const auto& e : ref.exclusions)
        write(le, {e.zone_name}, as_multipolygon(*to_ogr(e.geometry.get())).get());
    const int lr =
        add_layer("resettlement", wkbMultiPolygon,
                  with_aliases({{"resettlement_id", OFTString}, {"village_id", OFTString}}),
                  "resettlement_id");
    for (const auto& s : ref.resettlement)
        write(lr, {s.id, s.village_id}, as_multipolygon(*to_ogr(s.geometry.get())).get());
}

// Each corridor's belt (dissolved) and its routes as read (methods.md §6.2).
void ResultLayers::corridors(const ReferenceLayers& ref) {
    const int lb = add_layer("corridor_belts", wkbMultiPolygon,
                             with_aliases({{"corridor", OFTString},
                                           {"role", OFTString},
                                           {"buffer_m", OFTReal},
                                           {"belt_m2", OFTReal}}));
    const int lr = add_layer(
        "corridor_routes", wkbMultiLineString,
        with_aliases({{"corridor", OFTString}, {"route", OFTString}, {"length_m", OFTReal}}));
    for (const auto& c : ref.corridors) {
        if (c.belt)
            write(
                lb,
                {c.name, std::string(to_string(c.role)), c.buffer_m, m2(to_hundredths(c.belt_m2))},
                as_multipolygon(*to_ogr(c.belt.get())).get());
        for (const auto& route : c.routes)
            if (GEOSGeom_getDimensions_r(Geos::ctx(), route.geometry.get()) == 1) {
                std::unique_ptr<OGRGeometry> line = to_ogr(route.geometry.get());
                std::unique_ptr<OGRGeometry> multi(
                    OGRGeometryFactory::forceToMultiLineString(line.release()));
                write(lr, {c.name, route.name, std::round(route.length_m * 100.0) / 100.0},
                      multi.get());
            }
    }
}

void ResultLayers::allocation(const AllocationRun& a, const ReferenceLayers& ref) {
    const AllocationIndex index(a);
    std::map<std::string, const GEOSGeometry*> site_shape;
    for (const auto& s : ref.sites)
        site_shape[s.site.site_id] = s.geometry.get();
    const int ls = add_layer("sites", wkbMultiPolygon,
                             with_aliases({{"site_id", OFTString},
                                           {"name", OFTString},
                                           {"township_id", OFTString},
                                           {"zone_id", OFTString},
                                           {"region_id", OFTString},
                                           {"demand_m2", OFTReal},
                                           {"demand_mu", OFTReal},
                                           {"demand_ha", OFTReal},
                                           {"earlier_m2", OFTReal},
                                           {"earlier_mu", OFTReal},
                                           {"allocated_m2", OFTReal},
                                           {"allocated_mu", OFTReal},
                                           {"allocated_ha", OFTReal},
                                           {"remaining_m2", OFTReal},
                                           {"remaining_mu", OFTReal},
                                           {"fulfilment", OFTReal}}),
                             "site_id");
    for (const auto& s : a.sites) {
        const auto e = a.earlier_received.find(s.site_id);
        const AreaCm2x100 before = e == a.earlier_received.end() ? 0 : e->second;
        const AreaCm2x100 got = index.given_to(s.site_id);
        const AreaCm2x100 left = std::max<AreaCm2x100>(0, s.demand - before - got);
        write(ls,
              {s.site_id, s.name, s.township_id, s.zone_id, s.region_id, m2(s.demand),
               mu_value(s.demand), to_ha(s.demand), m2(before), mu_value(before), m2(got),
               mu_figure(index.site_mu(s.site_id)), to_ha(got), m2(left), mu_value(left),
               AllocationIndex::fulfilment(before + got, s.demand)},
              as_multipolygon(*to_ogr(site_shape.at(s.site_id))).get());
    }

    // Flows: a line from the lot's village to the site, one per transfer.
    const int lf = add_layer("flows", wkbLineString,
                             with_aliases({{"transfer_id", OFTString},
                                           {"lot_id", OFTString},
                                           {"village_id", OFTString},
                                           {"township_id", OFTString},
                                           {"site_id", OFTString},
                                           {"allocated_m2", OFTReal},
                                           {"allocated_mu", OFTReal},
                                           {"allocated_ha", OFTReal},
                                           {"amount_fen", OFTInteger64}}),
                             "transfer_id");
    for (const auto& t : a.transfers) {
        const QuotaLot& l = index.lot(t.lot_id);
        const Site& s = index.site(t.site_id);
        OGRLineString line;
        line.addPoint(l.x, l.y);
        line.addPoint(s.x, s.y);
        write(lf,
              {t.transfer_id, t.lot_id, l.village_id, l.township_id, t.site_id, m2(t.area),
               mu_figure(index.transfer_mu(t.transfer_id)), to_ha(t.area),
               std::int64_t{index.paid_for(t.transfer_id)}},
              &line);
    }
}

// The analyses' layers, drawn from the townships: a unit's polygon, a line between two units'
// centroids, or the union of a group of units (a proposed cluster).
void ResultLayers::analyses(const Analyses& a, const ReferenceLayers& ref) {
    std::map<std::string, const GEOSGeometry*> shape;
    for (const auto& t : ref.townships)
        shape[t.id] = t.geometry.get();
    for (const auto& run : a.runs)
        for (const auto& l : run.result.layers) {
            std::vector<FieldSpec> fields;
            for (const auto& c : l.columns)
                fields.emplace_back(c.key,
                                    c.kind == ValueKind::Text      ? OFTString
                                    : c.kind == ValueKind::Integer ? OFTInteger64
                                                                   : OFTReal,
                                    OFSTNone, c.zh);
            const bool links = l.shape == AnalysisLayer::Shape::Links;
            // Through add_layer/write, so a plan's analysis layers are marked like the others.
            const int id = add_layer(l.name, links ? wkbLineString : wkbMultiPolygon, fields);
            for (const auto& f : l.features) {
                std::vector<FieldValue> values;
                for (const auto& v : f.values)
                    values.push_back(std::visit([](const auto& x) { return FieldValue{x}; }, v));
                if (links) {
                    const AnalysisUnit &from = a.units[f.units[0]], &to = a.units[f.units[1]];
                    OGRLineString line;
                    line.addPoint(from.x, from.y);
                    line.addPoint(to.x, to.y);
                    write(id, values, &line);
                    continue;
                }
                std::vector<const GEOSGeometry*> parts;
                for (auto u : f.units)
                    parts.push_back(shape.at(a.units[u].id));
                GeomPtr g = parts.size() == 1 ? GeomPtr(GEOSGeom_clone_r(Geos::ctx(), parts[0]))
                                              : union_of(parts);
                write(id, values, g ? as_multipolygon(*to_ogr(g.get())).get() : nullptr);
            }
        }
}

// Villages as given; townships as given or as the union of their villages; zones and regions as
// unions of their townships.
void ResultLayers::units(const QuotaTables& q, const ReferenceLayers& ref) {
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

    const int lv = add_layer("villages", wkbMultiPolygon,
                             with_aliases({{"village_id", OFTString},
                                           {"name", OFTString},
                                           {"township_id", OFTString},
                                           {"zone_id", OFTString},
                                           {"region_id", OFTString},
                                           {"relocating", OFTInteger},
                                           {"parcels", OFTInteger64},
                                           {"reclaimable_parcels", OFTInteger64},
                                           {"reclaim_m2", OFTReal},
                                           {"resettle_m2", OFTReal},
                                           {"freed_m2", OFTReal},
                                           {"freed_mu", OFTReal},
                                           {"freed_ha", OFTReal}}),
                             "village_id");
    for (const auto& v : q.villages)
        write(lv,
              {v.village_id, v.name, v.township_id, v.zone_id, v.region_id,
               std::int64_t{v.relocating ? 1 : 0}, v.parcels, v.reclaimable_parcels, m2(v.reclaim),
               m2(v.resettle), m2(v.freed()), mu_figure(v.freed_mu_hundredths), to_ha(v.freed())},
              as_multipolygon(*to_ogr(village_geom[v.village_id])).get());

    // Townships, zones, regions: same columns, different keys. Townships also carry their region:
    // zone ids may repeat across regions.
    auto write_units = [&](const std::string& layer, const std::string& key,
                           const std::string& parent, bool with_region,
                           const std::vector<UnitQuota>& rows, auto shape_of) {
        std::vector<FieldSpec> keys{{key, OFTString}, {"name", OFTString}, {parent, OFTString}};
        if (with_region)
            keys.push_back({"region_id", OFTString});
        // Zone ids may repeat across regions: a zone feature has no GeoJSON id.
        const int l = add_layer(layer, wkbMultiPolygon, with_aliases(concat(keys, kUnitFields)),
                                layer == "zones" ? "" : key);
        for (const auto& u : rows) {
            GeomPtr shape = shape_of(u);
            const auto g = shape ? as_multipolygon(*to_ogr(shape.get())) : nullptr;
            std::vector<FieldValue> values{u.id, u.name, u.parent_id};
            if (with_region)
                values.emplace_back(u.region_id);
            write(l, concat(values, unit_values(u)), g.get());
        }
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
}

} // namespace landquota
