// Exit codes mean something: faults of the machine — a file the user may not read or write, a
// read-only or full disk, a file-size limit, a ledger that is not one or is damaged — are exit 1
// with a message naming the file and what to do; never "internal error" (exit 2), never exit 0
// with an incomplete output.
//
// The tests run as root in CI's container, where permissions never bite; the binary is run as
// user nobody (setpriv) for those. Full and read-only disks are small tmpfs mounts in a private
// mount namespace (unshare -m), which disappear with the command.
#include "mini_county.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>
#include <sys/wait.h>

using namespace landquota::test;

namespace {

const fs::path kWuyi = source_dir() / "sample_maps" / "wuyi" / "job.toml";

// Runs a shell command line; {bin} stands for the landquota binary.
CliResult shell(std::string cmd) {
    for (std::size_t at; (at = cmd.find("{bin}")) != std::string::npos;)
        cmd.replace(at, 5, LANDQUOTA_BINARY);
    TempDir t;
    const std::string line =
        "(" + cmd + ") >" + (t / "out").string() + " 2>" + (t / "err").string();
    const int status = std::system(line.c_str());
    return CliResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(t / "out"),
                     read_file(t / "err")};
}

const std::string kNobody = "setpriv --reuid=65534 --regid=65534 --clear-groups ";

// Whether this machine lets the tests use private mounts (root in a container usually does).
bool can_mount() {
    static const bool ok =
        shell("unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs /mnt'").exit_code == 0;
    return ok;
}

// `inner` run in a private mount namespace with a tmpfs of `size` mounted at `dir`.
CliResult in_tmpfs(const fs::path& dir, const std::string& size, const std::string& inner) {
    fs::create_directories(dir);
    return shell("unshare -m sh -c 'mount -t tmpfs -o size=" + size + " tmpfs " + dir.string() +
                 " && " + inner + "'");
}

void require_exit_1(const CliResult& r) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 1);
    CHECK_THAT(r.err, !Catch::Contains("internal error"));
}

// A first run of the Wuyi sample, giving a ledger with entries.
fs::path sample_ledger(const TempDir& dir) {
    const fs::path ledger = dir / "book.sqlite";
    const CliResult r = run_cli("run " + kWuyi.string() + " --out " + (dir / "first").string() +
                                " --ledger " + ledger.string() + " --quiet");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return ledger;
}

// The ledger's page size and the pages of its entries table.
std::pair<std::int64_t, std::vector<std::int64_t>> entry_pages(const fs::path& ledger) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(ledger.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    std::int64_t page_size = 0;
    std::vector<std::int64_t> pages;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, nullptr);
    if (sqlite3_step(s) == SQLITE_ROW)
        page_size = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db,
                       "SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' "
                       "ORDER BY path",
                       -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW)
        pages.push_back(sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return {page_size, pages};
}

} // namespace

TEST_CASE("faults: an input or job file the user may not read", "[faults][permissions]") {
    TempDir dir;
    const fs::path job = MiniCounty{}.write(dir.path());
    SECTION("the GeoPackage") {
        fs::permissions(dir / "county.gpkg", fs::perms::owner_read | fs::perms::owner_write);
        const CliResult r = shell(kNobody + "{bin} check " + job.string());
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains((dir / "county.gpkg").string() +
                                          ": cannot be read (Permission denied), from "
                                          "'inputs.parcels.path'"));
        CHECK_THAT(r.err, Catch::Contains("read access"));
    }
    SECTION("the job file") {
        fs::permissions(job, fs::perms::owner_read | fs::perms::owner_write);
        const CliResult r = shell(kNobody + "{bin} check " + job.string());
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains(job.string() + ": cannot be read (Permission denied)"));
    }
}

