// The sample's one-line switches (issue #10): a job per strategy and model in
// sample_maps/wuyi/variants/, each run through the real binary; --set recorded in the manifest and
// the ledger; options of plugins not chosen do not get in the way.
#include "support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

using namespace landquota::test;

namespace {

nlohmann::json manifest_of(const fs::path& out) {
    return nlohmann::json::parse(read_file(out / "manifest.json"));
}

std::string plugin_name(const nlohmann::json& m, const std::string& kind) {
    for (const auto& p : m["plugins"])
        if (p["kind"] == kind)
            return p["name"];
    return {};
}

// The run entries' content, as the ledger holds it.
std::vector<nlohmann::json> run_entries(const fs::path& ledger) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(ledger.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT content FROM entries WHERE kind = 'run' ORDER BY seq",
                               -1, &st, nullptr) == SQLITE_OK);
    std::vector<nlohmann::json> out;
    while (sqlite3_step(st) == SQLITE_ROW)
        out.push_back(
            nlohmann::json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

} // namespace

TEST_CASE("every sample variant runs, with the plugin its file names", "[sample][variants]") {
    const fs::path variants = source_dir() / "sample_maps" / "wuyi" / "variants";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(variants))
        if (e.path().extension() == ".toml")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    // one per strategy and model other than the base job's (priority, average)
    CHECK(files.size() == 6);
    for (const auto& file : files) {
        const std::string name = file.stem().string();
        DYNAMIC_SECTION(name) {
            TempDir dir;
            const CliResult r =
                run_cli("run " + file.string() + " --out " + (dir / "out").string() + " --ledger " +
                        (dir / "l.sqlite").string() + " -q");
            INFO(r.out << r.err);
            REQUIRE(r.exit_code == 0);
            const nlohmann::json m = manifest_of(dir / "out");
            const bool is_strategy = name == "proportional" || name == "optimal";
            CHECK(plugin_name(m, is_strategy ? "allocation" : "compensation") == name);
            // the rest is the base job's
            CHECK(plugin_name(m, is_strategy ? "compensation" : "allocation") ==
                  (is_strategy ? "average" : "priority"));
            CHECK(m["job"]["name"] == "wuyi-" + name);
            CHECK(m["job"]["base"]["file"] == "job.toml");
            CHECK(m["job"]["base"]["sha256"].get<std::string>().size() == 64);
            // options set for other plugins are not errors; at most warnings
            CHECK(m["counts"].contains("parcels"));
            const auto runs = run_entries(dir / "l.sqlite");
            REQUIRE(runs.size() == 1);
            CHECK(runs[0]["job_base"]["sha256"] == m["job"]["base"]["sha256"]);
        }
    }
}

TEST_CASE("set on the command line switches the strategy in one line and is recorded",
          "[sample][set]") {
    TempDir dir;
    const fs::path job = source_dir() / "sample_maps" / "wuyi" / "job.toml";
    const CliResult r =
        run_cli("run " + job.string() + " --out " + (dir / "out").string() + " --ledger " +
                (dir / "l.sqlite").string() +
                " -q --set allocation.strategy=optimal --set compensation.model=tiered");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const nlohmann::json m = manifest_of(dir / "out");
    CHECK(plugin_name(m, "allocation") == "optimal");
    CHECK(plugin_name(m, "compensation") == "tiered");
    const std::vector<std::string> sets{"allocation.strategy=optimal", "compensation.model=tiered"};
    CHECK(m["job"]["overrides"] == sets);
    const auto runs = run_entries(dir / "l.sqlite");
    REQUIRE(runs.size() == 1);
    CHECK(runs[0]["overrides"] == sets);
    // the sample's priority-only site_order is left alone, and says so
    CHECK_THAT(read_file(dir / "out" / "tables" / "findings.csv"),
               Catch::Contains("unused_option") || Catch::Contains("site_order"));

    SECTION("a wrong --set value is an error naming the setting; nothing is written") {
        TempDir d2;
        const CliResult bad =
            run_cli("run " + job.string() + " --out " + (d2 / "out").string() + " --ledger " +
                    (d2 / "l.sqlite").string() + " -q --set allocation.strategy=optimall");
        CHECK(bad.exit_code == 1);
        CHECK_THAT(bad.err, Catch::Contains("no allocation plugin 'optimall'") &&
                                Catch::Contains("did you mean 'optimal'"));
        CHECK_FALSE(fs::exists(d2 / "out"));
        CHECK_FALSE(fs::exists(d2 / "l.sqlite"));
    }
}

TEST_CASE("every option problem of a job is reported in one run", "[sample][options]") {
    TempDir dir;
    const fs::path job = source_dir() / "sample_maps" / "wuyi" / "job.toml";
    const CliResult r = run_cli("check " + job.string() +
                                " --set allocation.priority.site_order=[\"priority:up\"]"
                                " --set compensation.average.price_yuan_per_mu=cheap"
                                " --set compensation.prize_yuan_per_mu=1");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("3 problems with plugin options"));
    CHECK_THAT(r.err, Catch::Contains("priority:up"));
    CHECK_THAT(r.err, Catch::Contains("price_yuan_per_mu"));
    CHECK_THAT(r.err, Catch::Contains("prize_yuan_per_mu") &&
                          Catch::Contains("did you mean 'price_yuan_per_mu'"));
}
