#include "pipeline/corridors.hpp"

#include "core/blank.hpp"
#include "core/translate.hpp"
#include "geo/ground_buffer.hpp"
#include "landquota/error.hpp"
#include "pipeline/plausibility.hpp"
#include "pipeline/validate.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <ogr_geometry.h>
#include <set>
#include <tuple>

namespace landquota {

namespace {

using S = Finding::Severity;

// A route as the corridor takes it: a line, or a polygon checked like every polygon layer.
GeomPtr checked_route(const SourceFeature& f, const FeatureRef& ref, const std::string& id,
                      bool repair, FindingLog& log) {
    if (f.geometry && !f.geometry->IsEmpty()) {
        const auto type = wkbFlatten(f.geometry->getGeometryType());
        if (type == wkbLineString || type == wkbMultiLineString)
            return to_geos(*f.geometry);
        if (type != wkbPolygon && type != wkbMultiPolygon) {
            log.add(ref.finding(S::Error, "not_line_or_polygon", f, id, "",
                                trf("a corridor is a line or a polygon, found {}",
                                    OGRGeometryTypeToName(f.geometry->getGeometryType()))));
            return nullptr;
        }
    }
    return checked_polygon(f, ref, id, repair, log);
}

// The union of a list of polygons (consumed), or nullptr.
GeomPtr dissolve(std::vector<GeomPtr> parts) {
    if (parts.empty())
        return nullptr;
    auto* ctx = Geos::ctx();
    std::vector<GEOSGeometry*> raw;
    for (auto& p : parts)
        raw.push_back(p.release());
    GeomPtr all(GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, raw.data(),
                                            static_cast<unsigned>(raw.size())));
    GeomPtr u(GEOSUnaryUnion_r(ctx, all.get()));
    if (!u)
        throw Error(Stage::Ingest, trf("cannot dissolve corridor belts: {}", Geos::last_error()),
                    Error::Kind::Internal);
    return polygonal_part(u.get());
}

GeomPtr clone(const GEOSGeometry* g) {
    return GeomPtr(GEOSGeom_clone_r(Geos::ctx(), g));
}

AreaCm2x100 measured(const AreaCalculator& area, const GEOSGeometry* g) {
    return g ? to_hundredths(area.measure(*to_ogr(g)).ellipsoidal_m2) : 0;
}

// g ∩ mask (its polygonal or linear part), or nullptr.
GeomPtr clipped(const GEOSGeometry* g, const GEOSGeometry* mask, bool polygonal) {
    auto* ctx = Geos::ctx();
    GeomPtr i(GEOSIntersection_r(ctx, g, mask));
    if (!i)
        throw Error(Stage::Quota, trf("cannot clip a corridor: {}", Geos::last_error()),
                    Error::Kind::Internal);
    if (GEOSisEmpty_r(ctx, i.get()) == 1)
        return nullptr;
    return polygonal ? polygonal_part(i.get()) : std::move(i);
}

GeomPtr without(const GEOSGeometry* g, const GEOSGeometry* mask) {
    auto* ctx = Geos::ctx();
    GeomPtr d(GEOSDifference_r(ctx, g, mask));
    if (!d)
        throw Error(Stage::Quota, trf("cannot clip a corridor: {}", Geos::last_error()),
                    Error::Kind::Internal);
    return GEOSisEmpty_r(ctx, d.get()) == 1 ? nullptr : std::move(d);
}

} // namespace

void read_corridors(const Job& job, const OGRSpatialReference& working, ReferenceLayers& ref,
                    std::vector<std::string>& files, FindingLog& log) {
    if (job.corridors.empty())
        return;
    const AreaCalculator area(working, job.densify_m);
    for (const auto& C : job.corridors) {
        LayerReader reader(C, FieldRequest{{C.name_field}, {"name_field"}});
        check_layer_extent(reader);
        reader.set_working_crs(working);
        for (auto& f : reader.files())
            if (std::find(files.begin(), files.end(), f) == files.end())
                files.push_back(f);
        CorridorRef c{C.name, C.role, C.buffer_m, C.path, reader.layer_name(), {}, {}, 0.0, 0.0};
        const FeatureRef fref{&reader, C.name_field};
        std::vector<GeomPtr> belts;
        SourceFeature f;
        std::int64_t features = 0;
        while (reader.next(f)) {
            ++features;
            const std::string& value = f.values.empty() ? std::string{} : f.values[0];
            const std::string name = is_blank(value) ? fmt::format("FID {}", f.fid) : value;
            GeomPtr g = checked_route(f, fref, value, job.repair_invalid, log);
            if (!g)
                continue;
            const bool line = GEOSGeom_getDimensions_r(Geos::ctx(), g.get()) == 1;
            if (line && C.buffer_m <= 0.0) {
                log.add(fref.finding(S::Error, "line_without_buffer", f, value, "",
                                     tr("a line has no area: set buffer_m (metres each side) "
                                        "in its [[corridor]]")));
                continue;
            }
            GroundBuffer b;
            if (C.buffer_m > 0.0)
                b = buffer_on_ground(g.get(), working, C.buffer_m, job.densify_m);
            else
                b.belt = clone(g.get());
            c.width_error = std::max(c.width_error, b.width_error);
            if (b.belt)
                belts.push_back(std::move(b.belt));
            const double length = line ? ground_length_m(g.get(), working, job.densify_m) : 0.0;
            c.routes.push_back(CorridorRoute{name, std::move(g), length});
        }
        if (features == 0)
            log.add(Finding{S::Error, "empty_layer", C.path, reader.layer_name(), "", "",
                            tr("the layer has no features")});
        c.belt = dissolve(std::move(belts));
        c.belt_m2 = c.belt ? area.measure(*to_ogr(c.belt.get())).ellipsoidal_m2 : 0.0;
        if (C.role == CorridorRole::Exclude && c.belt)
            ref.exclusions.push_back(ExclusionPolygon{C.name, clone(c.belt.get())});
        ref.corridors.push_back(std::move(c));
    }
}

