// Compensation plugins (average, tiered, split, enclave, award_pool), loaded from the build tree
// as from a job file. Every amount below is worked out on paper: 1 ha = 1 000 000 hundredths of
// m² = 15 mu exactly, so 1 ha at 300000 yuan/mu = 4 500 000 yuan = 450 000 000 fen.
#include "support.hpp"

#include "landquota/error.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <numeric>
#include <set>

using namespace landquota;
using landquota::test::make_compensation;

namespace {

constexpr AreaCm2x100 kHa = 1000000; // 1 ha = 15 mu

QuotaLot lot(const std::string& id, const std::string& village, const std::string& township,
             AreaCm2x100 area, const std::string& reclaim_to = "",
             std::vector<LotParcel> parcels = {}) {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = village;
    l.village_name = village;
    l.township_id = township;
    l.area = area;
    l.state = "accepted";
    l.reclaim_to = reclaim_to;
    l.parcels = std::move(parcels);
    return l;
}

Transfer transfer(const std::string& id, const std::string& lot_id, AreaCm2x100 area) {
    return Transfer{id, lot_id, "S1", area};
}

TownshipFigures township(const std::string& id, const std::string& region, AreaCm2x100 freed,
                         AreaCm2x100 allocated_from = 0,
                         std::map<std::string, double> indicators = {}) {
    TownshipFigures t;
    t.township_id = id;
    t.name = id;
    t.region_id = region;
    t.freed = freed;
    t.allocated_from = allocated_from;
    t.indicators = std::move(indicators);
    return t;
}

std::vector<Payment> run(CompensationModel& m, const std::vector<QuotaLot>& lots,
                         const std::vector<Transfer>& transfers,
                         const std::vector<TownshipFigures>& townships = {}) {
    const std::vector<Site> sites{Site{"S1", "site", "T9", "north", "北部", 100 * kHa, {}, 0, 0}};
    return m.compensate(CompensationInput{lots, sites, transfers, townships});
}

Fen sum_of(const std::vector<Payment>& ps, const std::string& transfer_id) {
    Fen s = 0;
    for (const auto& p : ps)
        if (p.transfer_id == transfer_id)
            s += p.amount;
    return s;
}

Fen sum_year(const std::vector<Payment>& ps, int year) {
    Fen s = 0;
    for (const auto& p : ps)
        if (p.year == year)
            s += p.amount;
    return s;
}

// payee_id -> amount for the payments of one transfer (or one year).
std::map<std::string, Fen> by_payee(const std::vector<Payment>& ps, const std::string& transfer_id,
                                    int year = 0) {
    std::map<std::string, Fen> out;
    for (const auto& p : ps)
        if (p.transfer_id == transfer_id && p.year == year)
            out[p.payee_id] += p.amount;
    return out;
}

void check_common(const std::vector<Payment>& ps, const std::string& model) {
    for (const auto& p : ps) {
        CHECK(p.model == model);
        CHECK(p.payment_id.empty());
        CHECK(p.amount > 0);
        CHECK_FALSE(p.basis.empty());
        CHECK(std::set<std::string>{"village", "township", "household", "collective"}.count(
                  p.payee_kind) == 1);
    }
}

} // namespace

TEST_CASE("compensation plugins are registered with their options", "[compensation]") {
    for (const char* name : {"average", "tiered", "split", "enclave", "award_pool"}) {
        INFO(name);
        if (std::string(name) == "enclave")
            CHECK_NOTHROW(make_compensation(name, {{"annual_dividend_yuan", 1000.0}}));
        else
            CHECK_NOTHROW(make_compensation(name));
    }
    // A wrong plugin name lists what exists.
    try {
        make_compensation("averag");
        FAIL("no error for an unknown plugin");
    } catch (const Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("average"));
    }
}

