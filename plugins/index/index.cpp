// index: a composite index (综合实力评价) of indicators grouped in dimensions — Jinhua's 146
// townships on 44 indicators in 6 dimensions. Each indicator is normalised (min–max, z-score or
// rank) in its direction, weighted within its dimension (equal, given, or the entropy weight
// method 熵权法), and the dimension scores are weighted into the score (equal, given or entropy).
// Units are ranked by score, ties by id; the top and bottom N are classed strong and weak.
// Formulas and sources: docs/methods.md §10.1.
#include "landquota/plugin.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>

namespace {

using namespace landquota;

struct Indicator {
    std::string dimension, field;
    bool lower_is_better = false;
    double weight = 0; // within its dimension, sums to 1
};

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

// "NAME:NUMBER" entries (weights) into a map; every name at most once.
std::map<std::string, double> named_numbers(const std::vector<std::string>& specs,
                                            const std::string& option) {
    std::map<std::string, double> out;
    for (const auto& spec : specs) {
        const auto colon = spec.rfind(':');
        const std::string name = colon == std::string::npos ? "" : spec.substr(0, colon);
        const std::string w = colon == std::string::npos ? "" : spec.substr(colon + 1);
        char* end = nullptr;
        const double v = w.empty() ? 0.0 : std::strtod(w.c_str(), &end);
        if (name.empty() || w.empty() || end != w.c_str() + w.size() || !std::isfinite(v) || v < 0)
            throw PluginError(plugin_message(
                "option '{}': \"{}\" is not NAME:WEIGHT with a weight of 0 or more", option, spec));
        if (!out.emplace(name, v).second)
            throw PluginError(plugin_message("option '{}': \"{}\" is given twice", option, name));
    }
    return out;
}

// Entropy weight method: p_ij = y_ij / Σ_i y_ij on min–max normalised columns y (0 ≤ y ≤ 1),
// e_j = −(1/ln n) Σ_i p_ij ln p_ij (0 ln 0 = 0), d_j = 1 − e_j, w_j = d_j / Σ_j d_j.
// `undefined`: the error when no column varies.
std::vector<double> entropy_weights(const std::vector<std::vector<double>>& y,
                                    const Message& undefined) {
    const std::size_t n = y.empty() ? 0 : y[0].size();
    std::vector<double> d(y.size(), 0.0);
    double total = 0;
    for (std::size_t j = 0; j < y.size(); ++j) {
        double sum = 0;
        for (double v : y[j])
            sum += v;
        if (sum <= 0 || n < 2)
            continue; // a column that does not vary carries no information: d = 0
        double e = 0;
        for (double v : y[j])
            if (v > 0)
                e -= (v / sum) * std::log(v / sum);
        e /= std::log(static_cast<double>(n));
        d[j] = 1.0 - e;
        total += d[j];
    }
    if (!(total > 0))
        throw PluginError(undefined);
    for (auto& w : d)
        w /= total;
    return d;
}

// Min–max normalised copy of a column (all zero when it does not vary).
std::vector<double> minmax(const std::vector<double>& x) {
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    std::vector<double> out(x.size(), 0.0);
    if (x.empty() || *hi == *lo)
        return out;
    for (std::size_t i = 0; i < x.size(); ++i)
        out[i] = (x[i] - *lo) / (*hi - *lo);
    return out;
}

// z-score with the population standard deviation (n); all zero when it does not vary.
std::vector<double> zscore(const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    double mean = 0, var = 0;
    for (double v : x)
        mean += v / n;
    for (double v : x)
        var += (v - mean) * (v - mean) / n;
    std::vector<double> out(x.size(), 0.0);
    if (!(var > 0))
        return out;
    for (std::size_t i = 0; i < x.size(); ++i)
        out[i] = (x[i] - mean) / std::sqrt(var);
    return out;
}

// Rank normalisation: (r − 1)/(n − 1), r the ascending rank with ties given their average rank.
std::vector<double> rank01(const std::vector<double>& x) {
    const std::size_t n = x.size();
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> out(n, 0.0);
    if (n < 2)
        return out;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j + 1 < n && x[order[j + 1]] == x[order[i]])
            ++j;
        const double r = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2.0;
        for (std::size_t k = i; k <= j; ++k)
            out[order[k]] = (r - 1.0) / static_cast<double>(n - 1);
        i = j + 1;
    }
    return out;
}

