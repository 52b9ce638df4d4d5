#include "pipeline/quota.hpp"

#include "core/translate.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <tuple>

namespace landquota {

namespace {

template <typename Row> void apportion(std::vector<Row*>& rows, std::int64_t parent_mu) {
    std::vector<std::int64_t> fine;
    for (const Row* r : rows)
        fine.push_back(mu_millionths(r->freed()));
    const auto mu = round_to_total(fine, kMuMillionthsPerMuHundredth, parent_mu);
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i]->freed_mu_hundredths = mu[i];
}

template <typename Row> void accumulate(UnitQuota& u, const Row& r) {
    u.reclaim += r.reclaim;
    u.resettle += r.resettle;
}
} // namespace

std::vector<VillageQuota> add_resettlement(std::vector<VillageQuota> villages,
                                           const ReferenceLayers& ref, const AreaCalculator& area,
                                           const VillageInput& input, FindingLog& log) {
    std::map<std::string, VillageQuota*> by_id;
    for (auto& v : villages)
        by_id.emplace(v.village_id, &v);
    for (const auto& site : ref.resettlement) {
        const auto it = by_id.find(site.village_id);
        if (it == by_id.end())
            continue; // reported at ingest (unknown_village)
        it->second->resettle +=
            to_hundredths(area.measure(*to_ogr(site.geometry.get())).ellipsoidal_m2);
    }
    for (const auto& v : villages)
        if (v.freed() < 0)
            log.add(Finding{Finding::Severity::Warning, "negative_freed_quota", input.path,
                            ref.villages_layer, fmt::format("{}={}", input.id, v.village_id), "",
                            trf("resettlement ({} m²) exceeds reclaim ({} m²)",
                                format_m2(v.resettle), format_m2(v.reclaim))});
    return villages;
}

QuotaTables compute_quota(std::vector<VillageQuota> villages, const ReferenceLayers& ref) {
    QuotaTables t;
    std::sort(villages.begin(), villages.end(), [](const VillageQuota& a, const VillageQuota& b) {
        return std::tie(a.region_id, a.zone_id, a.township_id, a.village_id) <
               std::tie(b.region_id, b.zone_id, b.township_id, b.village_id);
    });
    t.villages = std::move(villages);
    std::map<std::string, std::string> township_names;
    for (const auto& tw : ref.townships)
        township_names.emplace(tw.id, tw.name);

    // Aggregate bottom-up (rows are sorted, so each unit's rows are contiguous).
    std::map<std::string, std::size_t> tw_at, zone_at, region_at;
    for (const auto& v : t.villages) {
        if (!tw_at.count(v.township_id)) {
            tw_at[v.township_id] = t.townships.size();
            UnitQuota u;
            u.id = v.township_id;
            const auto n = township_names.find(v.township_id);
            u.name = n != township_names.end() ? n->second : v.township_id;
            u.parent_id = v.zone_id;
            u.region_id = v.region_id;
            t.townships.push_back(u);
        }
        UnitQuota& tw = t.townships[tw_at[v.township_id]];
        ++tw.villages;
        accumulate(tw, v);
        const std::string zkey = v.region_id + '\x1f' + v.zone_id;
        if (!zone_at.count(zkey)) {
            zone_at[zkey] = t.zones.size();
            t.zones.push_back(UnitQuota{v.zone_id, v.zone_id, v.region_id, v.region_id});
        }
        UnitQuota& z = t.zones[zone_at[zkey]];
        ++z.villages;
        accumulate(z, v);
        if (!region_at.count(v.region_id)) {
            region_at[v.region_id] = t.regions.size();
            t.regions.push_back(UnitQuota{v.region_id, v.region_id, "", v.region_id});
        }
        UnitQuota& r = t.regions[region_at[v.region_id]];
        ++r.villages;
        accumulate(r, v);
        ++t.county.villages;
        accumulate(t.county, v);
    }
    t.county.id = t.county.name = "county";

    // Apportion mu top-down.
    t.county.freed_mu_hundredths = hundredths_m2_to_mu_hundredths(t.county.freed());
    std::vector<UnitQuota*> regions;
    for (auto& r : t.regions)
        regions.push_back(&r);
    apportion(regions, t.county.freed_mu_hundredths);
    for (auto& r : t.regions) {
        std::vector<UnitQuota*> zones;
        for (auto& z : t.zones)
            if (z.parent_id == r.id)
                zones.push_back(&z);
        apportion(zones, r.freed_mu_hundredths);
    }
    for (auto& z : t.zones) {
        std::vector<UnitQuota*> tws;
        for (auto& tw : t.townships)
            if (tw.parent_id == z.id &&
                tw.region_id == z.parent_id) // zone ids may repeat across regions
                tws.push_back(&tw);
        apportion(tws, z.freed_mu_hundredths);
    }
    for (auto& tw : t.townships) {
        std::vector<VillageQuota*> vs;
        for (auto& v : t.villages)
            if (v.township_id == tw.id)
                vs.push_back(&v);
        apportion(vs, tw.freed_mu_hundredths);
    }
    return t;
}

} // namespace landquota
