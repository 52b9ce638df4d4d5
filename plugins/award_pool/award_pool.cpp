// award_pool: Wuyi's green-development award (5000万元 a year) distributed across townships by a
// weighted formula of indicators. Each township's score is Σ weight × (its value / the total of
// that indicator over the townships taking part); the yearly amount is split by largest
// remainder on the scores among townships scoring above zero.
#include "landquota/pay.hpp"

#include "landquota/plugin.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace {

using namespace landquota;

struct Indicator {
    std::string name;
    double weight = 0;
};

const std::vector<std::string> kBuiltIn = {"freed_mu", "allocated_mu"};

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

std::vector<Indicator> parse_indicators(const std::vector<std::string>& specs) {
    std::vector<Indicator> out;
    std::set<std::string> seen;
    for (const auto& spec : specs) {
        const auto colon = spec.rfind(':');
        const std::string name = colon == std::string::npos ? "" : spec.substr(0, colon);
        const std::string w = colon == std::string::npos ? "" : spec.substr(colon + 1);
        char* end = nullptr;
        const double weight = w.empty() ? 0.0 : std::strtod(w.c_str(), &end);
        if (name.empty() || w.empty() || end != w.c_str() + w.size() || !std::isfinite(weight))
            throw PluginError(plugin_message(
                "option 'indicators': \"{}\" is not NAME:WEIGHT (e.g. \"freed_mu:1\")", spec));
        if (!seen.insert(name).second)
            throw PluginError(plugin_message("option 'indicators': \"{}\" is given twice", name));
        out.push_back({name, weight});
    }
    if (out.empty())
        throw PluginError(plugin_message("option 'indicators' needs at least one NAME:WEIGHT"));
    return out;
}

double value_of(const TownshipFigures& t, const std::string& name) {
    if (name == "freed_mu")
        return static_cast<double>(t.freed) / 100.0 / kSquareMetresPerMu;
    if (name == "allocated_mu")
        return static_cast<double>(t.allocated_from) / 100.0 / kSquareMetresPerMu;
    // A township without a value is refused, not scored 0: a blank cell is not evidence that a
    // township has none of it, and a share of money must not rest on a guess.
    const auto it = t.indicators.find(name);
    if (it == t.indicators.end())
        throw PluginError(
            plugin_message("award_pool: township {} ({}) has no value for indicator '{}'; give it "
                           "one (0 if it has none) in the townships layer",
                           t.township_id, t.name, name));
    if (!(it->second >= 0))
        throw PluginError(plugin_message(
            "award_pool: township {} ({}) has {} for indicator '{}'; a share of a pool needs "
            "values of 0 or more (for a score that may be negative, use the index analysis)",
            t.township_id, t.name, pay::number_text(it->second), name));
    return it->second;
}

class AwardPool : public CompensationModel {
  public:
    explicit AwardPool(const OptionValues& o)
        : annual_(pay::amount_option(o, "annual_yuan")), schedule_(pay::schedule_option(o)),
          indicators_(parse_indicators(o.strings("indicators"))), region_(o.str("region")) {}

    std::vector<Payment> compensate(const CompensationInput& in) override {
        // Which indicator names exist: the built-ins and every declared township field.
        std::set<std::string> declared;
        for (const auto& t : in.townships)
            for (const auto& [k, _] : t.indicators)
                declared.insert(k);
        for (const auto& ind : indicators_)
            if (std::find(kBuiltIn.begin(), kBuiltIn.end(), ind.name) == kBuiltIn.end() &&
                !declared.count(ind.name)) {
                std::vector<std::string> known = kBuiltIn;
                known.insert(known.end(), declared.begin(), declared.end());
                throw PluginError(plugin_message("award_pool: unknown indicator '{}'; known: {}",
                                                 ind.name, join(known)));
            }

        std::vector<const TownshipFigures*> part;
        std::set<std::string> regions;
        for (const auto& t : in.townships) {
            regions.insert(t.region_id);
            if (region_.empty() || t.region_id == region_)
                part.push_back(&t);
        }
        if (!region_.empty() && part.empty() && !in.townships.empty())
            throw PluginError(
                plugin_message("award_pool: no township is in region '{}'; regions: {}", region_,
                               join(std::vector<std::string>(regions.begin(), regions.end()))));
        std::sort(part.begin(), part.end(), [](const TownshipFigures* a, const TownshipFigures* b) {
            return a->township_id < b->township_id;
        });

        std::vector<double> score(part.size(), 0.0);
        std::vector<std::string> terms(part.size());
        for (const auto& ind : indicators_) {
            double total = 0;
            for (const auto* t : part)
                total += value_of(*t, ind.name);
            if (total == 0.0)
                continue; // nobody has any of it: it cannot tell townships apart
            for (std::size_t i = 0; i < part.size(); ++i) {
                const double v = value_of(*part[i], ind.name);
                score[i] += ind.weight * v / total;
                terms[i] += (terms[i].empty() ? "" : " + ") + pay::number_text(ind.weight) + " × " +
                            ind.name + " " + pay::number_text(v) + "/" + pay::number_text(total);
            }
        }
        std::vector<std::size_t> paid;
        std::vector<double> w;
        double score_total = 0;
        for (std::size_t i = 0; i < part.size(); ++i)
            if (score[i] > 0) {
                paid.push_back(i);
                w.push_back(score[i]);
                score_total += score[i];
            }
        std::vector<Payment> out;
        if (paid.empty() || annual_ <= 0)
            return out;
        const auto shares = largest_remainder(annual_, w);
        for (int y = 0; y < schedule_.years; ++y) {
            const int year = schedule_.first_year + y;
            for (std::size_t k = 0; k < paid.size(); ++k) {
                if (shares[k] <= 0)
                    continue;
                const TownshipFigures& t = *part[paid[k]];
                out.push_back(
                    pay::payment("award_pool", "township", t.township_id, "", "", year, shares[k],
                                 "share of the " + std::to_string(year) + " award pool " +
                                     pay::yuan_text(annual_) +
                                     (region_.empty() ? "" : " (region " + region_ + ")") +
                                     " by score " + pay::number_text(score[paid[k]]) + " of " +
                                     pay::number_text(score_total) + " = " + terms[paid[k]]));
            }
        }
        return out;
    }

  private:
    Fen annual_;
    pay::Schedule schedule_;
    std::vector<Indicator> indicators_;
    std::string region_;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "award_pool";
    info.version = "1.0.0";
    info.description =
        "a yearly award pool split across townships by a weighted formula of indicators";
    info.source = "Wuyi county green-development award fund (5000万元 a year)";
    info.options = {
        {"annual_yuan", OptionType::Number, 50000000.0,
         "amount of the pool each year, in yuan (Wuyi: 50000000)"},
        {"years", OptionType::Integer, std::int64_t{1}, "number of yearly distributions"},
        {"first_year", OptionType::Integer, std::int64_t{2027}, "year of the first distribution"},
        {"indicators", OptionType::StringList, std::vector<std::string>{"freed_mu:1"},
         "weighted indicators, each NAME:WEIGHT; NAME is freed_mu, allocated_mu or a declared "
         "township field; "
         "score = Σ weight × value / total over the townships taking part"},
        {"region", OptionType::String, std::string(""),
         "only townships with this region_id take part (e.g. \"南部\"); \"\" = all townships"},
    };
    registry->add_compensation(
        info, [](const OptionValues& o) { return std::make_unique<AwardPool>(o); });
}
