// The corridor stage alone (src/geo/ground_buffer.hpp, src/pipeline/corridors.hpp): belts
// buffered on the ground, their area on the ellipsoid against the closed form 2·L·d + π·d², the
// clipping of reclaimable pieces at the belt's edge (counted once where routes' belts overlap),
// the include role in the reclaim step, and the rounding of a village's freed quota inside.
//
// Coordinates in EPSG:4549 (stage_fixtures.hpp). L is measured independently of the engine's
// length: GeographicLib's inverse geodesic (PROJ's geodesic.h) between the line's end points.
#include "stage_fixtures.hpp"

#include "geo/ground_buffer.hpp"
#include "landquota/error.hpp"
#include "landquota/ordering.hpp"
#include "pipeline/corridors.hpp"
#include "pipeline/reclaim.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <geodesic.h>

using namespace landquota;
using namespace landquota::test;

namespace {

// The stated tolerance of a belt's ellipsoidal area (docs/methods.md §6.2).
constexpr double kBeltAreaTolerance = 1e-4;

// The geodesic distance between two points of the working CRS.
double geodesic_m(double x0, double y0, double x1, double y1) {
    std::unique_ptr<OGRSpatialReference> geog(working_crs().CloneGeogCS());
    geog->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> t(
        OGRCreateCoordinateTransformation(&working_crs(), geog.get()));
    double xs[] = {x0, x1}, ys[] = {y0, y1};
    REQUIRE(t->Transform(2, xs, ys));
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257222101);
    double s = 0;
    geod_inverse(&g, ys[0], xs[0], ys[1], xs[1], &s, nullptr, nullptr);
    return s;
}

std::string line(double x0, double y0, double x1, double y1) {
    return fmt::format("LINESTRING ({:.3f} {:.3f}, {:.3f} {:.3f})", x0, y0, x1, y1);
}

double belt_area(const std::string& wkt, double d, double* width_error = nullptr) {
    const AreaCalculator area(working_crs(), 10.0);
    const GeomPtr g = geos_from_wkt(wkt);
    GroundBuffer b = buffer_on_ground(g.get(), working_crs(), d, 10.0);
    REQUIRE(b.belt);
    if (width_error)
        *width_error = b.width_error;
    return area.measure(*to_ogr(b.belt.get())).ellipsoidal_m2;
}

// A corridor of one or more lines, buffered as read_corridors does.
CorridorRef corridor(const std::string& name, CorridorRole role, double d,
                     const std::vector<std::string>& lines) {
    CorridorRef c;
    c.name = name;
    c.role = role;
    c.buffer_m = d;
    auto* ctx = Geos::ctx();
    GeomPtr belt;
    for (const auto& wkt : lines) {
        GeomPtr g = geos_from_wkt(wkt);
        GroundBuffer b = buffer_on_ground(g.get(), working_crs(), d, 10.0);
        belt = belt ? GeomPtr(GEOSUnion_r(ctx, belt.get(), b.belt.get())) : std::move(b.belt);
        c.routes.push_back(CorridorRoute{wkt, std::move(g), 0.0});
    }
    c.belt = polygonal_part(belt.get());
    return c;
}

} // namespace

TEST_CASE("corridors: a 3 km belt around a straight 20 km line has the area 2·L·d + π·d² on the "
          "ellipsoid",
          "[stage][corridors]") {
    const double d = 3000.0;
    // On the central meridian and 150 km east of it, where the Gauss–Krüger scale is 1.00028: a
    // buffer drawn in the working CRS there would be 0.028% too narrow on the ground (twice the
    // tolerance); the ground buffer is not.
    for (const double east : {0.0, 150000.0}) {
        const double x = kX + east;
        for (const auto& [dx, dy] :
             {std::pair{20000.0, 0.0}, std::pair{0.0, 20000.0}, std::pair{14142.0, 14142.0}}) {
            const double L = geodesic_m(x, kY, x + dx, kY + dy);
            const double expected = 2 * L * d + M_PI * d * d;
            double width_error = 0;
            const double got = belt_area(line(x, kY, x + dx, kY + dy), d, &width_error);
            INFO("east " << east << " dx " << dx << " dy " << dy << " L " << L << " rel "
                         << (got - expected) / expected << " got " << got << " expected "
                         << expected);
            CHECK(std::abs(got - expected) / expected < kBeltAreaTolerance);
            CHECK(width_error < 1e-6); // 13 km from the centre at most
        }
    }
}

