// pairing: strong units paired with weak ones (Jinhua's 百镇共建强基: 50 strong townships with 50
// weak mountain townships, "产业相近或关联度较高的镇街结对"). Minimum-cost assignment: every weak
// unit gets exactly one strong partner, every strong unit between `min_per_strong` and
// `capacity` weak ones; cost of a pair = distance_weight × geodesic km between centroids +
// profile_weight × (1 − cosine similarity of the industry-profile vectors). Pairs beyond
// max_distance_km or listed in must_not_pair are not allowed; must_pair pairs are fixed.
// Solved exactly as the transportation LP (methods.md §10.2).
#include "landquota/plugin.hpp"

#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <geodesic.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace {

using namespace landquota;

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

// CGCS2000's ellipsoid: the units' lon/lat are on it (or on the working CRS's own, which for
// Chinese data is the same to the millimetre).
double geodesic_km(const AnalysisUnit& a, const AnalysisUnit& b) {
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257222101);
    double s12 = 0;
    geod_inverse(&g, a.lat, a.lon, b.lat, b.lon, &s12, nullptr, nullptr);
    return s12 / 1000.0;
}

struct Pair {
    std::size_t strong, weak; // indices into the units
    double km = 0, dissimilarity = 0, distance_cost = 0, profile_cost = 0, cost = 0;
    bool must = false;
};

class Pairing : public Analysis {
  public:
    explicit Pairing(const OptionValues& o)
        : strong_ids_(o.strings("strong")), weak_ids_(o.strings("weak")), by_(o.str("by")),
          strong_top_(o.integer("strong_top")), weak_bottom_(o.integer("weak_bottom")),
          profile_(o.strings("profile")), distance_weight_(o.number("distance_weight")),
          profile_weight_(o.number("profile_weight")), max_km_(o.number("max_distance_km")),
          capacity_(o.integer("capacity")), min_per_strong_(o.integer("min_per_strong")) {
        const bool lists = !strong_ids_.empty() || !weak_ids_.empty();
        const bool ranked = !by_.empty();
        if (lists == ranked)
            throw PluginError(plugin_message(
                "give either 'strong' and 'weak' (lists of unit ids) or 'by' (an indicator such as "
                "\"index_score\") with 'strong_top' and 'weak_bottom'"));
        if (ranked && (strong_top_ <= 0 || weak_bottom_ <= 0))
            throw PluginError(plugin_message("'by' needs 'strong_top' and 'weak_bottom' above 0"));
        if (capacity_ < 1)
            throw PluginError(plugin_message("option 'capacity' must be 1 or more"));
        if (min_per_strong_ < 0 || min_per_strong_ > capacity_)
            throw PluginError(
                plugin_message("option 'min_per_strong' must be from 0 to 'capacity'"));
        if (distance_weight_ < 0 || profile_weight_ < 0 || max_km_ < 0)
            throw PluginError(plugin_message("weights and max_distance_km must not be negative"));
        must_ = pairs_option(o.strings("must_pair"), "must_pair");
        must_not_ = pairs_option(o.strings("must_not_pair"), "must_not_pair");
    }

