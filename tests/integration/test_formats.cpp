// Ingest reads any vector source GDAL opens: here the layers of one job come as a GBK-encoded
// Shapefile without .cpg (what older Chinese survey exports look like), FlatGeobuf and GeoJSON.
#include "mini_county.hpp"
#include "pipeline/job.hpp"
#include "run/run.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;

namespace {
std::string job_text(const std::string& village_encoding) {
    return R"([job]
name = "formats"
[inputs.parcels]
path = "parcels.fgb"
id = "BSM"
landuse = "DLBM"
village = "ZLDWDM"
village_class = "CZCSXM"
[inputs.villages]
path = "villages.shp"
id = "ZLDWDM"
name = "ZLDWMC"
township = "XZDM"
relocate = "RELOCATE"
)" + village_encoding +
           R"(
[inputs.townships]
path = "townships.geojson"
id = "XZDM"
name = "XZMC"
zone = "LM"
region = "QY"
[reclaim]
min_piece_m2 = 50
)";
}
} // namespace

TEST_CASE("Shapefile (GBK), FlatGeobuf and GeoJSON inputs in one job", "[ingest][formats]") {
    init_gdal();
    TempDir dir;
    const MiniCounty m;
    write_layer(dir / "villages.shp", "ESRI Shapefile", "villages", "EPSG:4549",
                {"ZLDWDM", "ZLDWMC", "XZDM", "RELOCATE"}, m.villages, {"ENCODING=CP936"});
    fs::remove(dir / "villages.cpg"); // many real exports carry no code page at all
    write_layer(dir / "parcels.fgb", "FlatGeobuf", "parcels", "EPSG:4549",
                {"BSM", "DLBM", "ZLDWDM", "CZCSXM"}, m.parcels);
    write_layer(dir / "townships.geojson", "GeoJSON", "townships", "EPSG:4490",
                {"XZDM", "XZMC", "LM", "QY"}, {});
    // GeoJSON is written in geographic coordinates: the township is the villages' extent.
    fs::remove(dir / "townships.geojson");
    write_layer(dir / "townships.geojson", "GeoJSON", "townships", "EPSG:4490",
                {"XZDM", "XZMC", "LM", "QY"},
                {{m.townships[0].values,
                  reproject_wkt(m.townships[0].wkt, "EPSG:4549", "EPSG:4490", 10.0)}});

    SECTION("with the encoding declared, Chinese names survive") {
        write_file(dir / "job.toml", job_text("encoding = \"GBK\""));
        RunOptions o;
        o.out = dir / "out";
        const RunReport r = run_job(load_job(dir / "job.toml"), o);
        REQUIRE(r.committed);
        CHECK(r.quota.villages.at(0).name == "一村");
        CHECK(r.quota.townships.at(0).name == "大田乡");
        // No exclusion layers in this job: all four homestead parcels of village 1 are reclaimed.
        CHECK(hundredths_to_m2(r.quota.villages.at(0).reclaim) == Approx(40000.0).margin(0.02));
    }
    SECTION("without it, the bytes are refused with how to declare them, and nothing is written") {
        write_file(dir / "job.toml", job_text(""));
        RunOptions o;
        o.out = dir / "out";
        REQUIRE_THROWS_WITH(run_job(load_job(dir / "job.toml"), o),
                            Catch::Contains("villages.shp, layer 'villages', FID 0, field "
                                            "'ZLDWMC'") &&
                                Catch::Contains("encoding = \"GBK\" to [inputs.villages]"));
        CHECK_FALSE(fs::exists(dir / "out"));
    }
}