TEST_CASE("corridors: a 280 km route keeps its belt within the stated tolerance",
          "[stage][corridors]") {
    // 280 km north–south, 3 km each side: the ends are 140 km from the projection's centre.
    const double d = 3000.0, x = kX + 60000.0;
    const double L = geodesic_m(x, kY - 140000, x, kY + 140000);
    double width_error = 0;
    const double got = belt_area(line(x, kY - 140000, x, kY + 140000), d, &width_error);
    const double expected = 2 * L * d + M_PI * d * d;
    INFO("rel " << (got - expected) / expected << " got " << got << " expected " << expected
                << " width error " << width_error);
    CHECK(width_error < kBeltAreaTolerance);
    CHECK(width_error > 1e-5); // (143 km / 6378 km)² / 6 = 8.4e-5: the bound is not vacuous
    CHECK(std::abs(got - expected) / expected < kBeltAreaTolerance);
    // The engine's own route length agrees with the geodesic to a millimetre per kilometre.
    const GeomPtr g = geos_from_wkt(line(x, kY - 140000, x, kY + 140000));
    CHECK(ground_length_m(g.get(), working_crs(), 10.0) == Approx(L).epsilon(1e-6));
}

TEST_CASE("corridors: a route reaching too far from its centre is refused", "[stage][corridors]") {
    const GeomPtr g = geos_from_wkt(line(kX, kY - 800000, kX, kY + 800000));
    CHECK_THROWS_WITH(buffer_on_ground(g.get(), working_crs(), 3000.0, 10.0),
                      Catch::Contains("split the route"));
}

TEST_CASE("corridors: a parcel straddling the belt's edge is clipped, and counted once where "
          "two routes' belts overlap",
          "[stage][corridors]") {
    ReferenceLayers ref;
    // Two routes 10 m apart, 30 m each side: the belt runs from y = −30 to y = 40.
    ref.corridors.push_back(
        corridor("河", CorridorRole::Report, 30.0,
                 {line(kX - 500, kY, kX + 500, kY), line(kX - 500, kY + 10, kX + 500, kY + 10)}));
    // A second corridor, one route, to show the tally is per corridor.
    ref.corridors.push_back(
        corridor("路", CorridorRole::Report, 30.0, {line(kX - 500, kY, kX + 500, kY)}));
    const AreaCalculator area(working_crs(), 10.0);
    const CorridorClipper clipper(ref, area);
    CorridorTally tally;
    const GeomPtr parcel = geos_from_wkt(at(0, 0, 100, 100)); // 1 ha, straddles both edges
    clipper.add("V1", parcel.get(), kHa, tally);
    const GeomPtr far = geos_from_wkt(at(0, 200, 100, 300)); // outside every belt
    clipper.add("V1", far.get(), kHa, tally);
    const GeomPtr within = geos_from_wkt(at(200, -10, 210, 0)); // wholly inside
    clipper.add("V2", within.get(), 10000, tally);
    REQUIRE(tally.size() == 2);
    // 100 m × 40 m inside the dissolved belt of 河: once, not once per route.
    CHECK(tally[0].at("V1").parcels == 1);
    CHECK(std::abs(tally[0].at("V1").reclaim - 400000) <= 1);
    CHECK(tally[0].at("V2").reclaim == 10000); // wholly inside: the parcel's own figure
    // 100 m × 30 m inside 路.
    CHECK(std::abs(tally[1].at("V1").reclaim - 300000) <= 1);
    CHECK(tally[1].at("V1").parcels == 1);
}

