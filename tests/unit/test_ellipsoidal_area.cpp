#include "geo/area_calculator.hpp"
#include "geo/crs.hpp"
#include "geo/ellipsoidal_area.hpp"
#include "run/run.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <ogr_geometry.h>
#include <random>
#include <vector>

using namespace landquota;

namespace {
constexpr double kRad = std::numbers::pi / 180.0;

// A lon/lat rectangle densified along its sides, counter-clockwise.
void lonlat_rect(double l0, double b0, double dl, double db, int steps, std::vector<double>& lon,
                 std::vector<double>& lat) {
    lon.clear();
    lat.clear();
    for (int i = 0; i < steps; ++i) {
        lon.push_back(l0 + dl * i / steps);
        lat.push_back(b0);
    }
    for (int i = 0; i < steps; ++i) {
        lon.push_back(l0 + dl);
        lat.push_back(b0 + db * i / steps);
    }
    for (int i = 0; i < steps; ++i) {
        lon.push_back(l0 + dl - dl * i / steps);
        lat.push_back(b0 + db);
    }
    for (int i = 0; i < steps; ++i) {
        lon.push_back(l0);
        lat.push_back(b0 + db - db * i / steps);
    }
}

// A random star-shaped polygon of about `target_m2` around (x, y) in the plane.
std::unique_ptr<OGRPolygon> random_parcel(std::mt19937_64& rng, double x, double y,
                                          double target_m2) {
    std::uniform_real_distribution<double> u(0.6, 1.4);
    const int n = 5 + static_cast<int>(rng() % 8);
    const double r = std::sqrt(target_m2 / std::numbers::pi);
    auto ring = std::make_unique<OGRLinearRing>();
    for (int i = 0; i < n; ++i) {
        const double a = 2 * std::numbers::pi * i / n;
        const double rr = r * u(rng);
        ring->addPoint(x + rr * std::cos(a), y + rr * std::sin(a));
    }
    ring->closeRings();
    auto p = std::make_unique<OGRPolygon>();
    p->addRingDirectly(ring.release());
    return p;
}
} // namespace

TEST_CASE("the trapezoid series gives the GRS80/CGCS2000 surface area", "[area]") {
    const EllipsoidalTrapezoid t(kCGCS2000);
    // Moritz, Geodetic Reference System 1980: surface area 510 065 621.7241 km².
    CHECK(t.trapezoid_m2(-std::numbers::pi / 2, std::numbers::pi / 2, 2 * std::numbers::pi) ==
          Approx(510065621.7241e6).epsilon(1e-10));
}

TEST_CASE("a ring's area is the sum of its edge trapezoids", "[area]") {
    const EllipsoidalTrapezoid t;
    std::vector<double> lon, lat;
    lonlat_rect(119.8, 28.9, 0.01, 0.01, 100, lon, lat);
    const double exact = t.trapezoid_m2(28.9 * kRad, 28.91 * kRad, 0.01 * kRad);
    CHECK(t.ring_area_m2(lon.data(), lat.data(), lon.size()) ==
          Approx(exact).epsilon(0).margin(1e-4));
    // Clockwise gives the negative; a closing vertex repeated changes nothing.
    std::vector<double> rlon(lon.rbegin(), lon.rend()), rlat(lat.rbegin(), lat.rend());
    CHECK(t.ring_area_m2(rlon.data(), rlat.data(), rlon.size()) ==
          Approx(-exact).epsilon(0).margin(1e-4));
    lon.push_back(lon.front());
    lat.push_back(lat.front());
    CHECK(t.ring_area_m2(lon.data(), lat.data(), lon.size()) ==
          Approx(exact).epsilon(0).margin(1e-4));
}

TEST_CASE("official area agrees with GeographicLib within 0.01 m2 for parcels up to 100 ha",
          "[area]") {
    init_gdal();
    std::mt19937_64 rng(20261123);
    // Wuyi's zone (CM 120°E); parcels near the central meridian and near the zone edge.
    const auto srs = make_srs("EPSG:4549");
    const AreaCalculator calc(*srs, 10.0);
    double worst = 0.0;
    for (double x : {500000.0, 440000.0, 360000.0}) {
        for (double target : {200.0, 5000.0, 100000.0, 1000000.0}) {
            for (int k = 0; k < 5; ++k) {
                const auto p = random_parcel(rng, x, 3200000.0, target);
                const MeasuredArea m = calc.measure(*p, CrossCheck::Yes);
                REQUIRE(m.ellipsoidal_m2 > 0.0);
                worst = std::max(worst, std::abs(m.ellipsoidal_m2 - m.geodesic_m2));
            }
        }
    }
    INFO("largest gap " << worst << " m2");
    CHECK(worst < 0.01);
}

TEST_CASE("planar Gauss-Kruger area drifts with distance from the central meridian", "[area]") {
    init_gdal();
    const auto srs = make_srs("EPSG:4549");
    const AreaCalculator calc(*srs, 10.0);
    // 1 ha at the central meridian and ~1.5° east (the zone edge): scale error grows as x²/R².
    OGRPolygon near, edge;
    {
        OGRLinearRing r;
        r.addPoint(500000, 3200000);
        r.addPoint(500100, 3200000);
        r.addPoint(500100, 3200100);
        r.addPoint(500000, 3200100);
        r.closeRings();
        near.addRing(&r);
        OGRLinearRing e;
        e.addPoint(646000, 3200000);
        e.addPoint(646100, 3200000);
        e.addPoint(646100, 3200100);
        e.addPoint(646000, 3200100);
        e.closeRings();
        edge.addRing(&e);
    }
    const MeasuredArea a = calc.measure(near, CrossCheck::Yes),
                       b = calc.measure(edge, CrossCheck::Yes);
    CHECK(a.planar_m2 == Approx(10000.0));
    CHECK(std::abs(a.ellipsoidal_m2 - a.planar_m2) < 0.1);
    const double drift = b.planar_m2 - b.ellipsoidal_m2; // m² per ha
    CHECK(drift > 4.5);
    CHECK(drift < 6.0);
}

TEST_CASE("the working CRS is the CGCS2000 3-degree zone of the data", "[crs]") {
    init_gdal();
    CHECK(gk3_central_meridian(119.8) == 120);
    CHECK(gk3_zone_definition(119.8) == "EPSG:4549"); // Wuyi
    CHECK(gk3_zone_definition(118.4) == "EPSG:4548");
    CHECK(gk3_zone_definition(75.2) == "EPSG:4534");
    CHECK(gk3_zone_definition(134.9) == "EPSG:4554");
    // Outside China's zones: the same projection on the CGCS2000 ellipsoid.
    CHECK(gk3_zone_definition(2.35).find("+lon_0=3 ") != std::string::npos);
    // Easting first, whatever EPSG's axis order says.
    const auto gk = make_srs("EPSG:4549");
    const auto geo = make_srs("EPSG:4490");
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(geo.get(), gk.get()));
    double x = 119.8, y = 28.9;
    REQUIRE(ct->Transform(1, &x, &y));
    CHECK(x == Approx(480500).margin(1000));
    CHECK(y == Approx(3197500).margin(3000));
}
