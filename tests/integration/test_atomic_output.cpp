// Outputs appear whole or not at all: a killed run leaves the previous output untouched, and its
// leftovers are cleaned by the next run.
#include "mini_county.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace landquota::test;

TEST_CASE("a killed run leaves the previous output intact; the next run cleans up",
          "[cli][publish]") {
    TempDir dir;
    MiniCounty m;
    const fs::path job = m.write(dir.path());
    const std::string out = (dir / "out").string();
    REQUIRE(run_cli("run " + job.string() + " --out " + out + " --quiet").exit_code == 0);
    const std::string villages = read_file(dir / "out" / "tables" / "villages.csv");

    // A leftover of a run that was killed (its PID no longer exists: PID 2^22+1 is above Linux's
    // pid_max, so no process has it).
    const fs::path stale = dir / ".out.tmp-4194305";
    fs::create_directories(stale / "tables");
    write_file(stale / "result.gpkg", "half written");

    // Start runs and kill them with SIGKILL at points spread over a run's life: whatever point
    // each reached, the output folder must be complete (the old one, or a new one identical in
    // its tables).
    for (int delay_ms : {0, 5, 15, 30, 60, 120, 250}) {
        const pid_t child = spawn_cli({"run", job.string(), "--out", out, "--quiet"});
        REQUIRE(child > 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        INFO("killed after " << delay_ms << " ms");
        CHECK(read_file(dir / "out" / "tables" / "villages.csv") == villages);
        CHECK(fs::exists(dir / "out" / "result.gpkg"));
        CHECK(fs::exists(dir / "out" / "manifest.json"));
    }

    // The next run replaces the output and removes what killed runs left behind.
    REQUIRE(run_cli("run " + job.string() + " --out " + out + " --quiet").exit_code == 0);
    CHECK_FALSE(fs::exists(stale));
    for (const auto& e : fs::directory_iterator(dir.path()))
        CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
    CHECK(read_file(dir / "out" / "tables" / "villages.csv") == villages);
}

TEST_CASE("a folder that is not a landquota output is never replaced", "[cli][publish]") {
    TempDir dir;
    MiniCounty m;
    const fs::path job = m.write(dir.path());
    fs::create_directories(dir / "documents");
    write_file(dir / "documents" / "report.docx", "precious");
    const CliResult r = run_cli("run " + job.string() + " --out " + (dir / "documents").string());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("exists and is not a landquota output folder"));
    CHECK(read_file(dir / "documents" / "report.docx") == "precious");
}
