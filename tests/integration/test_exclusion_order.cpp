// The order of the [[inputs.exclusions]] tables in a job file is not policy: permuting them must
// change neither which zones a parcel lists in `excluded_by` nor any area.
#include "mini_county.hpp"
#include "pipeline/job.hpp"
#include "run/run.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <map>
#include <ogrsf_frmts.h>

using namespace landquota;
using namespace landquota::test;

namespace {

constexpr double X = 500000, Y = 3200000;

struct ParcelOut {
    std::string status, excluded_by, reason;
    std::string reclaim_m2; // as written: compared exactly
    bool operator==(const ParcelOut& o) const {
        return status == o.status && excluded_by == o.excluded_by && reason == o.reason &&
               reclaim_m2 == o.reclaim_m2;
    }
};

std::map<std::string, ParcelOut> read_parcels(const fs::path& gpkg) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::map<std::string, ParcelOut> out;
    for (auto& f : ds->GetLayerByName("parcels"))
        out[f->GetFieldAsString("parcel_id")] = {
            f->GetFieldAsString("status"), f->GetFieldAsString("excluded_by"),
            f->GetFieldAsString("reason"), f->GetFieldAsString("reclaim_m2")};
    return out;
}

// The reclaimed pieces of each parcel as WKB: the same pieces, not just the same area.
std::map<std::string, std::string> read_pieces(const fs::path& gpkg) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg.string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::map<std::string, std::string> out;
    for (auto& f : ds->GetLayerByName("reclaimed")) {
        const OGRGeometry* g = f->GetGeometryRef();
        REQUIRE(g);
        std::string wkb(static_cast<std::size_t>(g->WkbSize()), '\0');
        g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
        out[f->GetFieldAsString("parcel_id")] = wkb;
    }
    return out;
}

const char* const kRedline = R"([[inputs.exclusions]]
name = "生态保护红线"
path = "county.gpkg"
layer = "redline"
)";
const char* const kFarmland = R"([[inputs.exclusions]]
name = "永久基本农田"
path = "county.gpkg"
layer = "farmland"
)";

} // namespace

TEST_CASE("excluded_by and the reclaimed areas do not depend on the order of the exclusion tables",
          "[reclaim]") {
    TempDir dir;
    MiniCounty county;
    // P4 lies wholly in the red line; a basic-farmland patch also covers part of it.
    county.farmland.push_back({{"基本农田2"}, rect(X + 250, Y - 50, X + 280, Y + 50)});
    // P2 is half in the red line; another patch takes 30 m × 40 m of its other half.
    county.farmland.push_back({{"基本农田3"}, rect(X + 120, Y + 60, X + 160, Y + 120)});
    const fs::path job_file = county.write(dir.path());
    const std::string text = read_file(job_file);
    const std::string both = std::string(kRedline) + "\n" + kFarmland;
    REQUIRE(text.find(both) != std::string::npos); // the mini county's order: red line first
    std::string swapped = text;
    swapped.replace(swapped.find(both), both.size(), std::string(kFarmland) + "\n" + kRedline);
    const fs::path swapped_file = dir / "swapped.toml";
    write_file(swapped_file, swapped);

    auto run = [&](const fs::path& file, const std::string& out) {
        RunOptions o;
        o.out = dir / out;
        const RunReport r = run_job(load_job(file), o);
        REQUIRE(r.committed);
        return r;
    };
    const RunReport a = run(job_file, "a");
    const RunReport b = run(swapped_file, "b");

    const auto pa = read_parcels(dir / "a" / "result.gpkg");
    const auto pb = read_parcels(dir / "b" / "result.gpkg");
    REQUIRE(pa.size() == 7);
    for (const auto& [id, x] : pa) {
        INFO("parcel " << id);
        CHECK(x == pb.at(id));
    }
    CHECK(read_pieces(dir / "a" / "result.gpkg") == read_pieces(dir / "b" / "result.gpkg"));
    REQUIRE(a.quota.villages.size() == b.quota.villages.size());
    for (std::size_t i = 0; i < a.quota.villages.size(); ++i) {
        CHECK(a.quota.villages[i].reclaim == b.quota.villages[i].reclaim);
        CHECK(a.quota.villages[i].freed_mu_hundredths == b.quota.villages[i].freed_mu_hundredths);
    }

    // Both zones are named where both removed area, in code-point order of their names
    // (永 U+6C38 before 生 U+751F), in either job order.
    CHECK(pa.at("P4").status == "excluded");
    CHECK(pa.at("P4").excluded_by == "永久基本农田;生态保护红线");
    CHECK(pa.at("P2").status == "reclaimable");
    CHECK(pa.at("P2").excluded_by == "永久基本农田;生态保护红线");
    CHECK(std::stod(pa.at("P2").reclaim_m2) == Approx(10000.0 - 5000.0 - 1200.0).margin(0.02));
    // A zone that only touches a parcel's border removes nothing and is not named.
    CHECK(pa.at("P5").excluded_by == "永久基本农田");
    CHECK(pa.at("P1").excluded_by.empty());
}
