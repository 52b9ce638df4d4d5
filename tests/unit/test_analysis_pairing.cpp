// The pairing plugin against a brute-force optimum: on small random instances every feasible
// assignment is enumerated here, its cost computed independently (PROJ's geodesic, cosine
// written out), and the plugin's total cost must equal the minimum; every constraint is checked
// on the pairs it returns.
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <geodesic.h>
#include <map>
#include <random>
#include <set>

using namespace landquota;
using landquota::test::make_analysis;

namespace {

using Strings = std::vector<std::string>;

std::vector<AnalysisUnit> random_units(std::mt19937& rng, int n) {
    std::uniform_real_distribution<double> lon(119.4, 120.6), lat(28.6, 29.4), v(0.0, 10.0);
    std::vector<AnalysisUnit> out;
    for (int i = 0; i < n; ++i) {
        AnalysisUnit u;
        char id[8];
        std::snprintf(id, sizeof id, "T%02d", i);
        u.id = id;
        u.name = id;
        u.lon = lon(rng);
        u.lat = lat(rng);
        u.indicators["agri"] = v(rng);
        u.indicators["tour"] = v(rng);
        u.indicators["manu"] = v(rng);
        out.push_back(u);
    }
    return out;
}

double km(const AnalysisUnit& a, const AnalysisUnit& b) {
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257222101);
    double s = 0;
    geod_inverse(&g, a.lat, a.lon, b.lat, b.lon, &s, nullptr, nullptr);
    return s / 1000;
}

double cosine(const AnalysisUnit& a, const AnalysisUnit& b) {
    const char* f[] = {"agri", "tour", "manu"};
    double ab = 0, aa = 0, bb = 0;
    for (const char* k : f) {
        ab += a.indicators.at(k) * b.indicators.at(k);
        aa += a.indicators.at(k) * a.indicators.at(k);
        bb += b.indicators.at(k) * b.indicators.at(k);
    }
    return ab / std::sqrt(aa) / std::sqrt(bb);
}

struct Instance {
    int strong = 0, weak = 0;
    std::int64_t capacity = 1, min_per_strong = 1;
    double dw = 1, pw = 50, max_km = 0;
    std::set<std::pair<int, int>> must, must_not; // (strong index, weak index)
};

std::string pair_text(const std::vector<AnalysisUnit>& u, int s, int w) {
    return u[s].id + ":" + u[w].id;
}

// Minimum over every assignment weak → strong meeting the constraints; +inf if none.
double brute_force(const std::vector<AnalysisUnit>& u, const Instance& in) {
    const int ns = in.strong, nw = in.weak;
    std::vector<int> a(nw, 0); // a[w] = strong index 0..ns-1; weak unit w is u[ns + w]
    double best = INFINITY;
    for (;;) {
        std::vector<int> load(ns, 0);
        double cost = 0;
        bool ok = true;
        for (int w = 0; w < nw && ok; ++w) {
            const auto &S = u[a[w]], &W = u[ns + w];
            const double d = km(S, W);
            if (in.must_not.count({a[w], w}) || (in.max_km > 0 && d > in.max_km))
                ok = false;
            ++load[a[w]];
            cost += in.dw * d + in.pw * (1 - cosine(S, W));
        }
        for (const auto& [s, w] : in.must)
            ok = ok && a[w] == s;
        for (int s = 0; s < ns; ++s)
            ok = ok && load[s] <= in.capacity && load[s] >= in.min_per_strong;
        if (ok)
            best = std::min(best, cost);
        int k = 0;
        while (k < nw && ++a[k] == ns)
            a[k++] = 0;
        if (k == nw)
            break;
    }
    return best;
}

std::map<std::string, OptionValue> options(const std::vector<AnalysisUnit>& u, const Instance& in) {
    Strings strong, weak, must, must_not;
    for (int s = 0; s < in.strong; ++s)
        strong.push_back(u[s].id);
    for (int w = 0; w < in.weak; ++w)
        weak.push_back(u[in.strong + w].id);
    for (const auto& [s, w] : in.must)
        must.push_back(pair_text(u, s, in.strong + w));
    for (const auto& [s, w] : in.must_not)
        must_not.push_back(pair_text(u, s, in.strong + w));
    return {{"strong", strong},
            {"weak", weak},
            {"profile", Strings{"agri", "tour", "manu"}},
            {"distance_weight", in.dw},
            {"profile_weight", in.pw},
            {"max_distance_km", in.max_km},
            {"capacity", in.capacity},
            {"min_per_strong", in.min_per_strong},
            {"must_pair", must},
            {"must_not_pair", must_not}};
}

std::size_t col(const AnalysisTable& t, const std::string& key) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i].key == key)
            return i;
    return t.columns.size();
}

} // namespace

