// The index plugin on five units and three indicators in two dimensions, against the formulas
// of methods.md §11.1 written out here independently (explicit min/max, mean/sd, counting ranks,
// entropy), for each normalisation and each weighting, to 1e-9.
#include "support.hpp"

#include "landquota/error.hpp"
#include "pipeline/analyse.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>

using namespace landquota;
using landquota::test::make_analysis;

namespace {

using Strings = std::vector<std::string>;

// a1 (higher is better) and a2 (lower is better) in dimension 经济, b1 in dimension 生态.
// a1 has a tie (U2 = U3) for the rank normalisation.
const std::vector<std::string> kIds = {"U1", "U2", "U3", "U4", "U5"};
const std::map<std::string, std::vector<double>> kData = {
    {"a1", {10, 20, 20, 40, 60}},
    {"a2", {5, 3, 8, 1, 4}},
    {"b1", {100, 300, 200, 250, 50}},
};

std::vector<AnalysisUnit> units() {
    std::vector<AnalysisUnit> out;
    for (std::size_t i = 0; i < kIds.size(); ++i) {
        AnalysisUnit u;
        u.id = kIds[i];
        u.name = "镇" + kIds[i];
        for (const auto& [k, v] : kData)
            u.indicators[k] = v[i];
        out.push_back(u);
    }
    return out;
}

double mn(const std::vector<double>& x) {
    double m = x[0];
    for (double v : x)
        if (v < m)
            m = v;
    return m;
}
double mx(const std::vector<double>& x) {
    double m = x[0];
    for (double v : x)
        if (v > m)
            m = v;
    return m;
}

// One indicator normalised by `how`, in its direction.
std::vector<double> normalised(const std::vector<double>& x, bool lower, const std::string& how) {
    const double n = static_cast<double>(x.size());
    std::vector<double> out;
    if (how == "minmax") {
        for (double v : x)
            out.push_back(lower ? (mx(x) - v) / (mx(x) - mn(x)) : (v - mn(x)) / (mx(x) - mn(x)));
    } else if (how == "zscore") {
        double sum = 0, sq = 0;
        for (double v : x)
            sum += v;
        const double mean = sum / n;
        for (double v : x)
            sq += (v - mean) * (v - mean);
        const double sd = std::sqrt(sq / n);
        for (double v : x)
            out.push_back(lower ? (mean - v) / sd : (v - mean) / sd);
    } else { // rank: r = (#worse) + (#equal + 1)/2, then (r − 1)/(n − 1)
        for (double v : x) {
            double worse = 0, equal = 0;
            for (double w : x) {
                if (w == v)
                    equal += 1;
                else if (lower ? w > v : w < v)
                    worse += 1;
            }
            out.push_back((worse + (equal + 1) / 2 - 1) / (n - 1));
        }
    }
    return out;
}

// Entropy weights of columns given min–max normalised.
std::vector<double> entropy(const std::vector<std::vector<double>>& cols) {
    const double n = static_cast<double>(cols[0].size());
    std::vector<double> d;
    double total = 0;
    for (const auto& c : cols) {
        double sum = 0;
        for (double v : c)
            sum += v;
        double e = 0;
        for (double v : c)
            if (v > 0)
                e += (v / sum) * std::log(v / sum);
        d.push_back(1 + e / std::log(n));
        total += d.back();
    }
    for (auto& w : d)
        w /= total;
    return d;
}

std::vector<double> minmax_of(const std::vector<double>& x) {
    return normalised(x, false, "minmax");
}

// Expected scores of the five units.
std::vector<double> expected(const std::string& how, const std::string& weighting,
                             const std::string& dim_weighting) {
    const auto a1 = normalised(kData.at("a1"), false, how);
    const auto a2 = normalised(kData.at("a2"), true, how);
    const auto b1 = normalised(kData.at("b1"), false, how);
    double w1 = 0.5, w2 = 0.5;
    if (weighting == "given") { // a1:3, a2:1 → 0.75, 0.25
        w1 = 0.75;
        w2 = 0.25;
    } else if (weighting == "entropy") {
        const auto w = entropy({normalised(kData.at("a1"), false, "minmax"),
                                normalised(kData.at("a2"), true, "minmax")});
        w1 = w[0];
        w2 = w[1];
    }
    std::vector<double> econ, eco;
    for (std::size_t i = 0; i < 5; ++i) {
        econ.push_back(w1 * a1[i] + w2 * a2[i]);
        eco.push_back(b1[i]); // one indicator: its weight is 1 whatever the weighting
    }
    double W1 = 0.5, W2 = 0.5;
    if (dim_weighting == "given") { // 经济:2, 生态:3 → 0.4, 0.6
        W1 = 0.4;
        W2 = 0.6;
    } else if (dim_weighting == "entropy") {
        const auto w = entropy({minmax_of(econ), minmax_of(eco)});
        W1 = w[0];
        W2 = w[1];
    }
    std::vector<double> s;
    for (std::size_t i = 0; i < 5; ++i)
        s.push_back(W1 * econ[i] + W2 * eco[i]);
    return s;
}

std::map<std::string, OptionValue> options(const std::string& how, const std::string& weighting,
                                           const std::string& dim_weighting) {
    std::map<std::string, OptionValue> o{{"indicators", Strings{"经济:a1", "经济:a2", "生态:b1"}},
                                         {"lower_is_better", Strings{"a2"}},
                                         {"normalise", how},
                                         {"weighting", weighting},
                                         {"dimension_weighting", dim_weighting},
                                         {"top", std::int64_t{2}},
                                         {"bottom", std::int64_t{2}}};
    if (weighting == "given")
        o["weights"] = Strings{"a1:3", "a2:1", "b1:7"};
    if (dim_weighting == "given")
        o["dimension_weights"] = Strings{"经济:2", "生态:3"};
    return o;
}

std::size_t col(const AnalysisTable& t, const std::string& key) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i].key == key)
            return i;
    FAIL("no column " << key);
    return 0;
}

} // namespace

