// Changing a job without editing it: --set KEY=VALUE (src/pipeline/job_override.cpp) and a job
// that extends another ([job] base), read through load_job on real files.
#include "landquota/error.hpp"
#include "pipeline/job.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;

namespace {

// A small job file: its layers need not exist, load_job only reads the job.
const char* kJob = R"([job]
name = "base"
crs = "EPSG:4549"

[inputs.parcels]
path = "data/county.gpkg"
layer = "parcels"
id = "BSM"
landuse = "DLBM"

[inputs.villages]
path = "data/county.gpkg"
layer = "villages"
id = "ZLDWDM"
relocate = "RELOCATE"

[inputs.sites]
path = "PG:dbname=county"
layer = "sites"
id = "XMBH"
demand = "XQMJ"

[allocation]
strategy = "priority"
flows = ["南部->北部"]

[allocation.optimal]
time_limit_s = 60

[[compensation]]
model = "average"
price_yuan_per_mu = 300000

[ledger]
path = "books/county.ledger.sqlite"
)";

std::string error_of(const fs::path& file, const std::vector<std::string>& sets) {
    try {
        load_job(file, sets);
    } catch (const Error& e) {
        CHECK(e.kind() == Error::Kind::Input);
        return e.what();
    }
    FAIL("no error");
    return {};
}

} // namespace

TEST_CASE("set overrides job keys, typed as TOML or taken as text", "[job][set]") {
    TempDir dir;
    write_file(dir / "job.toml", kJob);
    const Job job = load_job(dir / "job.toml",
                             {"allocation.strategy=optimal", "allocation.optimal.time_limit_s=5",
                              "compensation.price_yuan_per_mu=350000", "job.crs=EPSG:4550",
                              "reclaim.landuse=[\"0702\", \"08*\"]", "ledger.path=other.sqlite"});
    REQUIRE(job.allocation);
    CHECK(job.allocation->name == "optimal");
    CHECK(std::get<std::int64_t>(job.allocation->per_plugin.at("optimal").at("time_limit_s")) == 5);
    // [[compensation]] with one table needs no index
    CHECK(std::get<std::int64_t>(job.compensation.at(0).options.at("price_yuan_per_mu")) == 350000);
    CHECK(job.crs == "EPSG:4550");                                         // not TOML: text
    CHECK(job.reclaim.landuse == std::vector<std::string>{"0702", "08*"}); // a new table, created
    CHECK(job.ledger.path == (dir / "other.sqlite").lexically_normal());
    CHECK(job.overrides.size() == 6);
    CHECK(job.overrides[0] == "allocation.strategy=optimal");

    SECTION("a key holding text stays text even when the value looks like a number") {
        const Job j = load_job(dir / "job.toml", {"inputs.parcels.layer=2024"});
        CHECK(j.parcels.layer == "2024");
    }
    SECTION("indexes reach one table of an array of tables") {
        const Job j = load_job(dir / "job.toml", {"compensation[0].model=tiered"});
        CHECK(j.compensation.at(0).name == "tiered");
    }
}

TEST_CASE("set: mistakes name the setting", "[job][set]") {
    TempDir dir;
    write_file(dir / "job.toml", kJob);
    const fs::path job = dir / "job.toml";
    CHECK_THAT(error_of(job, {"job.nmae=x"}), Catch::Contains("--set job.nmae=x") &&
                                                  Catch::Contains("unknown key 'job.nmae'") &&
                                                  Catch::Contains("did you mean 'name'"));
    CHECK_THAT(error_of(job, {"allocation"}), Catch::Contains("write --set KEY=VALUE"));
    CHECK_THAT(error_of(job, {"inputs.parcels=x"}), Catch::Contains("'parcels' is a table"));
    CHECK_THAT(error_of(job, {"compensation[3].model=x"}),
               Catch::Contains("'compensation' has no table [3]"));
    CHECK_THAT(error_of(job, {"job.densify_m=fine"}),
               Catch::Contains("--set job.densify_m=fine") && Catch::Contains("must be a number"));
}

TEST_CASE("a job extends another: tables merge, paths stay the base's", "[job][base]") {
    TempDir dir;
    fs::create_directories(dir / "county" / "variants");
    write_file(dir / "county" / "job.toml", kJob);
    write_file(dir / "county" / "variants" / "optimal.toml", R"([job]
base = "../job.toml"

[allocation]
strategy = "optimal"

[allocation.optimal]
min_transfer_mu = 5
)");
    const Job job = load_job(dir / "county" / "variants" / "optimal.toml");
    CHECK(job.base == (dir / "county" / "job.toml").lexically_normal());
    CHECK(job.name == "optimal"); // a job's name is its own: the file's, not the base's
    CHECK(job.crs == "EPSG:4549");
    REQUIRE(job.allocation);
    CHECK(job.allocation->name == "optimal");
    CHECK(job.allocation->options.count("flows") == 1); // inherited shared key
    const auto& own = job.allocation->per_plugin.at("optimal");
    CHECK(own.count("time_limit_s") == 1); // inherited
    CHECK(own.count("min_transfer_mu") == 1);
    // relative paths are the base's folder's; connection strings untouched
    CHECK(job.parcels.path == (dir / "county" / "data" / "county.gpkg").lexically_normal());
    CHECK(job.sites->path == "PG:dbname=county");
    CHECK(job.ledger.path ==
          (dir / "county" / "books" / "county.ledger.sqlite").lexically_normal());

    SECTION("a mistake inherited from the base names the base's file and line") {
        std::string text = kJob;
        text.replace(text.find("crs ="), 3, "crz");
        write_file(dir / "county" / "job.toml", text);
        CHECK_THAT(
            error_of(dir / "county" / "variants" / "optimal.toml", {}),
            Catch::Contains((dir / "county" / "job.toml").lexically_normal().string() + ":3") &&
                Catch::Contains("unknown key 'job.crz'"));
    }
    SECTION("a loop of bases is refused") {
        write_file(dir / "county" / "job.toml",
                   std::string("[job]\nbase = \"variants/optimal.toml\"\n"));
        CHECK_THAT(error_of(dir / "county" / "variants" / "optimal.toml", {}),
                   Catch::Contains("more than 8 files deep"));
    }
}