TEST_CASE("average pays each transfer at the county average price to the producing village",
          "[compensation]") {
    auto m = make_compensation("average");
    const std::vector<QuotaLot> lots{lot("L1", "V1", "T1", 2 * kHa), lot("L2", "V2", "T1", kHa)};
    // 1 ha = 15 mu; 66667 hundredths = 666.67 m² = 1.000005 mu → 66667 × 450 fen = 30 000 150 fen.
    const std::vector<Transfer> ts{transfer("X1", "L1", kHa), transfer("X2", "L2", 66667),
                                   transfer("X3", "L1", 0)};
    const auto ps = run(*m, lots, ts);
    check_common(ps, "average");
    REQUIRE(ps.size() == 2); // the zero transfer pays nothing
    CHECK(ps[0].transfer_id == "X1");
    CHECK(ps[0].lot_id == "L1");
    CHECK(ps[0].payee_kind == "village");
    CHECK(ps[0].payee_id == "V1");
    CHECK(ps[0].year == 0);
    CHECK(ps[0].amount == 450000000);
    CHECK_THAT(ps[0].basis, Catch::Contains("15.00 mu") && Catch::Contains("300000.00 yuan/mu"));
    CHECK(ps[1].payee_id == "V2");
    CHECK(ps[1].amount == 30000150);
    // the basis gives the exact mu, so the product can be checked by hand
    CHECK_THAT(ps[1].basis,
               Catch::Contains("666.67 m² = 1.000005 mu") && Catch::Contains("300001.50 yuan"));
    CHECK(sum_of(ps, "X2") == value_of_area(66667, 30000000));

    SECTION("paid to townships at another price; whole numbers are fine for a number option") {
        auto t = make_compensation("average", {{"payee", std::string("township")},
                                               {"price_yuan_per_mu", std::int64_t{250000}}});
        const auto qs = run(*t, lots, ts);
        REQUIRE(qs.size() == 2);
        CHECK(qs[0].payee_kind == "township");
        CHECK(qs[0].payee_id == "T1");
        CHECK(qs[0].amount == 375000000); // 15 mu × 250000 yuan
    }
    SECTION("a transfer naming an unknown lot is refused") {
        CHECK_THROWS_AS(run(*m, lots, {transfer("X9", "L9", kHa)}), std::invalid_argument);
    }
}

TEST_CASE("compensation options are validated as from a job file", "[compensation]") {
    CHECK_THROWS_AS(make_compensation("average", {{"price", 300000.0}}), Error);
    CHECK_THROWS_WITH(make_compensation("average", {{"price", 300000.0}}),
                      Catch::Contains("price_yuan_per_mu"));
    CHECK_THROWS_AS(make_compensation("average", {{"price_yuan_per_mu", std::string("300000")}}),
                    Error);
    CHECK_THROWS_AS(make_compensation("enclave", {{"years", 5.5}, {"annual_dividend_yuan", 1.0}}),
                    Error);
    CHECK_THROWS_AS(make_compensation("award_pool", {{"indicators", std::string("freed_mu:1")}}),
                    Error);
    // enclave's dividend has no default
    CHECK_THROWS_WITH(make_compensation("enclave"), Catch::Contains("annual_dividend_yuan"));
    // values the plugin itself refuses
    CHECK_THROWS_AS(make_compensation("average", {{"payee", std::string("county")}}),
                    std::invalid_argument);
    CHECK_THROWS_AS(make_compensation("average", {{"price_yuan_per_mu", -1.0}}),
                    std::invalid_argument);
    CHECK_THROWS_AS(make_compensation("average", {{"price_yuan_per_mu", 300000.125}}),
                    std::invalid_argument);
    // 0 pays nothing while the run looks complete: refused, except where 0 is meant (a nil cost)
    CHECK_THROWS_WITH(make_compensation("average", {{"price_yuan_per_mu", 0.0}}),
                      Catch::Contains("'price_yuan_per_mu' is 0"));
    CHECK_THROWS_WITH(make_compensation("tiered", {{"forest_yuan_per_mu", 0.0}}),
                      Catch::Contains("'forest_yuan_per_mu' is 0"));
    CHECK_THROWS_WITH(make_compensation("enclave", {{"annual_dividend_yuan", 0.0}}),
                      Catch::Contains("'annual_dividend_yuan' is 0"));
    CHECK_THROWS_WITH(make_compensation("award_pool", {{"annual_yuan", 0.0}}),
                      Catch::Contains("'annual_yuan' is 0"));
    CHECK_NOTHROW(make_compensation("split", {{"cost_yuan_per_mu", 0.0}}));
    CHECK_THROWS_AS(make_compensation("split", {{"household_share", 1.5}}), std::invalid_argument);
    CHECK_THROWS_AS(make_compensation("split", {{"household_share", -0.1}}), std::invalid_argument);
    CHECK_THROWS_AS(make_compensation("tiered", {{"default_class", std::string("paddy")}}),
                    std::invalid_argument);
    CHECK_THROWS_AS(
        make_compensation("enclave", {{"annual_dividend_yuan", 1.0}, {"years", std::int64_t{0}}}),
        std::invalid_argument);
    CHECK_THROWS_AS(
        make_compensation("award_pool", {{"indicators", std::vector<std::string>{"freed_mu"}}}),
        std::invalid_argument);
    CHECK_THROWS_AS(
        make_compensation("award_pool", {{"indicators", std::vector<std::string>{"freed_mu:x"}}}),
        std::invalid_argument);
    CHECK_THROWS_AS(make_compensation("award_pool", {{"indicators", std::vector<std::string>{}}}),
                    std::invalid_argument);
}

