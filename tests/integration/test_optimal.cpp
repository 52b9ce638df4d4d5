// optimal: the LP/MILP allocation, checked against an independent solver (glpsol, GLPK) on
// generated instances, against priority on the same objective, and for its shadow price.
#include "support.hpp"

#include "landquota/benefit.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace landquota;
using namespace landquota::test;

namespace {

constexpr double kMuPerHundredth = 15.0 / 1000000.0; // 0.01 m² in mu

AreaCm2x100 mu(double m) {
    return static_cast<AreaCm2x100>(std::llround(m * 1000000.0 / 15.0));
}
double in_mu(AreaCm2x100 a) {
    return static_cast<double>(a) * kMuPerHundredth;
}

struct Instance {
    std::vector<QuotaLot> lots;
    std::vector<Site> sites;
    std::vector<std::string> flows; // zone flows "FROM->TO"
    double max_km = 0;
    double min_mu = 0;

    // Written here, not with FlowRules, so a plugin that ignored the rules would be caught.
    bool allowed(const QuotaLot& l, const Site& s) const {
        if (max_km > 0 && std::hypot(l.x - s.x, l.y - s.y) > max_km * 1000.0)
            return false;
        return std::find(flows.begin(), flows.end(), l.zone_id + "->" + s.zone_id) != flows.end();
    }
    double weight(const Site& s) const {
        const auto it = s.attributes.find("tax_per_mu");
        return it == s.attributes.end() ? 0.0 : it->second;
    }
    std::map<std::string, OptionValue> options(bool with_min = true) const {
        std::map<std::string, OptionValue> o{{"flows", flows},
                                             {"flow_level", std::string("zone")},
                                             {"max_distance_km", max_km},
                                             {"benefit", std::string("tax_per_mu")}};
        if (with_min)
            o["min_transfer_mu"] = min_mu;
        return o;
    }
};

Instance generate(unsigned seed, double min_mu) {
    std::mt19937 rng(seed);
    auto uni = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
    Instance in;
    in.min_mu = min_mu;
    const std::vector<std::string> from{"S1", "S2", "S3"}, to{"N1", "N2", "S1"};
    for (const auto& f : from)
        for (const auto& t : to)
            if (uni(0, 9) < 6)
                in.flows.push_back(f + "->" + t);
    if (in.flows.empty())
        in.flows.push_back("S1->N1");
    in.max_km = seed % 3 == 0 ? 45.0 : 0.0;
    const int nl = uni(3, 12), ns = uni(2, 6);
    for (int i = 0; i < nl; ++i) {
        QuotaLot l;
        l.lot_id = "L" + std::to_string(100 + i);
        l.zone_id = from[uni(0, 2)];
        l.region_id = "south";
        l.area = uni(66667, 12000000); // 1 to 180 mu
        l.x = uni(0, 60000);
        l.y = uni(0, 40000);
        in.lots.push_back(l);
    }
    for (int j = 0; j < ns; ++j) {
        Site s;
        s.site_id = "T" + std::to_string(10 + j);
        s.zone_id = to[uni(0, 2)];
        s.region_id = "north";
        s.demand = uni(333333, 15000000); // 5 to 225 mu
        // One site in ten brings nothing: stated as 0 (a blank is refused, see below).
        s.attributes["tax_per_mu"] = uni(0, 9) > 0 ? uni(100, 10000) / 100.0 : 0.0;
        s.attributes["priority"] = uni(1, 3);
        s.x = uni(0, 60000);
        s.y = uni(0, 40000);
        in.sites.push_back(s);
    }
    return in;
}

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// The model of the brief in CPLEX LP format, for glpsol. Returns false if it has no variables.
bool write_lp(const Instance& in, const fs::path& file) {
    std::ostringstream obj, rows, bin;
    std::map<std::size_t, std::vector<std::string>> by_lot, by_site;
    int nvar = 0, nrow = 0;
    for (std::size_t i = 0; i < in.lots.size(); ++i)
        for (std::size_t j = 0; j < in.sites.size(); ++j) {
            if (!in.allowed(in.lots[i], in.sites[j]))
                continue;
            const std::string x = "x_" + std::to_string(i) + "_" + std::to_string(j);
            obj << (nvar++ ? " + " : " ") << num(in.weight(in.sites[j])) << " " << x;
            by_lot[i].push_back(x);
            by_site[j].push_back(x);
            if (in.min_mu > 0) {
                const std::string y = "y_" + std::to_string(i) + "_" + std::to_string(j);
                const double u = std::min(in_mu(in.lots[i].area), in_mu(in.sites[j].demand));
                rows << " u" << nrow++ << ": " << x << " - " << num(u) << " " << y << " <= 0\n";
                rows << " m" << nrow++ << ": " << x << " - " << num(in.min_mu) << " " << y
                     << " >= 0\n";
                bin << " " << y << "\n";
            }
        }
    if (nvar == 0)
        return false;
    for (const auto& [i, xs] : by_lot) {
        rows << " s" << i << ":";
        for (std::size_t k = 0; k < xs.size(); ++k)
            rows << (k ? " + " : " ") << xs[k];
        rows << " <= " << num(in_mu(in.lots[i].area)) << "\n";
    }
    for (const auto& [j, xs] : by_site) {
        rows << " d" << j << ":";
        for (std::size_t k = 0; k < xs.size(); ++k)
            rows << (k ? " + " : " ") << xs[k];
        rows << " <= " << num(in_mu(in.sites[j].demand)) << "\n";
    }
    std::ofstream f(file);
    f << "Maximize\n obj:" << obj.str() << "\nSubject To\n" << rows.str();
    if (in.min_mu > 0)
        f << "Binary\n" << bin.str();
    f << "End\n";
    return true;
}

double glpsol_objective(const fs::path& lp, const fs::path& out) {
    const std::string cmd =
        "glpsol --lp '" + lp.string() + "' -o '" + out.string() + "' > /dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string text = read_file(out);
    INFO(text.substr(0, 400));
    REQUIRE(text.find("OPTIMAL") != std::string::npos);
    const auto at = text.find("Objective:");
    REQUIRE(at != std::string::npos);
    const auto eq = text.find('=', at);
    REQUIRE(eq != std::string::npos);
    return std::stod(text.substr(eq + 1));
}

double figure(const AllocationResult& r, const std::string& name) {
    for (const auto& [n, v] : r.figures)
        if (n == name)
            return v;
    FAIL("figure " << name << " missing");
    return 0;
}

std::string transfers_text(const AllocationResult& r) {
    std::ostringstream s;
    for (const auto& t : r.transfers)
        s << t.lot_id << ">" << t.site_id << ":" << t.area << "\n";
    return s.str();
}

// Every lot, site and flow rule respected by the integer transfers.
void check_feasible(const Instance& in, const AllocationResult& r) {
    std::map<std::string, const QuotaLot*> lots;
    std::map<std::string, const Site*> sites;
    for (const auto& l : in.lots)
        lots[l.lot_id] = &l;
    for (const auto& s : in.sites)
        sites[s.site_id] = &s;
    std::map<std::string, AreaCm2x100> lot_used, site_used;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& t : r.transfers) {
        INFO(t.lot_id << " -> " << t.site_id << " " << t.area);
        REQUIRE(lots.count(t.lot_id));
        REQUIRE(sites.count(t.site_id));
        CHECK(t.area > 0);
        CHECK(in.allowed(*lots[t.lot_id], *sites[t.site_id]));
        CHECK(seen.insert({t.lot_id, t.site_id}).second);
        if (in.min_mu > 0)
            CHECK(in_mu(t.area) >= in.min_mu - kMuPerHundredth);
        lot_used[t.lot_id] += t.area;
        site_used[t.site_id] += t.area;
    }
    for (const auto& [id, used] : lot_used)
        CHECK(used <= lots[id]->area);
    for (const auto& [id, used] : site_used)
        CHECK(used <= sites[id]->demand);
}

