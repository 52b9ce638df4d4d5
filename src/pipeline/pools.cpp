#include "pipeline/pools.hpp"

#include "pipeline/allocate.hpp"

#include <fmt/format.h>
#include <map>
#include <utility>

namespace landquota {

std::string pool_key(PoolLevel level, const std::string& region_id, const std::string& zone_id) {
    switch (level) {
    case PoolLevel::Zone:
        return region_id + '\x1f' + zone_id;
    case PoolLevel::Region:
        return region_id;
    case PoolLevel::Job:
        break;
    }
    return {};
}

namespace {

// The strategy for one stage: inside one unit at `level`, flows at that level or a wider one
// cannot say anything but "within", so they are lifted; flows between narrower units still apply.
ResolvedPlugin for_stage(const ResolvedPlugin& strategy, PoolLevel level) {
    const auto& all = strategy.options.all();
    const auto flows = all.find("flows"), flow_level = all.find("flow_level");
    if (level == PoolLevel::Job || flows == all.end() || flow_level == all.end())
        return strategy;
    const auto* by = std::get_if<std::string>(&flow_level->second);
    const bool flows_at_zone = by && *by == "zone";
    if (level == PoolLevel::Region && flows_at_zone)
        return strategy;
    ResolvedPlugin s = strategy;
    auto options = all;
    options["flows"] = std::vector<std::string>{};
    s.options = OptionValues(std::move(options));
    return s;
}

bool additive(const std::string& figure) {
    return figure == "objective" || figure == "lp_objective";
}

} // namespace

AllocationResult allocate_in_pools(const ResolvedPlugin& strategy,
                                   const std::vector<PoolLevel>& pools,
                                   const std::vector<QuotaLot>& lots,
                                   const std::vector<Site>& sites) {
    if (pools.size() == 1 && pools.front() == PoolLevel::Job)
        return allocate(strategy, lots, sites);

    std::vector<QuotaLot> supply = lots;
    std::vector<Site> demand = sites;
    std::map<std::pair<std::string, std::string>, AreaCm2x100> merged; // (site, lot) -> m²
    AllocationResult out;
    std::map<std::string, double> sums;
    std::vector<std::pair<std::string, double>> staged;
    std::vector<Message> notes;
    int stages_run = 0;
    for (const PoolLevel level : pools) {
        const ResolvedPlugin stage = for_stage(strategy, level);
        // Units in key order, so the run is the same whatever the input order.
        std::map<std::string, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> units;
        for (std::size_t i = 0; i < supply.size(); ++i)
            if (supply[i].area > 0)
                units[pool_key(level, supply[i].region_id, supply[i].zone_id)].first.push_back(i);
        for (std::size_t i = 0; i < demand.size(); ++i)
            if (demand[i].demand > 0)
                units[pool_key(level, demand[i].region_id, demand[i].zone_id)].second.push_back(i);
        for (const auto& [key, members] : units) {
            const auto& [lot_at, site_at] = members;
            if (lot_at.empty() || site_at.empty())
                continue;
            std::vector<QuotaLot> unit_lots;
            std::vector<Site> unit_sites;
            for (const std::size_t i : lot_at)
                unit_lots.push_back(supply[i]);
            for (const std::size_t i : site_at)
                unit_sites.push_back(demand[i]);
            AllocationResult r = allocate(stage, unit_lots, unit_sites);
            ++stages_run;
            std::map<std::string, AreaCm2x100> lot_used, site_got;
            for (const auto& t : r.transfers) {
                merged[{t.site_id, t.lot_id}] += t.area;
                lot_used[t.lot_id] += t.area;
                site_got[t.site_id] += t.area;
            }
            for (const std::size_t i : lot_at)
                supply[i].area -= lot_used[supply[i].lot_id];
            for (const std::size_t i : site_at)
                demand[i].demand -= site_got[demand[i].site_id];
            std::string unit = key;
            if (level == PoolLevel::Zone)
                unit.replace(unit.find('\x1f'), 1, " / ");
            const std::string tag =
                level == PoolLevel::Job ? "job" : fmt::format("{} {}", to_string(level), unit);
            for (const auto& [name, value] : r.figures) {
                if (additive(name))
                    sums[name] += value;
                else
                    staged.emplace_back(fmt::format("{} [{}]", name, tag), value);
            }
            // A stage's notes hold for that stage ("site QZ03 short of …" before the city's
            // pool adds to it): each stage's are headed by its pool.
            if (!r.notes.empty()) {
                notes.push_back(level == PoolLevel::Job
                                    ? plugin_message("in the pool of the whole job:")
                                    : plugin_message("in the pool of {}:", unit));
                for (auto& m : r.notes)
                    notes.push_back(std::move(m));
            }
        }
    }
    int n = 0;
    for (const auto& [key, area] : merged)
        out.transfers.push_back(Transfer{fmt::format("T{:04d}", ++n), key.second, key.first, area});
    for (const auto& [name, value] : sums)
        out.figures.emplace_back(name, value);
    // One stage that ran: its figures keep their own names, as in an unpooled run.
    for (auto& [name, value] : staged)
        out.figures.emplace_back(stages_run == 1 ? name.substr(0, name.find(" [")) : name, value);
    out.notes = std::move(notes);
    return out;
}

} // namespace landquota
