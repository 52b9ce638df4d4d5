// The analysis units (pipeline/analyse.hpp): one per township, sorted by id, with indicators,
// freed quota, ellipsoidal area, centroid in the working CRS and in longitude/latitude, and
// neighbours by touching polygons.
#include "stage_fixtures.hpp"

#include "geo/area_calculator.hpp"
#include "pipeline/analyse.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace landquota;
using namespace landquota::test;

namespace {

TownshipRef township(const std::string& id, const std::string& wkt, double gdp) {
    TownshipRef t;
    t.id = id;
    t.name = "乡" + id;
    t.geometry = geos_from_wkt(wkt);
    t.indicators["GDP"] = gdp;
    return t;
}

} // namespace

TEST_CASE("analyse: units from townships, with neighbours and freed quota", "[stage][analyse]") {
    ReferenceLayers ref;
    // T2 and T1 share an edge; T3 stands apart. Given out of order: units come sorted by id.
    ref.townships.push_back(township("T2", at(1000, 0, 2000, 1000), 2));
    ref.townships.push_back(township("T1", at(0, 0, 1000, 1000), 1));
    ref.townships.push_back(township("T3", at(5000, 0, 6000, 1000), 3));
    QuotaTables quota;
    UnitQuota q;
    q.id = "T1";
    q.freed_mu_hundredths = 1234;
    quota.townships.push_back(q);
    const AreaCalculator area(working_crs(), 10.0);

    const auto units = analysis_units(ref, quota, working_crs(), area);

    REQUIRE(units.size() == 3);
    CHECK(units[0].id == "T1");
    CHECK(units[1].id == "T2");
    CHECK(units[0].neighbours == std::vector<std::size_t>{1});
    CHECK(units[1].neighbours == std::vector<std::size_t>{0});
    CHECK(units[2].neighbours.empty());
    CHECK(units[0].indicators.at("GDP") == 1);
    CHECK(units[0].indicators.at("freed_mu") == 12.34);
    CHECK(units[1].indicators.count("freed_mu") == 0); // no quota row: no value
    CHECK(std::abs(units[0].x - (kX + 500)) < 1e-6);
    CHECK(std::abs(units[0].y - (kY + 500)) < 1e-6);
    // On the central meridian of EPSG:4549 (120°E), 1 km squares near 28.9°N; GK scale is ~1
    // there, so the ellipsoidal area is within 0.1 % of 1 km².
    CHECK(std::abs(units[0].lon - 120.005) < 0.001);
    CHECK(std::abs(units[0].lat - 28.92) < 0.02);
    CHECK(std::abs(units[0].area_m2 - 1e6) < 1e3);
}