    AnalysisResult analyse(const AnalysisInput& in) override {
        const auto& U = in.units;
        std::map<std::string, std::size_t> at;
        for (std::size_t i = 0; i < U.size(); ++i)
            at[U[i].id] = i;
        auto unit = [&](const std::string& id, const std::string& option) {
            const auto it = at.find(id);
            if (it == at.end())
                throw PluginError(plugin_message("option '{}': no unit '{}'", option, id));
            return it->second;
        };
        std::vector<std::size_t> strong, weak;
        if (by_.empty()) {
            for (const auto& id : strong_ids_)
                strong.push_back(unit(id, "strong"));
            for (const auto& id : weak_ids_)
                weak.push_back(unit(id, "weak"));
        } else {
            chosen_by_rank(U, strong, weak);
        }
        std::set<std::size_t> sset(strong.begin(), strong.end()), wset(weak.begin(), weak.end());
        if (sset.size() != strong.size() || wset.size() != weak.size())
            throw PluginError(plugin_message("a unit is listed twice in 'strong' or 'weak'"));
        for (auto s : strong)
            if (wset.count(s))
                throw PluginError(plugin_message("unit {} is both strong and weak", U[s].id));
        if (strong.empty() || weak.empty())
            throw PluginError(plugin_message("nothing to pair: no strong or no weak unit"));
        std::sort(strong.begin(), strong.end());
        std::sort(weak.begin(), weak.end());
        const auto ns = static_cast<std::int64_t>(strong.size());
        const auto nw = static_cast<std::int64_t>(weak.size());
        if (nw > ns * capacity_)
            throw PluginError(plugin_message("{} weak units but {} strong units taking at most {} "
                                             "each: raise 'capacity' or pair fewer weak units",
                                             std::to_string(nw), std::to_string(ns),
                                             std::to_string(capacity_)));
        if (nw < ns * min_per_strong_)
            throw PluginError(plugin_message(
                "{} strong units need at least {} partner(s) each but there are {} weak units: "
                "lower 'min_per_strong' (0 lets a strong unit go unpaired)",
                std::to_string(ns), std::to_string(min_per_strong_), std::to_string(nw)));

        // The allowed pairs and their costs.
        std::set<std::pair<std::size_t, std::size_t>> must, must_not;
        for (const auto& [a, b] : must_not_)
            must_not.insert({unit(a, "must_not_pair"), unit(b, "must_not_pair")});
        for (const auto& [a, b] : must_) {
            const std::size_t s = unit(a, "must_pair"), w = unit(b, "must_pair");
            if (!sset.count(s) || !wset.count(w))
                throw PluginError(plugin_message(
                    "option 'must_pair': \"{}:{}\" is not STRONG:WEAK of the units paired", a, b));
            if (must_not.count({s, w}))
                throw PluginError(
                    plugin_message("\"{}:{}\" is in both must_pair and must_not_pair", a, b));
            must.insert({s, w});
        }
        std::vector<Pair> pairs;
        for (auto s : strong)
            for (auto w : weak) {
                Pair p{s, w};
                p.km = geodesic_km(U[s], U[w]);
                p.must = must.count({s, w}) > 0;
                if (must_not.count({s, w}))
                    continue;
                if (max_km_ > 0 && p.km > max_km_) {
                    if (p.must)
                        throw PluginError(plugin_message(
                            "must_pair \"{}:{}\" is {} km apart, beyond max_distance_km", U[s].id,
                            U[w].id, std::to_string(p.km)));
                    continue;
                }
                p.dissimilarity = profile_.empty() ? 0.0 : 1.0 - cosine(U[s], U[w]);
                p.distance_cost = distance_weight_ * p.km;
                p.profile_cost = profile_weight_ * p.dissimilarity;
                p.cost = p.distance_cost + p.profile_cost;
                pairs.push_back(p);
            }
        std::vector<std::string> alone;
        for (auto w : weak)
            if (std::none_of(pairs.begin(), pairs.end(),
                             [&](const Pair& p) { return p.weak == w; }))
                alone.push_back(U[w].id + " " + U[w].name);
        if (!alone.empty())
            throw PluginError(plugin_message("no strong unit may pair with {} (max_distance_km, "
                                             "must_not_pair): the pairing is infeasible",
                                             join(alone)));

        const std::vector<double> x = solve(pairs, strong, weak);
        AnalysisResult r;
        std::vector<AnalysisColumn> cols = {
            {"pair_id", "结对编号", ValueKind::Text},
            {"strong_id", "强镇代码", ValueKind::Text},
            {"strong_name", "强镇", ValueKind::Text},
            {"weak_id", "弱镇代码", ValueKind::Text},
            {"weak_name", "弱镇", ValueKind::Text},
            {"distance_km", "距离（公里）", ValueKind::Number},
            {"dissimilarity", "产业差异（1−余弦）", ValueKind::Number},
            {"distance_cost", "距离成本", ValueKind::Number},
            {"profile_cost", "产业成本", ValueKind::Number},
            {"cost", "总成本", ValueKind::Number},
            {"fixed", "指定结对", ValueKind::Text}};
        AnalysisTable t{"pairs", "强弱结对", cols, {}};
        AnalysisLayer l;
        l.shape = AnalysisLayer::Shape::Links;
        l.name = "pairs";
        l.title = "强弱结对";
        l.columns = cols;
        l.label_field = "pair_id";
        double total = 0, total_km = 0;
        int n = 0;
        for (std::size_t k = 0; k < pairs.size(); ++k) {
            if (x[k] < 0.5)
                continue;
            const Pair& p = pairs[k];
            char id[16];
            std::snprintf(id, sizeof id, "P%03d", ++n);
            std::vector<AnalysisValue> row{std::string(id),
                                           U[p.strong].id,
                                           U[p.strong].name,
                                           U[p.weak].id,
                                           U[p.weak].name,
                                           p.km,
                                           p.dissimilarity,
                                           p.distance_cost,
                                           p.profile_cost,
                                           p.cost,
                                           std::string(p.must ? "must" : "")};
            t.rows.push_back(row);
            l.features.push_back({{p.strong, p.weak}, row});
            total += p.cost;
            total_km += p.km;
        }
        r.tables.push_back(std::move(t));
        r.layers.push_back(std::move(l));
        r.figures = {{"pairs", static_cast<double>(n)},
                     {"total_cost", total},
                     {"mean_distance_km", n ? total_km / n : 0.0}};
        r.notes.push_back(plugin_message(
            "{} pairs of {} strong and {} weak units; total cost {}, mean distance {} km",
            std::to_string(n), std::to_string(ns), std::to_string(nw), std::to_string(total),
            std::to_string(n ? total_km / n : 0.0)));
        return r;
    }

