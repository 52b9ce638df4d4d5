// Job values checked against the code lists and the data (issue #9, item 3), on a copy of the Wuyi
// sample spoilt in one place: a misspelt lot state, slope class or reclaim class in the data, a
// site attribute or region the job names that does not exist. Each must stop `check` and `run`
// with exit 1 and a message naming what to fix; none may turn into a different allocation.
#include "support.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>

using namespace landquota::test;

namespace {

// The sample job and its GeoPackage copied into `dir`, the GeoPackage changed by `sql` (empty:
// unchanged); the ledger kept in `dir`.
fs::path spoilt_sample(const TempDir& dir, const std::string& sql) {
    copy_wuyi_sample(dir.path(), "wuyi.ledger.sqlite");
    if (!sql.empty()) {
        GDALAllRegister();
        auto* ds = static_cast<GDALDataset*>(GDALOpenEx((dir / "wuyi.gpkg").c_str(),
                                                        GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr,
                                                        nullptr, nullptr));
        REQUIRE(ds);
        ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        REQUIRE(CPLGetLastErrorType() < CE_Failure);
        GDALClose(ds);
    }
    return dir / "job.toml";
}

struct Case {
    std::string name, sql, sets;
    std::vector<std::string> fragments; // in stdout (findings) or stderr (job errors)
};

} // namespace

TEST_CASE("values outside their lists and job names absent from the data stop the run",
          "[cli][job][values]") {
    const std::vector<Case> cases{
        {"a misspelt lot state",
         "UPDATE villages SET ZT = 'acepted' WHERE ZT = 'accepted'",
         "",
         {"bad_state", "layer 'villages'", "'ZT'", "'acepted'", "did you mean 'accepted'?"}},
        {"slope class as text",
         "UPDATE parcels SET GDPDJB = 'steep' WHERE GDPDJB = '5'",
         "",
         {"bad_slope_class", "layer 'parcels'", "'GDPDJB'", "'steep'", "1 to 5"}},
        {"a misspelt reclaim class",
         "UPDATE villages SET FKLX = 'arabel' WHERE FKLX = 'arable'",
         "",
         {"bad_reclaim_to", "'FKLX'", "did you mean 'arable'?"}},
        {"a site attribute misspelt in site_order",
         "",
         "--set 'allocation.priority.site_order=[\"priority:asc\", \"tax_per_mou:desc\"]'",
         {"[allocation] site_order: 'tax_per_mou' is not a site attribute",
          "did you mean 'tax_per_mu'?"}},
        {"a benefit that is no site attribute",
         "",
         "--set allocation.strategy=optimal --set allocation.optimal.benefit=tax",
         {"benefit = \"tax\" is not a site attribute", "tax_per_mu"}},
        {"a region in flows that no township has",
         "",
         "--set 'allocation.flows=[\"南部->北区\"]'",
         {"unknown_flow_unit", "'北区'", "regions: 北部, 南部"}},
        {"pools from the widest to the narrowest",
         "",
         "--set 'allocation.pools=[\"job\", \"region\"]'",
         {"allocation.pools", "from the narrowest to the widest"}},
        {"a pool level the engine does not know",
         "",
         "--set 'allocation.pools=[\"county\", \"job\"]'",
         {"allocation.pools", "\"zone\", \"region\" and \"job\""}},
        {"pools by region without the townships' region",
         "",
         "--set 'allocation.pools=[\"region\", \"job\"]' --set inputs.townships.region=''",
         {"'allocation.pools' pools by region", "'inputs.townships.region'"}},
        {"a price of 0",
         "",
         "--set compensation.average.price_yuan_per_mu=0",
         {"'price_yuan_per_mu' is 0: that pays nothing"}},
    };
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.name) {
            TempDir dir;
            const fs::path job = spoilt_sample(dir, c.sql);
            for (const char* command : {"check", "run"}) {
                const std::string args =
                    std::string(command) + " " + job.string() + " " + c.sets +
                    (command == std::string("run") ? " --out " + (dir / "out").string() + " -q"
                                                   : "");
                const CliResult r = run_cli(args);
                INFO("landquota " << args << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
                CHECK(r.exit_code == 1);
                for (const auto& f : c.fragments)
                    CHECK_THAT(r.out + r.err, Catch::Contains(f));
                CHECK_FALSE(fs::exists(dir / "out"));
                CHECK_FALSE(fs::exists(dir / "wuyi.ledger.sqlite"));
            }
        }
    }
}
