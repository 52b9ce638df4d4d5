#include "pipeline/lots.hpp"

#include "geo/polygon_index.hpp"

#include <fmt/format.h>

namespace landquota {

std::vector<QuotaLot> make_lots(const QuotaTables& quota, const ReferenceLayers& ref,
                                LotParcels parcels) {
    std::map<std::string, const VillageRef*> villages;
    for (const auto& v : ref.villages)
        villages[v.id] = &v;
    std::map<std::string, std::string> type_of;
    for (const auto& t : ref.townships)
        type_of[t.id] = t.type;
    std::vector<QuotaLot> lots;
    for (const auto& v : quota.villages) {
        if (v.freed() <= 0)
            continue;
        const VillageRef* r = villages.at(v.village_id);
        QuotaLot lot;
        lot.lot_id = "L" + v.village_id;
        lot.village_id = v.village_id;
        lot.village_name = v.name;
        lot.township_id = v.township_id;
        lot.zone_id = v.zone_id;
        lot.region_id = v.region_id;
        lot.area = v.freed();
        lot.state = r->state.empty() ? "accepted" : r->state;
        lot.reclaim_to = r->reclaim_to;
        lot.accepted = r->accepted;
        if (const auto it = type_of.find(v.township_id); it != type_of.end())
            lot.township_type = it->second;
        point_on_surface(r->geometry.get(), lot.x, lot.y);
        lot.parcels = std::move(parcels[v.village_id]);
        lots.push_back(std::move(lot));
    }
    return lots;
}

std::vector<Site> locate_sites(const ReferenceLayers& ref, const QuotaTables& quota) {
    // Townships by polygon when there are any, else through the villages.
    std::vector<const GEOSGeometry*> polys;
    if (!ref.townships.empty())
        for (const auto& t : ref.townships)
            polys.push_back(t.geometry.get());
    else
        for (const auto& v : ref.villages)
            polys.push_back(v.geometry.get());
    const PolygonIndex index(polys);
    std::map<std::string, const VillageQuota*> village_rows;
    for (const auto& v : quota.villages)
        village_rows[v.village_id] = &v;
    std::vector<Site> out;
    for (const auto& s : ref.sites) {
        Site site = s.site;
        const auto o = index.largest_overlap(s.geometry.get());
        if (o.found && !ref.townships.empty()) {
            const auto& t = ref.townships[o.index];
            site.township_id = t.id;
            site.zone_id = t.zone_id;
            site.region_id = t.region_id;
        } else if (o.found) {
            if (const auto it = village_rows.find(ref.villages[o.index].id);
                it != village_rows.end()) {
                site.township_id = it->second->township_id;
                site.zone_id = it->second->zone_id;
                site.region_id = it->second->region_id;
            }
        }
        out.push_back(std::move(site));
    }
    return out;
}

std::vector<TownshipFigures> township_figures(const QuotaTables& quota, const ReferenceLayers& ref,
                                              const std::vector<QuotaLot>& lots,
                                              const std::vector<Transfer>& transfers) {
    std::map<std::string, AreaCm2x100> from_lot;
    for (const auto& t : transfers)
        from_lot[t.lot_id] += t.area;
    std::map<std::string, AreaCm2x100> allocated;
    for (const auto& l : lots)
        allocated[l.township_id] += from_lot[l.lot_id];
    std::map<std::string, const TownshipRef*> refs;
    for (const auto& t : ref.townships)
        refs[t.id] = &t;
    std::vector<TownshipFigures> out;
    for (const auto& t : quota.townships) {
        TownshipFigures f;
        f.township_id = t.id;
        f.name = t.name;
        f.zone_id = t.parent_id;
        f.region_id = t.region_id;
        f.freed = t.freed();
        f.allocated_from = allocated[t.id];
        if (const auto it = refs.find(t.id); it != refs.end())
            f.indicators = it->second->indicators;
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace landquota