TEST_CASE("index: each normalisation and weighting matches the hand formulas to 1e-9",
          "[analysis][index]") {
    const auto us = units();
    for (const std::string how : {"minmax", "zscore", "rank"})
        for (const std::string weighting : {"equal", "given", "entropy"})
            for (const std::string dims : {"equal", "given", "entropy"}) {
                INFO(how << " / " << weighting << " / " << dims);
                const auto want = expected(how, weighting, dims);
                const AnalysisResult r =
                    make_analysis("index", options(how, weighting, dims))->analyse({us});
                const AnalysisTable& t = r.tables.at(0);
                REQUIRE(t.rows.size() == 5);
                std::map<std::string, double> got;
                for (const auto& row : t.rows)
                    got[std::get<std::string>(row[col(t, "unit_id")])] =
                        std::get<double>(row[col(t, "score")]);
                for (std::size_t i = 0; i < 5; ++i) {
                    CHECK(std::abs(got.at(kIds[i]) - want[i]) < 1e-9);
                    CHECK(std::abs(r.unit_values.at("score").at(kIds[i]) - want[i]) < 1e-9);
                }
                // Rank 1 has the highest score; ranks run 1..5; top 2 strong, bottom 2 weak.
                double last = 1e300;
                for (std::size_t p = 0; p < t.rows.size(); ++p) {
                    const auto& row = t.rows[p];
                    CHECK(std::get<std::int64_t>(row[col(t, "rank")]) ==
                          static_cast<std::int64_t>(p + 1));
                    const double s = std::get<double>(row[col(t, "score")]);
                    CHECK(s <= last);
                    last = s;
                    const std::string cls = std::get<std::string>(row[col(t, "class")]);
                    CHECK(cls == (p < 2 ? "strong" : p >= 3 ? "weak" : "middle"));
                }
            }
}

TEST_CASE("index: weights table shows the entropy weights, summing to 1", "[analysis][index]") {
    const AnalysisResult r =
        make_analysis("index", options("minmax", "entropy", "equal"))->analyse({units()});
    const AnalysisTable& w = r.tables.at(1);
    REQUIRE(w.rows.size() == 3);
    const auto e = entropy(
        {normalised(kData.at("a1"), false, "minmax"), normalised(kData.at("a2"), true, "minmax")});
    CHECK(std::abs(std::get<double>(w.rows[0][col(w, "indicator_weight")]) - e[0]) < 1e-12);
    CHECK(std::abs(std::get<double>(w.rows[1][col(w, "indicator_weight")]) - e[1]) < 1e-12);
    double total = 0;
    for (const auto& row : w.rows)
        total += std::get<double>(row[col(w, "weight")]);
    CHECK(std::abs(total - 1.0) < 1e-12);
}

