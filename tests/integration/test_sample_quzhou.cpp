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

namespace {

// Runs the sample into `dir`/out with its own ledger; returns the output folder.
fs::path run_sample(const TempDir& dir) {
    const fs::path job = source_dir() / "sample_maps" / "quzhou" / "job.toml";
    const auto r = run_cli("run " + job.string() + " --out " + (dir / "out").string() +
                           " --ledger " + (dir / "ledger.sqlite").string());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    // The console's total row is the city, as [levels] names it, not "county".
    CHECK(r.out.find("\n衢州市 ") != std::string::npos);
    return dir / "out";
}

} // namespace

TEST_CASE("quzhou sample: six counties and a 280 km corridor reported per county",
          "[sample][quzhou][corridors]") {
    TempDir tmp;
    const fs::path t = run_sample(tmp) / "tables";

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

TEST_CASE("quzhou sample: county pools then the city's one gate, reconciled at every level",
          "[sample][quzhou][pools]") {
    TempDir tmp;
    const fs::path t = run_sample(tmp) / "tables";

    std::map<std::string, std::string> lot_county, site_county;
    for (const auto& row : read_csv_records(t / "lots.csv"))
        lot_county[row.at("lot_id")] = row.at("region_id");
    std::map<std::string, std::int64_t> short_of; // county -> what its sites still lack
    for (const auto& row : read_csv_records(t / "sites.csv")) {
        site_county[row.at("site_id")] = row.at("region_id");
        short_of[row.at("region_id")] += hundredths(row.at("remaining_m2"));
    }
    // The job's flows: across counties only to the central districts.
    const std::set<std::string> central{"柯城区", "衢江区"};
    std::int64_t moved = 0, crossed = 0;
    for (const auto& row : read_csv_records(t / "transfers.csv")) {
        const std::string from = lot_county.at(row.at("lot_id"));
        const std::string to = site_county.at(row.at("site_id"));
        moved += hundredths(row.at("area_m2"));
        if (from == to)
            continue;
        INFO(row.at("transfer_id") << " " << from << " -> " << to);
        crossed += hundredths(row.at("area_m2"));
        CHECK(central.count(to) == 1);
        // County pools first: a county sends quota away only when its own sites lack nothing.
        CHECK(short_of[from] == 0); // 开化县 has no site of its own
    }
    CHECK(crossed > 0);
    std::int64_t paid = 0;
    for (const auto& row : read_csv_records(t / "payments.csv"))
        paid += std::stoll(row.at("amount_fen"));

    // Every level adds up to the city, to the hundredth of m² and the fen.
    const auto rows = read_csv_records(t / "level_balance.csv");
    REQUIRE_FALSE(rows.empty());
    const auto& city = rows.front();
    REQUIRE(city.at("level") == "job");
    CHECK(city.at("name") == "衢州市");
    CHECK(hundredths(city.at("sent_m2")) == moved);
    CHECK(std::stoll(city.at("paid_fen")) == paid);
    for (const char* level : {"region", "zone", "township"}) {
        INFO(level);
        std::map<std::string, std::int64_t> sum;
        std::int64_t fen = 0, exported = 0, imported = 0;
        for (const auto& row : rows) {
            if (row.at("level") != level)
                continue;
            for (const char* c : {"supply_m2", "demand_m2", "sent_m2", "received_m2"})
                sum[c] += hundredths(row.at(c));
            fen += std::stoll(row.at("paid_fen"));
            exported += hundredths(row.at("exported_m2"));
            imported += hundredths(row.at("imported_m2"));
        }
        for (const char* c : {"supply_m2", "demand_m2", "sent_m2", "received_m2"})
            CHECK(sum[c] == hundredths(city.at(c)));
        CHECK(fen == paid);
        CHECK(exported == imported); // what leaves one unit arrives in another
        if (std::string(level) == "region") {
            CHECK(exported == crossed);
        }
    }
    for (const auto& row : rows)
        if (row.at("level") == "region")
            CHECK(row.at("level_name") == "县（市、区）");
}