TEST_CASE("pairing: equals the brute-force optimum and honours every constraint",
          "[analysis][pairing]") {
    std::mt19937 rng(20230326);
    int solved = 0, infeasible = 0;
    for (int trial = 0; trial < 60; ++trial) {
        Instance in;
        const int shape = trial % 3;
        in.strong = shape == 0 ? 4 : shape == 1 ? 3 : 5;
        in.weak = shape == 0 ? 4 : shape == 1 ? 6 : 5;
        in.capacity = shape == 1 ? 3 : 1;
        in.min_per_strong = shape == 1 ? 1 : 1;
        in.dw = std::uniform_real_distribution<double>(0.2, 2.0)(rng);
        in.pw = std::uniform_real_distribution<double>(0.0, 100.0)(rng);
        const auto u = random_units(rng, in.strong + in.weak);
        std::uniform_int_distribution<int> S(0, in.strong - 1), W(0, in.weak - 1);
        if (trial % 4 == 1)
            in.max_km = 90;
        if (trial % 5 == 2)
            in.must.insert({S(rng), W(rng)});
        if (trial % 3 == 0)
            for (int k = 0; k < 3; ++k)
                in.must_not.insert({S(rng), W(rng)});
        for (const auto& m : in.must)
            in.must_not.erase(m);
        INFO("trial " << trial);
        const double best = brute_force(u, in);
        auto plugin = make_analysis("pairing", options(u, in));
        if (std::isinf(best)) {
            CHECK_THROWS_AS(plugin->analyse({u}), std::invalid_argument);
            ++infeasible;
            continue;
        }
        const AnalysisResult r = plugin->analyse({u});
        const AnalysisTable& t = r.tables.at(0);
        REQUIRE(static_cast<int>(t.rows.size()) == in.weak);
        double total = 0;
        std::map<std::string, int> load, weak_seen;
        std::set<std::string> pairs;
        for (const auto& row : t.rows) {
            const std::string s = std::get<std::string>(row[col(t, "strong_id")]);
            const std::string w = std::get<std::string>(row[col(t, "weak_id")]);
            const double d = std::get<double>(row[col(t, "distance_km")]);
            total += std::get<double>(row[col(t, "cost")]);
            ++load[s];
            ++weak_seen[w];
            pairs.insert(s + ":" + w);
            if (in.max_km > 0)
                CHECK(d <= in.max_km);
        }
        CHECK(std::abs(total - best) < 1e-9 * std::max(1.0, best));
        for (const auto& [w, n] : weak_seen)
            CHECK(n == 1);
        for (int s = 0; s < in.strong; ++s) {
            CHECK(load[u[s].id] <= in.capacity);
            CHECK(load[u[s].id] >= in.min_per_strong);
        }
        for (const auto& [s, w] : in.must)
            CHECK(pairs.count(pair_text(u, s, in.strong + w)) == 1);
        for (const auto& [s, w] : in.must_not)
            CHECK(pairs.count(pair_text(u, s, in.strong + w)) == 0);
        // The layer draws one line per pair between the two units.
        REQUIRE(r.layers.at(0).features.size() == t.rows.size());
        for (const auto& f : r.layers[0].features)
            CHECK(f.units.size() == 2);
        ++solved;
    }
    CHECK(solved > 30); // the instances exercise the solver, not only the refusals
}

TEST_CASE("pairing: impossible constraints are clear input errors", "[analysis][pairing]") {
    std::mt19937 rng(7);
    const auto u = random_units(rng, 4);
    const Strings strong{"T00", "T01"}, weak{"T02", "T03"};
    auto run = [&](std::map<std::string, OptionValue> o) {
        o["strong"] = strong;
        o["weak"] = weak;
        make_analysis("pairing", o)->analyse({u});
    };
    CHECK_THROWS_WITH(run({{"max_distance_km", 0.001}}),
                      Catch::Contains("no strong unit may pair with T02"));
    CHECK_THROWS_WITH(run({{"must_pair", Strings{"T00:T02", "T00:T03"}}}),
                      Catch::Contains("cannot all hold"));
    CHECK_THROWS_WITH(run({{"must_pair", Strings{"T02:T00"}}}), Catch::Contains("STRONG:WEAK"));
    CHECK_THROWS_WITH(run({{"must_pair", Strings{"T00:T99"}}}), Catch::Contains("no unit 'T99'"));
    CHECK_THROWS_WITH(
        make_analysis("pairing", {{"strong", Strings{"T00"}}, {"weak", Strings{"T01", "T02"}}})
            ->analyse({u}),
        Catch::Contains("raise 'capacity'"));
}

TEST_CASE("pairing: strong and weak from an earlier analysis's ranking", "[analysis][pairing]") {
    std::mt19937 rng(11);
    auto u = random_units(rng, 8);
    for (std::size_t i = 0; i < u.size(); ++i)
        u[i].indicators["index_score"] = static_cast<double>(i); // T07 strongest
    const AnalysisResult r = make_analysis("pairing", {{"by", std::string("index_score")},
                                                       {"strong_top", std::int64_t{2}},
                                                       {"weak_bottom", std::int64_t{2}}})
                                 ->analyse({u});
    const auto& t = r.tables.at(0);
    REQUIRE(t.rows.size() == 2);
    std::set<std::string> strong, weak;
    for (const auto& row : t.rows) {
        strong.insert(std::get<std::string>(row[col(t, "strong_id")]));
        weak.insert(std::get<std::string>(row[col(t, "weak_id")]));
    }
    CHECK(strong == std::set<std::string>{"T06", "T07"});
    CHECK(weak == std::set<std::string>{"T00", "T01"});
}