TEST_CASE("faults: an output folder the user may not write, or on a read-only disk",
          "[faults][permissions]") {
    TempDir dir;
    const fs::path job = MiniCounty{}.write(dir.path());
    SECTION("permission denied") {
        fs::create_directories(dir / "locked");
        fs::permissions(dir / "locked", fs::perms::owner_all | fs::perms::group_read |
                                            fs::perms::group_exec | fs::perms::others_read |
                                            fs::perms::others_exec);
        const CliResult r = shell(kNobody + "{bin} run " + job.string() + " --quiet --out " +
                                  (dir / "locked" / "out").string());
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains((dir / "locked" / "out").string() +
                                          ": the output folder cannot be written"));
        CHECK_THAT(r.err, Catch::Contains("permission denied"));
        CHECK_THAT(r.err, Catch::Contains("choose another --out"));
    }
    SECTION("a read-only disk") {
        if (!can_mount()) {
            WARN("skipped: no private mount namespace here (unshare -m refused)");
            return;
        }
        const fs::path ro = dir / "ro";
        const CliResult r =
            in_tmpfs(ro, "1m",
                     "mount -o remount,ro " + ro.string() + " && " + LANDQUOTA_BINARY + " run " +
                         job.string() + " --quiet --out " + (ro / "out").string());
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains((ro / "out").string()));
        CHECK_THAT(r.err, Catch::Contains("read-only"));
    }
}

TEST_CASE("faults: a full disk while the outputs are written is exit 1, never a half output",
          "[faults][diskfull]") {
    if (!can_mount()) {
        WARN("skipped: no private mount namespace here (unshare -m refused)");
        return;
    }
    TempDir dir;
    const fs::path job = MiniCounty{}.write(dir.path());
    const fs::path disk = dir / "disk";
    // Disks from nearly empty to roomy: each run either fails with exit 1 naming a file on the
    // disk, or succeeds with a complete output (copied out of the namespace and opened here).
    int failed = 0, succeeded = 0;
    for (int kb = 64; kb <= 4096; kb += kb < 1024 ? 64 : 512) {
        const fs::path copy = dir / ("copy-" + std::to_string(kb));
        const CliResult r =
            in_tmpfs(disk, std::to_string(kb) + "k",
                     std::string(LANDQUOTA_BINARY) + " run " + job.string() + " --quiet --out " +
                         (disk / "out").string() + "; rc=$?; cp -r " + (disk / "out").string() +
                         " " + copy.string() + " 2>/dev/null; exit $rc");
        INFO(kb << " kB: exit " << r.exit_code << "\n" << r.err);
        REQUIRE((r.exit_code == 0 || r.exit_code == 1));
        if (r.exit_code == 1) {
            ++failed;
            CHECK_THAT(r.err, Catch::Contains(disk.string()));
            CHECK_THAT(r.err, Catch::Contains("free space") || Catch::Contains("disk is full"));
            CHECK_FALSE(fs::exists(copy)); // nothing reached the destination
            continue;
        }
        ++succeeded;
        REQUIRE(fs::exists(copy / "manifest.json"));
        GDALDatasetUniquePtr gpkg(
            GDALDataset::Open((copy / "result.gpkg").string().c_str(), GDAL_OF_VECTOR));
        REQUIRE(gpkg);
        OGRLayer* rtree =
            gpkg->ExecuteSQL("SELECT count(*) FROM rtree_parcels_geom", nullptr, nullptr);
        REQUIRE(rtree); // the spatial index is there and holds every parcel
        OGRFeatureUniquePtr row(rtree->GetNextFeature());
        CHECK(row->GetFieldAsInteger64(0) == gpkg->GetLayerByName("parcels")->GetFeatureCount());
        gpkg->ReleaseResultSet(rtree);
    }
    CHECK(failed > 0);
    CHECK(succeeded > 0);
}

