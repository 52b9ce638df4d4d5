// The quota stage alone (src/pipeline/quota.hpp): add_resettlement and compute_quota on village
// rows and resettlement sites built by hand.
//
// Areas are hundredths of m²; mu are exact in integers: a hundredths of m² are 15·a millionths of
// a mu, and hundredths of a mu are those / 10 000 (so 1 ha = 1 000 000 hundredths = 15.00 mu).
#include "stage_fixtures.hpp"

#include "pipeline/quota.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;

namespace {

VillageQuota row(const std::string& id, const std::string& township, const std::string& zone,
                 const std::string& region, AreaCm2x100 reclaim, AreaCm2x100 resettle = 0) {
    VillageQuota v;
    v.village_id = id;
    v.name = "村" + id;
    v.township_id = township;
    v.zone_id = zone;
    v.region_id = region;
    v.reclaim = reclaim;
    v.resettle = resettle;
    return v;
}

VillageInput village_input() {
    VillageInput in;
    in.path = "villages.gpkg";
    in.id = "ZLDWDM";
    return in;
}

// Sums of the rows below a unit, for the "rows add up to the total" checks.
struct Sums {
    std::int64_t villages = 0, mu = 0;
    AreaCm2x100 reclaim = 0, resettle = 0;
    template <typename Row> void add(const Row& r, std::int64_t villages_of_row) {
        villages += villages_of_row;
        mu += r.freed_mu_hundredths;
        reclaim += r.reclaim;
        resettle += r.resettle;
    }
};

void check_equals_rows(const UnitQuota& u, const Sums& s) {
    INFO("unit " << u.id << " (parent " << u.parent_id << ")");
    CHECK(u.villages == s.villages);
    CHECK(u.reclaim == s.reclaim);
    CHECK(u.resettle == s.resettle);
    CHECK(u.freed_mu_hundredths == s.mu);
}

} // namespace

TEST_CASE("quota: add_resettlement adds each village's resettlement land, in a new vector",
          "[stage][quota]") {
    AreaCalculator area(working_crs(), 10.0);
    ReferenceLayers ref;
    ref.villages_layer = "villages";
    auto site = [&](const std::string& id, const std::string& village, const std::string& wkt) {
        ref.resettlement.push_back(ResettlementSite{id, village, geos_from_wkt(wkt)});
    };
    site("R1", "V1", at(400, 200, 440, 250)); // 40 m × 50 m = 2 000 m² = 200 000
    site("R2", "V1", at(0, 500, 10, 510));    // 10 m × 10 m = 100 m² = 10 000
    site("R3", "V2", at(500, 500, 510, 510)); // 100 m²
    site("R4", "V9", at(700, 500, 710, 510)); // an unknown village: refused at ingest, skipped
    site("R5", "V3", at(900, 500, 910, 510)); // 100 m²

    // V1: 15 000 m² reclaimed; V2 nothing; V3 exactly its resettlement (100 m²).
    const std::vector<VillageQuota> rows{row("V1", "T1", "Z1", "R1", 1500000),
                                         row("V2", "T1", "Z1", "R1", 0),
                                         row("V3", "T1", "Z1", "R1", 10000)};
    FindingLog log;
    const std::vector<VillageQuota> out = add_resettlement(rows, ref, area, village_input(), log);

    REQUIRE(out.size() == 3);
    CHECK(out[0].village_id == "V1");
    CHECK(out[0].resettle == 210000); // R1 + R2
    CHECK(out[0].freed() == 1290000);
    CHECK(out[0].reclaim == 1500000); // reclaim untouched
    CHECK(out[1].resettle == 10000);
    CHECK(out[1].freed() == -10000);
    CHECK(out[2].resettle == 10000);
    CHECK(out[2].freed() == 0);

    // The input is left as it was.
    for (const auto& r : rows)
        CHECK(r.resettle == 0);
    CHECK(rows[1].freed() == 0);

    // Only V2 goes below zero (V3 at exactly zero is fine): one warning naming it.
    CHECK(log.errors() == 0);
    REQUIRE(log.warnings() == 1);
    const Finding& w = log.kept()[0];
    CHECK(w.check == "negative_freed_quota");
    CHECK(w.file == "villages.gpkg");
    CHECK(w.layer == "villages");
    CHECK(w.feature == "ZLDWDM=V2");
    CHECK(w.message == "resettlement (100.00 m²) exceeds reclaim (0.00 m²)");
}

