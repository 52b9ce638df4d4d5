// Bad input: each case must exit 1 with a message naming file, layer, feature and field, and
// leave no output folder behind (golden-style CLI tests on the real binary).
#include "mini_county.hpp"

#include <catch2/catch.hpp>

using namespace landquota::test;

namespace {
struct Case {
    TempDir dir;
    fs::path job;
    CliResult run(const std::string& sub = "run") {
        if (sub == "check")
            return run_cli("check " + job.string());
        return run_cli(sub + " " + job.string() + " --out " + (dir / "out").string() + " --quiet");
    }
    bool no_output() const {
        if (fs::exists(dir / "out"))
            return false;
        for (const auto& e : fs::directory_iterator(dir.path()))
            if (e.path().filename().string().find(".tmp-") != std::string::npos)
                return false;
        return true;
    }
};
} // namespace

TEST_CASE("a missing field is named with its job-file key and a suggestion", "[cli][validate]") {
    Case c;
    MiniCounty m;
    m.parcels_landuse_key = "DLBN";
    c.job = m.write(c.dir.path());
    const CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("county.gpkg, layer 'parcels': missing field 'DLBN'"));
    CHECK_THAT(r.err, Catch::Contains("inputs.parcels.landuse"));
    CHECK_THAT(r.err, Catch::Contains("did you mean 'DLBM'?"));
    CHECK(c.no_output());
}

TEST_CASE("a bad path is an error naming the file and the job key", "[cli][ingest]") {
    Case c;
    MiniCounty m;
    c.job = m.write(c.dir.path());
    std::string text = read_file(c.job);
    text.replace(text.find("path = \"county.gpkg\""), 20, "path = \"nowhere.gpkg\"");
    write_file(c.job, text);
    const CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("nowhere.gpkg: cannot open"));
    CHECK_THAT(r.err, Catch::Contains("inputs.parcels.path"));
    CHECK(c.no_output());
}

TEST_CASE("a layer without CRS is refused", "[cli][ingest]") {
    Case c;
    MiniCounty m;
    m.parcel_crs = "";
    c.job = m.write(c.dir.path());
    const CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("layer 'parcels': has no CRS"));
    CHECK(c.no_output());
}

TEST_CASE("a self-intersecting parcel is refused, or repaired when the job says so",
          "[cli][validate]") {
    MiniCounty m;
    // A bow-tie: the ring crosses itself.
    m.parcels[0].wkt =
        "POLYGON((500000 3200000,500100 3200100,500100 3200000,500000 3200100,500000 3200000))";
    {
        Case c;
        c.job = m.write(c.dir.path());
        const CliResult r = c.run();
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("error [invalid_geometry]"));
        CHECK_THAT(r.err, Catch::Contains("layer 'parcels', feature BSM=P1 (FID 1)"));
        CHECK_THAT(r.err, Catch::Contains("Self-intersection"));
        CHECK(c.no_output());
        const CliResult chk = c.run("check");
        CHECK(chk.exit_code == 1);
        CHECK_THAT(chk.out, Catch::Contains("error [invalid_geometry]"));
    }
    {
        Case c;
        m.job_options = "repair_invalid = true";
        c.job = m.write(c.dir.path());
        const CliResult r = c.run();
        CHECK(r.exit_code == 0);
        const std::string findings = read_file(c.dir / "out" / "tables" / "findings.csv");
        CHECK_THAT(findings, Catch::Contains("repaired_geometry"));
        CHECK_THAT(findings, Catch::Contains("BSM=P1 (FID 1)"));
    }
}

TEST_CASE("duplicate ids are refused, naming every feature that uses them", "[cli][validate]") {
    Case c;
    MiniCounty m;
    m.parcels[3].values[0] = "P1";
    c.job = m.write(c.dir.path());
    const CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("error [duplicate_id]"));
    CHECK_THAT(r.err, Catch::Contains("field 'BSM': id 'P1' is used by 2 features (FIDs 1, 4)"));
    CHECK(c.no_output());
}

