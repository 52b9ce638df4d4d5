// The reclaim stage alone (src/pipeline/reclaim.hpp): Reclaimer's eligibility rules, the clipping
// of exclusion zones, the minimum piece and the slope rule, on parcels built by hand.
//
// Coordinates in metres from (kX, kY) on the central meridian of EPSG:4549, where a rectangle's
// planar and ellipsoidal areas agree to far better than the 0.005 m² of rounding to hundredths
// (stage_fixtures.hpp): w m × h m is exactly w·h·100 hundredths.
#include "stage_fixtures.hpp"

#include "pipeline/reclaim.hpp"

#include <catch2/catch.hpp>
#include <functional>

using namespace landquota;
using namespace landquota::test;

namespace {

struct Fixture {
    ReclaimRules rules; // the defaults: 0702, 0601, 0602, 08*, 1004; class 203; 50 m²; slope 4
    ReferenceLayers ref;
    AreaCalculator area{working_crs(), 10.0};

    void exclude(const std::string& zone, const std::string& wkt) {
        ref.exclusions.push_back(ExclusionPolygon{zone, geos_from_wkt(wkt)});
    }
    // Reclaims a parcel (0702, class 203, no slope) of a relocating village, its facts edited
    // first by `edit` when given.
    ReclaimOutcome reclaim(const std::string& wkt,
                           const std::function<void(ParcelFacts&)>& edit = {}) const {
        const Reclaimer reclaimer(rules, ref, area);
        const GeomPtr g = geos_from_wkt(wkt);
        ParcelFacts facts{
            "0702", "203", "", true, true, true, area.measure(*ogr_from_wkt(wkt)).ellipsoidal_m2};
        if (edit)
            edit(facts);
        return reclaimer.reclaim(facts, g.get());
    }
};

// The number of pieces kept.
int pieces(const ReclaimOutcome& r) {
    return r.pieces ? GEOSGetNumGeometries_r(Geos::ctx(), r.pieces.get()) : 0;
}

const std::string kSquare = at(0, 0, 100, 100); // 10 000 m²

} // namespace

TEST_CASE("reclaim: an eligible parcel untouched by exclusions is reclaimed whole",
          "[stage][reclaim]") {
    const Fixture fx;
    const ReclaimOutcome r = fx.reclaim(kSquare);
    CHECK(r.status == ParcelStatus::Reclaimable);
    CHECK(r.reclaim == kHa);
    CHECK(pieces(r) == 1);
    CHECK(area_of(r.pieces.get()) == Approx(10000.0).margin(1e-6));
    CHECK(r.excluded_by.empty());
    CHECK(r.reason.empty());
}

TEST_CASE("reclaim: eligibility by village, land use, village class and relocation",
          "[stage][reclaim]") {
    Fixture fx;

    SECTION("in no village: outside") {
        const auto r = fx.reclaim(kSquare, [](ParcelFacts& f) { f.in_village = false; });
        CHECK(r.status == ParcelStatus::Outside);
        CHECK(r.reason == "in no village");
        CHECK(r.reclaim == 0);
        CHECK_FALSE(r.pieces);
    }
    SECTION("a land use not in the list") {
        const auto r = fx.reclaim(kSquare, [](ParcelFacts& f) { f.landuse = "0101"; });
        CHECK(r.status == ParcelStatus::NotEligible);
        CHECK(r.reason == "land use 0101 is not reclaimable");
        CHECK(r.reclaim == 0);
        CHECK_FALSE(r.pieces);
    }
    SECTION("a code matched by prefix (08*) is eligible; a bare prefix is not a pattern") {
        CHECK(fx.reclaim(kSquare, [](ParcelFacts& f) { f.landuse = "0809"; }).status ==
              ParcelStatus::Reclaimable);
        fx.rules.landuse = {"07"};
        CHECK(fx.reclaim(kSquare).status == ParcelStatus::NotEligible); // "07" is not "0702"
    }
    SECTION("a village class not in the list, when the job maps the field") {
        const auto r = fx.reclaim(kSquare, [](ParcelFacts& f) { f.village_class = "201"; });
        CHECK(r.status == ParcelStatus::NotEligible);
        CHECK(r.reason == "village class '201' is not reclaimable");
    }
    SECTION("the class is not asked for when the job maps no class field") {
        const auto r = fx.reclaim(kSquare, [](ParcelFacts& f) {
            f.village_class = "";
            f.has_village_class = false;
        });
        CHECK(r.status == ParcelStatus::Reclaimable);
    }
    SECTION("nor when the rules list no class") {
        fx.rules.village_class.clear();
        const auto r = fx.reclaim(kSquare, [](ParcelFacts& f) { f.village_class = "201"; });
        CHECK(r.status == ParcelStatus::Reclaimable);
    }
    SECTION("a village not slated for relocation") {
        const auto r = fx.reclaim(kSquare, [](ParcelFacts& f) { f.village_relocating = false; });
        CHECK(r.status == ParcelStatus::NotEligible);
        CHECK(r.reason == "village not slated for relocation");
    }
}

