// The assign stage alone (src/pipeline/assign.hpp): Assigner puts a parcel in a village, by the
// village-code field when given, else by largest overlap; village_rows gives each village its
// township, zone and region.
//
// Villages, in metres from (kX, kY) (stage_fixtures.hpp):
//   V1 x 0..400, y 0..400     V2 x 400..800, y 0..400
// Townships: T1 x 0..400 and T2 x 400..800 (both y 0..400); T1 in zone Z1 of region R1, T2 in
// zone Z2 of region R2.
#include "stage_fixtures.hpp"

#include "pipeline/assign.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;

namespace {

VillageRef village(const std::string& id, const std::string& township, const std::string& wkt,
                   GIntBig fid, bool relocating = false) {
    return VillageRef{id, "村" + id, township, relocating, geos_from_wkt(wkt), fid};
}

TownshipRef township(const std::string& id, const std::string& zone, const std::string& region,
                     const std::string& wkt) {
    return TownshipRef{id, "乡" + id, zone, region, geos_from_wkt(wkt), {}};
}

ReferenceLayers two_villages() {
    ReferenceLayers ref;
    ref.villages_file = "villages.gpkg";
    ref.villages_layer = "villages";
    ref.villages.push_back(village("V1", "T1", at(0, 0, 400, 400), 1, true));
    ref.villages.push_back(village("V2", "T2", at(400, 0, 800, 400), 2));
    return ref;
}

void add_townships(ReferenceLayers& ref) {
    ref.townships.push_back(township("T1", "Z1", "R1", at(0, 0, 400, 400)));
    ref.townships.push_back(township("T2", "Z2", "R2", at(400, 0, 800, 400)));
}

VillageInput village_input() {
    VillageInput in;
    in.path = "villages.gpkg";
    in.id = "ZLDWDM";
    in.township = "XZDM";
    return in;
}

Assignment assign(const Assigner& a, const std::string& wkt, const std::string& code = "") {
    return a.assign(geos_from_wkt(wkt).get(), code);
}

} // namespace

TEST_CASE("assign: without a village code, the village overlapping the parcel most",
          "[stage][assign]") {
    const ReferenceLayers ref = two_villages();
    const Assigner assigner(ref);

    SECTION("wholly inside one village") {
        const Assignment a = assign(assigner, at(100, 100, 200, 200));
        CHECK(a.village == 0);
        CHECK(a.geometric_village == "V1");
        CHECK_FALSE(a.mismatch);
        CHECK_FALSE(a.unknown_code);
    }
    SECTION("across the border: 30 m in V1, 70 m in V2") {
        const Assignment a = assign(assigner, at(370, 0, 470, 100));
        CHECK(a.village == 1);
        CHECK(a.geometric_village == "V2");
    }
    SECTION("half and half: the tie goes to the first village") {
        const Assignment a = assign(assigner, at(350, 0, 450, 100));
        CHECK(a.village == 0);
        CHECK(a.geometric_village == "V1");
    }
    SECTION("in no village") {
        const Assignment a = assign(assigner, at(1000, 0, 1100, 100));
        CHECK(a.village == -1);
        CHECK(a.geometric_village.empty());
        CHECK_FALSE(a.mismatch);
    }
    SECTION("only touching a village's border is being in no village") {
        const Assignment a = assign(assigner, at(-100, 0, 0, 100));
        CHECK(a.village == -1);
        CHECK(a.geometric_village.empty());
    }
}

TEST_CASE("assign: the village-code field wins, and disagreements are flagged", "[stage][assign]") {
    const ReferenceLayers ref = two_villages();
    const Assigner assigner(ref);

    SECTION("code and geometry agree") {
        const Assignment a = assign(assigner, at(100, 100, 200, 200), "V1");
        CHECK(a.village == 0);
        CHECK_FALSE(a.mismatch);
        CHECK_FALSE(a.unknown_code);
    }
    SECTION("code and geometry disagree: the code's village, flagged") {
        const Assignment a = assign(assigner, at(100, 100, 200, 200), "V2");
        CHECK(a.village == 1);
        CHECK(a.geometric_village == "V1");
        CHECK(a.mismatch);
        CHECK_FALSE(a.unknown_code);
    }
    SECTION("a known code for a parcel in no village: the code's village, flagged") {
        const Assignment a = assign(assigner, at(1000, 0, 1100, 100), "V2");
        CHECK(a.village == 1);
        CHECK(a.geometric_village.empty());
        CHECK(a.mismatch);
    }
    SECTION("an unknown code: the geometry's village, flagged as unknown (not as a mismatch)") {
        const Assignment a = assign(assigner, at(500, 100, 600, 200), "V9");
        CHECK(a.village == 1);
        CHECK(a.geometric_village == "V2");
        CHECK(a.unknown_code);
        CHECK_FALSE(a.mismatch);
    }
    SECTION("an unknown code in no village: nowhere") {
        const Assignment a = assign(assigner, at(1000, 0, 1100, 100), "V9");
        CHECK(a.village == -1);
        CHECK(a.unknown_code);
    }
}