TEST_CASE("unknown land-use codes and empty values are errors with the field", "[cli][validate]") {
    Case c;
    MiniCounty m;
    m.parcels[1].values[1] = "0799";
    m.parcels[2].values[1] = "";
    c.job = m.write(c.dir.path());
    const CliResult r = c.run("check");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains(
                          "feature BSM=P2 (FID 2), field 'DLBM': '0799' is not a GB/T 21010-2017"));
    CHECK_THAT(r.out,
               Catch::Contains("feature BSM=P3 (FID 3), field 'DLBM': the land-use code is empty"));
    CHECK_THAT(r.out, Catch::Contains("2 error(s)"));
}

TEST_CASE("an empty parcel layer is refused", "[cli][validate]") {
    Case c;
    MiniCounty m;
    m.parcels.clear();
    c.job = m.write(c.dir.path());
    const CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("the parcel layer is empty"));
    CHECK(c.no_output());
}

TEST_CASE("job-file mistakes name the key and suggest the right one", "[cli][job]") {
    Case c;
    MiniCounty m;
    m.job_extra = "min_piece = 10\n";
    c.job = m.write(c.dir.path());
    CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err,
               Catch::Contains("unknown key 'reclaim.min_piece' (did you mean 'min_piece_m2'?)"));

    m.job_extra = "max_slope_class = \"four\"\n";
    write_file(c.job, read_file(m.write(c.dir.path())));
    r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("key 'reclaim.max_slope_class' must be a number"));
    CHECK(c.no_output());
}

TEST_CASE("a village-code field that disagrees with geometry is reported", "[cli][assign]") {
    Case c;
    MiniCounty m;
    m.parcels[0].values[2] = "330723001002"; // P1 lies in village 001 but claims 002
    m.parcels[2].values[2] = "330723009999"; // P3 names a village that does not exist
    c.job = m.write(c.dir.path());
    const CliResult r = c.run();
    REQUIRE(r.exit_code == 0);
    const std::string findings = read_file(c.dir / "out" / "tables" / "findings.csv");
    CHECK_THAT(findings, Catch::Contains("village_mismatch"));
    CHECK_THAT(
        findings,
        Catch::Contains(
            "the field says village '330723001002' but the parcel lies mostly in '330723001001'"));
    CHECK_THAT(findings, Catch::Contains("unknown_village_code"));
}

TEST_CASE("the version and a usage error", "[cli]") {
    const CliResult v = run_cli("--version");
    CHECK(v.exit_code == 0);
    CHECK_THAT(v.out, Catch::StartsWith("landquota "));
    const CliResult u = run_cli("frobnicate");
    CHECK(u.exit_code == 1);
}

TEST_CASE("check and run agree: a resettlement site for an unknown village", "[cli][validate]") {
    Case c;
    MiniCounty m;
    m.resettlement[0].values[1] = "330723009999";
    c.job = m.write(c.dir.path());
    const CliResult chk = c.run("check");
    CHECK(chk.exit_code == 1);
    CHECK_THAT(chk.out, Catch::Contains("error [unknown_village]"));
    CHECK_THAT(chk.out,
               Catch::Contains("layer 'resettlement', feature AZBH=AZ1 (FID 1), field 'ZLDWDM'"));
    const CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("error [unknown_village]"));
    CHECK(c.no_output());
}

TEST_CASE("a failed run with the default output folder leaves nothing behind", "[cli][publish]") {
    TempDir dir;
    MiniCounty m;
    m.parcels[3].values[0] = "P1"; // duplicate id
    const fs::path job = m.write(dir.path());
    const CliResult r = run_cli("run " + job.string() + " --quiet");
    CHECK(r.exit_code == 1);
    CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("numbers in the job file must be finite and in range", "[cli][job]") {
    Case c;
    MiniCounty m;
    m.job_extra = "max_slope_class = nan\n";
    c.job = m.write(c.dir.path());
    CliResult r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("'reclaim.max_slope_class' must be a finite number"));
    m.job_extra = "";
    m.job_options = "densify_m = 1e-12";
    c.job = m.write(c.dir.path());
    r = c.run();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("'job.densify_m' must be between 0.1 and 1000"));
    CHECK(c.no_output());
}