TEST_CASE("corridors: with an include corridor only land inside its belt is reclaimable",
          "[stage][corridors]") {
    ReclaimRules rules;
    ReferenceLayers ref;
    ref.corridors.push_back(
        corridor("风光带", CorridorRole::Include, 30.0, {line(kX - 500, kY, kX + 500, kY)}));
    // A report corridor elsewhere changes nothing.
    ref.corridors.push_back(corridor("统计", CorridorRole::Report, 30.0,
                                     {line(kX - 500, kY + 200, kX + 500, kY + 200)}));
    const AreaCalculator area(working_crs(), 10.0);
    const Reclaimer reclaimer(rules, ref, area);
    auto reclaim = [&](const std::string& wkt) {
        const GeomPtr g = geos_from_wkt(wkt);
        const ParcelFacts facts{
            "0702", "203", "", true, true, true, area.measure(*ogr_from_wkt(wkt)).ellipsoidal_m2};
        return reclaimer.reclaim(facts, g.get());
    };
    const ReclaimOutcome straddling = reclaim(at(0, 0, 100, 100));
    CHECK(straddling.status == ParcelStatus::Reclaimable);
    CHECK(std::abs(straddling.reclaim - 300000) <= 1); // 100 m × 30 m
    CHECK_THAT(straddling.reason, Catch::Contains("风光带"));
    const ReclaimOutcome inside = reclaim(at(0, -20, 10, 10));
    CHECK(inside.reclaim == 30000);
    const ReclaimOutcome outside = reclaim(at(0, 150, 100, 250));
    CHECK(outside.status == ParcelStatus::Excluded);
    CHECK(outside.reclaim == 0);
    CHECK_THAT(outside.reason, Catch::Contains("outside the include corridors"));
}

TEST_CASE("corridors: a village's freed quota inside is its share, rounded half away from zero",
          "[stage][corridors]") {
    CHECK(freed_share(1001, 1, 2) == 501);   // 500.5
    CHECK(freed_share(-1001, 1, 2) == -501); // resettlement above reclaim
    CHECK(freed_share(1000, 0, 2) == 0);
    CHECK(freed_share(1000, 5, 0) == 0);
    // Products beyond 64 bits stay exact: 9e12 hundredths (900 km²) × 3e12.
    CHECK(freed_share(9000000000000, 3000000000000, 9000000000000) == 3000000000000);
}

TEST_CASE("corridors stage: a priority corridor puts the lots inside it first", "[corridors]") {
    // Two priority corridors over the same ground and a report one: village A has 3/4 of its
    // reclaim inside the first and 1/2 inside the second (capped at 1), B 1/4, C nothing
    // (the report corridor does not count).
    ReferenceLayers ref;
    ref.corridors.push_back(CorridorRef{"p1", CorridorRole::Priority, 0, "", "", {}, {}, 0, 0});
    ref.corridors.push_back(CorridorRef{"p2", CorridorRole::Priority, 0, "", "", {}, {}, 0, 0});
    ref.corridors.push_back(CorridorRef{"r", CorridorRole::Report, 0, "", "", {}, {}, 0, 0});
    QuotaTables quota;
    for (const char* v : {"A", "B", "C"}) {
        VillageQuota q;
        q.village_id = v;
        q.reclaim = 400000;
        quota.villages.push_back(q);
    }
    CorridorTally tally(3);
    tally[0]["A"] = {300000, 2};
    tally[1]["A"] = {200000, 1};
    tally[0]["B"] = {100000, 1};
    tally[2]["C"] = {400000, 3};
    std::vector<QuotaLot> lots(3);
    const char* accepted[] = {"2025-01-01", "2024-01-01", "2020-01-01"};
    for (std::size_t i = 0; i < 3; ++i) {
        lots[i].lot_id = std::string("L") + quota.villages[i].village_id;
        lots[i].village_id = quota.villages[i].village_id;
        lots[i].accepted = accepted[i];
    }
    mark_priority_lots(lots, ref, quota, tally);
    CHECK(lots[0].corridor == 1.0);
    CHECK(lots[1].corridor == 0.25);
    CHECK(lots[2].corridor == 0.0);

    std::vector<const QuotaLot*> order{&lots[0], &lots[1], &lots[2]};
    ordering::sort_lots(order, ordering::parse({"corridor:desc", "accepted:asc"}));
    // Inside first, the latest accepted of all; outside by date.
    CHECK(order[0]->lot_id == "LA");
    CHECK(order[1]->lot_id == "LB");
    CHECK(order[2]->lot_id == "LC");
    ordering::sort_lots(order, ordering::parse({"accepted:asc"}));
    CHECK(order[0]->lot_id == "LC");
}