TEST_CASE("assign: village rows take township, zone and region", "[stage][assign]") {
    FindingLog log;

    SECTION("from the township field") {
        ReferenceLayers ref = two_villages();
        add_townships(ref);
        // V1 lies in T1's polygon but its field says T2: the field is used.
        ref.villages[0].township_id = "T2";
        const auto rows = village_rows(ref, village_input(), log);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].village_id == "V1");
        CHECK(rows[0].name == "村V1");
        CHECK(rows[0].relocating);
        CHECK(rows[0].township_id == "T2");
        CHECK(rows[0].zone_id == "Z2");
        CHECK(rows[0].region_id == "R2");
        CHECK(rows[1].village_id == "V2");
        CHECK_FALSE(rows[1].relocating);
        CHECK(rows[1].township_id == "T2");
        // Fresh accounting rows.
        for (const auto& r : rows) {
            CHECK(r.parcels == 0);
            CHECK(r.reclaim == 0);
            CHECK(r.resettle == 0);
        }
        CHECK(log.kept().empty());
    }
    SECTION("without a township code, by largest overlap with the townships") {
        ReferenceLayers ref = two_villages();
        add_townships(ref);
        ref.villages[0].township_id = "";
        // V3 (x 300..700, y 300..400): 100 m in T1, 300 m in T2.
        ref.villages.push_back(village("V3", "", at(300, 300, 700, 400), 3));
        const auto rows = village_rows(ref, village_input(), log);
        REQUIRE(rows.size() == 3);
        CHECK(rows[0].township_id == "T1");
        CHECK(rows[0].zone_id == "Z1");
        CHECK(rows[0].region_id == "R1");
        CHECK(rows[2].township_id == "T2");
        CHECK(rows[2].region_id == "R2");
        CHECK(log.kept().empty());
    }
    SECTION("an unknown township code is an error naming the village") {
        ReferenceLayers ref = two_villages();
        add_townships(ref);
        ref.villages.push_back(village("V3", "T9", at(0, 400, 400, 800), 3));
        const auto rows = village_rows(ref, village_input(), log);
        REQUIRE(rows.size() == 3);
        CHECK(rows[2].township_id == "T9");
        CHECK(rows[2].zone_id.empty());
        REQUIRE(log.errors() == 1);
        const Finding& e = log.kept()[0];
        CHECK(e.check == "unknown_township");
        CHECK(e.file == "villages.gpkg");
        CHECK(e.layer == "villages");
        CHECK(e.feature == "ZLDWDM=V3 (FID 3)");
        CHECK(e.field == "XZDM");
        CHECK_THAT(e.message, Catch::Contains("'T9'"));
    }
    SECTION("no code and no township under it: a warning") {
        ReferenceLayers ref = two_villages();
        add_townships(ref);
        ref.villages.push_back(village("V3", "", at(2000, 0, 2400, 400), 3));
        const auto rows = village_rows(ref, village_input(), log);
        CHECK(rows[2].township_id.empty());
        CHECK(log.errors() == 0);
        REQUIRE(log.warnings() == 1);
        CHECK(log.kept()[0].check == "no_township");
        CHECK(log.kept()[0].feature == "ZLDWDM=V3 (FID 3)");
    }
    SECTION("without a townships layer the field is kept as it is, with no zone or region") {
        const ReferenceLayers ref = two_villages();
        const auto rows = village_rows(ref, village_input(), log);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].township_id == "T1");
        CHECK(rows[0].zone_id.empty());
        CHECK(rows[0].region_id.empty());
        CHECK(log.kept().empty());
    }
}
