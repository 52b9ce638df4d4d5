// A PostGIS connection string as an input: a throw-away PostgreSQL cluster with PostGIS, on a
// Unix socket in a temporary folder (no TCP), loaded with GDAL and read by a job.
#include "mini_county.hpp"
#include "pipeline/job.hpp"
#include "run/run.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <unistd.h>

using namespace landquota;
using namespace landquota::test;

namespace {
const char* kPgBin = "/usr/lib/postgresql/15/bin";

// Runs a shell command as the cluster's owner: PostgreSQL refuses to run as root, so as root the
// cluster belongs to the system user "postgres".
int as_owner(const std::string& cmd) {
    const std::string full = getuid() == 0 ? "runuser -u postgres -- sh -c '" + cmd + "'" : cmd;
    return std::system((full + " >/dev/null 2>&1").c_str());
}

class Cluster {
  public:
    explicit Cluster(const fs::path& dir) : dir_(dir) {
        fs::create_directories(dir_);
        if (getuid() == 0)
            std::system(("chown postgres " + dir_.string()).c_str());
        const std::string d = dir_.string();
        ok_ = as_owner(std::string(kPgBin) + "/initdb -D " + d +
                       "/data -U postgres --auth=trust") == 0 &&
              as_owner(std::string(kPgBin) + "/pg_ctl -D " + d + "/data -w -l " + d +
                       "/log start -o \"-k " + d + " -h \\\"\\\"\"") == 0 &&
              as_owner(std::string(kPgBin) + "/psql -h " + d +
                       " -U postgres -c \"CREATE EXTENSION postgis\"") == 0;
    }
    ~Cluster() {
        as_owner(std::string(kPgBin) + "/pg_ctl -D " + dir_.string() +
                 "/data -w -m immediate stop");
    }
    bool ok() const { return ok_; }
    std::string connection() const {
        return "PG:host=" + dir_.string() + " user=postgres dbname=postgres";
    }

  private:
    fs::path dir_;
    bool ok_ = false;
};
} // namespace

TEST_CASE("villages and parcels read from PostGIS", "[ingest][postgis]") {
    TempDir dir;
    Cluster pg(dir / "pg");
    REQUIRE(pg.ok()); // the setup script installs postgresql and postgis
    MiniCounty m;
    const fs::path job = m.write(dir.path());
    // Load the parcels and villages into PostGIS with ogr2ogr, then point the job at them.
    for (const char* layer : {"parcels", "villages"})
        REQUIRE(std::system(("ogr2ogr -f PostgreSQL \"" + pg.connection() + "\" " +
                             (dir / "county.gpkg").string() + " " + layer + " -nln " + layer +
                             " >/dev/null 2>&1")
                                .c_str()) == 0);
    std::string text = read_file(job);
    for (const char* layer : {"parcels", "villages"}) {
        const std::string from = std::string("path = \"county.gpkg\"\nlayer = \"") + layer + "\"";
        const std::string to = "path = \"" + pg.connection() + "\"\nlayer = \"" + layer + "\"";
        REQUIRE(text.find(from) != std::string::npos);
        text.replace(text.find(from), from.size(), to);
    }
    write_file(job, text);
    RunOptions o;
    o.out = dir / "out";
    const RunReport r = run_job(load_job(job), o);
    REQUIRE(r.committed);
    CHECK(r.counts.parcels == 7);
    CHECK(hundredths_to_m2(r.quota.villages.at(0).reclaim) == Approx(kMiniV1Reclaim).margin(0.02));
    CHECK(r.quota.villages.at(0).name == "一村");
}
