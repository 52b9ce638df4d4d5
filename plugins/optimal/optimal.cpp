// optimal: the allocation as a linear programme (domain brief: "an optimal allocation is a linear
// programme"). Maximise Σ w_s x_ls over the (lot, site) pairs the flow rules allow, in mu, subject
// to each lot's supply and each site's demand; with a minimum transfer size the programme becomes
// a MILP (x_ls = 0 or ≥ min) solved with CBC, otherwise an LP solved with CLP. The solution is
// turned into hundredths of m² by flooring (no lot or site is ever exceeded), and the shadow price
// of quota (the value of one more mu) is reported from the duals. The model lives in lp_model.cpp.
#include "lp_model.hpp"

#include "landquota/benefit.hpp"
#include "landquota/flow_rules.hpp"
#include "landquota/plugin.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace {

using namespace landquota;

std::string fmt(double v) {
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

class Optimal : public AllocationStrategy {
  public:
    explicit Optimal(const OptionValues& o)
        : rules_(FlowRules::from(o)), benefit_(o.str("benefit")),
          min_mu_(o.number("min_transfer_mu")), time_limit_s_(o.number("time_limit_s")) {
        if (!std::isfinite(min_mu_) || min_mu_ < 0)
            throw PluginError(
                plugin_message("min_transfer_mu must be a number ≥ 0, not {}", fmt(min_mu_)));
        if (!std::isfinite(time_limit_s_) || time_limit_s_ <= 0)
            throw PluginError(plugin_message("time_limit_s must be a number of seconds > 0, not {}",
                                             fmt(time_limit_s_)));
    }

    AllocationResult allocate(const std::vector<QuotaLot>& lots,
                              const std::vector<Site>& sites) override {
        // Sorted by id so the same input gives the same model and the same transfers.
        std::vector<const QuotaLot*> L;
        for (const auto& l : lots)
            if (l.area > 0)
                L.push_back(&l);
        std::stable_sort(L.begin(), L.end(),
                         [](auto* a, auto* b) { return a->lot_id < b->lot_id; });
        std::vector<const Site*> S;
        for (const auto& s : sites)
            if (s.demand > 0)
                S.push_back(&s);
        std::stable_sort(S.begin(), S.end(),
                         [](auto* a, auto* b) { return a->site_id < b->site_id; });

        optimal::Problem prob;
        prob.min_transfer = min_mu_;
        prob.time_limit_s = time_limit_s_;
        for (auto* l : L)
            prob.supply.push_back(to_mu(l->area));
        std::vector<double> weight;
        for (auto* s : S) {
            prob.demand.push_back(to_mu(s->demand));
            // A site left blank is refused, not weighed 0: 0 would silently give it nothing.
            const auto it = s->attributes.find(benefit_);
            if (it == s->attributes.end())
                throw PluginError(
                    plugin_message("site {} has no value for {}, the benefit the objective weighs; "
                                   "give it one (0 if the site brings none)",
                                   s->site_id, benefit_));
            const double w = it->second;
            if (!std::isfinite(w))
                throw PluginError(plugin_message("site {}: attribute {} is not a finite number",
                                                 s->site_id, benefit_));
            weight.push_back(w);
        }
        for (std::size_t i = 0; i < L.size(); ++i)
            for (std::size_t j = 0; j < S.size(); ++j)
                if (rules_.allows(*L[i], *S[j]))
                    prob.pairs.push_back({i, j, weight[j]});

        AllocationResult r;
        const optimal::Solution sol = optimal::solve(prob);
        r.notes.push_back(sol.status);

        // Solver mu → hundredths of m², floored (a tiny tolerance absorbs floating-point noise on
        // values that are whole hundredths), then capped by what the lot and site have left so no
        // constraint is ever exceeded.
        std::vector<AreaCm2x100> lot_left(L.size()), site_left(S.size()),
            amount(prob.pairs.size(), 0);
        for (std::size_t i = 0; i < L.size(); ++i)
            lot_left[i] = L[i]->area;
        for (std::size_t j = 0; j < S.size(); ++j)
            site_left[j] = S[j]->demand;
        double lp_hundredths = 0;
        for (std::size_t k = 0; k < prob.pairs.size(); ++k) {
            const double h = hundredths_from_mu(sol.x[k]);
            if (!(h > 0))
                continue;
            lp_hundredths += h;
            const auto& pr = prob.pairs[k];
            AreaCm2x100 a = static_cast<AreaCm2x100>(std::floor(h + 1e-6));
            a = std::min({a, lot_left[pr.lot], site_left[pr.site]});
            if (a <= 0)
                continue;
            amount[k] = a;
            lot_left[pr.lot] -= a;
            site_left[pr.site] -= a;
        }
        // Hundredths lost to flooring go back to transfers already made where both the lot and the
        // site still have room (best weight first): only ever adds, never exceeds.
        std::vector<std::size_t> order(prob.pairs.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
            return prob.pairs[a].weight > prob.pairs[b].weight;
        });
        for (auto k : order) {
            const auto& pr = prob.pairs[k];
            if (amount[k] <= 0 || pr.weight <= 0)
                continue;
            const AreaCm2x100 add = std::min(lot_left[pr.lot], site_left[pr.site]);
            if (add > 0) {
                amount[k] += add;
                lot_left[pr.lot] -= add;
                site_left[pr.site] -= add;
            }
        }
        std::size_t below_min = 0;
        AreaCm2x100 total = 0;
        for (std::size_t k = 0; k < prob.pairs.size(); ++k) {
            if (amount[k] <= 0)
                continue;
            const auto& pr = prob.pairs[k];
            r.transfers.push_back(Transfer{"", L[pr.lot]->lot_id, S[pr.site]->site_id, amount[k]});
            total += amount[k];
            if (min_mu_ > 0 && to_mu(amount[k]) < min_mu_)
                ++below_min;
        }

        // Figures.
        r.figures.emplace_back("objective", allocation_benefit(r.transfers, sites, benefit_));
        r.figures.emplace_back("lp_objective", sol.objective);
        if (!sol.supply_dual.empty())
            r.figures.emplace_back("shadow_price_per_mu", *std::max_element(sol.supply_dual.begin(),
                                                                            sol.supply_dual.end()));
        else if (L.empty())
            r.figures.emplace_back("shadow_price_per_mu", 0.0); // no quota at all: nothing to price
        else
            r.notes.push_back(
                plugin_message("shadow_price_per_mu not reported: no duals available"));
        std::vector<double> lot_used(L.size(), 0.0), site_used(S.size(), 0.0);
        for (std::size_t k = 0; k < prob.pairs.size(); ++k) {
            lot_used[prob.pairs[k].lot] += sol.x[k];
            site_used[prob.pairs[k].site] += sol.x[k];
        }
        auto binding = [](const std::vector<double>& used, const std::vector<double>& cap) {
            double n = 0;
            for (std::size_t i = 0; i < used.size(); ++i)
                if (cap[i] - used[i] <= 1e-6 + 1e-9 * cap[i])
                    ++n;
            return n;
        };
        r.figures.emplace_back("binding_lots", binding(lot_used, prob.supply));
        r.figures.emplace_back("binding_sites", binding(site_used, prob.demand));
        r.figures.emplace_back("pairs", static_cast<double>(prob.pairs.size()));

        // Notes.
        const double lost_m2 = std::max(0.0, lp_hundredths - static_cast<double>(total)) / 100.0;
        r.notes.push_back(
            plugin_message("solver amounts in mu floored to hundredths of m² (up to 0.01 m² per "
                           "transfer may be left unallocated; {} m² left in all)",
                           fmt(lost_m2)));
        if (sol.mip) {
            r.notes.push_back(plugin_message(
                "minimum transfer {} mu: {} allowed pair(s) could not carry it and were left out",
                fmt(min_mu_), std::to_string(sol.pairs_excluded)));
            if (below_min)
                r.notes.push_back(plugin_message(
                    "{} transfer(s) fall below the minimum by rounding (at most 0.01 m² each)",
                    std::to_string(below_min)));
            r.notes.push_back(
                plugin_message("shadow_price_per_mu is the largest lot-supply dual of the LP with "
                               "the transfer pattern fixed at the MILP optimum"));
        } else {
            r.notes.push_back(
                plugin_message("shadow_price_per_mu is the largest lot-supply dual of the LP "
                               "(value of one more mu of quota in the best lot)"));
        }
        return r;
    }

  private:
    FlowRules rules_;
    std::string benefit_;
    double min_mu_, time_limit_s_;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "optimal";
    info.version = "1.0.0";
    info.description =
        "maximise total weighted benefit (e.g. tax per mu × mu) by a linear programme, "
        "with an optional minimum transfer size; reports the shadow price of quota";
    info.source =
        "linear programme; COIN-OR CLP (LP) / CBC (MILP with a minimum transfer); domain brief: "
        "an optimal allocation is a linear programme";
    info.options = {
        {"benefit", OptionType::String, std::string("tax_per_mu"),
         "site attribute whose value per mu is maximised (every site needs a value)"},
        {"benefit_unit", OptionType::String, std::string(""),
         "the unit of that attribute, e.g. \"万元/亩\" for 亩均税收: the shadow price is in it "
         "(one more mu of quota adds that much) and the objective in its numerator"},
        {"min_transfer_mu", OptionType::Number, 0.0,
         "smallest transfer in mu: each lot–site transfer is 0 or at least this (0: no minimum, "
         "plain LP)"},
        {"time_limit_s", OptionType::Number, 60.0,
         "with a minimum transfer: stop the search after this many seconds and keep the best "
         "allocation found, reporting how far from the optimum it can be (its proven gap)"},
    };
    for (auto& o : FlowRules::options())
        info.options.push_back(o);
    registry->add_allocation(info,
                             [](const OptionValues& o) { return std::make_unique<Optimal>(o); });
}