  private:
    static std::vector<std::pair<std::string, std::string>>
    pairs_option(const std::vector<std::string>& specs, const std::string& option) {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& s : specs) {
            const auto colon = s.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
                throw PluginError(plugin_message(
                    "option '{}': \"{}\" is not STRONG:WEAK (two unit ids)", option, s));
            out.emplace_back(s.substr(0, colon), s.substr(colon + 1));
        }
        return out;
    }

    void chosen_by_rank(const std::vector<AnalysisUnit>& U, std::vector<std::size_t>& strong,
                        std::vector<std::size_t>& weak) const {
        std::vector<std::size_t> have;
        for (std::size_t i = 0; i < U.size(); ++i)
            if (U[i].indicators.count(by_))
                have.push_back(i);
        if (have.empty())
            throw PluginError(plugin_message("no unit has a value '{}' (an indicator, or a value "
                                             "of an earlier analysis such as \"index_score\")",
                                             by_));
        if (static_cast<std::size_t>(strong_top_ + weak_bottom_) > have.size())
            throw PluginError(
                plugin_message("strong_top + weak_bottom is more than the {} units with '{}'",
                               std::to_string(have.size()), by_));
        // Highest first, ties by id (units come sorted by id).
        std::stable_sort(have.begin(), have.end(), [&](std::size_t a, std::size_t b) {
            return U[a].indicators.at(by_) > U[b].indicators.at(by_);
        });
        strong.assign(have.begin(), have.begin() + strong_top_);
        weak.assign(have.end() - weak_bottom_, have.end());
    }

    // Cosine similarity of the profile vectors; 0 when either is all zero (nothing in common).
    double cosine(const AnalysisUnit& a, const AnalysisUnit& b) const {
        double ab = 0, aa = 0, bb = 0;
        for (const auto& f : profile_) {
            const double x = value(a, f), y = value(b, f);
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
    }
    static double value(const AnalysisUnit& u, const std::string& field) {
        const auto it = u.indicators.find(field);
        if (it == u.indicators.end())
            throw PluginError(plugin_message("unit {} {} has no value for profile field '{}'", u.id,
                                             u.name, field));
        return it->second;
    }

    // min Σ c x  s.t. Σ_s x_sw = 1 (each weak), min ≤ Σ_w x_sw ≤ capacity (each strong),
    // 0 ≤ x ≤ 1, x = 1 for must pairs. Rows of a bipartite graph's incidence matrix: totally
    // unimodular, so CLP's basic optimum is 0/1 (checked).
    std::vector<double> solve(const std::vector<Pair>& pairs,
                              const std::vector<std::size_t>& strong,
                              const std::vector<std::size_t>& weak) const {
        std::map<std::size_t, int> srow, wrow;
        for (std::size_t i = 0; i < weak.size(); ++i)
            wrow[weak[i]] = static_cast<int>(i);
        for (std::size_t i = 0; i < strong.size(); ++i)
            srow[strong[i]] = static_cast<int>(weak.size() + i);
        const int nrows = static_cast<int>(weak.size() + strong.size());
        CoinPackedMatrix m(true, 0, 0);
        m.setDimensions(nrows, 0);
        std::vector<double> lo, up, obj;
        for (const auto& p : pairs) {
            const int rows[2] = {wrow.at(p.weak), srow.at(p.strong)};
            const double vals[2] = {1.0, 1.0};
            m.appendCol(2, rows, vals);
            lo.push_back(p.must ? 1.0 : 0.0);
            up.push_back(1.0);
            obj.push_back(p.cost);
        }
        std::vector<double> rlo(nrows), rup(nrows);
        for (std::size_t i = 0; i < weak.size(); ++i)
            rlo[i] = rup[i] = 1.0;
        for (std::size_t i = weak.size(); i < static_cast<std::size_t>(nrows); ++i) {
            rlo[i] = static_cast<double>(min_per_strong_);
            rup[i] = static_cast<double>(capacity_);
        }
        ClpSimplex clp;
        clp.setLogLevel(0);
        clp.loadProblem(m, lo.data(), up.data(), obj.data(), rlo.data(), rup.data());
        clp.setOptimizationDirection(1.0);
        clp.initialSolve();
        if (clp.isProvenPrimalInfeasible() || clp.status() == 1)
            throw PluginError(
                plugin_message("the pairing constraints cannot all hold (capacity, min_per_strong, "
                               "max_distance_km, must_pair, must_not_pair): relax one of them"));
        if (!clp.isProvenOptimal())
            throw std::runtime_error("pairing: CLP did not solve the assignment (status " +
                                     std::to_string(clp.status()) + ")");
        const double* sol = clp.primalColumnSolution();
        std::vector<double> x(sol, sol + pairs.size());
        for (auto& v : x) {
            if (std::abs(v - std::round(v)) > 1e-6)
                throw std::runtime_error("pairing: the assignment LP gave a fractional solution");
            v = std::round(v);
        }
        return x;
    }

    std::vector<std::string> strong_ids_, weak_ids_;
    std::string by_;
    std::int64_t strong_top_, weak_bottom_;
    std::vector<std::string> profile_;
    double distance_weight_, profile_weight_, max_km_;
    std::int64_t capacity_, min_per_strong_;
    std::vector<std::pair<std::string, std::string>> must_, must_not_;
};

} // namespace