class Index : public Analysis {
  public:
    explicit Index(const OptionValues& o)
        : normalise_(o.str("normalise")), weighting_(o.str("weighting")),
          dim_weighting_(o.str("dimension_weighting")), missing_(o.str("missing")),
          top_(o.integer("top")), bottom_(o.integer("bottom")) {
        for (const auto& [opt, value, allowed] :
             std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
                 {"normalise", normalise_, {"minmax", "zscore", "rank"}},
                 {"weighting", weighting_, {"equal", "given", "entropy"}},
                 {"dimension_weighting", dim_weighting_, {"equal", "given", "entropy"}},
                 {"missing", missing_, {"error", "mean", "min", "exclude"}}})
            if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
                throw PluginError(plugin_message("option '{}' must be one of {}, not \"{}\"", opt,
                                                 join(allowed), value));
        if (top_ < 0 || bottom_ < 0)
            throw PluginError(plugin_message("options 'top' and 'bottom' must not be negative"));
        const std::set<std::string> lower(o.strings("lower_is_better").begin(),
                                          o.strings("lower_is_better").end());
        std::set<std::string> fields;
        for (const auto& spec : o.strings("indicators")) {
            const auto colon = spec.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())
                throw PluginError(plugin_message(
                    "option 'indicators': \"{}\" is not DIMENSION:FIELD (e.g. \"经济:GDP\")",
                    spec));
            Indicator ind{spec.substr(0, colon), spec.substr(colon + 1), false, 0};
            ind.lower_is_better = lower.count(ind.field) > 0;
            if (!fields.insert(ind.field).second)
                throw PluginError(
                    plugin_message("option 'indicators': \"{}\" is listed twice", ind.field));
            if (std::find(dims_.begin(), dims_.end(), ind.dimension) == dims_.end())
                dims_.push_back(ind.dimension);
            ind_.push_back(ind);
        }
        if (ind_.empty())
            throw PluginError(
                plugin_message("option 'indicators' needs at least one DIMENSION:FIELD"));
        for (const auto& f : lower)
            if (!fields.count(f))
                throw PluginError(plugin_message(
                    "option 'lower_is_better': \"{}\" is not one of the indicators", f));
        given_ = named_numbers(o.strings("weights"), "weights");
        dim_given_ = named_numbers(o.strings("dimension_weights"), "dimension_weights");
        check_given(weighting_ == "given", given_, fields, "weights", true);
        const std::set<std::string> dimset(dims_.begin(), dims_.end());
        check_given(dim_weighting_ == "given", dim_given_, dimset, "dimension_weights", false);
    }

    AnalysisResult analyse(const AnalysisInput& in) override {
        AnalysisResult r;
        // Which units take part, and their values (the missing rule applied).
        std::vector<std::size_t> part;
        std::vector<std::string> excluded;
        for (std::size_t i = 0; i < in.units.size(); ++i) {
            const AnalysisUnit& u = in.units[i];
            std::vector<std::string> lacking;
            for (const auto& ind : ind_)
                if (!u.indicators.count(ind.field))
                    lacking.push_back(ind.field);
            if (lacking.empty()) {
                part.push_back(i);
            } else if (missing_ == "error") {
                throw PluginError(plugin_message("unit {} {} has no value for {} (set missing = "
                                                 "\"mean\", \"min\" or \"exclude\")",
                                                 u.id, u.name, join(lacking)));
            } else if (missing_ == "exclude") {
                excluded.push_back(u.id);
            } else {
                part.push_back(i);
            }
        }
        const std::size_t n = part.size();
        if (n == 0)
            throw PluginError(plugin_message("no unit has every indicator"));
        if (static_cast<std::size_t>(top_ + bottom_) > n)
            throw PluginError(
                plugin_message("top + bottom is more than the {} units ranked", std::to_string(n)));
        // Raw columns, missing values filled by the rule (mean or min of the present values).
        std::vector<std::vector<double>> raw(ind_.size(), std::vector<double>(n));
        for (std::size_t j = 0; j < ind_.size(); ++j) {
            double sum = 0, lo = 0;
            std::size_t present = 0;
            for (std::size_t i : part)
                if (auto it = in.units[i].indicators.find(ind_[j].field);
                    it != in.units[i].indicators.end()) {
                    lo = present == 0 ? it->second : std::min(lo, it->second);
                    sum += it->second;
                    ++present;
                }
            if (present == 0)
                throw PluginError(
                    plugin_message("indicator '{}' has no value in any unit", ind_[j].field));
            const double fill = missing_ == "min" ? lo : sum / static_cast<double>(present);
            for (std::size_t k = 0; k < n; ++k) {
                const auto& m = in.units[part[k]].indicators;
                const auto it = m.find(ind_[j].field);
                raw[j][k] = it == m.end() ? fill : it->second;
            }
        }
        // Directed: lower-is-better indicators are negated, so that every scale rises with merit.
        std::vector<std::vector<double>> dir = raw, z(ind_.size()), y(ind_.size());
        for (std::size_t j = 0; j < ind_.size(); ++j) {
            if (ind_[j].lower_is_better)
                for (auto& v : dir[j])
                    v = -v;
            y[j] = minmax(dir[j]);
            z[j] = normalise_ == "minmax"   ? y[j]
                   : normalise_ == "zscore" ? zscore(dir[j])
                                            : rank01(dir[j]);
        }
        // Indicator weights within each dimension, then dimension scores.
        std::vector<std::vector<double>> dscore(dims_.size(), std::vector<double>(n, 0.0));
        for (std::size_t k = 0; k < dims_.size(); ++k) {
            std::vector<std::size_t> js;
            for (std::size_t j = 0; j < ind_.size(); ++j)
                if (ind_[j].dimension == dims_[k])
                    js.push_back(j);
            std::vector<double> w(js.size(), 1.0 / static_cast<double>(js.size()));
            if (weighting_ == "given")
                w = normalised_given(
                    js, plugin_message("option 'weights': the weights of dimension '{}' sum to 0",
                                       dims_[k]));
            if (weighting_ == "entropy") {
                std::vector<std::vector<double>> cols;
                for (auto j : js)
                    cols.push_back(y[j]);
                w = entropy_weights(
                    cols, plugin_message("entropy weights of the indicators of dimension '{}' are "
                                         "undefined: none of them varies across the units",
                                         dims_[k]));
            }
            for (std::size_t q = 0; q < js.size(); ++q) {
                ind_[js[q]].weight = w[q];
                for (std::size_t i = 0; i < n; ++i)
                    dscore[k][i] += w[q] * z[js[q]][i];
            }
        }
        std::vector<double> dw(dims_.size(), 1.0 / static_cast<double>(dims_.size()));
        if (dim_weighting_ == "given") {
            double total = 0;
            for (std::size_t k = 0; k < dims_.size(); ++k)
                total += dw[k] = dim_given_.at(dims_[k]);
            if (!(total > 0))
                throw PluginError(plugin_message("option 'dimension_weights' sum to 0"));
            for (auto& v : dw)
                v /= total;
        } else if (dim_weighting_ == "entropy") {
            std::vector<std::vector<double>> cols;
            for (const auto& col : dscore)
                cols.push_back(minmax(col));
            dw = entropy_weights(cols,
                                 plugin_message("entropy weights of the dimensions are undefined: "
                                                "none of them varies across the units"));
        }
        std::vector<double> score(n, 0.0);
        for (std::size_t k = 0; k < dims_.size(); ++k)
            for (std::size_t i = 0; i < n; ++i)
                score[i] += dw[k] * dscore[k][i];

        // Rank: score descending, ties by id (units come sorted by id, so a stable sort will do).
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
        std::vector<std::int64_t> rank(n);
        for (std::size_t p = 0; p < n; ++p)
            rank[order[p]] = static_cast<std::int64_t>(p + 1);
        auto class_of = [&](std::int64_t rk) -> std::string {
            if (rk <= top_)
                return "strong";
            if (rk > static_cast<std::int64_t>(n) - bottom_)
                return "weak";
            return "middle";
        };

        std::vector<AnalysisColumn> cols = {{"unit_id", "单元代码", ValueKind::Text},
                                            {"name", "名称", ValueKind::Text},
                                            {"zone_id", "片区", ValueKind::Text},
                                            {"region_id", "区域", ValueKind::Text}};
        for (const auto& d : dims_)
            cols.push_back({"score_" + d, d + "得分", ValueKind::Number});
        cols.push_back({"score", "综合得分", ValueKind::Number});
        cols.push_back({"rank", "排名", ValueKind::Integer});
        cols.push_back({"class", "类别（strong 强 / weak 弱）", ValueKind::Text});
        AnalysisTable t{"index", "综合实力指数", cols, {}};
        AnalysisLayer l;
        l.shape = AnalysisLayer::Shape::Units;
        l.name = "index";
        l.title = "综合实力指数";
        l.columns = cols;
        l.style = AnalysisLayer::Style::Graduated;
        l.style_field = "score";
        l.label_field = "name";
        for (std::size_t p = 0; p < n; ++p) {
            const std::size_t i = order[p];
            const AnalysisUnit& u = in.units[part[i]];
            std::vector<AnalysisValue> row{u.id, u.name, u.zone_id, u.region_id};
            for (std::size_t k = 0; k < dims_.size(); ++k)
                row.emplace_back(dscore[k][i]);
            row.emplace_back(score[i]);
            row.emplace_back(rank[i]);
            row.emplace_back(class_of(rank[i]));
            t.rows.push_back(row);
            l.features.push_back({{part[i]}, row});
            r.unit_values["score"][u.id] = score[i];
            r.unit_values["rank"][u.id] = static_cast<double>(rank[i]);
        }
        r.tables.push_back(std::move(t));
        r.layers.push_back(std::move(l));

        AnalysisTable w{"index_weights",
                        "指标权重",
                        {{"dimension", "维度", ValueKind::Text},
                         {"indicator", "指标", ValueKind::Text},
                         {"direction", "方向", ValueKind::Text},
                         {"indicator_weight", "维度内权重", ValueKind::Number},
                         {"dimension_weight", "维度权重", ValueKind::Number},
                         {"weight", "总权重", ValueKind::Number}},
                        {}};
        for (std::size_t k = 0; k < dims_.size(); ++k)
            for (const auto& ind : ind_)
                if (ind.dimension == dims_[k])
                    w.rows.push_back({ind.dimension, ind.field,
                                      std::string(ind.lower_is_better ? "lower" : "higher"),
                                      ind.weight, dw[k], ind.weight * dw[k]});
        r.tables.push_back(std::move(w));
        r.figures = {{"units_ranked", static_cast<double>(n)},
                     {"units_excluded", static_cast<double>(excluded.size())}};
        r.notes.push_back(plugin_message(
            "{} units ranked on {} indicators in {} dimensions ({}, {} weights)", std::to_string(n),
            std::to_string(ind_.size()), std::to_string(dims_.size()), normalise_, weighting_));
        if (!excluded.empty())
            r.notes.push_back(plugin_message("not ranked (a value missing): {}", join(excluded)));
        return r;
    }

  private:
    static void check_given(bool used, const std::map<std::string, double>& given,
                            const std::set<std::string>& names, const std::string& option,
                            bool indicators) {
        if (!used) {
            if (!given.empty())
                throw PluginError(plugin_message(
                    "option '{}' is set but its weighting is not \"given\"", option));
            return;
        }
        for (const auto& [name, _] : given)
            if (!names.count(name))
                throw PluginError(
                    indicators
                        ? plugin_message("option '{}': \"{}\" is not an indicator", option, name)
                        : plugin_message("option '{}': \"{}\" is not a dimension", option, name));
        for (const auto& name : names)
            if (!given.count(name))
                throw PluginError(
                    indicators ? plugin_message("option '{}' has no weight for indicator \"{}\"",
                                                option, name)
                               : plugin_message("option '{}' has no weight for dimension \"{}\"",
                                                option, name));
    }
    std::vector<double> normalised_given(const std::vector<std::size_t>& js,
                                         const Message& if_zero) const {
        std::vector<double> w;
        double total = 0;
        for (auto j : js)
            total += w.emplace_back(given_.at(ind_[j].field));
        if (!(total > 0))
            throw PluginError(if_zero);
        for (auto& v : w)
            v /= total;
        return w;
    }

    std::string normalise_, weighting_, dim_weighting_, missing_;
    std::int64_t top_, bottom_;
    std::vector<Indicator> ind_;
    std::vector<std::string> dims_; // in the order first named
    std::map<std::string, double> given_, dim_given_;
};

} // namespace

