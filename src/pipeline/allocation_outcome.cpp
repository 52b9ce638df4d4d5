#include "pipeline/allocation_outcome.hpp"

#include "core/translate.hpp"
#include "landquota/units.hpp"
#include "pipeline/lots.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace landquota {

namespace {

std::string mu(AreaCm2x100 a) {
    return format_mu(hundredths_m2_to_mu_hundredths(a)) + " mu";
}

// "run 1 (2026-11-24T20:20:00Z, alice: 700.87 mu in 18 transfers)"
std::string runs_text(const std::vector<ledger::EarlierRun>& runs) {
    std::string out;
    for (const auto& r : runs)
        out += trf("{}run {} ({}, {}: {} in {} transfers)", out.empty() ? "" : "; ", r.run,
                   r.recorded_at, r.operator_name, mu(r.transferred), r.transfers);
    return out;
}

} // namespace

std::vector<UnsuppliedSite> unsupplied_sites(const AllocationRun& a) {
    std::set<std::string> got;
    for (const auto& t : a.transfers)
        got.insert(t.site_id);
    std::map<std::string, AreaCm2x100> wanted;
    for (const auto& s : a.demand)
        wanted[s.site_id] = s.demand;
    std::vector<UnsuppliedSite> out;
    for (const auto& s : a.sites)
        if (!got.count(s.site_id))
            out.push_back({s.site_id, s.name, wanted[s.site_id]});
    return out;
}

std::size_t supplied_sites(const AllocationRun& a) {
    std::set<std::string> got;
    for (const auto& t : a.transfers)
        got.insert(t.site_id);
    return got.size();
}

std::string why_nothing_allocated(const AllocationRun& a, const std::string& ledger) {
    if (!a.transfers.empty())
        return {};
    std::size_t accepted = 0;
    AreaCm2x100 accepted_area = 0;
    std::map<std::string, int> states;
    for (const auto& l : a.lots) {
        ++states[l.state];
        if (allocable(l)) {
            ++accepted;
            accepted_area += l.area;
        }
    }
    if (a.lots.empty())
        return tr("no village frees quota: there is no lot to allocate");
    if (accepted == 0) {
        std::string by_state;
        for (const auto& [state, n] : states)
            by_state += fmt::format("{}{} {}", by_state.empty() ? "" : ", ", n, state);
        return trf("no lot is accepted ({} lots: {}); quota can be allocated only once its "
                   "reclamation is accepted ([inputs.villages] state)",
                   a.lots.size(), by_state);
    }
    if (a.sites.empty())
        return tr("there are no sites to allocate to ([inputs.sites])");
    if (a.supply.empty())
        return trf("the accepted quota ({}) was all spent by earlier runs recorded in {}: {}",
                   mu(accepted_area), ledger, runs_text(a.earlier_runs));
    if (total_demand(a.demand) == 0)
        return trf("every site's demand was already met by earlier runs recorded in {}: {}", ledger,
                   runs_text(a.earlier_runs));
    return trf("no eligible site: strategy '{}' found no lot–site pair its rules allow "
               "({} unspent, {} wanted; see the job's [allocation] flows and distances)",
               a.strategy, mu(total_area(a.supply)), mu(total_demand(a.demand)));
}

} // namespace landquota
