// Corridors end to end on the mini county (mini_county.hpp): a river line 1 200 m long buffered
// 50 m each side, as a `report` corridor (statistics only) and as an `exclude` corridor (cut out
// like the red line); the corridor table, the belt and route layers; lines refused elsewhere.
//
// Figures on paper. The river runs along y = Y + 130 from x = X − 200 to X + 1000, so its belt
// covers y ∈ [80, 180] (plus round caps). Of village 一村's reclaimable land (P1 whole: x 0–100,
// y 0–100; P2's half outside the red line: x 100–150) the strip y ∈ [80, 100] is inside:
// 100 × 20 + 50 × 20 = 3 000 m². 一村 frees 15 000 − 2 000 = 13 000 m², so its share inside is
// 13 000 × 3 000 / 15 000 = 2 600 m². The township (x 0–800, y 0–400, region 南部) holds 800 m
// of the route and 800 × 100 = 80 000 m² of the belt; the rest, 400 m and
// 2 · 1 200 · 50 + π · 50² − 80 000 = 47 853.98 m², lies outside it.
#include "mini_county.hpp"
#include "pipeline/job.hpp"
#include "run/run.hpp"
#include "xlsx_reader.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <set>

using namespace landquota;
using namespace landquota::test;

namespace {

constexpr double X = 500000, Y = 3200000;

std::string corridor_table(const std::string& role) {
    return R"(
[[corridor]]
name = "河"
path = "river.gpkg"
layer = "river"
name_field = "NAME"
buffer_m = 50
role = ")" +
           role + "\"\n";
}

fs::path write_county(const fs::path& dir, const std::string& role, const std::string& wkt = "") {
    MiniCounty county;
    county.job_extra = corridor_table(role);
    const fs::path job = county.write(dir);
    const std::string river =
        wkt.empty() ? fmt::format("LINESTRING ({} {}, {} {})", X - 200, Y + 130, X + 1000, Y + 130)
                    : wkt;
    fs::remove(dir / "river.gpkg");
    write_layer(dir / "river.gpkg", "GPKG", "river", "EPSG:4549", {"NAME"}, {{{"衢江"}, river}});
    return job;
}

RunReport run(const fs::path& job, const fs::path& out) {
    RunOptions o;
    o.out = out;
    return run_job(load_job(job), o);
}

const CorridorRow& row(const RunReport& r, const std::string& region) {
    for (const auto& x : r.corridors.rows)
        if (x.region_id == region)
            return x;
    FAIL("no corridor row for region '" << region << "'");
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("corridors: a report corridor gives its figures per region and changes nothing else",
          "[corridors]") {
    TempDir dir;
    const RunReport plain = [&] {
        MiniCounty county;
        fs::create_directories(dir.path() / "plain");
        return run(county.write(dir.path() / "plain"), dir.path() / "plain-out");
    }();
    const RunReport r = run(write_county(dir.path(), "report"), dir.path() / "out");
    REQUIRE(r.committed);
    // Statistics only: the accounting is the county's without the corridor.
    CHECK(r.quota.county.reclaim == plain.quota.county.reclaim);
    CHECK(r.quota.county.freed() == 1300000);

    REQUIRE(r.corridors.rows.size() == 2);
    const CorridorRow& south = row(r, "南部");
    CHECK(south.corridor == "河");
    CHECK(south.role == "report");
    CHECK(south.length_m == Approx(800.0).margin(0.01));
    CHECK(std::abs(south.belt - 8000000) <= 10); // 0.1 m² of 80 000 m²
    CHECK(std::abs(south.reclaim - 300000) <= 2);
    CHECK(std::abs(south.freed - 260000) <= 2);
    CHECK(south.parcels == 2);  // P1 and P2, each once
    CHECK(south.villages == 2); // 一村 and 二村
    const CorridorRow& outside = row(r, kOutsideRegion);
    CHECK(outside.length_m == Approx(400.0).margin(0.01));
    CHECK(std::abs(outside.belt - 4785398) <= 100); // round caps: within 1 m²
    CHECK(outside.reclaim == 0);
    CHECK(outside.villages == 0);

    // The table as written: its rows and a total row that is their sum.
    const std::string csv = read_file(dir.path() / "out" / "tables" / "corridors.csv");
    INFO(csv);
    CHECK(csv.find("corridor,role,region_id,length_km,belt_m2") != std::string::npos);
    CHECK(csv.find("河,report,南部,0.8") != std::string::npos);

    // The belt and the route as layers of result.gpkg.
    GDALDatasetUniquePtr ds(
        GDALDataset::Open((dir.path() / "out" / "result.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* belts = ds->GetLayerByName("corridor_belts");
    OGRLayer* routes = ds->GetLayerByName("corridor_routes");
    REQUIRE(belts);
    REQUIRE(routes);
    REQUIRE(belts->GetFeatureCount() == 1);
    REQUIRE(routes->GetFeatureCount() == 1);
    std::unique_ptr<OGRFeature> b(belts->GetNextFeature());
    CHECK(b->GetFieldAsDouble("belt_m2") == Approx(2 * 1200 * 50 + M_PI * 50 * 50).margin(1.0));
    std::unique_ptr<OGRFeature> l(routes->GetNextFeature());
    CHECK(std::string(l->GetFieldAsString("route")) == "衢江");
    CHECK(l->GetFieldAsDouble("length_m") == Approx(1200.0).margin(0.01));
}

TEST_CASE("corridors: the villages a corridor touches by name with what lies inside",
          "[corridors]") {
    TempDir dir;
    const RunReport r = run(write_county(dir.path(), "report"), dir.path() / "out");
    REQUIRE(r.committed);
    // 一村 holds the 3 000 m² inside (P1 and P2); 二村's land reaches the belt but none of its
    // reclaimable parcels does (its row says so with zeros).
    REQUIRE(r.corridors.villages.size() == 2);
    const CorridorVillageRow& v1 = r.corridors.villages[0];
    const CorridorVillageRow& v2 = r.corridors.villages[1];
    CHECK(v1.village_id == "330723001001");
    CHECK(v1.name == "一村");
    CHECK(v1.township_id == "330723001");
    CHECK(v1.region_id == "南部");
    CHECK(v1.corridor == "河");
    CHECK(std::abs(v1.reclaim - 300000) <= 2);
    CHECK(std::abs(v1.freed - 260000) <= 2);
    CHECK(v1.parcels == 2);
    CHECK(v2.name == "二村");
    CHECK(v2.reclaim == 0);
    CHECK(v2.parcels == 0);
    // The region's row is their sum, exactly.
    const CorridorRow& south = row(r, "南部");
    CHECK(south.reclaim == v1.reclaim + v2.reclaim);
    CHECK(south.freed == v1.freed + v2.freed);
    CHECK(south.parcels == v1.parcels + v2.parcels);

    const fs::path out = dir.path() / "out";
    const std::string csv = read_file(out / "tables" / "corridor_villages.csv");
    INFO(csv);
    CHECK(csv.find("corridor,role,region_id,township_id,township,village_id,name,parcels,"
                   "reclaim_m2") != std::string::npos);
    CHECK(csv.find(",330723001001,一村,2,") != std::string::npos);
    // An attribute table of result.gpkg, with its Chinese aliases.
    GDALDatasetUniquePtr ds(GDALDataset::Open((out / "result.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* table = ds->GetLayerByName("corridor_villages");
    REQUIRE(table);
    CHECK(table->GetGeomType() == wkbNone);
    CHECK(table->GetFeatureCount() == 2);
    OGRLayer* alias = ds->ExecuteSQL("SELECT name FROM gpkg_data_columns WHERE table_name = "
                                     "'corridor_villages' AND column_name = 'name'",
                                     nullptr, nullptr);
    REQUIRE(alias);
    std::unique_ptr<OGRFeature> a(alias->GetNextFeature());
    REQUIRE(a);
    CHECK(std::string(a->GetFieldAsString(0)) == "村名");
    a.reset();
    ds->ReleaseResultSet(alias);
    REQUIRE(ds->GetLayerByName("corridors"));
    CHECK(ds->GetLayerByName("corridors")->GetFeatureCount() ==
          static_cast<GIntBig>(r.corridors.rows.size()));
    // The reports name them under the corridor table.
    const std::string md = read_file(out / "report.md");
    CHECK_THAT(md, Catch::Contains("### 廊道涉及村庄") &&
                       Catch::Contains("河 · 南部（2 个村）：一村、二村"));
    CHECK_THAT(read_file(out / "report.html"), Catch::Contains("<li data-villages=\"2\">"));
}

TEST_CASE("corridors: an exclude corridor is cut out like the red line", "[corridors]") {
    TempDir dir;
    const RunReport r = run(write_county(dir.path(), "exclude"), dir.path() / "out");
    REQUIRE(r.committed);
    // 一村 loses the 3 000 m² inside the belt.
    CHECK(std::abs(r.quota.county.reclaim - (1500000 - 300000)) <= 2);
    CHECK(std::abs(row(r, "南部").reclaim) == 0); // nothing reclaimable is left inside
    GDALDatasetUniquePtr ds(
        GDALDataset::Open((dir.path() / "out" / "result.gpkg").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::string p1_excluded_by;
    for (auto& f : ds->GetLayerByName("parcels"))
        if (std::string(f->GetFieldAsString("parcel_id")) == "P1")
            p1_excluded_by = f->GetFieldAsString("excluded_by");
    CHECK(p1_excluded_by == "河");
    bool in_exclusions = false;
    for (auto& f : ds->GetLayerByName("exclusions"))
        in_exclusions |= std::string(f->GetFieldAsString("zone")) == "河";
    CHECK(in_exclusions);
}

TEST_CASE("corridors: a point layer is refused naming the layer and feature; lines only in "
          "corridors",
          "[corridors]") {
    TempDir dir;
    const fs::path job =
        write_county(dir.path(), "report", fmt::format("POINT ({} {})", X + 10, Y + 10));
    const RunReport r = run(job, dir.path() / "out");
    CHECK_FALSE(r.committed);
    bool found = false;
    for (const auto& f : r.findings.kept())
        if (f.check == "not_line_or_polygon") {
            found = true;
            CHECK(f.layer == "river");
            CHECK_THAT(f.feature, Catch::Contains("衢江"));
        }
    CHECK(found);

    // A corridor layer with no features is an empty layer, named.
    TempDir empty;
    const fs::path job_empty = write_county(empty.path(), "report");
    fs::remove(empty.path() / "river.gpkg");
    write_layer(empty.path() / "river.gpkg", "GPKG", "river", "EPSG:4549", {"NAME"}, {});
    const RunReport none = run(job_empty, empty.path() / "out");
    CHECK_FALSE(none.committed);
    bool named = false;
    for (const auto& f : none.findings.kept())
        named |= f.check == "empty_layer" && f.layer == "river";
    CHECK(named);

    // The same line as an exclusion zone is not a polygon.
    TempDir other;
    MiniCounty county;
    county.redline = {{{"红线1"}, fmt::format("LINESTRING ({} {}, {} {})", X, Y, X + 100, Y)}};
    const RunReport e = run(county.write(other.path()), other.path() / "out");
    CHECK_FALSE(e.committed);
    CHECK(e.findings.counts().count("not_polygon") == 1);
}

TEST_CASE("corridors: job-file mistakes name the key", "[corridors]") {
    TempDir dir;
    const fs::path job = write_county(dir.path(), "inclde");
    CHECK_THROWS_WITH(load_job(job), Catch::Contains("corridor[0].role") &&
                                         Catch::Contains("did you mean 'include'"));
    const fs::path job2 = write_county(dir.path(), "priority");
    CHECK(load_job(job2).corridors.at(0).role == CorridorRole::Priority);
    MiniCounty county;
    county.job_extra = corridor_table("report") + "bufer_m = 3\n";
    CHECK_THROWS_WITH(load_job(county.write(dir.path())), Catch::Contains("unknown key"));
}

// The Wuyi demo allocates every lot it has, oldest accepted first, to sites in rank order. With
// the village of its latest-accepted lot as a `priority` corridor (a polygon, no buffer), that lot
// is drawn first: it goes to the first-ranked site, which in the plain run got the oldest lot.
TEST_CASE("corridors: a priority corridor's lot is allocated before earlier-accepted ones",
          "[corridors][allocation]") {
    TempDir dir;
    const std::string job = read_file(copy_wuyi_sample(dir.path()));
    auto run_in = [&](const std::string& name) {
        const CliResult r = run_cli("run " + (dir / "job.toml").string() + " --quiet --out " +
                                    (dir / name).string() + " --ledger " +
                                    (dir / (name + ".sqlite")).string() + " --operator test");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return read_csv_records(dir / name / "tables" / "transfers.csv");
    };
    const auto plain = run_in("plain");

    // The latest-accepted allocable lot, and the site the oldest one went to.
    std::string late_lot, late_village, late_date, old_date = "9999", old_lot;
    for (const auto& l : read_csv_records(dir / "plain" / "tables" / "lots.csv")) {
        if (l.at("state") != "accepted")
            continue;
        if (l.at("accepted") > late_date) {
            late_date = l.at("accepted");
            late_lot = l.at("lot_id");
            late_village = l.at("village_id");
        }
        if (l.at("accepted") < old_date) {
            old_date = l.at("accepted");
            old_lot = l.at("lot_id");
        }
    }
    std::set<std::string> first_site, late_sites_plain;
    for (const auto& t : plain) {
        if (t.at("lot_id") == old_lot)
            first_site.insert(t.at("site_id"));
        if (t.at("lot_id") == late_lot)
            late_sites_plain.insert(t.at("site_id"));
    }
    REQUIRE(first_site.size() == 1);
    REQUIRE_FALSE(late_sites_plain.empty());
    CHECK(late_sites_plain.count(*first_site.begin()) == 0); // drawn late, elsewhere

    // The corridor: that village's own polygon, from the sample.
    GDALAllRegister(); // run alone, this process has read nothing with GDAL yet
    {
        GDALDatasetUniquePtr ds(
            GDALDataset::Open((dir / "wuyi.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        REQUIRE(ds);
        OGRLayer* villages = ds->GetLayerByName("villages");
        OGRLayer* zone =
            ds->CreateLayer("scenic", villages->GetSpatialRef(), villages->GetGeomType());
        OGRFieldDefn name("MC", OFTString);
        REQUIRE(zone->CreateField(&name) == OGRERR_NONE);
        int found = 0;
        for (auto& v : villages)
            if (late_village == v->GetFieldAsString("ZLDWDM")) {
                OGRFeature f(zone->GetLayerDefn());
                f.SetField("MC", "风光带");
                f.SetGeometry(v->GetGeometryRef());
                REQUIRE(zone->CreateFeature(&f) == OGRERR_NONE);
                ++found;
            }
        REQUIRE(found == 1);
    }
    write_file(dir / "job.toml", job + R"(
[[corridor]]
name = "风光带"
path = "wuyi.gpkg"
layer = "scenic"
name_field = "MC"
role = "priority"
)");
    const auto first = run_in("priority");
    std::set<std::string> late_sites;
    for (const auto& t : first)
        if (t.at("lot_id") == late_lot)
            late_sites.insert(t.at("site_id"));
    CHECK(late_sites == first_site);
    // The manifest records the lot order the role put in force.
    CHECK_THAT(read_file(dir / "priority" / "manifest.json"), Catch::Contains("corridor:desc"));

    // A strategy that draws no lots in order cannot honour the role: refused, naming both.
    const CliResult optimal =
        run_cli("check " + (dir / "job.toml").string() + " --set allocation.strategy=optimal");
    CHECK(optimal.exit_code == 1);
    CHECK_THAT(optimal.err, Catch::Contains("风光带") && Catch::Contains("'optimal'"));
}