double max_weight(const Instance& in) {
    double w = 0;
    for (const auto& s : in.sites)
        w = std::max(w, in.weight(s));
    return w;
}

} // namespace

TEST_CASE("optimal matches glpsol on generated instances, LP and MILP", "[optimal]") {
    TempDir dir;
    int compared = 0;
    for (unsigned seed = 1; seed <= 12; ++seed)
        for (const double min_mu : {0.0, 15.0}) {
            const Instance in = generate(seed, min_mu);
            INFO("seed " << seed << ", min_transfer_mu " << min_mu);
            const AllocationResult r =
                make_allocation("optimal", in.options())->allocate(in.lots, in.sites);
            check_feasible(in, r);
            const double lp = figure(r, "lp_objective"), obj = figure(r, "objective");

            const fs::path file =
                dir / ("m" + std::to_string(seed) + "_" + std::to_string(int(min_mu)) + ".lp");
            if (write_lp(in, file)) {
                const double expected = glpsol_objective(file, fs::path(file.string() + ".out"));
                CHECK(lp == Approx(expected).epsilon(1e-6).margin(1e-6));
                ++compared;
            } else {
                CHECK(lp == 0.0);
            }
            // The reported objective is the common one, on the integer transfers, and only the
            // flooring to hundredths of m² separates it from the solver's.
            CHECK(obj ==
                  Approx(allocation_benefit(r.transfers, in.sites, "tax_per_mu")).epsilon(1e-12));
            const double slack =
                static_cast<double>(r.transfers.size()) * kMuPerHundredth * max_weight(in);
            CHECK(obj <= lp + 1e-6 * std::max(1.0, lp));
            CHECK(obj >= lp - slack - 1e-6 * std::max(1.0, lp));

            // Deterministic: the same input in another order gives the same transfers.
            Instance shuffled = in;
            std::reverse(shuffled.lots.begin(), shuffled.lots.end());
            std::reverse(shuffled.sites.begin(), shuffled.sites.end());
            const AllocationResult again =
                make_allocation("optimal", in.options())->allocate(shuffled.lots, shuffled.sites);
            CHECK(transfers_text(again) == transfers_text(r));
        }
    CHECK(compared >= 20);
}