TEST_CASE("tiered prices by what the land was reclaimed to", "[compensation]") {
    auto m = make_compensation("tiered");
    const std::vector<QuotaLot> lots{
        lot("L1", "V1", "T1", kHa, "high_standard"), lot("L2", "V2", "T1", kHa, ""),
        lot("L3", "V3", "T1", kHa, "forest"), lot("L4", "V4", "T1", kHa, "other_farmland")};
    const std::vector<Transfer> ts{transfer("X1", "L1", kHa), transfer("X2", "L2", kHa),
                                   transfer("X3", "L3", kHa), transfer("X4", "L4", kHa / 2)};
    const auto ps = run(*m, lots, ts);
    check_common(ps, "tiered");
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].amount == 600000000); // 15 mu × 400000 yuan (high-standard)
    CHECK(ps[1].amount == 450000000); // empty → arable, 15 mu × 300000 yuan
    CHECK_THAT(ps[1].basis, Catch::Contains("arable"));
    CHECK(ps[2].amount == 450000000); // forest 300000
    CHECK(ps[3].amount == 225000000); // 7.5 mu × 300000
    CHECK_THAT(ps[0].basis,
               Catch::Contains("400000.00 yuan/mu") && Catch::Contains("high_standard"));

    SECTION("prices and the default class are options") {
        auto t = make_compensation("tiered", {{"forest_yuan_per_mu", 100000.0},
                                              {"default_class", std::string("forest")},
                                              {"high_standard_yuan_per_mu", 450000.5}});
        const auto qs = run(*t, lots, ts);
        REQUIRE(qs.size() == 4);
        CHECK(qs[0].amount == 675000750); // 15 mu × 450000.50 yuan = 6750007.50 yuan
        CHECK(qs[1].amount == 150000000); // default class forest now
        CHECK(qs[2].amount == 150000000);
    }
    SECTION("an unknown class names the lot, the class and the known classes") {
        const std::vector<QuotaLot> bad{lot("L7", "V7", "T1", kHa, "paddy")};
        try {
            run(*m, bad, {transfer("X7", "L7", kHa)});
            FAIL("no error for an unknown class");
        } catch (const std::invalid_argument& e) {
            const std::string msg = e.what();
            CHECK_THAT(msg, Catch::Contains("L7") && Catch::Contains("paddy") &&
                                Catch::Contains("high_standard") &&
                                Catch::Contains("other_farmland"));
        }
    }
}