CorridorClipper::CorridorClipper(const ReferenceLayers& ref, const AreaCalculator& area)
    : ref_(ref), area_(area) {
    for (const auto& c : ref.corridors)
        belts_.emplace_back(c.belt ? GEOSPrepare_r(Geos::ctx(), c.belt.get()) : nullptr);
}

CorridorClipper::~CorridorClipper() = default;

void CorridorClipper::add(const std::string& village_id, const GEOSGeometry* pieces,
                          AreaCm2x100 reclaim, CorridorTally& tally) const {
    auto* ctx = Geos::ctx();
    tally.resize(belts_.size());
    for (std::size_t i = 0; i < belts_.size(); ++i) {
        if (!belts_[i] || GEOSPreparedIntersects_r(ctx, belts_[i].get(), pieces) != 1)
            continue;
        // Wholly inside: the parcel's own figure, so the corridor adds up with the villages.
        AreaCm2x100 inside = reclaim;
        if (GEOSPreparedContains_r(ctx, belts_[i].get(), pieces) != 1) {
            GeomPtr part = clipped(pieces, ref_.corridors[i].belt.get(), true);
            inside = std::min(reclaim, measured(area_, part.get()));
        }
        if (inside <= 0)
            continue;
        CorridorInside& in = tally[i][village_id];
        in.reclaim += inside;
        ++in.parcels;
    }
}

void mark_priority_lots(std::vector<QuotaLot>& lots, const ReferenceLayers& ref,
                        const QuotaTables& quota, const CorridorTally& tally) {
    std::map<std::string, AreaCm2x100> inside;
    for (std::size_t i = 0; i < ref.corridors.size() && i < tally.size(); ++i)
        if (ref.corridors[i].role == CorridorRole::Priority)
            for (const auto& [v, in] : tally[i])
                inside[v] += in.reclaim;
    if (inside.empty())
        return;
    std::map<std::string, AreaCm2x100> reclaim;
    for (const auto& v : quota.villages)
        reclaim[v.village_id] = v.reclaim;
    for (auto& l : lots) {
        const auto in = inside.find(l.village_id);
        const auto all = reclaim.find(l.village_id);
        if (in == inside.end() || all == reclaim.end() || all->second <= 0)
            continue;
        l.corridor =
            std::min(1.0, static_cast<double>(in->second) / static_cast<double>(all->second));
    }
}

AreaCm2x100 freed_share(AreaCm2x100 freed, AreaCm2x100 inside, AreaCm2x100 reclaim) {
    if (reclaim == 0)
        return 0;
    return static_cast<AreaCm2x100>(round_div128(static_cast<__int128>(freed) * inside, reclaim));
}

