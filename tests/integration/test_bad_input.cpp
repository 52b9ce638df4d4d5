// Bad input: each case spoils the mini county (or its job file), runs the real binary and must
// exit with the expected code and a message naming file, layer, feature and field; a failed run
// leaves no output folder behind (golden-style CLI tests on the real binary).
//
// The cases are one table: a row is a name, how to spoil the county, the command, the exit code
// and the fragments the message must hold. A failing row is named in Catch2's output by its
// section under "bad input: each row ..."; run one row with -c "<name>".
#include "mini_county.hpp"
#include "run/run.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <gdal_priv.h>

using namespace landquota::test;

namespace {

// Where the expected fragments are looked for: the command's stderr or stdout, or a file the run
// wrote (a path relative to the case's folder).
const std::string kStderr = "stderr", kStdout = "stdout";
const std::string kFindings = "out/tables/findings.csv";

// Commands, with {job} and {out} replaced by the case's job file and output folder.
const std::string kRun = "run {job} --out {out} --quiet";
const std::string kCheck = "check {job}";

struct BadInput {
    std::string name;
    std::function<void(MiniCounty&)> spoil;
    std::string command;
    int exit_code;
    std::string look_in; // kStderr, kStdout or a file
    std::vector<std::string> fragments;
    // Edits the job file's text after MiniCounty wrote it (for what MiniCounty cannot say).
    std::function<void(std::string&)> edit_job = nullptr;
};

// A bow-tie: the ring of P1 crosses itself.
void bow_tie_p1(MiniCounty& m) {
    m.parcels[0].wkt =
        "POLYGON((500000 3200000,500100 3200100,500100 3200000,500000 3200100,500000 3200000))";
}

void duplicate_p1(MiniCounty& m) {
    m.parcels[3].values[0] = "P1"; // P4 takes P1's id
}

void resettlement_for_unknown_village(MiniCounty& m) {
    m.resettlement[0].values[1] = "330723009999";
}

const std::vector<BadInput>& bad_inputs() {
    static const std::vector<BadInput> cases{
        {"an id of spaces is no id",
         [](MiniCounty& m) { m.parcels[1].values[0] = "   "; },
         kCheck,
         1,
         kStdout,
         {"missing_id", "county.gpkg", "layer 'parcels'", "'BSM'", "only spaces"}},
        {"a missing field is named with its job-file key and a suggestion",
         [](MiniCounty& m) { m.parcels_landuse_key = "DLBN"; },
         kRun,
         1,
         kStderr,
         {"county.gpkg, layer 'parcels': missing field 'DLBN'", "inputs.parcels.landuse",
          "did you mean 'DLBM'?"}},
        {"a bad path is an error naming the file and the job key",
         [](MiniCounty&) {},
         kRun,
         1,
         kStderr,
         {"nowhere.gpkg: cannot open", "inputs.parcels.path"},
         [](std::string& job) {
             // The first path is the parcels'.
             job.replace(job.find("path = \"county.gpkg\""), 20, "path = \"nowhere.gpkg\"");
         }},
        {"a land-use code in the job that is no code is refused with a suggestion",
         [](MiniCounty& m) { m.job_extra = "landuse = [\"702\", \"08*\"]\n"; },
         kCheck,
         1,
         kStderr,
         {"job.toml:", "'reclaim.landuse': '702' is not a GB/T 21010-2017 land-use code",
          "did you mean '0702'?"}},
        {"a code pattern that matches no code is refused",
         [](MiniCounty& m) { m.job_extra = "landuse = [\"8*\"]\n"; },
         kCheck,
         1,
         kStderr,
         {"'8*' matches no GB/T 21010-2017 land-use code"}},
        {"a village-attribute code outside its list is refused, in the job and in the data",
         [](MiniCounty& m) { m.parcels[0].values[3] = "2O3"; },
         kCheck,
         1,
         kStdout,
         {"unknown_village_class", "layer 'parcels'", "BSM=P1", "'CZCSXM'", "'2O3'"}},
        {"a relocation flag that is neither yes nor no is refused",
         [](MiniCounty& m) { m.villages[0].values[3] = "2025"; },
         kCheck,
         1,
         kStdout,
         {"bad_flag", "layer 'villages'", "ZLDWDM=330723001001", "'RELOCATE'", "'2025'"}},
        {"a layer without CRS is refused",
         [](MiniCounty& m) { m.parcel_crs = ""; },
         kRun,
         1,
         kStderr,
         {"layer 'parcels': has no CRS"}},
        {"a self-intersecting parcel is refused by run",
         bow_tie_p1,
         kRun,
         1,
         kStderr,
         {"error [invalid_geometry]", "layer 'parcels', feature BSM=P1 (FID 1)",
          "Self-intersection"}},
        {"a self-intersecting parcel is refused by check",
         bow_tie_p1,
         kCheck,
         1,
         kStdout,
         {"error [invalid_geometry]"}},
        {"a self-intersecting parcel is repaired when the job says so",
         [](MiniCounty& m) {
             bow_tie_p1(m);
             m.job_options = "repair_invalid = true";
         },
         kRun,
         0,
         kFindings,
         {"repaired_geometry", "BSM=P1 (FID 1)"}},
        {"duplicate ids are refused, naming every feature that uses them",
         duplicate_p1,
         kRun,
         1,
         kStderr,
         {"error [duplicate_id]", "field 'BSM': id 'P1' is used by 2 features (FIDs 1, 4)"}},
        {"unknown land-use codes and empty values are errors with the field",
         [](MiniCounty& m) {
             m.parcels[1].values[1] = "0799";
             m.parcels[2].values[1] = "";
         },
         kCheck,
         1,
         kStdout,
         {"feature BSM=P2 (FID 2), field 'DLBM': '0799' is not a GB/T 21010-2017",
          "feature BSM=P3 (FID 3), field 'DLBM': the land-use code is empty", "2 error(s)"}},
        {"an empty parcel layer is refused",
         [](MiniCounty& m) { m.parcels.clear(); },
         kRun,
         1,
         kStderr,
         {"the parcel layer is empty"}},
        {"a misspelt job-file key is named with the right one",
         [](MiniCounty& m) { m.job_extra = "min_piece = 10\n"; },
         kRun,
         1,
         kStderr,
         {"unknown key 'reclaim.min_piece' (did you mean 'min_piece_m2'?)"}},
        {"a job-file value of the wrong type names the key",
         [](MiniCounty& m) { m.job_extra = "max_slope_class = \"four\"\n"; },
         kRun,
         1,
         kStderr,
         {"key 'reclaim.max_slope_class' must be a number"}},
        {"a job-file number must be finite",
         [](MiniCounty& m) { m.job_extra = "max_slope_class = nan\n"; },
         kRun,
         1,
         kStderr,
         {"'reclaim.max_slope_class' must be a finite number"}},
        {"a job-file number must be in range",
         [](MiniCounty& m) { m.job_options = "densify_m = 1e-12"; },
         kRun,
         1,
         kStderr,
         {"'job.densify_m' must be between 0.1 and 1000"}},
        {"a village-code field that disagrees with geometry is reported",
         [](MiniCounty& m) {
             m.parcels[0].values[2] = "330723001002"; // P1 lies in village 001 but claims 002
             m.parcels[2].values[2] = "330723009999"; // P3 names a village that does not exist
         },
         kRun,
         0,
         kFindings,
         {"village_mismatch",
          "the field says village '330723001002' but the parcel lies mostly in '330723001001'",
          "unknown_village_code"}},
        {"a resettlement site for an unknown village is an error in check",
         resettlement_for_unknown_village,
         kCheck,
         1,
         kStdout,
         {"error [unknown_village]",
          "layer 'resettlement', feature AZBH=AZ1 (FID 1), field 'ZLDWDM'"}},
        {"a resettlement site for an unknown village is an error in run too",
         resettlement_for_unknown_village,
         kRun,
         1,
         kStderr,
         {"error [unknown_village]"}},
        {"a failed run with the default output folder leaves nothing behind",
         duplicate_p1,
         "run {job} --quiet",
         1,
         kStderr,
         {"error [duplicate_id]"}},
    };
    return cases;
}

std::string with(std::string text, const std::string& key, const std::string& value) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
    return text;
}