LANDQUOTA_PLUGIN {
    landquota::PluginInfo info;
    info.name = "pairing";
    info.version = "0.1.0";
    info.description = "strong–weak pairing by minimum-cost assignment (distance + industry "
                       "dissimilarity)";
    info.source = "Jinhua 百镇共建强基 (人民日报 2023-03-26): 50 strong with 50 weak townships by "
                  "industry match and cooperation basis; transportation LP (COIN-OR CLP); "
                  "methods.md §10.2";
    using landquota::OptionType;
    using S = std::vector<std::string>;
    info.options = {
        {"strong", OptionType::StringList, S{}, "ids of the strong units (with 'weak')"},
        {"weak", OptionType::StringList, S{}, "ids of the weak units (with 'strong')"},
        {"by", OptionType::String, std::string(),
         "rank by this value instead, higher is stronger (e.g. \"index_score\")"},
        {"strong_top", OptionType::Integer, std::int64_t{0}, "with 'by': the N highest are strong"},
        {"weak_bottom", OptionType::Integer, std::int64_t{0}, "with 'by': the N lowest are weak"},
        {"profile", OptionType::StringList, S{},
         "indicator fields of the industry profile (cosine similarity)"},
        {"distance_weight", OptionType::Number, 1.0, "cost per km between centroids"},
        {"profile_weight", OptionType::Number, 50.0,
         "cost of a wholly dissimilar profile (1 − cosine = 1), in the units of km × weight"},
        {"max_distance_km", OptionType::Number, 0.0,
         "pairs farther apart are not allowed (0: no limit)"},
        {"must_pair", OptionType::StringList, S{}, "STRONG:WEAK pairs that must be made"},
        {"must_not_pair", OptionType::StringList, S{}, "STRONG:WEAK pairs that must not"},
        {"capacity", OptionType::Integer, std::int64_t{1},
         "weak units a strong unit may take (1: one-to-one)"},
        {"min_per_strong", OptionType::Integer, std::int64_t{1},
         "weak units each strong unit must take (0: a strong unit may go unpaired)"},
    };
    registry->add_analysis(
        info, [](const landquota::OptionValues& o) { return std::make_unique<Pairing>(o); });
}