CorridorReport corridor_report(const ReferenceLayers& ref, const QuotaTables& quota,
                               const CorridorTally& tally, const AreaCalculator& area,
                               const OGRSpatialReference& working, double densify_m) {
    auto* ctx = Geos::ctx();
    // Regions as the union of their townships; none when the job has no townships.
    std::map<std::string, std::vector<GeomPtr>> parts;
    std::vector<GeomPtr> every;
    for (const auto& t : ref.townships) {
        parts[t.region_id].push_back(clone(t.geometry.get()));
        every.push_back(clone(t.geometry.get()));
    }
    std::map<std::string, GeomPtr> regions;
    for (auto& [id, ps] : parts)
        regions[id] = dissolve(std::move(ps));
    const GeomPtr county = dissolve(std::move(every));
    std::map<std::string, const VillageQuota*> village;
    for (const auto& v : quota.villages)
        village[v.village_id] = &v;
    std::map<std::string, std::string> township_name;
    for (const auto& t : quota.townships)
        township_name.emplace(t.id, t.name);

    CorridorReport out;
    for (std::size_t i = 0; i < ref.corridors.size(); ++i) {
        const CorridorRef& c = ref.corridors[i];
        PreparedPtr belt(c.belt ? GEOSPrepare_r(ctx, c.belt.get()) : nullptr);
        auto row_for = [&](const std::string& region) {
            CorridorRow r;
            r.corridor = c.name;
            r.role = to_string(c.role);
            r.region_id = region;
            return r;
        };
        // The belt and the routes, cut by region (or whole).
        std::vector<std::pair<std::string, const GEOSGeometry*>> masks;
        for (const auto& [id, g] : regions)
            masks.emplace_back(id, g.get());
        std::map<std::string, CorridorRow> rows;
        auto measure_in = [&](CorridorRow& r, const GEOSGeometry* mask, bool outside) {
            if (c.belt) {
                GeomPtr b = !mask     ? clone(c.belt.get())
                            : outside ? without(c.belt.get(), mask)
                                      : clipped(c.belt.get(), mask, true);
                if (b && outside)
                    b = polygonal_part(b.get());
                r.belt = measured(area, b.get());
            }
            for (const auto& route : c.routes) {
                if (GEOSGeom_getDimensions_r(ctx, route.geometry.get()) != 1)
                    continue;
                GeomPtr l = !mask     ? clone(route.geometry.get())
                            : outside ? without(route.geometry.get(), mask)
                                      : clipped(route.geometry.get(), mask, false);
                if (l)
                    r.length_m += ground_length_m(l.get(), working, densify_m);
            }
        };
        if (masks.empty()) {
            rows[""] = row_for("");
            measure_in(rows[""], nullptr, false);
        } else {
            for (const auto& [id, mask] : masks) {
                if (!mask || !belt || GEOSPreparedIntersects_r(ctx, belt.get(), mask) != 1)
                    continue;
                CorridorRow r = row_for(id);
                measure_in(r, mask, false);
                if (r.belt > 0 || r.length_m > 0)
                    rows[id] = std::move(r);
            }
            CorridorRow r = row_for(kOutsideRegion);
            measure_in(r, county.get(), true);
            if (r.belt > 0 || r.length_m > 0)
                rows[kOutsideRegion] = std::move(r);
        }
        // The villages touched, each with what the parcel pass found inside; a region's row is
        // their sum, so the two tables cannot disagree.
        auto region_of = [&](const std::string& v) {
            const auto it = village.find(v);
            const std::string id = it == village.end() ? std::string{} : it->second->region_id;
            return masks.empty() ? std::string{} : id;
        };
        std::map<std::string, CorridorVillageRow> touched;
        auto village_row = [&](const std::string& v) -> CorridorVillageRow& {
            auto [it, fresh] = touched.try_emplace(v);
            if (fresh) {
                CorridorVillageRow& x = it->second;
                x.corridor = c.name;
                x.role = to_string(c.role);
                x.region_id = region_of(v);
                x.village_id = v;
                if (const auto q = village.find(v); q != village.end()) {
                    x.name = q->second->name;
                    x.township_id = q->second->township_id;
                    if (const auto t = township_name.find(x.township_id); t != township_name.end())
                        x.township = t->second;
                }
            }
            return it->second;
        };
        if (i < tally.size())
            for (const auto& [v, in] : tally[i]) {
                CorridorVillageRow& x = village_row(v);
                x.reclaim += in.reclaim;
                x.parcels += in.parcels;
                if (const auto q = village.find(v); q != village.end())
                    x.freed += freed_share(q->second->freed(), in.reclaim, q->second->reclaim);
            }
        // Territory shared with the belt (touching at an edge only is not sharing).
        if (belt)
            for (const auto& v : ref.villages)
                if (GEOSPreparedIntersects_r(ctx, belt.get(), v.geometry.get()) == 1 &&
                    GEOSPreparedTouches_r(ctx, belt.get(), v.geometry.get()) != 1)
                    village_row(v.id);
        std::vector<CorridorVillageRow> listed;
        for (auto& [v, x] : touched) {
            CorridorRow& r = rows.try_emplace(x.region_id, row_for(x.region_id)).first->second;
            r.reclaim += x.reclaim;
            r.parcels += x.parcels;
            r.freed += x.freed;
            r.villages += 1;
            listed.push_back(std::move(x));
        }
        std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) {
            return std::tie(a.region_id, a.township_id) < std::tie(b.region_id, b.township_id);
        });
        for (auto& x : listed)
            out.villages.push_back(std::move(x));
        for (auto& [id, r] : rows)
            out.rows.push_back(std::move(r));
    }
    return out;
}

} // namespace landquota