// No output folder at dir/out, and no temporary sibling of one.
bool no_output(const fs::path& dir) {
    if (fs::exists(dir / "out"))
        return false;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".tmp-") != std::string::npos)
            return false;
    return true;
}

} // namespace

TEST_CASE("bad input: each row exits with its code and a message naming what is wrong",
          "[cli][validate][ingest][job][assign][publish]") {
    for (const BadInput& c : bad_inputs()) {
        DYNAMIC_SECTION(c.name) {
            TempDir dir;
            MiniCounty m;
            c.spoil(m);
            const fs::path job = m.write(dir.path());
            if (c.edit_job) {
                std::string text = read_file(job);
                c.edit_job(text);
                write_file(job, text);
            }
            const std::string args =
                with(with(c.command, "{job}", job.string()), "{out}", (dir / "out").string());
            const CliResult r = run_cli(args);
            INFO("landquota " << args);
            INFO("stdout:\n" << r.out);
            INFO("stderr:\n" << r.err);
            const bool from_file = c.look_in != kStderr && c.look_in != kStdout;
            if (from_file) // the file is only there when the run went as expected
                REQUIRE(r.exit_code == c.exit_code);
            else
                CHECK(r.exit_code == c.exit_code);
            const std::string text = c.look_in == kStderr   ? r.err
                                     : c.look_in == kStdout ? r.out
                                                            : read_file(dir / c.look_in);
            CHECK_FALSE(c.fragments.empty());
            for (const auto& fragment : c.fragments)
                CHECK_THAT(text, Catch::Contains(fragment));
            if (c.exit_code != 0)
                CHECK(no_output(dir.path()));
        }
    }
}

