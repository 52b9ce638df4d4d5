// The lots stage alone (src/pipeline/lots.hpp): make_lots, allocable, locate_sites and
// township_figures on quota tables and reference layers built by hand.
//
// In metres from (kX, kY) (stage_fixtures.hpp):
//   villages V1 x 0..400 and V2 x 400..800 (y 0..400)
//   townships T1 x 0..400 (zone Z1, region R1) and T2 x 400..800 (zone Z2, region R2)
#include "stage_fixtures.hpp"

#include "pipeline/lots.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;

namespace {

VillageQuota row(const std::string& id, const std::string& township, AreaCm2x100 reclaim,
                 AreaCm2x100 resettle = 0) {
    VillageQuota v;
    v.village_id = id;
    v.name = "村" + id;
    v.township_id = township;
    v.zone_id = "Z" + township.substr(1);
    v.region_id = "R" + township.substr(1);
    v.reclaim = reclaim;
    v.resettle = resettle;
    return v;
}

VillageRef village(const std::string& id, const std::string& wkt, const std::string& state = "",
                   const std::string& accepted = "", const std::string& reclaim_to = "") {
    return VillageRef{id,         "村" + id, "",       true,      geos_from_wkt(wkt),
                      OGRNullFID, state,     accepted, reclaim_to};
}

TownshipRef township(const std::string& id, const std::string& wkt,
                     std::map<std::string, double> indicators = {}) {
    const std::string n = id.substr(1);
    return TownshipRef{id, "乡" + id, "Z" + n, "R" + n, geos_from_wkt(wkt), std::move(indicators)};
}

SiteRef site(const std::string& id, const std::string& wkt, AreaCm2x100 demand) {
    SiteRef s;
    s.site.site_id = id;
    s.site.name = "园区" + id;
    s.site.demand = demand;
    s.site.attributes = {{"tax_per_mu", 12.5}};
    s.site.x = 1.0; // as ingest placed it; locate_sites must not move it
    s.site.y = 2.0;
    s.geometry = geos_from_wkt(wkt);
    return s;
}

LotParcel lot_parcel(const std::string& id, AreaCm2x100 reclaim) {
    return LotParcel{id, "户" + id, "0702", reclaim};
}

} // namespace

TEST_CASE("lots: one lot per village with positive freed quota", "[stage][lots]") {
    ReferenceLayers ref;
    ref.villages.push_back(village("V1", at(0, 0, 400, 400), "", "2024-06-30", "arable"));
    ref.villages.push_back(village("V2", at(400, 0, 800, 400), "planned"));
    ref.villages.push_back(village("V3", at(0, 400, 400, 800)));
    ref.villages.push_back(village("V4", at(400, 400, 800, 800)));
    QuotaTables quota;
    quota.villages = {row("V1", "T1", 1500000, 200000), // freed 1 300 000
                      row("V2", "T2", 300000),          // freed 300 000, not yet accepted
                      row("V3", "T1", 0),               // freed 0: no lot
                      row("V4", "T2", 100, 200)};       // freed −100: no lot
    LotParcels parcels;
    parcels["V1"] = {lot_parcel("P1", kHa), lot_parcel("P2", kHa / 2)};
    parcels["V3"] = {lot_parcel("P9", 0)};

    const std::vector<QuotaLot> lots = make_lots(quota, ref, parcels);

    REQUIRE(lots.size() == 2);
    const QuotaLot& l1 = lots[0];
    CHECK(l1.lot_id == "LV1");
    CHECK(l1.village_id == "V1");
    CHECK(l1.village_name == "村V1");
    CHECK(l1.township_id == "T1");
    CHECK(l1.zone_id == "Z1");
    CHECK(l1.region_id == "R1");
    CHECK(l1.area == 1300000);     // the freed quota, reclaim − resettlement
    CHECK(l1.state == "accepted"); // no state given: accepted
    CHECK(l1.accepted == "2024-06-30");
    CHECK(l1.reclaim_to == "arable");
    // A point of the village (x 0..400, y 0..400 from the origin).
    CHECK(l1.x > kX);
    CHECK(l1.x < kX + 400);
    CHECK(l1.y > kY);
    CHECK(l1.y < kY + 400);
    REQUIRE(l1.parcels.size() == 2);
    CHECK(l1.parcels[0].parcel_id == "P1");
    CHECK(l1.parcels[0].holder == "户P1");
    CHECK(l1.parcels[1].reclaim == kHa / 2);

    const QuotaLot& l2 = lots[1];
    CHECK(l2.lot_id == "LV2");
    CHECK(l2.area == 300000);
    CHECK(l2.state == "planned");
    CHECK(l2.parcels.empty());
    CHECK(l2.x > kX + 400);

    CHECK(allocable(l1));
    CHECK_FALSE(allocable(l2));
}

TEST_CASE("lots: only accepted lots are allocable", "[stage][lots]") {
    QuotaLot l;
    for (const char* s : {"planned", "reclaimed", "allocated", "", "Accepted"}) {
        l.state = s;
        INFO(s);
        CHECK_FALSE(allocable(l));
    }
    l.state = "accepted";
    CHECK(allocable(l));
}

