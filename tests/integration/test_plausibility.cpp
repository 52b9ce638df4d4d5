// Plausibility: data that read cleanly but cannot mean what the job says. Each case spoils the
// mini county the way real data goes wrong and runs the real binary: exit 1 and a message naming
// the file, the layer and what to fix, or a warning where a few slips are expected.
#include "geo/scale_error.hpp"
#include "io/text_encoding.hpp"
#include "mini_county.hpp"
#include "pipeline/plausibility.hpp"
#include "run/run.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <functional>
#include <gdal_priv.h>

using namespace landquota;
using namespace landquota::test;

namespace {

CliResult check(const MiniCounty& m, const TempDir& dir) {
    return run_cli("check " + m.write(dir.path()).string());
}

// Every parcel's WKT with each coordinate passed through `f`.
void map_parcels(MiniCounty& m, const std::function<std::string(const std::string&)>& f) {
    for (auto& p : m.parcels)
        p.wkt = f(p.wkt);
}

} // namespace

TEST_CASE("plausibility: degrees labelled as a projected CRS are refused with the fix",
          "[plausibility]") {
    TempDir dir;
    MiniCounty m;
    // Longitude/latitude (CGCS2000) written into a layer that says EPSG:4549 (metres).
    map_parcels(
        m, [](const std::string& w) { return reproject_wkt(w, "EPSG:4549", "EPSG:4490", 1000); });
    const CliResult r = check(m, dir);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("county.gpkg, layer 'parcels'"));
    CHECK_THAT(r.err, Catch::Contains("EPSG:4549 is projected"));
    CHECK_THAT(r.err, Catch::Contains("within ±180/±90"));
    CHECK_THAT(r.err, Catch::Contains("EPSG:4490"));
}

TEST_CASE("plausibility: metres labelled as degrees are refused with the fix", "[plausibility]") {
    TempDir dir;
    MiniCounty m;
    m.parcel_crs = "EPSG:4490";
    const CliResult r = check(m, dir);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("county.gpkg, layer 'parcels'"));
    CHECK_THAT(r.err, Catch::Contains("is geographic (degrees)"));
    CHECK_THAT(r.err, Catch::Contains("metres of a projected CRS"));
}

TEST_CASE("plausibility: millimetres labelled as metres give an absurd median parcel",
          "[plausibility]") {
    TempDir dir;
    MiniCounty m;
    // Every coordinate ×1000 about the county's corner, so the extent stays small enough to pass
    // the span check: only the parcels' sizes show the mistake.
    for (auto& p : m.parcels) {
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt(p.wkt.c_str(), nullptr, &g);
        REQUIRE(g);
        OGREnvelope e;
        g->getEnvelope(&e);
        const double x0 = (e.MinX - 500000) * 1000 + 500000,
                     y0 = (e.MinY - 3200000) * 1000 + 3200000;
        p.wkt = rect(x0, y0, x0 + (e.MaxX - e.MinX) * 1000, y0 + (e.MaxY - e.MinY) * 1000);
        OGRGeometryFactory::destroyGeometry(g);
    }
    const CliResult r = check(m, dir);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("county.gpkg, layer 'parcels'"));
    CHECK_THAT(r.err, Catch::Contains("median parcel"));
    CHECK_THAT(r.err, Catch::Contains("millimetres"));
}

TEST_CASE("plausibility: the working CRS's distortion over the data, computed with PROJ",
          "[plausibility]") {
    init_gdal();
    OGRSpatialReference gk120;
    gk120.importFromEPSG(4549);
    gk120.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    CHECK(scale_error(gk120, 120.0, 30.0) < 1e-9); // on the central meridian, k = 1
    // Transverse Mercator: k ≈ 1 + (Δλ cos φ)²/2 near the meridian.
    const double dl = 1.5 * M_PI / 180, phi = 30 * M_PI / 180;
    CHECK(scale_error(gk120, 121.5, 30.0) ==
          Approx(std::pow(dl * std::cos(phi), 2) / 2).epsilon(0.02));
    // 118° from the meridian (the case of issue #9): beyond any bound, or not projectable.
    const double far = scale_error(gk120, 2.0, 30.0);
    CHECK_FALSE(far <= kMaxScaleError);
}