TEST_CASE("faults: a file-size limit (EFBIG) while writing is exit 1", "[faults][diskfull]") {
    TempDir dir;
    const fs::path job = MiniCounty{}.write(dir.path());
    // 100 kB: below report.html (which inlines Leaflet and Chart.js), above the job's inputs.
    const CliResult r = shell("prlimit --fsize=100000 {bin} run " + job.string() +
                              " --quiet --out " + (dir / "out").string());
    require_exit_1(r);
    CHECK_THAT(r.err, Catch::Contains((dir / "out").string()));
    CHECK_THAT(r.err, Catch::Contains("cannot be written"));
    CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("faults: the ledger on a full disk, or one the user may not write", "[faults][ledger]") {
    TempDir dir;
    SECTION("a full disk (SQLITE_FULL)") {
        if (!can_mount()) {
            WARN("skipped: no private mount namespace here (unshare -m refused)");
            return;
        }
        const fs::path disk = dir / "disk";
        const CliResult r =
            in_tmpfs(disk, "256k",
                     "dd if=/dev/zero of=" + (disk / "fill").string() + " bs=4k 2>/dev/null; " +
                         LANDQUOTA_BINARY + " run " + kWuyi.string() + " --quiet --out " +
                         (dir / "out").string() + " --ledger " + (disk / "book.sqlite").string());
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains((disk / "book.sqlite").string()));
        CHECK_THAT(r.err, Catch::Contains("disk is full") || Catch::Contains("free space"));
        CHECK_FALSE(fs::exists(dir / "out"));
    }
    SECTION("a ledger file the user may not write") {
        const fs::path ledger = sample_ledger(dir);
        fs::create_directories(dir / "shared");
        fs::permissions(dir / "shared", fs::perms::all);
        const CliResult r =
            shell(kNobody + "{bin} run " + kWuyi.string() + " --quiet --out " +
                  (dir / "shared" / "out").string() + " --ledger " + ledger.string());
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains(ledger.string()));
        CHECK_THAT(r.err, Catch::Contains("read-only") || Catch::Contains("permission"));
        CHECK_FALSE(fs::exists(dir / "shared" / "out"));
    }
}

TEST_CASE("faults: a ledger path that is not a ledger, or a damaged one", "[faults][ledger]") {
    TempDir dir;
    const auto run_with = [&](const fs::path& ledger) {
        return run_cli("run " + kWuyi.string() + " --quiet --out " + (dir / "out").string() +
                       " --ledger " + ledger.string());
    };
    SECTION("a text file") {
        write_file(dir / "notes.txt", "ledger kept on paper since 2019\n");
        const CliResult r = run_with(dir / "notes.txt");
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains((dir / "notes.txt").string()));
        CHECK_THAT(r.err, Catch::Contains("not an SQLite database"));
        CHECK(read_file(dir / "notes.txt") == "ledger kept on paper since 2019\n");
    }
    SECTION("a GeoPackage") {
        fs::copy_file(kWuyi.parent_path() / "wuyi.gpkg", dir / "wuyi.gpkg");
        const CliResult r = run_with(dir / "wuyi.gpkg");
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains((dir / "wuyi.gpkg").string()));
        CHECK_THAT(r.err, Catch::Contains("not a landquota ledger"));
    }
    SECTION("truncated to half its size") {
        const fs::path ledger = sample_ledger(dir);
        fs::resize_file(ledger, fs::file_size(ledger) / 2);
        for (const CliResult& r :
             {run_with(ledger), run_cli("audit verify " + ledger.string()),
              run_cli("check " + kWuyi.string() + " --ledger " + ledger.string())}) {
            require_exit_1(r);
            CHECK_THAT(r.err + r.out, Catch::Contains(ledger.string()));
        }
    }
    SECTION("a page of its entries overwritten") {
        const fs::path ledger = sample_ledger(dir);
        const auto [page_size, pages] = entry_pages(ledger);
        REQUIRE(pages.size() >= 3);
        {
            std::fstream f(ledger, std::ios::binary | std::ios::in | std::ios::out);
            f.seekp((pages[pages.size() / 2] - 1) * page_size);
            const std::string garbage(static_cast<std::size_t>(page_size), '\x33');
            f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
        }
        const CliResult r = run_with(ledger);
        require_exit_1(r);
        CHECK_THAT(r.err, Catch::Contains(ledger.string()));
        CHECK_THAT(r.err, Catch::Contains("damaged") || Catch::Contains("malformed"));
        CHECK_FALSE(fs::exists(dir / "out"));
    }
}