// SQLite stores any value in any column; GDAL reads text in a REAL or INTEGER column of a
// GeoPackage as 0. A site's demand of "abc" must stop the run, not become a demand of 0.
TEST_CASE("bad input: text in a numeric GeoPackage column is refused, not read as 0", "[cli]") {
    struct Case {
        const char* field;
        const char* value;
        const char* key;
    };
    for (const Case c : {Case{"XQMJ", "'abc'", "inputs.sites.demand"},
                         Case{"MJSS", "'  '", "inputs.sites.attributes"},
                         Case{"KGNF", "2025.5", "inputs.sites.attributes"}}) {
        DYNAMIC_SECTION(c.field << " = " << c.value) {
            landquota::init_gdal();
            TempDir dir;
            copy_wuyi_sample(dir.path());
            {
                GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "wuyi.gpkg").c_str(),
                                                          GDAL_OF_VECTOR | GDAL_OF_UPDATE));
                REQUIRE(ds);
                ds->ExecuteSQL(("UPDATE sites SET " + std::string(c.field) + " = " + c.value +
                                " WHERE fid = 2")
                                   .c_str(),
                               nullptr, nullptr);
            }
            for (const std::string command : {"check", "run"}) {
                const CliResult r =
                    run_cli(command + " " + (dir / "job.toml").string() +
                            (command == "run" ? " --quiet --out " + (dir / "out").string()
                                              : std::string()));
                INFO(command << ": " << r.err);
                CHECK(r.exit_code == 1);
                CHECK_THAT(r.err, Catch::Contains("wuyi.gpkg, layer 'sites', FID 2, field '" +
                                                  std::string(c.field) + "'") &&
                                      Catch::Contains(c.key) && Catch::Contains("not a"));
            }
            CHECK(no_output(dir.path()));
        }
    }
}

TEST_CASE("the version and a usage error", "[cli]") {
    const CliResult v = run_cli("--version");
    CHECK(v.exit_code == 0);
    CHECK_THAT(v.out, Catch::StartsWith("landquota "));
    const CliResult u = run_cli("frobnicate");
    CHECK(u.exit_code == 1);
}
