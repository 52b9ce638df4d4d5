#include "pipeline/ledger_state.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"
#include "landquota/units.hpp"
#include "pipeline/lots.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace landquota {

namespace {

std::string mu(AreaCm2x100 a) {
    return format_mu(hundredths_m2_to_mu_hundredths(a));
}

} // namespace

LedgerState read_ledger_state(ledger::Ledger::Session& session, const std::filesystem::path& path) {
    return LedgerState{path,
                       session.run_number(),
                       session.run_number_prefix() + "-",
                       session.spent(),
                       session.received(),
                       session.earlier_runs(),
                       session.head_hash()};
}

void check_spent_within(const std::vector<QuotaLot>& lots, const LedgerState& state) {
    for (const auto& lot : lots)
        if (const auto sp = state.spent.find(lot.lot_id);
            sp != state.spent.end() && lot.area < sp->second)
            throw Error(Stage::Ledger,
                        trf("lot {}: its freed quota is now {} m² but {} m² of it were already "
                            "transferred by earlier runs; reverse those transfers first "
                            "(landquota audit reverse)",
                            lot.lot_id, format_m2(lot.area), format_m2(sp->second)));
}

std::vector<QuotaLot> unspent_lots(const std::vector<QuotaLot>& lots, const LedgerState& state) {
    std::vector<QuotaLot> out;
    for (const auto& l : lots) {
        if (!allocable(l))
            continue;
        QuotaLot left = l;
        if (const auto it = state.spent.find(l.lot_id); it != state.spent.end())
            left.area -= it->second;
        if (left.area > 0)
            out.push_back(std::move(left));
    }
    return out;
}

std::vector<Site> remaining_demand(std::vector<Site> sites, const LedgerState& state) {
    for (auto& s : sites)
        if (const auto it = state.received.find(s.site_id); it != state.received.end())
            s.demand = std::max<AreaCm2x100>(0, s.demand - it->second);
    return sites;
}

void refuse_shortfall_before(const LedgerSettings& settings, const LedgerState& state,
                             const std::vector<QuotaLot>& supply, const std::vector<Site>& demand) {
    const AreaCm2x100 remaining = total_area(supply);
    const AreaCm2x100 wanted = total_demand(demand);
    if (settings.refuse_shortfall && wanted > remaining)
        throw Error(Stage::Allocate,
                    trf("the sites ask for {} mu but only {} mu of accepted quota remains "
                        "unspent in {} ([ledger] on_shortfall = \"refuse\")",
                        mu(wanted), mu(remaining), state.path.string()));
}

void refuse_shortfall_after(const LedgerSettings& settings, const std::vector<Site>& demand,
                            const std::vector<Transfer>& transfers) {
    const AreaCm2x100 wanted = total_demand(demand);
    const AreaCm2x100 given = total_area(transfers);
    if (settings.refuse_shortfall && given < wanted)
        throw Error(Stage::Allocate,
                    trf("the sites ask for {} mu but the allocation can give them only {} "
                        "mu under its rules ([ledger] on_shortfall = \"refuse\")",
                        mu(wanted), mu(given)));
}

} // namespace landquota
