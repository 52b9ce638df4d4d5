#include "pipeline/allocate.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <tuple>

namespace landquota {

AllocationResult allocate(const ResolvedPlugin& strategy, const std::vector<QuotaLot>& lots,
                          const std::vector<Site>& sites) {
    const LoadedPlugin& p = *strategy.plugin;
    AllocationResult out;
    try {
        out = p.allocation(strategy.options)->allocate(lots, sites);
    } catch (const std::invalid_argument& e) { // an option value the plugin cannot use
        throw Error(Stage::Allocate, trf("[{}] strategy '{}': {}", strategy.table, p.info.name,
                                         plugin_error_text(e)));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(Stage::Allocate, trf("strategy '{}' failed: {}", p.info.name, e.what()),
                    Error::Kind::Internal);
    }

    std::map<std::string, AreaCm2x100> lot_left, site_left;
    for (const auto& l : lots)
        lot_left[l.lot_id] = l.area;
    for (const auto& s : sites)
        site_left[s.site_id] = s.demand;
    auto broken = [&](const std::string& what) {
        return Error(Stage::Allocate,
                     trf("strategy '{}' ({}) returned an impossible allocation: {}", p.info.name,
                         p.file, what),
                     Error::Kind::Internal);
    };
    // Merge repeated (lot, site) pairs so each pair is one transfer.
    std::map<std::pair<std::string, std::string>, AreaCm2x100> merged;
    for (const auto& t : out.transfers) {
        if (!lot_left.count(t.lot_id))
            throw broken("unknown lot '" + t.lot_id + "'");
        if (!site_left.count(t.site_id))
            throw broken("unknown site '" + t.site_id + "'");
        if (t.area <= 0)
            throw broken(fmt::format("a transfer of {} m² from {} to {}", format_m2(t.area),
                                     t.lot_id, t.site_id));
        if ((lot_left[t.lot_id] -= t.area) < 0)
            throw broken("lot '" + t.lot_id + "' used beyond its area");
        if ((site_left[t.site_id] -= t.area) < 0)
            throw broken("site '" + t.site_id + "' given more than its demand");
        merged[{t.site_id, t.lot_id}] += t.area;
    }
    out.transfers.clear();
    int n = 0;
    for (const auto& [key, area] : merged)
        out.transfers.push_back(Transfer{fmt::format("T{:04d}", ++n), key.second, key.first, area});
    return out;
}

} // namespace landquota