TEST_CASE("split pays net proceeds 85% to homestead households and 15% to the collective",
          "[compensation]") {
    auto m = make_compensation("split", {{"cost_yuan_per_mu", 50000.0}});
    // Homesteads: H1 30 m²… in hundredths: H1 300000, H2 100000 + 200000 (two parcels), a homestead
    // without a holder (paid to its parcel id P9) 400000; H3's parcel is not a homestead.
    const std::vector<LotParcel> parcels{{"P1", "H1", "0702", 300000},
                                         {"P2", "H2", "0702", 100000},
                                         {"P3", "H3", "0101", 500000},
                                         {"P4", "H2", "0702", 200000},
                                         {"P9", "", "0702", 400000}};
    const std::vector<QuotaLot> lots{lot("L1", "V1", "T1", 2 * kHa, "arable", parcels)};
    const std::vector<Transfer> ts{transfer("X1", "L1", kHa)};
    // gross 15 mu × 200000 = 3 000 000 yuan; cost 15 × 50000 = 750 000; net 2 250 000 yuan
    // households 85% = 1 912 500 yuan → 0.3 / 0.3 / 0.4; collective 337 500 yuan.
    const auto ps = run(*m, lots, ts);
    check_common(ps, "split");
    REQUIRE(ps.size() == 4);
    CHECK(sum_of(ps, "X1") == 225000000);
    const auto got = by_payee(ps, "X1");
    CHECK(got == std::map<std::string, Fen>{
                     {"H1", 57375000}, {"H2", 57375000}, {"P9", 76500000}, {"V1", 33750000}});
    for (const auto& p : ps) {
        CHECK(p.lot_id == "L1");
        CHECK(p.payee_kind == (p.payee_id == "V1" ? "collective" : "household"));
    }
    CHECK(ps.back().payee_kind == "collective");

    SECTION("awkward splits reconcile to the fen") {
        // 66667 hundredths at 1 yuan/mu: 66667 × 100 × 15 / 10^6 = 100.0005 → 100 fen.
        const std::vector<LotParcel> three{
            {"P1", "A", "0702", 1000}, {"P2", "B", "0702", 1000}, {"P3", "C", "0702", 1000}};
        const std::vector<QuotaLot> small{lot("L1", "V1", "T1", 66667, "", three)};
        auto all =
            make_compensation("split", {{"price_yuan_per_mu", 1.0}, {"household_share", 1.0}});
        const auto a = run(*all, small, {transfer("X1", "L1", 66667)});
        CHECK(by_payee(a, "X1") ==
              std::map<std::string, Fen>{{"A", 34}, {"B", 33}, {"C", 33}}); // no 0 collective
        auto std_share = make_compensation("split", {{"price_yuan_per_mu", 1.0}});
        const auto b = run(*std_share, small, {transfer("X1", "L1", 66667)});
        CHECK(by_payee(b, "X1") ==
              std::map<std::string, Fen>{{"A", 29}, {"B", 28}, {"C", 28}, {"V1", 15}});
    }
    SECTION("a lot without homesteads pays everything to the collective") {
        const std::vector<QuotaLot> bare{
            lot("L1", "V1", "T1", kHa, "", {{"P3", "H3", "0101", 500000}})};
        const auto qs = run(*m, bare, ts);
        REQUIRE(qs.size() == 1);
        CHECK(qs[0].payee_kind == "collective");
        CHECK(qs[0].payee_id == "V1");
        CHECK(qs[0].amount == 225000000);
    }
    SECTION("a reclamation cost above the price leaves nothing to pay") {
        auto dear = make_compensation("split", {{"cost_yuan_per_mu", 250000.0}});
        CHECK(run(*dear, lots, ts).empty());
    }
}

