// The Quzhou sample end to end (sample_maps/quzhou): six counties with their real names as
// regions, and the 诗画风光带, a river route of about 280 km with a 3 km belt each side, reported
// per county. Checked from the CSV tables and the result layers, not against copied figures.
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <gdal_priv.h>
#include <map>
#include <ogrsf_frmts.h>
#include <set>

using namespace landquota::test;

TEST_CASE("quzhou sample: six counties and a 280 km corridor reported per county",
          "[sample][quzhou][corridors]") {
    TempDir tmp;
    const fs::path job = source_dir() / "sample_maps" / "quzhou" / "job.toml";
    const auto r = run_cli("run " + job.string() + " --out " + (tmp / "out").string());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path t = tmp / "out" / "tables";

    const std::set<std::string> counties{"柯城区", "衢江区", "江山市",
                                         "常山县", "开化县", "龙游县"};
    std::map<std::string, std::map<std::string, std::string>> region;
    for (const auto& row : read_csv_records(t / "regions.csv"))
        region[row.at("region_id")] = row;
    REQUIRE(region.size() == counties.size());
    for (const auto& c : counties)
        CHECK(region.count(c) == 1);

    // The route crosses every county; the rows of the corridor add up to its belt.
    double length_km = 0;
    std::int64_t belt = 0;
    std::set<std::string> crossed;
    for (const auto& row : read_csv_records(t / "corridors.csv")) {
        INFO(row.at("region_id"));
        CHECK(row.at("corridor") == "诗画风光带");
        length_km += std::stod(row.at("length_km"));
        belt += hundredths(row.at("belt_m2"));
        if (row.at("region_id") == "outside")
            continue;
        crossed.insert(row.at("region_id"));
        const auto& whole = region.at(row.at("region_id"));
        CHECK(hundredths(row.at("reclaim_m2")) <= hundredths(whole.at("reclaim_m2")));
        CHECK(hundredths(row.at("freed_m2")) <= hundredths(whole.at("freed_m2")));
        CHECK(std::stoll(row.at("villages")) >= 1);
        CHECK(std::stod(row.at("length_km")) > 10.0);
    }
    CHECK(crossed == counties);
    CHECK(length_km == Approx(280.0).margin(10.0));

    // The villages touched, by name: each county's row of `corridors` is the sum of its rows
    // of `corridor_villages`, to the hundredth of m²; every name is the village's own.
    std::map<std::string, std::string> village_name;
    for (const auto& row : read_csv_records(t / "villages.csv"))
        village_name[row.at("village_id")] = row.at("name");
    struct Sum {
        std::int64_t reclaim = 0, freed = 0, parcels = 0, villages = 0;
    };
    std::map<std::string, Sum> by_region;
    for (const auto& row : read_csv_records(t / "corridor_villages.csv")) {
        INFO(row.at("village_id"));
        REQUIRE(village_name.count(row.at("village_id")) == 1);
        CHECK(row.at("name") == village_name.at(row.at("village_id")));
        CHECK_FALSE(row.at("name").empty());
        Sum& s = by_region[row.at("region_id")];
        s.reclaim += hundredths(row.at("reclaim_m2"));
        s.freed += hundredths(row.at("freed_m2"));
        s.parcels += std::stoll(row.at("parcels"));
        s.villages += 1;
    }
    std::int64_t reclaim_inside = 0;
    for (const auto& row : read_csv_records(t / "corridors.csv")) {
        INFO(row.at("region_id"));
        const Sum s = by_region[row.at("region_id")];
        CHECK(hundredths(row.at("reclaim_m2")) == s.reclaim);
        CHECK(hundredths(row.at("freed_m2")) == s.freed);
        CHECK(std::stoll(row.at("parcels")) == s.parcels);
        CHECK(std::stoll(row.at("villages")) == s.villages);
        reclaim_inside += s.reclaim;
    }
    CHECK(reclaim_inside > 0);
    const std::string md = read_file(tmp / "out" / "report.md");
    CHECK_THAT(md, Catch::Contains("### 廊道涉及村庄") && Catch::Contains("诗画风光带 · 衢江区（"));

    GDALAllRegister(); // this process has read nothing with GDAL yet: the run was the binary's
    GDALDatasetUniquePtr ds(
        GDALDataset::Open((tmp / "out" / "result.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* belts = ds->GetLayerByName("corridor_belts");
    REQUIRE(belts);
    REQUIRE(belts->GetFeatureCount() == 1);
    std::unique_ptr<OGRFeature> b(belts->GetNextFeature());
    const double whole_m2 = b->GetFieldAsDouble("belt_m2");
    // Cut by county and measured piece by piece, the belt is the same to a square metre.
    CHECK(static_cast<double>(belt) / 100.0 == Approx(whole_m2).margin(1.0));
    // At most two routes' 2·L·d + π·d² (the meanders' and the junction's overlaps only take away),
    // and not much less.
    const double d = 3000.0, bound = 2 * length_km * 1000 * d + 2 * M_PI * d * d;
    CHECK(whole_m2 < bound);
    CHECK(whole_m2 > 0.8 * bound);
    OGRLayer* routes = ds->GetLayerByName("corridor_routes");
    REQUIRE(routes);
    double route_m = 0;
    for (auto& f : routes)
        route_m += f->GetFieldAsDouble("length_m");
    CHECK(route_m / 1000.0 == Approx(length_km).margin(0.01));
}