TEST_CASE("index: equal scores are ranked by id", "[analysis][index]") {
    std::vector<AnalysisUnit> us(3);
    us[0].id = "A";
    us[1].id = "B";
    us[2].id = "C";
    us[0].indicators["x"] = 5;
    us[1].indicators["x"] = 5;
    us[2].indicators["x"] = 9;
    const AnalysisResult r =
        make_analysis("index", {{"indicators", Strings{"d:x"}}})->analyse({us});
    const auto& t = r.tables.at(0);
    CHECK(std::get<std::string>(t.rows[0][0]) == "C");
    CHECK(std::get<std::string>(t.rows[1][0]) == "A");
    CHECK(std::get<std::string>(t.rows[2][0]) == "B");
}

TEST_CASE("index: a missing value follows the stated rule", "[analysis][index]") {
    auto us = units();
    us[2].indicators.erase("b1"); // U3 has no b1
    const std::map<std::string, OptionValue> base{{"indicators", Strings{"经济:a1", "生态:b1"}}};
    SECTION("error by default, naming the unit and the field") {
        CHECK_THROWS_WITH(make_analysis("index", base)->analyse({us}),
                          Catch::Contains("U3") && Catch::Contains("b1"));
    }
    SECTION("exclude: the unit is not ranked") {
        auto o = base;
        o["missing"] = std::string("exclude");
        const auto r = make_analysis("index", o)->analyse({us});
        CHECK(r.tables.at(0).rows.size() == 4);
        CHECK(r.unit_values.at("score").count("U3") == 0);
    }
    SECTION("mean: filled with the mean of the others") {
        auto o = base;
        o["missing"] = std::string("mean");
        const auto r = make_analysis("index", o)->analyse({us});
        // b1 of the others: 100, 300, 250, 50 → mean 175; min–max over 50..300 → 0.5.
        // a1 of U3 = 20 → (20 − 10)/50 = 0.2; score = (0.2 + 0.5)/2.
        CHECK(std::abs(r.unit_values.at("score").at("U3") - 0.35) < 1e-12);
    }
}

TEST_CASE("index: bad options are input errors naming the option", "[analysis][index]") {
    CHECK_THROWS_WITH(make_analysis("index", {{"indicators", Strings{"GDP"}}}),
                      Catch::Contains("DIMENSION:FIELD"));
    CHECK_THROWS_WITH(
        make_analysis("index", {{"indicators", Strings{"d:x"}}, {"normalise", std::string("log")}}),
        Catch::Contains("normalise"));
    CHECK_THROWS_WITH(make_analysis("index", {{"indicators", Strings{"d:x", "d:y"}},
                                              {"weighting", std::string("given")},
                                              {"weights", Strings{"x:1"}}}),
                      Catch::Contains("no weight for indicator \"y\""));
}

TEST_CASE("analyses: a plugin's invalid_argument is bad input naming the job table",
          "[analysis][stage]") {
    auto& pm = PluginManager::instance();
    pm.load_all();
    ResolvedPlugin rp;
    rp.plugin = &pm.find("analysis", "index");
    rp.options = pm.validate(*rp.plugin, {{"indicators", Strings{"d:nothing"}}}, "test");
    rp.table = "analysis[0]";
    auto us = units();
    try {
        run_analyses({rp}, us);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Input);
        CHECK_THAT(e.what(), Catch::Contains("[analysis[0]]") && Catch::Contains("nothing"));
    }
    // A successful run gives later analyses its values as index_score.
    rp.options = pm.validate(*rp.plugin, {{"indicators", Strings{"d:a1"}}}, "test");
    const auto runs = run_analyses({rp}, us);
    REQUIRE(runs.size() == 1);
    CHECK(us[4].indicators.at("index_score") == 1.0); // a1 = 60, the maximum
    CHECK(us[4].indicators.at("index_rank") == 1.0);
}