TEST_CASE("plausibility: a working CRS far from the data is refused; a neighbouring zone warns",
          "[plausibility]") {
    SECTION("45° from the central meridian: refused, the data's own zone suggested") {
        TempDir dir;
        MiniCounty m;
        m.job_options = "crs = \"EPSG:4534\""; // CM 75°E; the county is at 120°E
        const CliResult r = check(m, dir);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("job.toml"));
        CHECK_THAT(r.err, Catch::Contains("EPSG:4534 stretches lengths by"));
        CHECK_THAT(r.err, Catch::Contains("refused"));
        CHECK_THAT(r.err, Catch::Contains("EPSG:4549"));
    }
    SECTION("the next zone (3° away): a warning, and the check passes") {
        TempDir dir;
        MiniCounty m;
        m.job_options = "crs = \"EPSG:4548\""; // CM 117°E
        const CliResult r = check(m, dir);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("warning [crs_distortion]"));
        CHECK_THAT(r.out, Catch::Contains("EPSG:4548 stretches lengths by 1:"));
    }
    SECTION("the county's own zone: no word") {
        TempDir dir;
        MiniCounty m;
        m.job_options = "crs = \"EPSG:4549\"";
        const CliResult r = check(m, dir);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, !Catch::Contains("crs_distortion"));
    }
}

TEST_CASE("plausibility: parcels outside every village: a slip warns, a wrong layer is an error",
          "[plausibility]") {
    SECTION("one parcel of seven outside (the mini county's P7): a warning") {
        TempDir dir;
        const CliResult r = check(MiniCounty{}, dir);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("warning [outside_villages]"));
        CHECK_THAT(r.out, Catch::Contains("1 of 7 parcels (14.3 %)"));
        CHECK_THAT(r.out, Catch::Contains("BSM=P7"));
    }
    SECTION("villages 100 km away (a wrong layer): an error") {
        TempDir dir;
        MiniCounty m;
        m.villages[0].wkt = rect(600000, 3200000, 600400, 3200400);
        m.villages[1].wkt = rect(600400, 3200000, 600800, 3200400);
        const CliResult r = check(m, dir);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("error [outside_villages]"));
        CHECK_THAT(r.out, Catch::Contains("7 of 7 parcels (100.0 %)"));
        CHECK_THAT(r.out, Catch::Contains("inputs.villages the right layer"));
    }
    SECTION("most parcels name another village than the one they lie in: an error") {
        TempDir dir;
        MiniCounty m;
        for (int i = 0; i < 5; ++i)
            m.parcels[static_cast<std::size_t>(i)].values[2] = "330723001002";
        const CliResult r = check(m, dir);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.out, Catch::Contains("error [village_mismatch_share]"));
        CHECK_THAT(r.out, Catch::Contains("field 'ZLDWDM'"));
        CHECK_THAT(r.out, Catch::Contains("5 of 7 parcels"));
    }
}

TEST_CASE("encodings: UTF-8 and GBK read with the wrong code page are told apart", "[encoding]") {
    CHECK(is_utf8("一村 abc"));
    CHECK_FALSE(is_utf8("\xce\xe4\xd2\xc4"));     // 武夷 in GBK
    CHECK_FALSE(is_utf8("\xe4\xb8"));             // cut in the middle of a character
    CHECK_FALSE(is_utf8("\xc0\xaf"));             // an overlong '/'
    CHECK(looks_like_gbk_read_as_latin1("ÎäÒÄ")); // 武夷 read as Latin-1
    CHECK_FALSE(looks_like_gbk_read_as_latin1("Müller"));
    CHECK_FALSE(looks_like_gbk_read_as_latin1("Café"));
    CHECK_FALSE(looks_like_gbk_read_as_latin1("一村"));
    CHECK_FALSE(looks_like_gbk_read_as_latin1("ZLDWMC"));
}

