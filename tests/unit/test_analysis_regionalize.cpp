// regionalize on grids of units with random sizes: every unit is in one cluster, every cluster
// is contiguous (connected through the units' neighbours) and reaches the minimum, and each is
// led by its highest-scoring unit. Units that cannot reach any cluster are an input error.
#include "support.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

using namespace landquota;
using landquota::test::make_analysis;

namespace {

// A w × h grid of square units 1 km wide; neighbours share an edge or a corner (queen).
std::vector<AnalysisUnit> grid(int w, int h, std::mt19937& rng) {
    std::uniform_real_distribution<double> pop(1000, 9000), score(0, 1);
    std::vector<AnalysisUnit> out;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            AnalysisUnit u;
            char id[8];
            std::snprintf(id, sizeof id, "G%02d", y * w + x);
            u.id = id;
            u.name = id;
            u.x = x * 1000 + 500;
            u.y = y * 1000 + 500;
            u.area_m2 = 1e6;
            u.indicators["pop"] = pop(rng);
            u.indicators["score"] = score(rng);
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    if ((dx || dy) && x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h)
                        u.neighbours.push_back(static_cast<std::size_t>((y + dy) * w + x + dx));
            out.push_back(u);
        }
    return out;
}

std::size_t col(const AnalysisTable& t, const std::string& key) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i].key == key)
            return i;
    return t.columns.size();
}

} // namespace

TEST_CASE("regionalize: contiguous clusters that meet the minimum", "[analysis][regionalize]") {
    std::mt19937 rng(2012);
    for (int trial = 0; trial < 20; ++trial) {
        const int w = 3 + trial % 5, h = 2 + trial % 4;
        auto u = grid(w, h, rng);
        const double min = std::uniform_real_distribution<double>(5000, 20000)(rng);
        double all = 0;
        for (const auto& x : u)
            all += x.indicators.at("pop");
        if (all < min)
            continue;
        INFO("trial " << trial << " grid " << w << "x" << h << " min " << min);
        const AnalysisResult r = make_analysis("regionalize", {{"size", std::string("pop")},
                                                               {"min_size", min},
                                                               {"score", std::string("score")}})
                                     ->analyse({u});
        const AnalysisTable& t = r.tables.at(0);
        REQUIRE(t.rows.size() == u.size());
        std::map<std::string, std::vector<std::size_t>> members;
        std::map<std::string, std::string> lead;
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            REQUIRE(std::get<std::string>(t.rows[i][0]) == u[i].id);
            const std::string c = std::get<std::string>(t.rows[i][col(t, "cluster_id")]);
            members[c].push_back(i);
            if (std::get<std::string>(t.rows[i][col(t, "lead")]) == "lead") {
                CHECK(lead.count(c) == 0);
                lead[c] = u[i].id;
            }
        }
        for (const auto& [c, m] : members) {
            double size = 0, top = -1;
            std::string best;
            for (auto i : m) {
                size += u[i].indicators.at("pop");
                if (u[i].indicators.at("score") > top) {
                    top = u[i].indicators.at("score");
                    best = u[i].id;
                }
            }
            CHECK(size >= min);
            CHECK(lead[c] == best);
            // Contiguous: a search from the first member through neighbours in the cluster
            // reaches them all.
            const std::set<std::size_t> in(m.begin(), m.end());
            std::set<std::size_t> seen{m[0]};
            std::vector<std::size_t> todo{m[0]};
            while (!todo.empty()) {
                const auto i = todo.back();
                todo.pop_back();
                for (auto nb : u[i].neighbours)
                    if (in.count(nb) && seen.insert(nb).second)
                        todo.push_back(nb);
            }
            CHECK(seen.size() == m.size());
        }
        // One dissolved feature per cluster.
        CHECK(r.layers.at(0).features.size() == members.size());
    }
}

TEST_CASE("regionalize: an island too small for any cluster is an input error",
          "[analysis][regionalize]") {
    std::mt19937 rng(1);
    auto u = grid(3, 3, rng);
    AnalysisUnit island;
    island.id = "Z99";
    island.name = "孤岛";
    island.indicators["pop"] = 10;
    island.indicators["score"] = 0;
    u.push_back(island);
    CHECK_THROWS_WITH(
        make_analysis("regionalize", {{"size", std::string("pop")}, {"min_size", 2000.0}})
            ->analyse({u}),
        Catch::Contains("Z99 孤岛") && Catch::Contains("min_size"));
}