TEST_CASE("quota: unit totals are the sums of their rows, and mu rows add up to the total",
          "[stage][quota]") {
    // Two regions; zone "Z1" in both (zone ids may repeat across regions).
    //   A1  R1/Z1/T1  reclaim 1 000 000           15 000 000 millionths of a mu = 1500.00 mu
    //   A2  R1/Z1/T1  reclaim 400                  6 000 millionths = 0.6 hundredths
    //   A3  R1/Z1/T1  reclaim 400                  0.6 hundredths
    //   B1  R2/Z1/T2  reclaim 400                  0.6 hundredths
    //   B2  R2/Z1/T2  reclaim 200, resettle 600    freed −400: −0.6 hundredths
    // County freed 1 000 800 → 15 012 000 millionths → 1501.2 → 1501 hundredths of a mu.
    // R1 gets 1501 (floor 1501, nothing left to hand out), R2 0; so do their zone and township.
    // T1's villages: floors 1500, 0, 0 and one hundredth left, to the largest remainder (A2 and
    // A3 tie at 6 000; the earlier row wins): 1500, 1, 0. Rounded alone they would be 1500, 1, 1
    // and not add up to 1501.
    // T2's villages: floors 0 (rem 6 000) and −1 (rem 4 000) sum to −1; the total 0 gives B1 the
    // missing hundredth: 1, −1.
    std::vector<VillageQuota> rows{
        row("B2", "T2", "Z1", "R2", 200, 600), row("A3", "T1", "Z1", "R1", 400),
        row("A1", "T1", "Z1", "R1", 1000000), row("B1", "T2", "Z1", "R2", 400),
        row("A2", "T1", "Z1", "R1", 400)};
    ReferenceLayers ref;
    ref.townships.push_back(TownshipRef{"T1", "大田乡", "Z1", "R1", nullptr, {}});

    const QuotaTables q = compute_quota(rows, ref);

    // Villages sorted by region, zone, township, village.
    REQUIRE(q.villages.size() == 5);
    std::vector<std::string> order;
    for (const auto& v : q.villages)
        order.push_back(v.village_id);
    CHECK(order == std::vector<std::string>{"A1", "A2", "A3", "B1", "B2"});
    CHECK(q.villages[0].freed_mu_hundredths == 1500);
    CHECK(q.villages[1].freed_mu_hundredths == 1);
    CHECK(q.villages[2].freed_mu_hundredths == 0);
    CHECK(q.villages[3].freed_mu_hundredths == 1);
    CHECK(q.villages[4].freed_mu_hundredths == -1);

    REQUIRE(q.townships.size() == 2);
    CHECK(q.townships[0].id == "T1");
    CHECK(q.townships[0].name == "大田乡"); // from the townships layer
    CHECK(q.townships[0].parent_id == "Z1");
    CHECK(q.townships[0].region_id == "R1");
    CHECK(q.townships[1].id == "T2");
    CHECK(q.townships[1].name == "T2"); // not in the layer: its id
    CHECK(q.townships[1].region_id == "R2");

    REQUIRE(q.zones.size() == 2); // Z1 of R1 and Z1 of R2 are two zones
    CHECK(q.zones[0].id == "Z1");
    CHECK(q.zones[0].parent_id == "R1");
    CHECK(q.zones[1].id == "Z1");
    CHECK(q.zones[1].parent_id == "R2");

    REQUIRE(q.regions.size() == 2);
    CHECK(q.regions[0].id == "R1");
    CHECK(q.regions[0].parent_id.empty());
    CHECK(q.regions[1].id == "R2");

    CHECK(q.county.id == "county");
    CHECK(q.county.villages == 5);
    CHECK(q.county.reclaim == 1001400);
    CHECK(q.county.resettle == 600);
    CHECK(q.county.freed() == 1000800);
    CHECK(q.county.freed_mu_hundredths == 1501);
    CHECK(q.regions[0].freed_mu_hundredths == 1501);
    CHECK(q.regions[1].freed_mu_hundredths == 0);
    CHECK(q.townships[0].freed_mu_hundredths == 1501);
    CHECK(q.townships[1].freed_mu_hundredths == 0);

    // Every unit equals the sum of the rows below it: areas, village counts and mu.
    for (const auto& t : q.townships) {
        Sums s;
        for (const auto& v : q.villages)
            if (v.township_id == t.id)
                s.add(v, 1);
        check_equals_rows(t, s);
    }
    for (const auto& z : q.zones) {
        Sums s;
        for (const auto& t : q.townships)
            if (t.parent_id == z.id && t.region_id == z.parent_id)
                s.add(t, t.villages);
        check_equals_rows(z, s);
    }
    for (const auto& r : q.regions) {
        Sums s;
        for (const auto& z : q.zones)
            if (z.parent_id == r.id)
                s.add(z, z.villages);
        check_equals_rows(r, s);
    }
    Sums s;
    for (const auto& r : q.regions)
        s.add(r, r.villages);
    check_equals_rows(q.county, s);
}

TEST_CASE("quota: no villages give an empty county", "[stage][quota]") {
    const QuotaTables q = compute_quota({}, ReferenceLayers{});
    CHECK(q.villages.empty());
    CHECK(q.townships.empty());
    CHECK(q.county.villages == 0);
    CHECK(q.county.freed_mu_hundredths == 0);
    CHECK(q.county.id == "county");
}
