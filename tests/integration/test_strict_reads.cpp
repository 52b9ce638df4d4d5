// Reads are all or nothing: a real cadastre layer damaged as files get damaged (a .dbf cut short,
// a GeoPackage page overwritten in the middle of the parcels table) must stop `check` and `run`
// with exit 1 and a message naming the file, the layer and the last good feature, instead of
// running on the parcels before the damage.
#include "real_cadastre.hpp"
#include "run/run.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <regex>
#include <sqlite3.h>

using namespace landquota;
using namespace landquota::test;

namespace {

const std::string kCommune = "91479"; // the smallest of the five communes

// One commune's parcels as `file` (layer "parcels", written by `driver`), the commune's convex
// hull as the villages layer, and a job reading them. Returns the job file.
fs::path make_commune(const TempDir& dir, const std::string& driver, const std::string& file) {
    // Paddy: nothing is reclaimable, so the commune's overlapping parcels (real survey slips) do
    // not stop `check`, which tests the reclaimable pieces for overlaps as `run` does.
    return make_cadastre(dir.path(), Cadastre{"0101", {kCommune}, file, driver, "commune"});
}

std::int64_t feature_count(const fs::path& file) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    return ds->GetLayerByName("parcels")->GetFeatureCount(TRUE);
}

struct DbfHeader {
    std::uint32_t records;
    std::uint16_t header_bytes, record_bytes;
};
DbfHeader dbf_header(const fs::path& dbf) {
    std::ifstream in(dbf, std::ios::binary);
    unsigned char h[12];
    REQUIRE(in.read(reinterpret_cast<char*>(h), 12));
    return {static_cast<std::uint32_t>(h[4] | h[5] << 8 | h[6] << 16 | h[7] << 24),
            static_cast<std::uint16_t>(h[8] | h[9] << 8),
            static_cast<std::uint16_t>(h[10] | h[11] << 8)};
}

void require_intact_passes(const fs::path& job) {
    const CliResult ok = run_cli("check " + job.string());
    INFO(ok.out << ok.err);
    REQUIRE(ok.exit_code == 0); // the fixture itself is good: what fails below is the damage
}

} // namespace

TEST_CASE("strict reads: a Shapefile whose .dbf is cut short stops with the last whole record",
          "[reads][realdata]") {
    TempDir dir;
    const fs::path job = make_commune(dir, "ESRI Shapefile", "parcels.shp");
    require_intact_passes(job);
    const fs::path dbf = dir / "parcels.dbf";
    const DbfHeader h = dbf_header(dbf);
    REQUIRE(h.records == feature_count(dir / "parcels.shp"));
    REQUIRE(h.records > 100);

    // Cut in the middle of a record, as a copy that stopped would.
    const std::uint32_t whole = h.records / 2;
    fs::resize_file(dbf,
                    h.header_bytes + std::uint64_t{whole} * h.record_bytes + h.record_bytes / 2);
    for (const std::string cmd :
         {"check " + job.string(),
          "run " + job.string() + " --out " + (dir / "out").string() + " --quiet"}) {
        const CliResult r = run_cli(cmd);
        INFO(cmd << "\n" << r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains(dbf.string()));
        CHECK_THAT(r.err, Catch::Contains("layer 'parcels'"));
        CHECK_THAT(r.err, Catch::Contains(std::to_string(whole) + " whole records of the " +
                                          std::to_string(h.records)));
        // Shapefile FIDs count records from 0.
        CHECK_THAT(r.err,
                   Catch::Contains("FID " + std::to_string(whole - 1) + ", the last good feature"));
        CHECK_FALSE(fs::exists(dir / "out"));
    }
}

TEST_CASE("strict reads: a .dbf whose header was edited to its shorter length disagrees with the "
          ".shx",
          "[reads][realdata]") {
    TempDir dir;
    const fs::path job = make_commune(dir, "ESRI Shapefile", "parcels.shp");
    const fs::path dbf = dir / "parcels.dbf";
    const DbfHeader h = dbf_header(dbf);
    const std::uint32_t kept = h.records - 7;
    fs::resize_file(dbf, h.header_bytes + std::uint64_t{kept} * h.record_bytes);
    {
        std::fstream f(dbf, std::ios::binary | std::ios::in | std::ios::out);
        f.seekp(4);
        const char count[4] = {static_cast<char>(kept & 0xff), static_cast<char>(kept >> 8 & 0xff),
                               static_cast<char>(kept >> 16 & 0xff),
                               static_cast<char>(kept >> 24 & 0xff)};
        f.write(count, 4);
    }
    const CliResult r = run_cli("check " + job.string());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains((dir / "parcels.shx").string()));
    CHECK_THAT(r.err, Catch::Contains("indexes " + std::to_string(h.records) +
                                      " shapes but the .dbf holds " + std::to_string(kept)));
}

TEST_CASE("strict reads: a GeoPackage page damaged in the middle of the parcels table stops the "
          "run at the last good feature",
          "[reads][realdata]") {
    TempDir dir;
    const fs::path job = make_commune(dir, "GPKG", "parcels.gpkg");
    require_intact_passes(job);
    const fs::path gpkg = dir / "parcels.gpkg";
    const std::int64_t total = feature_count(gpkg);

    // The parcels table's leaf pages in tree (= rowid) order, from SQLite's own page map; the
    // middle one is damaged, and it is checked to belong to that table alone.
    std::int64_t page = 0, page_size = 0, leaves = 0;
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2(gpkg.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        auto scalar = [&](const std::string& sql) {
            sqlite3_stmt* s = nullptr;
            REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
            REQUIRE(sqlite3_step(s) == SQLITE_ROW);
            const std::int64_t v = sqlite3_column_int64(s, 0);
            sqlite3_finalize(s);
            return v;
        };
        page_size = scalar("PRAGMA page_size");
        leaves = scalar("SELECT count(*) FROM dbstat WHERE name = 'parcels' AND pagetype = 'leaf'");
        REQUIRE(leaves >= 10);
        page = scalar("SELECT pageno FROM dbstat WHERE name = 'parcels' AND pagetype = 'leaf' "
                      "ORDER BY path LIMIT 1 OFFSET " +
                      std::to_string(leaves / 2));
        CHECK(scalar("SELECT count(*) FROM dbstat WHERE pageno = " + std::to_string(page) +
                     " AND name <> 'parcels'") == 0);
        sqlite3_close(db);
    }
    {
        std::fstream f(gpkg, std::ios::binary | std::ios::in | std::ios::out);
        f.seekp((page - 1) * page_size);
        const std::string garbage(static_cast<std::size_t>(page_size), '\x5a');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
        REQUIRE(f);
    }

    for (const std::string cmd :
         {"check " + job.string(),
          "run " + job.string() + " --out " + (dir / "out").string() + " --quiet"}) {
        const CliResult r = run_cli(cmd);
        INFO(cmd << "\n" << r.out << r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains(gpkg.string() + ", layer 'parcels'"));
        const std::regex stopped(
            R"(reading stopped after FID (\d+), the last good feature \((\d+) features read of (\d+)\))");
        std::smatch m;
        REQUIRE(std::regex_search(r.err, m, stopped));
        const std::int64_t last = std::stoll(m[1]), read = std::stoll(m[2]);
        // ogr2ogr numbered the features 1…n in order: the last good one is the count read, and
        // the damage is neither at the start nor at the end.
        CHECK(last == read);
        CHECK(read > total / leaves);
        CHECK(read < total - total / leaves);
        CHECK(std::stoll(m[3]) == total);
        CHECK_FALSE(fs::exists(dir / "out"));
    }
}