TEST_CASE("reclaim: the slope rule", "[stage][reclaim]") {
    Fixture fx; // max_slope_class = 4
    auto slope = [](const char* s) { return [s](ParcelFacts& f) { f.slope = s; }; };

    const auto steep = fx.reclaim(kSquare, slope("5"));
    CHECK(steep.status == ParcelStatus::Excluded);
    CHECK(steep.reason == "slope class 5 above 4");
    CHECK(steep.reclaim == 0);
    CHECK_FALSE(steep.pieces);

    CHECK(fx.reclaim(kSquare, slope("4")).reclaim == kHa); // at the limit: kept
    CHECK(fx.reclaim(kSquare, slope("")).reclaim == kHa);  // no slope given: no rule

    fx.rules.max_slope_class = 0; // no rule at all
    CHECK(fx.reclaim(kSquare, slope("5")).status == ParcelStatus::Reclaimable);
}

TEST_CASE("reclaim: exclusion zones are cut out", "[stage][reclaim]") {
    Fixture fx;

    SECTION("half in a zone: the other half, named by the zone") {
        fx.exclude("生态保护红线", at(50, -100, 200, 200));
        const auto r = fx.reclaim(kSquare);
        CHECK(r.status == ParcelStatus::Reclaimable);
        CHECK(r.reclaim == kHa / 2); // 50 m × 100 m = 5 000 m²
        CHECK(area_of(r.pieces.get()) == Approx(5000.0).margin(1e-6));
        CHECK(r.excluded_by == "生态保护红线");
        CHECK(r.reason == "partly inside exclusion zones");
    }
    SECTION("wholly inside a zone: excluded") {
        fx.exclude("生态保护红线", at(-10, -10, 110, 110));
        const auto r = fx.reclaim(kSquare);
        CHECK(r.status == ParcelStatus::Excluded);
        CHECK(r.reclaim == 0);
        CHECK_FALSE(r.pieces);
        CHECK(r.excluded_by == "生态保护红线");
        CHECK(r.reason == "wholly inside exclusion zones");
    }
    SECTION("a zone touching only the border cuts nothing") {
        fx.exclude("生态保护红线", at(100, 0, 200, 100));
        const auto r = fx.reclaim(kSquare);
        CHECK(r.reclaim == kHa);
        CHECK(r.excluded_by.empty());
        CHECK(r.reason.empty());
    }
    SECTION("two zones: both named, in code-point order of their names, each name once") {
        fx.exclude("生态保护红线", at(-10, -10, 20, 110)); // x 0..20 of the parcel
        fx.exclude("永久基本农田", at(80, -10, 110, 110)); // x 80..100
        fx.exclude("生态保护红线", at(20, 90, 80, 110));   // x 20..80, y 90..100
        const auto r = fx.reclaim(kSquare);
        // Left: x 20..80, y 0..90 = 60 m × 90 m = 5 400 m².
        CHECK(r.reclaim == 540000);
        CHECK(r.excluded_by == "永久基本农田;生态保护红线"); // 永 U+6C38 before 生 U+751F
        CHECK(r.status == ParcelStatus::Reclaimable);
    }
    SECTION("a zone over ground another zone has already taken is named too") {
        fx.exclude("生态保护红线", at(-10, -10, 110, 110)); // all of it
        fx.exclude("永久基本农田", at(40, 40, 60, 60));
        const auto r = fx.reclaim(kSquare);
        CHECK(r.status == ParcelStatus::Excluded);
        CHECK(r.reclaim == 0);
        CHECK(r.excluded_by == "永久基本农田;生态保护红线");
    }
    SECTION("an eligibility failure comes before any clipping") {
        fx.exclude("生态保护红线", at(-10, -10, 110, 110));
        const auto r = fx.reclaim(kSquare, [](ParcelFacts& f) { f.landuse = "0101"; });
        CHECK(r.status == ParcelStatus::NotEligible);
        CHECK(r.excluded_by.empty());
    }
}