namespace {
// The mini county with its villages as a Shapefile written without any code page (no .cpg, no
// LDID), their names as GBK bytes; `ldid` then sets the .dbf's language driver byte.
fs::path gbk_villages(const TempDir& dir, MiniCounty m, unsigned char ldid,
                      const std::string& encoding_line = "") {
    m.villages[0].values[1] = "\xd2\xbb\xb4\xe5"; // 一村
    m.villages[1].values[1] = "\xb6\xfe\xb4\xe5"; // 二村
    const fs::path job = m.write(dir.path());
    write_layer(dir / "villages.shp", "ESRI Shapefile", "villages", "EPSG:4549",
                {"ZLDWDM", "ZLDWMC", "XZDM", "RELOCATE"}, m.villages, {"ENCODING="});
    fs::remove(dir / "villages.cpg");
    {
        std::fstream f(dir / "villages.dbf", std::ios::binary | std::ios::in | std::ios::out);
        f.seekp(29);
        f.put(static_cast<char>(ldid));
    }
    std::string text = read_file(job);
    const std::string from = "[inputs.villages]\npath = \"county.gpkg\"\nlayer = \"villages\"\n";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(),
                 "[inputs.villages]\npath = \"villages.shp\"\n" + encoding_line);
    write_file(job, text);
    return job;
}
} // namespace

TEST_CASE("encodings: GBK text in a Shapefile without a .cpg says how to set encoding",
          "[encoding]") {
    SECTION("no code page at all: the raw bytes are not UTF-8") {
        TempDir dir;
        const CliResult r = run_cli("check " + gbk_villages(dir, MiniCounty{}, 0).string());
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains((dir / "villages.shp").string() +
                                          ", layer 'villages', FID 0, field 'ZLDWMC' (from "
                                          "'inputs.villages.name')"));
        CHECK_THAT(r.err, Catch::Contains("is not UTF-8"));
        CHECK_THAT(r.err, Catch::Contains("encoding = \"GBK\" to [inputs.villages]"));
    }
    SECTION("an ISO 8859-1 language driver: GBK read as Latin-1 is caught too") {
        TempDir dir;
        const CliResult r = run_cli("check " + gbk_villages(dir, MiniCounty{}, 0x57).string());
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("field 'ZLDWMC'"));
        CHECK_THAT(r.err, Catch::Contains("looks like GBK read with the wrong code page"));
    }
    SECTION("with encoding = \"GBK\" in the job the same file passes, names in UTF-8") {
        TempDir dir;
        const fs::path job = gbk_villages(dir, MiniCounty{}, 0, "encoding = \"GBK\"\n");
        const CliResult r =
            run_cli("run " + job.string() + " --out " + (dir / "out").string() + " --quiet");
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(read_file(dir / "out" / "tables" / "villages.csv"), Catch::Contains("一村"));
    }
}

TEST_CASE("encodings: bytes that are not UTF-8 in a GeoPackage text field are refused",
          "[encoding]") {
    TempDir dir;
    const fs::path job = MiniCounty{}.write(dir.path());
    {
        // Through GDAL, whose SQLite connection has the functions the GeoPackage's triggers call.
        init_gdal();
        GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "county.gpkg").string().c_str(),
                                                  GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        REQUIRE(ds);
        CPLErrorReset();
        ds->ExecuteSQL("UPDATE villages SET ZLDWMC = CAST(X'CEE4D2C4' AS TEXT) WHERE fid = 2",
                       nullptr, nullptr);
        REQUIRE(CPLGetLastErrorType() < CE_Failure);
    }
    const CliResult r = run_cli("check " + job.string());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("county.gpkg, layer 'villages', FID 2, field 'ZLDWMC'"));
    CHECK_THAT(r.err, Catch::Contains("not UTF-8"));
    CHECK_THAT(r.err, Catch::Contains("Save the layer again with UTF-8"));
}