TEST_CASE("every transfer's payments add up to its value under each transfer model",
          "[compensation]") {
    std::vector<LotParcel> parcels;
    for (int i = 0; i < 7; ++i)
        parcels.push_back(
            {"P" + std::to_string(i), "H" + std::to_string(i % 5), "0702", 12345 + 1000 * i});
    const std::vector<QuotaLot> lots{lot("L1", "V1", "T1", 3 * kHa, "high_standard", parcels),
                                     lot("L2", "V2", "T2", 3 * kHa, "forest")};
    const std::vector<Transfer> ts{transfer("X1", "L1", 123457), transfer("X2", "L2", 98765),
                                   transfer("X3", "L1", 1), transfer("X4", "L2", 2999999)};
    const std::map<std::string, Fen> price{
        {"average", 30000000}, {"tiered", 0}, {"split", 20000000}};
    for (const std::string name : {"average", "tiered", "split"}) {
        INFO(name);
        auto m = make_compensation(name);
        const auto ps = run(*m, lots, ts);
        check_common(ps, name);
        for (const auto& t : ts) {
            INFO(t.transfer_id);
            Fen fen_per_mu = price.at(name);
            if (name == "tiered")
                fen_per_mu = t.lot_id == "L1" ? 40000000 : 30000000;
            CHECK(sum_of(ps, t.transfer_id) == value_of_area(t.area, fen_per_mu));
        }
    }
}

TEST_CASE("enclave pays yearly dividends in proportion to contributed quota", "[compensation]") {
    auto m = make_compensation("enclave", {{"annual_dividend_yuan", 100.0},
                                           {"years", std::int64_t{3}},
                                           {"first_year", std::int64_t{2030}}});
    const std::vector<QuotaLot> lots{lot("L1", "V1", "T1", kHa), lot("L2a", "V2", "T1", kHa),
                                     lot("L2b", "V2", "T1", kHa), lot("L3", "V3", "T2", kHa)};
    // V1 contributes 1 ha, V2 2 ha (two lots), V3 nothing: 10000 fen → 3333.33 / 6666.67
    const std::vector<Transfer> ts{transfer("X1", "L2a", kHa), transfer("X2", "L1", kHa),
                                   transfer("X3", "L2b", kHa)};
    const auto ps = run(*m, lots, ts);
    check_common(ps, "enclave");
    REQUIRE(ps.size() == 6);
    for (int y = 2030; y <= 2032; ++y) {
        INFO(y);
        CHECK(sum_year(ps, y) == 10000);
        CHECK(by_payee(ps, "", y) == std::map<std::string, Fen>{{"V1", 3333}, {"V2", 6667}});
    }
    CHECK(sum_year(ps, 2033) == 0);
    CHECK(ps[0].year == 2030);
    CHECK(ps[0].payee_id == "V1");
    CHECK(ps[0].lot_id == "L1"); // one lot
    CHECK(ps[1].lot_id.empty()); // two lots
    for (const auto& p : ps) {
        CHECK(p.payee_kind == "village");
        CHECK(p.transfer_id.empty());
    }

    SECTION("Shengzhou scale: 4242万元 a year over 183 villages") {
        std::vector<QuotaLot> many;
        std::vector<Transfer> mt;
        for (int i = 0; i < 183; ++i) {
            const std::string id = std::to_string(1000 + i);
            many.push_back(lot("L" + id, "V" + id, "T1", kHa));
            mt.push_back(transfer("X" + id, "L" + id, kHa / 10));
        }
        auto s = make_compensation("enclave", {{"annual_dividend_yuan", 42420000.0}});
        const auto qs = run(*s, many, mt);
        REQUIRE(qs.size() == 183 * 10); // default 10 years from 2027
        CHECK(sum_year(qs, 2027) == 4242000000);
        CHECK(sum_year(qs, 2036) == 4242000000);
        CHECK(sum_year(qs, 2037) == 0);
        for (const auto& q : qs) // 4 242 000 000 / 183 = 23 180 327.87 fen ≈ 23万 yuan each
            CHECK((q.amount == 23180327 || q.amount == 23180328));
    }
}

