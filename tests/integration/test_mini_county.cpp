#include "mini_county.hpp"
#include "pipeline/job.hpp"
#include "run/run.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <map>
#include <numeric>
#include <ogrsf_frmts.h>

using namespace landquota;
using namespace landquota::test;

namespace {
struct ParcelOut {
    std::string status, village, excluded_by;
    double area, reclaim;
};
std::map<std::string, ParcelOut> read_parcels(const fs::path& gpkg) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::map<std::string, ParcelOut> out;
    for (auto& f : ds->GetLayerByName("parcels"))
        out[f->GetFieldAsString("parcel_id")] = {
            f->GetFieldAsString("status"), f->GetFieldAsString("village_id"),
            f->GetFieldAsString("excluded_by"), f->GetFieldAsDouble("area_m2"),
            f->GetFieldAsDouble("reclaim_m2")};
    return out;
}
} // namespace

TEST_CASE("mini county: statuses, clipping, minimum piece and quota on paper", "[reclaim][quota]") {
    TempDir dir;
    const MiniCounty county;
    const Job job = load_job(county.write(dir.path()));
    RunOptions o;
    o.out = dir / "out";
    const RunReport r = run_job(job, o);
    REQUIRE(r.findings.errors() == 0);
    REQUIRE(r.committed);

    const auto p = read_parcels(dir / "out" / "result.gpkg");
    CHECK(p.at("P1").status == "reclaimable");
    CHECK(p.at("P1").reclaim == Approx(10000.0).margin(0.02));
    CHECK(p.at("P2").status == "reclaimable");
    CHECK(p.at("P2").reclaim == Approx(5000.0).margin(0.02)); // the red line takes the east half
    CHECK(p.at("P2").excluded_by == "生态保护红线");
    CHECK(p.at("P3").status == "not_eligible");
    CHECK(p.at("P4").status == "excluded");
    CHECK(p.at("P4").reclaim == 0.0);
    CHECK(p.at("P5").status == "excluded"); // a 30 m² sliver is below the 50 m² minimum
    CHECK(p.at("P5").excluded_by == "永久基本农田");
    CHECK(p.at("P6").status == "not_eligible");
    CHECK(p.at("P7").status == "outside");
    for (const auto& [id, x] : p)
        CHECK(x.area == Approx(10000.0).margin(0.02));

    const auto& q = r.quota;
    REQUIRE(q.villages.size() == 2);
    const VillageQuota& v1 = q.villages[0];
    CHECK(v1.village_id == "330723001001");
    CHECK(hundredths_to_m2(v1.reclaim) == Approx(kMiniV1Reclaim).margin(0.02));
    CHECK(hundredths_to_m2(v1.resettle) == Approx(kMiniV1Resettle).margin(0.02));
    CHECK(v1.freed_mu_hundredths == hundredths_m2_to_mu_hundredths(v1.freed()));
    CHECK(format_mu(v1.freed_mu_hundredths) == "19.50"); // 13000 m² = 19.5 mu
    CHECK(q.villages[1].freed() == 0);
    REQUIRE(q.townships.size() == 1);
    CHECK(q.townships[0].freed() == v1.freed() + q.villages[1].freed());
    CHECK(q.townships[0].name == "大田乡");
    CHECK(q.zones.at(0).id == "熟溪联盟");
    CHECK(q.regions.at(0).id == "南部");
    CHECK(q.county.freed_mu_hundredths == q.regions[0].freed_mu_hundredths);

    // Outputs in place, nothing temporary left beside them.
    for (const char* f :
         {"result.gpkg", "manifest.json", "tables/villages.csv", "tables/townships.csv",
          "tables/zones.csv", "tables/regions.csv", "tables/findings.csv"})
        CHECK(fs::exists(dir / "out" / f));
    for (const auto& e : fs::directory_iterator(dir.path()))
        CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
    CHECK(r.manifest.area_check.max_abs_gap_m2 < 0.01);
}

TEST_CASE("parcels in another CRS are reprojected to the working CRS", "[ingest]") {
    TempDir dir;
    MiniCounty county;
    // The same parcels in CGCS2000 geographic coordinates.
    for (auto& row : county.parcels)
        row.wkt = reproject_wkt(row.wkt, "EPSG:4549", "EPSG:4490", 5.0);
    county.parcel_crs = "EPSG:4490";
    const Job job = load_job(county.write(dir.path()));
    RunOptions o;
    o.out = dir / "out";
    const RunReport r = run_job(job, o);
    REQUIRE(r.committed);
    CHECK(r.manifest.working_crs == "EPSG:4549");
    CHECK(hundredths_to_m2(r.quota.villages[0].reclaim) == Approx(kMiniV1Reclaim).margin(0.5));
}

TEST_CASE("a zone id used in two regions is two zones, and every level still reconciles",
          "[quota]") {
    TempDir dir;
    MiniCounty county;
    // Two townships with the same zone id "山区" in different regions, one village each.
    county.townships = {
        {{"330723001", "大田乡", "山区", "甲"}, rect(500000, 3200000, 500400, 3200400)},
        {{"330723002", "坦洪乡", "山区", "乙"}, rect(500400, 3200000, 500800, 3200400)}};
    county.villages[1].values[2] = "330723002";
    county.villages[1].values[3] = "1"; // both relocate
    const Job job = load_job(county.write(dir.path()));
    RunOptions o;
    o.out = dir / "out";
    const RunReport r = run_job(job, o);
    REQUIRE(r.committed);
    const auto& q = r.quota;
    REQUIRE(q.zones.size() == 2);
    REQUIRE(q.townships.size() == 2);
    for (const auto& tw : q.townships) {
        // One village per township: the township's figures are its village's, mu included.
        const auto v = std::find_if(q.villages.begin(), q.villages.end(),
                                    [&](const VillageQuota& x) { return x.township_id == tw.id; });
        REQUIRE(v != q.villages.end());
        CHECK(tw.freed() == v->freed());
        CHECK(tw.freed_mu_hundredths == v->freed_mu_hundredths);
        CHECK(std::abs(tw.freed_mu_hundredths * 10000 - tw.freed() * 15) <= 10000);
        // ... and its zone is the one of its own region.
        const auto z = std::find_if(q.zones.begin(), q.zones.end(), [&](const UnitQuota& x) {
            return x.id == tw.parent_id && x.parent_id == tw.region_id;
        });
        REQUIRE(z != q.zones.end());
        CHECK(z->freed() == tw.freed());
        CHECK(z->freed_mu_hundredths == tw.freed_mu_hundredths);
    }
}