TEST_CASE("optimal is never worse than priority on the same objective and flow rules",
          "[optimal]") {
    int strictly_better = 0;
    for (unsigned seed = 1; seed <= 12; ++seed) {
        const Instance in = generate(seed, 0.0);
        INFO("seed " << seed);
        const AllocationResult opt =
            make_allocation("optimal", in.options())->allocate(in.lots, in.sites);
        const AllocationResult pri =
            make_allocation("priority", in.options(false))->allocate(in.lots, in.sites);
        check_feasible(in, pri);
        const double o = allocation_benefit(opt.transfers, in.sites, "tax_per_mu");
        const double p = allocation_benefit(pri.transfers, in.sites, "tax_per_mu");
        const double slack =
            static_cast<double>(opt.transfers.size()) * kMuPerHundredth * max_weight(in);
        CHECK(o >= p - slack - 1e-9);
        if (o > p + slack + 1e-6)
            ++strictly_better;

        // A minimum transfer size only removes options: never better than without.
        Instance with_min = in;
        with_min.min_mu = 15.0;
        const AllocationResult m =
            make_allocation("optimal", with_min.options())->allocate(in.lots, in.sites);
        CHECK(figure(m, "lp_objective") <= figure(opt, "lp_objective") + 1e-6);
    }
    // priority ranks by the priority class first, so on some instances it must lose.
    CHECK(strictly_better > 0);
}

TEST_CASE("optimal reports the shadow price of quota", "[optimal]") {
    auto lot = [](std::string id, double m) {
        QuotaLot l;
        l.lot_id = std::move(id);
        l.zone_id = "S1";
        l.region_id = "south";
        l.area = mu(m);
        return l;
    };
    auto site = [](std::string id, double m, double tax) {
        Site s;
        s.site_id = std::move(id);
        s.zone_id = "N1";
        s.region_id = "north";
        s.demand = mu(m);
        s.attributes["tax_per_mu"] = tax;
        return s;
    };
    const std::vector<QuotaLot> lots{lot("L1", 10), lot("L2", 20)};

    SECTION("supply short: the best site has unmet demand, one more mu is worth its weight") {
        const std::vector<Site> sites{site("A", 100, 80), site("B", 50, 30), site("C", 20, 55)};
        for (const double min_mu : {0.0, 1.0}) {
            INFO("min_transfer_mu " << min_mu);
            const auto r =
                make_allocation("optimal", {{"min_transfer_mu", min_mu}})->allocate(lots, sites);
            CHECK(figure(r, "shadow_price_per_mu") == Approx(80.0).epsilon(1e-9));
            CHECK(figure(r, "lp_objective") == Approx(80.0 * in_mu(mu(10) + mu(20))).epsilon(1e-9));
            CHECK(figure(r, "binding_lots") == 2);
            CHECK(figure(r, "binding_sites") == 0);
        }
    }
    SECTION("the best site is full: the marginal mu goes to the next best with room") {
        const std::vector<Site> sites{site("A", 100, 50), site("B", 5, 80), site("C", 10, 30)};
        const auto r = make_allocation("optimal")->allocate(lots, sites);
        CHECK(figure(r, "shadow_price_per_mu") == Approx(50.0).epsilon(1e-9));
        CHECK(figure(r, "binding_sites") == 1);
    }
    SECTION("supply exceeds total demand: one more mu is worth nothing") {
        const std::vector<Site> sites{site("A", 8, 80), site("B", 6, 30)};
        const auto r = make_allocation("optimal")->allocate(lots, sites);
        CHECK(figure(r, "shadow_price_per_mu") == 0.0);
        CHECK(figure(r, "binding_sites") == 2);
        AreaCm2x100 total = 0;
        for (const auto& t : r.transfers)
            total += t.area;
        CHECK(total == mu(8) + mu(6)); // all demand met exactly, nothing lost to rounding
    }
}

TEST_CASE("optimal refuses a negative minimum transfer", "[optimal]") {
    CHECK_THROWS(make_allocation("optimal", {{"min_transfer_mu", -1.0}}));
}