TEST_CASE("award_pool splits a yearly amount across townships by weighted indicators",
          "[compensation]") {
    // Freed: T1 15 mu, T2 45 mu (south), T3 15 mu (north); ecology: T1 3, T2 1, T3 absent.
    const std::vector<TownshipFigures> ts{township("T2", "南部", 3 * kHa, 0, {{"ecology", 1.0}}),
                                          township("T1", "南部", kHa, kHa, {{"ecology", 3.0}}),
                                          township("T3", "北部", kHa, 0, {}),
                                          township("T4", "北部", 0, 0, {})};
    SECTION("default indicator: freed mu") {
        auto m = make_compensation("award_pool", {{"annual_yuan", 100.0}});
        const auto ps = run(*m, {}, {}, ts);
        check_common(ps, "award_pool");
        REQUIRE(ps.size() == 3); // T4 scores 0
        CHECK(by_payee(ps, "", 2027) ==
              std::map<std::string, Fen>{{"T1", 2000}, {"T2", 6000}, {"T3", 2000}});
        CHECK(ps[0].payee_id == "T1"); // by township id
        for (const auto& p : ps) {
            CHECK(p.payee_kind == "township");
            CHECK(p.transfer_id.empty());
        }
    }
    SECTION("weights: freed_mu:1, ecology:3") {
        // scores: T1 0.2 + 3 × 0.75 = 2.45; T2 0.6 + 3 × 0.25 = 1.35; T3 0.2; total 4
        auto m = make_compensation(
            "award_pool", {{"annual_yuan", 100.0},
                           {"indicators", std::vector<std::string>{"freed_mu:1", "ecology:3"}}});
        auto given = ts; // T3 and T4 have an ecology of 0, said so
        given[2].indicators["ecology"] = 0.0;
        given[3].indicators["ecology"] = 0.0;
        const auto ps = run(*m, {}, {}, given);
        CHECK(by_payee(ps, "", 2027) ==
              std::map<std::string, Fen>{{"T1", 6125}, {"T2", 3375}, {"T3", 500}});
        // Left blank, the value is not taken as 0: the run stops naming the township.
        try {
            run(*m, {}, {}, ts);
            FAIL("a missing indicator value was scored");
        } catch (const std::invalid_argument& e) {
            CHECK_THAT(std::string(e.what()), Catch::Contains("T3") &&
                                                  Catch::Contains("'ecology'") &&
                                                  Catch::Contains("no value"));
        }
        given[3].indicators["ecology"] = -1.0; // a share cannot rest on a negative value
        CHECK_THROWS_WITH(run(*m, {}, {}, given),
                          Catch::Contains("T4") && Catch::Contains("0 or more"));
    }
    SECTION("allocated_mu and several years") {
        auto m = make_compensation("award_pool",
                                   {{"annual_yuan", 50000000.0},
                                    {"years", std::int64_t{2}},
                                    {"indicators", std::vector<std::string>{"allocated_mu:2"}}});
        const auto ps = run(*m, {}, {}, ts);
        REQUIRE(ps.size() == 2);
        CHECK(ps[0].payee_id == "T1");
        CHECK(ps[0].year == 2027);
        CHECK(ps[1].year == 2028);
        CHECK(ps[1].amount == 5000000000);
    }
    SECTION("region filter: the south as focus") {
        auto m = make_compensation("award_pool",
                                   {{"annual_yuan", 100.0}, {"region", std::string("南部")}});
        const auto ps = run(*m, {}, {}, ts);
        CHECK(by_payee(ps, "", 2027) == std::map<std::string, Fen>{{"T1", 2500}, {"T2", 7500}});
        CHECK(sum_year(ps, 2027) == 10000);
        auto bad = make_compensation("award_pool", {{"region", std::string("东部")}});
        CHECK_THROWS_AS(run(*bad, {}, {}, ts), std::invalid_argument);
    }
    SECTION("an unknown indicator lists the known ones") {
        auto m =
            make_compensation("award_pool", {{"indicators", std::vector<std::string>{"gdp:1"}}});
        try {
            run(*m, {}, {}, ts);
            FAIL("no error for an unknown indicator");
        } catch (const std::invalid_argument& e) {
            const std::string msg = e.what();
            CHECK_THAT(msg, Catch::Contains("gdp") && Catch::Contains("freed_mu") &&
                                Catch::Contains("allocated_mu") && Catch::Contains("ecology"));
        }
    }
    SECTION("the Wuyi default: 5000万元 in 2027") {
        auto m = make_compensation("award_pool");
        const auto ps = run(*m, {}, {}, ts);
        CHECK(sum_year(ps, 2027) == 5000000000);
        CHECK(sum_year(ps, 2028) == 0);
    }
}
