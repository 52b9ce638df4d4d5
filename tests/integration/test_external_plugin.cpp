// A plugin built out of tree against the *installed* headers and CMake package, loaded from
// LANDQUOTA_PLUGIN_PATH by the installed binary, and used by a job. And a library of another ABI
// version, refused with a message.
#include "landquota/plugin.hpp"
#include "mini_county.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace landquota::test;

namespace {
int sh(const std::string& cmd, const fs::path& log) {
    return std::system((cmd + " >" + log.string() + " 2>&1").c_str());
}
} // namespace

TEST_CASE("a third-party plugin built against the installed package runs a job",
          "[plugins][install]") {
    TempDir dir;
    const fs::path prefix = dir / "prefix", build = dir / "plugin-build", log = dir / "log";
    INFO(read_file(log));
    REQUIRE(sh("cmake --install " + (fs::path(LANDQUOTA_BINARY).parent_path()).string() +
                   " --prefix " + prefix.string(),
               log) == 0);
    CHECK(fs::exists(prefix / "include" / "landquota" / "plugin.hpp"));
    CHECK(fs::exists(prefix / "lib" / "cmake" / "landquota" / "landquotaConfig.cmake"));
    CHECK(fs::exists(prefix / "lib" / "landquota" / "plugins" / "liblandquota_plugin_priority.so"));
    const fs::path src = source_dir() / "tests" / "data" / "external_plugin";
    REQUIRE(sh("cmake -S " + src.string() + " -B " + build.string() +
                   " -DCMAKE_PREFIX_PATH=" + prefix.string() + " -DCMAKE_BUILD_TYPE=Release",
               log) == 0);
    REQUIRE(sh("cmake --build " + build.string(), log) == 0);
    REQUIRE(fs::exists(build / "liblandquota_plugin_largest_first.so"));
    // Another ABI, compiled by hand into the same folder.
    REQUIRE(sh("c++ -shared -fPIC -o " + (build / "liblandquota_plugin_wrong_abi.so").string() +
                   " " + (src / "wrong_abi.cpp").string(),
               log) == 0);

    const std::string env = "LANDQUOTA_PLUGIN_PATH=" + build.string() + " ";
    const fs::path installed = prefix / "bin" / "landquota";
    const std::string list_cmd = env + installed.string() + " plugins";
    REQUIRE(sh(list_cmd, log) == 0);
    const std::string listing = read_file(log);
    CHECK_THAT(listing, Catch::Contains("largest_first 0.1.0"));
    CHECK_THAT(
        listing,
        Catch::Contains("liblandquota_plugin_wrong_abi.so: built for plugin ABI 999, this engine "
                        "has ABI " +
                        std::to_string(LANDQUOTA_PLUGIN_ABI_VERSION)));

    // A job using it: the mini county with one site.
    MiniCounty m;
    m.job_extra = R"(
[inputs.sites]
path = "county.gpkg"
layer = "sites"
id = "XMBH"
demand = "XQMJ"
demand_unit = "m2"

[allocation]
strategy = "largest_first"
cap_share = 0.5
)";
    const fs::path job = m.write(dir.path());
    write_layer(dir / "county.gpkg", "GPKG", "sites", "EPSG:4549", {"XMBH", "XQMJ"},
                {{{"S1", "8000"}, rect(500500, 3200300, 500600, 3200380)}});
    const fs::path out = dir / "out";
    REQUIRE(sh(env + installed.string() + " run " + job.string() + " --out " + out.string() + " -q",
               log) == 0);
    const std::string transfers = read_file(out / "tables" / "transfers.csv");
    CHECK_THAT(transfers, Catch::Contains("S1"));
    CHECK_THAT(transfers, Catch::Contains(",4000.00,")); // half of the 8000 m² demand
    CHECK_THAT(read_file(out / "manifest.json"), Catch::Contains("\"largest_first\""));

    // A job naming the refused plugin is told why.
    std::string text = read_file(job);
    text.replace(text.find("strategy = \"largest_first\""), 26, "strategy = \"wrong_abi\"    ");
    text.replace(text.find("cap_share = 0.5"), 15, "");
    write_file(job, text);
    CHECK(sh(env + installed.string() + " run " + job.string() + " --out " + out.string() + " -q",
             log) != 0);
    CHECK_THAT(read_file(log), Catch::Contains("was refused: built for plugin ABI 999"));
}
