// `audit trace --geojson` on the Wuyi sample: each lot is drawn as the reclaimed pieces its quota
// came from (not its village), the site as its outline, in RFC 7946 like the run's geojson/.
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <geodesic.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace landquota::test;
using nlohmann::json;

namespace {

// CGCS2000, the ellipsoid of the sample's working CRS.
constexpr double kA = 6378137.0, kF = 1 / 298.257222101;
// 7 decimals: a coordinate moves by at most half of 1e-7°, under 0.56 cm on the ground.
constexpr double kRoundingM = 0.5e-7 * 111320.0;

struct RingFigures {
    double area_m2 = 0, perimeter_m = 0; // area signed: positive counter-clockwise
};

// Geodesic area and perimeter of a ring of [lon, lat] (GeographicLib in PROJ): an independent
// measure of what the file draws.
RingFigures measure(const json& ring) {
    geod_geodesic g;
    geod_init(&g, kA, kF);
    geod_polygon p;
    geod_polygon_init(&p, 0);
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) // the last point repeats the first
        geod_polygon_addpoint(&g, &p, ring[i][1].get<double>(), ring[i][0].get<double>());
    RingFigures f;
    geod_polygon_compute(&g, &p, 0, 1, &f.area_m2, &f.perimeter_m);
    return f;
}

bool has_at_most_7_decimals(double x) {
    const double scaled = x * 1e7;
    return std::abs(scaled - std::round(scaled)) < 1e-3;
}

// Σ reclaim (hundredths of m²) per lot from the run's own lot_parcels.csv.
std::map<std::string, long long> reclaim_per_lot(const fs::path& csv) {
    std::istringstream in(read_file(csv));
    std::string line;
    std::getline(in, line); // header: lot_id,parcel_id,holder,landuse,reclaim_m2
    std::map<std::string, long long> out;
    while (std::getline(in, line)) {
        const std::string lot = line.substr(0, line.find(','));
        const std::string m2 = line.substr(line.rfind(',') + 1);
        const auto dot = m2.find('.');
        out[lot] += std::stoll(m2.substr(0, dot)) * 100 + std::stoll(m2.substr(dot + 1));
    }
    return out;
}

} // namespace

TEST_CASE("audit trace --geojson draws a site's lots as their reclaimed pieces, RFC 7946",
          "[ledger][cli][geojson]") {
    TempDir dir;
    const fs::path ledger = dir / "wuyi.ledger.sqlite";
    auto r =
        run_cli("run " + (source_dir() / "sample_maps" / "wuyi" / "job.toml").string() + " --out " +
                (dir / "out").string() + " --ledger " + ledger.string() + " --quiet");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    r = run_cli("audit trace " + ledger.string() + " --site S01 --geojson " +
                (dir / "s01.geojson").string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);

    const json gj = json::parse(read_file(dir / "s01.geojson"));
    CHECK(gj["type"] == "FeatureCollection");
    CHECK_FALSE(gj.contains("crs"));
    const auto reclaim = reclaim_per_lot(dir / "out" / "tables" / "lot_parcels.csv");

    int lots = 0, sites = 0;
    double lots_m2 = 0, lots_mu = 0, site_m2 = 0, site_mu = 0;
    long long lots_fen = 0, site_fen = 0;
    for (const json& f : gj["features"]) {
        REQUIRE(f["id"].is_string());
        const json& p = f["properties"];
        INFO("feature " << f["id"].get<std::string>());
        for (const char* key : {"transferred_m2", "transferred_mu", "paid_yuan"})
            CHECK(p[key].is_number());
        CHECK(p["paid_fen"].is_number_integer());
        CHECK(p["transfers"].is_array());
        REQUIRE(f["geometry"].is_object());
        // Polygons of rings of [lon, lat]: ranges, 7 decimals, exterior counter-clockwise and
        // holes clockwise; area and perimeter measured on the ellipsoid.
        json polygons = f["geometry"]["coordinates"];
        if (f["geometry"]["type"] == "Polygon")
            polygons = json::array({polygons});
        else
            REQUIRE(f["geometry"]["type"] == "MultiPolygon");
        double area = 0, perimeter = 0;
        for (const json& polygon : polygons)
            for (std::size_t i = 0; i < polygon.size(); ++i) {
                for (const json& c : polygon[i]) {
                    const double lon = c[0], lat = c[1];
                    CHECK((lon > 118.0 && lon < 121.0 && lat > 27.0 && lat < 30.0));
                    CHECK((has_at_most_7_decimals(lon) && has_at_most_7_decimals(lat)));
                }
                const RingFigures m = measure(polygon[i]);
                CHECK((i == 0 ? m.area_m2 > 0 : m.area_m2 < 0));
                area += m.area_m2;
                perimeter += m.perimeter_m;
            }
        if (p["kind"] == "lot") {
            ++lots;
            lots_m2 += p["transferred_m2"].get<double>();
            lots_mu += p["transferred_mu"].get<double>();
            lots_fen += p["paid_fen"].get<long long>();
            // The pieces drawn are the ground the lot's parcels reclaimed: their area is the sum
            // of the parcels' reclaim in lot_parcels.csv, up to the 0.01 m² rounding of each
            // parcel and what rounding coordinates to 7 decimals can move (perimeter × 0.56 cm).
            const std::string lot = p["lot_id"];
            REQUIRE(reclaim.count(lot));
            const double expected = static_cast<double>(reclaim.at(lot)) / 100.0;
            CHECK(p["reclaimed_m2"].get<double>() == Approx(expected).margin(1e-6));
            const double tolerance = 0.01 * p["parcels"].get<double>() + perimeter * kRoundingM;
            CHECK(std::abs(area - expected) <= tolerance);
            // The freed quota is the reclaim less resettlement: never more than what is drawn.
            CHECK(p["lot_area_m2"].get<double>() <= expected);
            CHECK(p["drawn"] == "reclaimed pieces");
        } else {
            REQUIRE(p["kind"] == "site");
            ++sites;
            CHECK(p["site_id"] == "S01");
            CHECK(f["id"] == "S01");
            site_m2 = p["transferred_m2"];
            site_mu = p["transferred_mu"];
            site_fen = p["paid_fen"];
            CHECK(area > 0);
        }
    }
    CHECK(lots > 0);
    CHECK(sites == 1);
    // The site's figures are the sums of its lots' (mu rounded to the total, methods.md §1).
    CHECK(lots_m2 == Approx(site_m2).margin(1e-6));
    CHECK(lots_mu == Approx(site_mu).margin(1e-9));
    CHECK(lots_fen == site_fen);
    CHECK(site_mu == Approx(95.0).margin(0.005)); // the 博来 project's 95 mu
}