LANDQUOTA_PLUGIN {
    landquota::PluginInfo info;
    info.name = "index";
    info.version = "0.1.0";
    info.description = "composite index of indicators in dimensions: scores, rank, strong/weak "
                       "classes";
    info.source = "综合实力评价 as in Jinhua's 百镇共建强基 (146 townships, 44 indicators, 6 "
                  "dimensions); entropy weight method (熵权法); methods.md §10.1";
    using landquota::OptionType;
    info.options = {
        {"indicators", OptionType::StringList, std::vector<std::string>{},
         "DIMENSION:FIELD entries, e.g. \"经济:GDP\"", true},
        {"lower_is_better", OptionType::StringList, std::vector<std::string>{},
         "indicator fields where a lower value is better"},
        {"normalise", OptionType::String, std::string("minmax"), "minmax, zscore or rank"},
        {"weighting", OptionType::String, std::string("equal"),
         "indicator weights in a dimension: equal, given (weights) or entropy"},
        {"weights", OptionType::StringList, std::vector<std::string>{},
         "FIELD:WEIGHT entries when weighting = \"given\""},
        {"dimension_weighting", OptionType::String, std::string("equal"),
         "dimension weights: equal, given (dimension_weights) or entropy"},
        {"dimension_weights", OptionType::StringList, std::vector<std::string>{},
         "DIMENSION:WEIGHT entries when dimension_weighting = \"given\""},
        {"missing", OptionType::String, std::string("error"),
         "a unit without a value: error, mean, min (of the others) or exclude (not ranked)"},
        {"top", OptionType::Integer, std::int64_t{0}, "the N best ranked are class 'strong'"},
        {"bottom", OptionType::Integer, std::int64_t{0}, "the N worst ranked are class 'weak'"},
    };
    registry->add_analysis(
        info, [](const landquota::OptionValues& o) { return std::make_unique<Index>(o); });
}
