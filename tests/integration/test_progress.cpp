// Progress on stderr (issue #10, item 5): plain lines when stderr is not a terminal, one line
// rewritten in place when it is (run under util-linux `script`, which gives the run a real
// pseudo-terminal).
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

// `script` is util-linux's (Debian's essential bsdutils package): always there.

using namespace landquota::test;

TEST_CASE("progress is plain lines in a log, every step named", "[cli][progress]") {
    TempDir dir;
    const fs::path job = source_dir() / "sample_maps" / "wuyi" / "job.toml";
    const CliResult r = run_cli("run " + job.string() + " --out " + (dir / "out").string() +
                                " --ledger " + (dir / "l.sqlite").string());
    REQUIRE(r.exit_code == 0);
    for (const char* step : {"reading inputs", "parcels", "quota", "allocation and ledger",
                             "writing outputs", "overlap check", "committing"})
        CHECK_THAT(r.err, Catch::Contains(std::string("\n") + step) || Catch::StartsWith(step));
    CHECK_THAT(r.err, Catch::Contains("parcels 100%"));
    // A step that reports no fraction is named alone, never as "stuck at 0%".
    CHECK_THAT(r.err, Catch::Contains("\nquota\n") && !Catch::Contains("  0%"));
    CHECK_THAT(r.err, !Catch::Contains("\r"));
    CHECK_THAT(r.err, !Catch::Contains("\x1b["));
}

TEST_CASE("progress on a terminal is one updating line, cleared at the end", "[cli][progress]") {
    TempDir dir;
    const fs::path job = source_dir() / "sample_maps" / "wuyi" / "job.toml";
    const fs::path log = dir / "tty.log";
    // stdout to a file so only stderr reaches the pseudo-terminal's log
    const std::string inner = (fs::path(LANDQUOTA_BINARY)).string() + " run " + job.string() +
                              " --out " + (dir / "out").string() + " --ledger " +
                              (dir / "l.sqlite").string() + " > " + (dir / "stdout").string();
    const std::string cmd = "script -qec '" + inner + "' " + log.string() + " > /dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string tty = read_file(log);
    // the parcel pass of the sample takes more than a second: it was drawn in place
    CHECK_THAT(tty, Catch::Contains("\rparcels"));
    CHECK_THAT(tty, Catch::Contains("\x1b[K"));
    CHECK_THAT(tty, !Catch::Contains("parcels  10%\n") && !Catch::Contains("parcels  10%\r\n"));
    CHECK_THAT(read_file(dir / "stdout"), Catch::Contains("allocated"));
}