TEST_CASE("optimal with nothing to allocate", "[optimal]") {
    QuotaLot l;
    l.lot_id = "L1";
    l.zone_id = "S1";
    l.area = mu(10);
    Site s;
    s.site_id = "T1";
    s.zone_id = "S1";
    s.demand = mu(10);
    s.attributes["tax_per_mu"] = 5;
    SECTION("no lots, no sites") {
        const auto r = make_allocation("optimal")->allocate({}, {});
        CHECK(r.transfers.empty());
        CHECK(figure(r, "lp_objective") == 0.0);
    }
    SECTION("every flow forbidden") {
        const auto r = make_allocation("optimal", {{"flows", std::vector<std::string>{"S1->N1"}},
                                                   {"flow_level", std::string("zone")}})
                           ->allocate({l}, {s});
        CHECK(r.transfers.empty());
        CHECK(figure(r, "shadow_price_per_mu") == 0.0);
    }
    SECTION("the only pair is smaller than the minimum transfer") {
        const auto r = make_allocation("optimal", {{"min_transfer_mu", 11.0}})->allocate({l}, {s});
        CHECK(r.transfers.empty());
        CHECK(figure(r, "objective") == 0.0);
    }
    SECTION("a site without a benefit value is refused, not weighed 0") {
        Site blank = s;
        blank.site_id = "T2";
        blank.attributes.erase("tax_per_mu");
        CHECK_THROWS_WITH(make_allocation("optimal")->allocate({l}, {s, blank}),
                          Catch::Contains("site T2 has no value for tax_per_mu"));
    }
}

// A larger instance for timing only: landquota_tests "[.optimal-bench]".
TEST_CASE("optimal on a county-sized instance", "[.optimal-bench]") {
    Instance in = generate(7, 5.0);
    std::mt19937 rng(42);
    in.lots.clear();
    for (int i = 0; i < 200; ++i) {
        QuotaLot l;
        l.lot_id = "L" + std::to_string(1000 + i);
        l.zone_id = i % 2 ? "S1" : "S2";
        l.area = std::uniform_int_distribution<int>(66667, 3000000)(rng);
        in.lots.push_back(l);
    }
    in.sites.clear();
    for (int j = 0; j < 20; ++j) {
        Site s;
        s.site_id = "T" + std::to_string(100 + j);
        s.zone_id = j % 2 ? "N1" : "N2";
        s.demand = std::uniform_int_distribution<int>(3000000, 15000000)(rng);
        s.attributes["tax_per_mu"] = std::uniform_int_distribution<int>(100, 10000)(rng) / 100.0;
        in.sites.push_back(s);
    }
    in.flows = {"S1->N1", "S1->N2", "S2->N1", "S2->N2"};
    in.max_km = 0;
    const auto r = make_allocation("optimal", in.options())->allocate(in.lots, in.sites);
    check_feasible(in, r);
    for (const auto& n : r.notes)
        WARN(n.english());
}

// A minimum transfer size makes the allocation a MILP that can run for hours: the search stops at
// time_limit_s and keeps the best allocation found with its proven gap, or refuses clearly when it
// found none. (No time is asserted: the outcome is.)
TEST_CASE("optimal stops at its time limit with the best allocation and its gap, or refuses",
          "[optimal]") {
    Instance in = generate(7, 30.0);
    std::mt19937 rng(3);
    in.lots.clear();
    for (int i = 0; i < 150; ++i) {
        QuotaLot l;
        l.lot_id = "L" + std::to_string(1000 + i);
        l.zone_id = i % 2 ? "S1" : "S2";
        l.area = std::uniform_int_distribution<int>(1000000, 5000000)(rng); // 15 to 75 mu
        in.lots.push_back(l);
    }
    in.sites.clear();
    for (int j = 0; j < 25; ++j) {
        Site s;
        s.site_id = "T" + std::to_string(100 + j);
        s.zone_id = j % 2 ? "N1" : "N2";
        s.demand = std::uniform_int_distribution<int>(3000000, 9000000)(rng);
        s.attributes["tax_per_mu"] = std::uniform_int_distribution<int>(100, 10000)(rng) / 100.0;
        in.sites.push_back(s);
    }
    in.flows = {"S1->N1", "S1->N2", "S2->N1", "S2->N2"};
    in.max_km = 0;
    auto options = in.options();
    options["time_limit_s"] = 1.0;
    try {
        const auto r = make_allocation("optimal", options)->allocate(in.lots, in.sites);
        check_feasible(in, r);
        REQUIRE_FALSE(r.notes.empty());
        INFO(r.notes.front().english());
        CHECK_THAT(r.notes.front().english(),
                   Catch::Contains("time limit of 1 s") && Catch::Contains("% of the optimum"));
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Contains("time_limit_s"));
    }
    CHECK_THROWS_AS(make_allocation("optimal", {{"time_limit_s", 0.0}}), std::invalid_argument);
}