TEST_CASE("reclaim: pieces below the minimum are dropped", "[stage][reclaim]") {
    Fixture fx; // min_piece_m2 = 50

    SECTION("an uncut parcel below the minimum: 7 m × 7 m = 49 m²") {
        const auto r = fx.reclaim(at(0, 0, 7, 7));
        CHECK(r.status == ParcelStatus::Excluded);
        CHECK(r.reclaim == 0);
        CHECK(r.reason == "below the minimum piece of 50 m²");
    }
    SECTION("an uncut parcel at or above it") {
        // Exactly the minimum is kept: an uncut parcel is judged by its measured area (the facts).
        CHECK(fx.reclaim(at(0, 0, 10, 5), [](ParcelFacts& f) { f.area_m2 = 50.0; }).reclaim ==
              5000);
        // 7.1 m × 7.1 m = 50.41 m².
        CHECK(fx.reclaim(at(0, 0, 7.1, 7.1)).reclaim == 5041);
    }
    SECTION("only a sliver left by a zone: 0.3 m × 100 m = 30 m²") {
        fx.exclude("永久基本农田", at(0.3, -50, 150, 150));
        const auto r = fx.reclaim(kSquare);
        CHECK(r.status == ParcelStatus::Excluded);
        CHECK(r.reclaim == 0);
        CHECK_FALSE(r.pieces);
        CHECK(r.excluded_by == "永久基本农田");
        CHECK(r.reason == "only pieces below the minimum size remain outside exclusions");
    }
    SECTION("a cut leaving a large piece and a sliver: the sliver is dropped") {
        // The strip x 40..99.7 leaves x 0..40 (4 000 m²) and x 99.7..100 (30 m²).
        fx.exclude("生态保护红线", at(40, -10, 99.7, 110));
        const auto r = fx.reclaim(kSquare);
        CHECK(r.status == ParcelStatus::Reclaimable);
        CHECK(r.reclaim == 400000);
        CHECK(pieces(r) == 1);
        CHECK(area_of(r.pieces.get()) == Approx(4000.0).margin(1e-6));
    }
    SECTION("an uncut multipolygon: each part is held to the minimum") {
        // 100 m × 100 m and, apart, 5 m × 5 m = 25 m².
        const std::string two = "MULTIPOLYGON (((500000 3200000,500100 3200000,500100 3200100,"
                                "500000 3200100,500000 3200000)),((500200 3200000,500205 "
                                "3200000,500205 3200005,500200 3200005,500200 3200000)))";
        const auto r = fx.reclaim(two);
        CHECK(r.status == ParcelStatus::Reclaimable);
        CHECK(r.reclaim == kHa);
        CHECK(pieces(r) == 1);
    }
    SECTION("the minimum is the job's") {
        fx.rules.min_piece_m2 = 10000.5;
        CHECK(fx.reclaim(kSquare).status == ParcelStatus::Excluded);
        fx.rules.min_piece_m2 = 0;
        CHECK(fx.reclaim(at(0, 0, 7, 7)).reclaim == 4900);
    }
}