TEST_CASE("lots: locate_sites returns located copies and leaves the layers as they were",
          "[stage][lots]") {
    ReferenceLayers ref;
    ref.villages.push_back(village("V1", at(0, 0, 400, 400)));
    ref.villages.push_back(village("V2", at(400, 0, 800, 400)));
    ref.sites.push_back(site("S1", at(330, 100, 430, 200), 5 * kHa)); // 70 m in T1/V1, 30 in T2/V2
    ref.sites.push_back(site("S2", at(450, 100, 500, 150), kHa));     // in T2/V2
    ref.sites.push_back(site("S3", at(2000, 0, 2100, 100), kHa));     // in neither
    const GEOSGeometry* s1_geometry = ref.sites[0].geometry.get();
    QuotaTables quota;
    quota.villages = {row("V1", "T1", kHa)}; // V2 has no quota row

    SECTION("by the township polygons") {
        ref.townships.push_back(township("T1", at(0, 0, 400, 400)));
        ref.townships.push_back(township("T2", at(400, 0, 800, 400)));
        const std::vector<Site> sites = locate_sites(ref, quota);
        REQUIRE(sites.size() == 3);
        CHECK(sites[0].site_id == "S1");
        CHECK(sites[0].township_id == "T1");
        CHECK(sites[0].zone_id == "Z1");
        CHECK(sites[0].region_id == "R1");
        CHECK(sites[1].site_id == "S2");
        CHECK(sites[1].township_id == "T2");
        CHECK(sites[1].zone_id == "Z2");
        CHECK(sites[1].region_id == "R2");
        CHECK(sites[2].site_id == "S3");
        CHECK(sites[2].township_id.empty());
        CHECK(sites[2].region_id.empty());
        // The rest of each site is copied as it was.
        CHECK(sites[0].name == "园区S1");
        CHECK(sites[0].demand == 5 * kHa);
        CHECK(sites[0].attributes.at("tax_per_mu") == 12.5);
        CHECK(sites[0].x == 1.0);
        CHECK(sites[0].y == 2.0);
    }
    SECTION("without townships, through the villages' quota rows") {
        const std::vector<Site> sites = locate_sites(ref, quota);
        REQUIRE(sites.size() == 3);
        CHECK(sites[0].township_id == "T1");
        CHECK(sites[0].zone_id == "Z1");
        CHECK(sites[0].region_id == "R1");
        CHECK(sites[1].township_id.empty()); // V2 has no row
        CHECK(sites[2].township_id.empty());
    }

    // The reference layers are untouched.
    REQUIRE(ref.sites.size() == 3);
    for (const auto& s : ref.sites) {
        CHECK(s.site.township_id.empty());
        CHECK(s.site.zone_id.empty());
        CHECK(s.site.region_id.empty());
    }
    CHECK(ref.sites[0].geometry.get() == s1_geometry);
}

TEST_CASE("lots: township figures: freed, allocated from and indicators", "[stage][lots]") {
    ReferenceLayers ref;
    ref.townships.push_back(
        township("T1", at(0, 0, 400, 400), {{"population", 1200.0}, {"tax_wan", 3.5}}));
    QuotaTables quota;
    UnitQuota t1;
    t1.id = "T1";
    t1.name = "大田乡";
    t1.parent_id = "Z1";
    t1.region_id = "R1";
    t1.reclaim = 2 * kHa;
    t1.resettle = kHa / 2;
    UnitQuota t2;
    t2.id = "T2";
    t2.name = "T2";
    t2.parent_id = "Z2";
    t2.region_id = "R2";
    t2.reclaim = 300000;
    quota.townships = {t1, t2};
    std::vector<QuotaLot> lots(3);
    lots[0].lot_id = "L1";
    lots[0].township_id = "T1";
    lots[1].lot_id = "L2";
    lots[1].township_id = "T1";
    lots[2].lot_id = "L3";
    lots[2].township_id = "T2";
    // T1 gives 300 000 + 200 000 (from L1) + 100 000 (from L2); T2 nothing. L9 is no lot here.
    const std::vector<Transfer> transfers{{"T0001", "L1", "S1", 300000},
                                          {"T0002", "L1", "S2", 200000},
                                          {"T0003", "L2", "S1", 100000},
                                          {"T0004", "L9", "S1", 50000}};

    const std::vector<TownshipFigures> f = township_figures(quota, ref, lots, transfers);

    REQUIRE(f.size() == 2);
    CHECK(f[0].township_id == "T1");
    CHECK(f[0].name == "大田乡");
    CHECK(f[0].zone_id == "Z1");
    CHECK(f[0].region_id == "R1");
    CHECK(f[0].freed == 1500000); // 2 ha − 0.5 ha
    CHECK(f[0].allocated_from == 600000);
    CHECK(f[0].indicators ==
          std::map<std::string, double>{{"population", 1200.0}, {"tax_wan", 3.5}});
    CHECK(f[1].township_id == "T2");
    CHECK(f[1].freed == 300000);
    CHECK(f[1].allocated_from == 0);
    CHECK(f[1].indicators.empty()); // not in the townships layer
}
