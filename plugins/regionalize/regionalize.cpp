// regionalize: proposes contiguous clusters (片区) of units, each reaching a minimum size
// (area, population, freed quota: any indicator), in the manner of the max-p-regions problem
// (Duque, Anselin & Rey 2012): a growth phase that seeds a cluster at the first unassigned unit
// and adds neighbours until the minimum is met (units of a cluster that cannot reach it become
// enclaves), then an enclave phase that joins each enclave to an adjacent cluster. Deterministic
// (seeds by score, then id; no random restarts, no tabu search). Each cluster is led by its
// highest-scoring unit. Formulas and rules: methods.md §10.3.
#include "landquota/plugin.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
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

class Regionalize : public Analysis {
  public:
    explicit Regionalize(const OptionValues& o)
        : size_(o.str("size")), min_(o.number("min_size")), score_(o.str("score")),
          within_region_(o.boolean("within_region")) {
        if (!(min_ > 0))
            throw PluginError(plugin_message("option 'min_size' must be above 0"));
    }

    AnalysisResult analyse(const AnalysisInput& in) override {
        const auto& U = in.units;
        const std::size_t n = U.size();
        std::vector<double> size(n), score(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            size[i] = value(U[i], size_, "size");
            if (size[i] < 0)
                throw PluginError(plugin_message("unit {} has a negative size", U[i].id));
            score[i] = score_.empty() ? size[i] : value(U[i], score_, "score");
        }
        auto adjacent = [&](std::size_t a, std::size_t b) {
            return !within_region_ || U[a].region_id == U[b].region_id;
        };
        auto dist2 = [&](std::size_t a, std::size_t b) {
            return (U[a].x - U[b].x) * (U[a].x - U[b].x) + (U[a].y - U[b].y) * (U[a].y - U[b].y);
        };
        // Seeds: highest score first, ties by id (units come sorted by id).
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });

        constexpr int kFree = -1, kEnclave = -2;
        std::vector<int> label(n, kFree);
        std::vector<double> csize;
        std::vector<std::size_t> seed;
        // Growth phase.
        for (std::size_t s : order) {
            if (label[s] != kFree)
                continue;
            const int c = static_cast<int>(csize.size());
            std::vector<std::size_t> members{s};
            label[s] = c;
            double total = size[s];
            while (total < min_) {
                // The free neighbour of the cluster nearest to its seed, ties by id.
                std::size_t best = n;
                for (auto m : members)
                    for (auto nb : U[m].neighbours)
                        if (label[nb] == kFree && adjacent(m, nb) &&
                            (best == n || dist2(nb, s) < dist2(best, s) ||
                             (dist2(nb, s) == dist2(best, s) && nb < best)))
                            best = nb;
                if (best == n)
                    break;
                label[best] = c;
                members.push_back(best);
                total += size[best];
            }
            if (total >= min_) {
                csize.push_back(total);
                seed.push_back(s);
            } else {
                for (auto m : members)
                    label[m] = kEnclave;
            }
        }
        if (csize.empty())
            throw PluginError(plugin_message("no cluster can reach min_size {} of '{}' (the "
                                             "largest contiguous group is smaller)",
                                             number(min_), size_));
        // Enclave phase: each enclave joins the adjacent cluster of smallest size (ties: the
        // earlier cluster), until none is left or none can move.
        for (bool moved = true; moved;) {
            moved = false;
            for (std::size_t i = 0; i < n; ++i) {
                if (label[i] != kEnclave)
                    continue;
                int best = -1;
                for (auto nb : U[i].neighbours)
                    if (label[nb] >= 0 && adjacent(i, nb) &&
                        (best < 0 || csize[label[nb]] < csize[best] ||
                         (csize[label[nb]] == csize[best] && label[nb] < best)))
                        best = label[nb];
                if (best >= 0) {
                    label[i] = best;
                    csize[best] += size[i];
                    moved = true;
                }
            }
        }
        std::vector<std::string> stranded;
        for (std::size_t i = 0; i < n; ++i)
            if (label[i] < 0)
                stranded.push_back(U[i].id + " " + U[i].name);
        if (!stranded.empty())
            throw PluginError(
                within_region_
                    ? plugin_message("units {} touch no cluster and together do not reach "
                                     "min_size {} of '{}': lower min_size or set "
                                     "within_region = false",
                                     join(stranded), number(min_), size_)
                    : plugin_message("units {} touch no cluster and together do not reach "
                                     "min_size {} of '{}': lower min_size",
                                     join(stranded), number(min_), size_));

        // Leads: the highest score in each cluster, ties by id.
        const std::size_t k = csize.size();
        std::vector<std::size_t> lead(k, n);
        std::vector<std::vector<std::size_t>> members(k);
        for (std::size_t i = 0; i < n; ++i) {
            const auto c = static_cast<std::size_t>(label[i]);
            members[c].push_back(i);
            if (lead[c] == n || score[i] > score[lead[c]])
                lead[c] = i;
        }
        auto cid = [](std::size_t c) {
            char b[16];
            std::snprintf(b, sizeof b, "C%02zu", c + 1);
            return std::string(b);
        };

        AnalysisResult r;
        AnalysisTable units{"regionalize",
                            "片区划分",
                            {{"unit_id", "单元代码", ValueKind::Text},
                             {"name", "名称", ValueKind::Text},
                             {"cluster_id", "片区", ValueKind::Text},
                             {"lead", "牵头", ValueKind::Text},
                             {"size", "规模", ValueKind::Number},
                             {"score", "得分", ValueKind::Number}},
                            {}};
        for (std::size_t i = 0; i < n; ++i) {
            const auto c = static_cast<std::size_t>(label[i]);
            units.rows.push_back({U[i].id, U[i].name, cid(c),
                                  std::string(lead[c] == i ? "lead" : ""), size[i], score[i]});
            r.unit_values["cluster"][U[i].id] = static_cast<double>(c + 1);
        }
        std::vector<AnalysisColumn> ccols = {{"cluster_id", "片区", ValueKind::Text},
                                             {"lead_id", "牵头单元代码", ValueKind::Text},
                                             {"lead_name", "牵头单元", ValueKind::Text},
                                             {"units", "单元数", ValueKind::Integer},
                                             {"size", "规模", ValueKind::Number},
                                             {"members", "成员", ValueKind::Text}};
        AnalysisTable clusters{"regionalize_clusters", "片区（建议）", ccols, {}};
        AnalysisLayer l;
        l.shape = AnalysisLayer::Shape::Groups;
        l.name = "regionalize";
        l.title = "片区（建议）";
        l.columns = ccols;
        l.style = AnalysisLayer::Style::Categorized;
        l.style_field = "cluster_id";
        l.label_field = "lead_name";
        for (std::size_t c = 0; c < k; ++c) {
            std::vector<std::string> ids;
            for (auto m : members[c])
                ids.push_back(U[m].id);
            std::vector<AnalysisValue> row{
                cid(c),          U[lead[c]].id,
                U[lead[c]].name, static_cast<std::int64_t>(members[c].size()),
                csize[c],        join(ids)};
            clusters.rows.push_back(row);
            l.features.push_back({members[c], row});
        }
        r.tables.push_back(std::move(units));
        r.tables.push_back(std::move(clusters));
        r.layers.push_back(std::move(l));
        r.figures = {{"clusters", static_cast<double>(k)}};
        r.notes.push_back(plugin_message("{} contiguous clusters of at least {} {}",
                                         std::to_string(k), number(min_), size_));
        return r;
    }

  private:
    static std::string number(double v) {
        char b[64];
        std::snprintf(b, sizeof b, "%g", v);
        return b;
    }
    static double value(const AnalysisUnit& u, const std::string& field, const std::string& opt) {
        if (field == "area_m2")
            return u.area_m2;
        if (field == "units")
            return 1.0;
        const auto it = u.indicators.find(field);
        if (it == u.indicators.end())
            throw PluginError(plugin_message("option '{}': unit {} {} has no value '{}'", opt, u.id,
                                             u.name, field));
        return it->second;
    }

    std::string size_;
    double min_;
    std::string score_;
    bool within_region_;
};

} // namespace

LANDQUOTA_PLUGIN {
    landquota::PluginInfo info;
    info.name = "regionalize";
    info.version = "0.1.0";
    info.description = "contiguous clusters of a minimum size, each led by its highest-scoring "
                       "unit (max-p regions: growth and enclave phases)";
    info.source = "Duque, Anselin & Rey (2012), The max-p-regions problem, J. Regional Science "
                  "52(3):397–419; Jiande's 4 片区 with lead towns; methods.md §10.3";
    using landquota::OptionType;
    info.options = {
        {"size", OptionType::String, std::string("area_m2"),
         "what a cluster must have enough of: area_m2, units, or an indicator (population, "
         "freed_mu)"},
        {"min_size", OptionType::Number, 0.0, "the minimum size of a cluster", true},
        {"score", OptionType::String, std::string(),
         "seeds and leads by this value, highest first (e.g. \"index_score\"); default: size"},
        {"within_region", OptionType::Boolean, false, "clusters do not cross regions (nesting)"},
    };
    registry->add_analysis(
        info, [](const landquota::OptionValues& o) { return std::make_unique<Regionalize>(o); });
}
