// The ledger across real runs of the Wuyi sample: no double spending, reversals, refusal,
// kill -9 at any point, two runs at once, and reproducible hashes.
#include "io/sha256.hpp"
#include "ledger/ledger.hpp"
#include "support.hpp"
#include "xlsx_reader.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <map>
#include <regex>
#include <sqlite3.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace landquota;
using namespace landquota::test;

namespace {
const fs::path kJob = source_dir() / "sample_maps" / "wuyi" / "job.toml";

CliResult run_sample(const fs::path& out, const fs::path& ledger, const std::string& extra = "") {
    return run_cli("run " + kJob.string() + " --out " + out.string() + " --ledger " +
                   ledger.string() + " --quiet " + extra);
}

// Per lot: Σ transfers not reversed, straight from the ledger's own views (what an auditor sees).
std::map<std::string, std::int64_t> spent_by_lot(const fs::path& ledger) {
    auto l = ledger::Ledger::open(ledger, false);
    auto s = l.begin("test");
    return s.spent();
}

std::int64_t entries(const fs::path& ledger) {
    return ledger::Ledger::open(ledger, false).verify().entries;
}

// Σ area_m2 (hundredths) of the accepted lots in a run's lots.csv: the quota that may move.
std::int64_t accepted_supply(const fs::path& lots_csv) {
    std::istringstream in(read_file(lots_csv));
    std::string line;
    std::getline(in, line);
    auto split = [](const std::string& l) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream ls(l);
        while (std::getline(ls, cell, ','))
            cells.push_back(cell);
        return cells;
    };
    const std::vector<std::string> header = split(line);
    const auto col = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                        header.begin());
    };
    const std::size_t state = col("state"), area = col("area_m2");
    REQUIRE(state < header.size());
    REQUIRE(area < header.size());
    std::int64_t total = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        const auto cells = split(line);
        if (cells.at(state) != "accepted")
            continue;
        const std::string& a = cells.at(area);
        const auto dot = a.find('.');
        total += std::stoll(a.substr(0, dot)) * 100 + std::stoll(a.substr(dot + 1));
    }
    return total;
}
} // namespace

TEST_CASE("ledger: a second run cannot reuse spent quota; a reversal frees it again",
          "[ledger][runs]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    REQUIRE(run_sample(dir / "out1", ledger).exit_code == 0);
    const auto after_first = spent_by_lot(ledger);
    REQUIRE_FALSE(after_first.empty());

    // Run 2: the same job finds every accepted lot spent and moves nothing.
    const CliResult second = run_sample(dir / "out2", ledger);
    REQUIRE(second.exit_code == 0);
    const std::string t2 = read_file(dir / "out2" / "tables" / "transfers.csv");
    CHECK(std::count(t2.begin(), t2.end(), '\n') == 1); // the header only
    CHECK(spent_by_lot(ledger) == after_first);
    CHECK(run_cli("audit verify " + ledger.string()).exit_code == 0);

    // Reverse one transfer of run 1: its quota is free again and run 3 moves exactly that much.
    const CliResult rev =
        run_cli("audit reverse " + ledger.string() +
                " --transfer R1-T0001 --reason \"site S01 withdrew\" --operator auditor");
    REQUIRE(rev.exit_code == 0);
    const auto after_reversal = spent_by_lot(ledger);
    std::int64_t freed_again = 0;
    for (const auto& [lot, area] : after_first)
        freed_again += area - (after_reversal.count(lot) ? after_reversal.at(lot) : 0);
    CHECK(freed_again > 0);
    REQUIRE(run_sample(dir / "out3", ledger).exit_code == 0);
    const auto after_third = spent_by_lot(ledger);
    std::int64_t total_first = 0, total_third = 0;
    for (const auto& [lot, area] : after_first)
        total_first += area;
    for (const auto& [lot, area] : after_third)
        total_third += area;
    CHECK(total_third == total_first); // re-spent, not double-spent
    CHECK(run_cli("audit verify " + ledger.string()).exit_code == 0);
    CHECK_THAT(read_file(dir / "out3" / "tables" / "transfers.csv"), Catch::Contains("R4-T0001"));
}

TEST_CASE("ledger: a job asking for more than remains is refused when the policy says so",
          "[ledger][runs]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    std::string job = read_file(kJob);
    job.replace(job.find("on_shortfall = \"partial\""), 24, "on_shortfall = \"refuse\" ");
    job = std::regex_replace(job, std::regex("path = \"wuyi.gpkg\""),
                             "path = \"" + (kJob.parent_path() / "wuyi.gpkg").string() + "\"");
    write_file(dir / "job.toml", job);
    // The accepted supply, from a run that takes what there is.
    REQUIRE(run_sample(dir / "partial", dir / "partial.sqlite").exit_code == 0);
    const std::string supply = format_mu(
        hundredths_m2_to_mu_hundredths(accepted_supply(dir / "partial" / "tables" / "lots.csv")));
    // Demand (905 mu) exceeds the accepted supply (about 700 mu) even on a fresh ledger.
    const CliResult r = run_cli("run " + (dir / "job.toml").string() + " --out " +
                                (dir / "out").string() + " --ledger " + ledger.string() + " -q");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("the sites ask for 905.00 mu but only " + supply +
                                      " mu of accepted quota remains"));
    CHECK_FALSE(fs::exists(dir / "out"));
    if (fs::exists(ledger))
        CHECK(entries(ledger) == 0); // nothing recorded
}

TEST_CASE("ledger: kill -9 at any point leaves it verifying and whole", "[ledger][runs][kill]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    REQUIRE(run_sample(dir / "out", ledger).exit_code == 0);
    const std::int64_t one_run = entries(ledger);
    const std::string before = read_file(ledger);
    int unchanged = 0, completed = 0;
    for (int delay_ms : {0, 40, 90, 150, 220, 300, 380, 460, 550, 700}) {
        const std::int64_t n_before = entries(ledger);
        const pid_t child = spawn_cli({"run", kJob.string(), "--out", (dir / "out").string(),
                                       "--ledger", ledger.string(), "--quiet"});
        REQUIRE(child > 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        INFO("killed after " << delay_ms << " ms");
        const CliResult v = run_cli("audit verify " + ledger.string());
        CHECK(v.exit_code == 0);
        const std::int64_t n_after = entries(ledger);
        // Either nothing of the killed run, or all of it (a later run records only its run entry:
        // everything is already spent).
        CHECK((n_after == n_before || n_after == n_before + 1));
        (n_after == n_before ? unchanged : completed) += 1;
        CHECK(fs::exists(dir / "out" / "manifest.json"));
    }
    CHECK(one_run > 1);
    CHECK(unchanged > 0); // at least one kill landed before a commit
    (void)before;
}

TEST_CASE("ledger: two runs started at once never both spend a lot",
          "[ledger][runs][concurrency]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    std::vector<pid_t> kids;
    for (int i = 0; i < 2; ++i) {
        const pid_t child =
            spawn_cli({"run", kJob.string(), "--out", (dir / ("out" + std::to_string(i))).string(),
                       "--ledger", ledger.string(), "--quiet"});
        REQUIRE(child > 0);
        kids.push_back(child);
    }
    for (pid_t k : kids) {
        int status = 0;
        waitpid(k, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0); // the second waited for the first
    }
    CHECK(run_cli("audit verify " + ledger.string()).exit_code == 0);
    // One run moved the quota; the other found it spent. Neither lost nor duplicated an entry.
    const std::string a = read_file(dir / "out0" / "tables" / "transfers.csv");
    const std::string b = read_file(dir / "out1" / "tables" / "transfers.csv");
    const auto lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
    CHECK(((lines(a) == 1) != (lines(b) == 1)));
    const auto spent = spent_by_lot(ledger);
    std::int64_t total = 0;
    for (const auto& [lot, area] : spent)
        total += area;
    // Demand exceeds supply: the run that moved quota spent every accepted lot, no more.
    const fs::path lots = (lines(a) == 1 ? dir / "out1" : dir / "out0") / "tables" / "lots.csv";
    CHECK(total == accepted_supply(lots));
}

TEST_CASE("ledger: the same job and inputs give byte-identical tables and identical hashes",
          "[ledger][runs][determinism]") {
    TempDir dir;
    REQUIRE(run_sample(dir / "a", dir / "a.sqlite").exit_code == 0);
    REQUIRE(run_sample(dir / "b", dir / "b.sqlite").exit_code == 0);
    for (const char* t :
         {"villages.csv", "townships.csv", "zones.csv", "regions.csv", "lots.csv",
          "lot_parcels.csv", "sites.csv", "transfers.csv", "payments.csv", "findings.csv"}) {
        INFO(t);
        CHECK(read_file(dir / "a" / "tables" / t) == read_file(dir / "b" / "tables" / t));
    }
    const auto va = ledger::Ledger::open(dir / "a.sqlite", false).verify();
    const auto vb = ledger::Ledger::open(dir / "b.sqlite", false).verify();
    CHECK(va.entries == vb.entries);
    CHECK(va.head_hash == vb.head_hash); // the chain covers every entry, so all hashes agree
    // ... and the manifest quotes it.
    CHECK_THAT(read_file(dir / "a" / "manifest.json"), Catch::Contains(va.head_hash));
}

TEST_CASE("ledger: quota freed by a reversal never goes to a site already supplied",
          "[ledger][runs]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    REQUIRE(run_sample(dir / "out1", ledger).exit_code == 0);
    // The last transfer of run 1 went to the last site served; after reversing it, that site has
    // room again and the others are full (or out of turn): nobody may be over-supplied.
    const std::string t1 = read_file(dir / "out1" / "tables" / "transfers.csv");
    const auto last_line = t1.substr(t1.rfind("R1-T"));
    const std::string last = last_line.substr(0, last_line.find(','));
    REQUIRE(run_cli("audit reverse " + ledger.string() + " --transfer " + last + " --reason test")
                .exit_code == 0);
    REQUIRE(run_sample(dir / "out2", ledger).exit_code == 0);
    CHECK(run_cli("audit verify " + ledger.string()).exit_code == 0);
    // This run fills nobody from scratch, and nobody gets more than it asked, earlier runs
    // included...
    const auto sites = read_csv_rows(dir / "out2" / "tables" / "sites.csv");
    REQUIRE(sites.size() > 1);
    const auto col = [&](const std::string& name) {
        const auto at = std::find(sites[0].begin(), sites[0].end(), name);
        REQUIRE(at != sites[0].end());
        return static_cast<std::size_t>(at - sites[0].begin());
    };
    const auto m2 = [](const std::string& v) { return std::stod(v); };
    for (std::size_t i = 1; i < sites.size(); ++i) {
        const auto& r = sites[i];
        INFO(r[col("site_id")]);
        CHECK(m2(r[col("allocated_m2")]) < m2(r[col("demand_m2")]));
        CHECK(m2(r[col("earlier_m2")]) + m2(r[col("allocated_m2")]) <=
              m2(r[col("demand_m2")]) + 1e-9);
    }
    const std::string t2 = read_file(dir / "out2" / "tables" / "transfers.csv");
    CHECK(std::count(t2.begin(), t2.end(), '\n') == 2); // ...it moves exactly the freed quota, once
}

TEST_CASE("ledger: 'refuse' also refuses when the rules keep remaining quota out of reach",
          "[ledger][runs]") {
    TempDir dir;
    std::string job = read_file(kJob);
    job.replace(job.find("on_shortfall = \"partial\""), 24, "on_shortfall = \"refuse\" ");
    job.replace(job.find("flows = [\"南部->北部\"]"),
                std::string("flows = [\"南部->北部\"]").size(), "flows = [\"北部->南部\"]");
    job = std::regex_replace(job, std::regex("path = \"wuyi.gpkg\""),
                             "path = \"" + (kJob.parent_path() / "wuyi.gpkg").string() + "\"");
    job = std::regex_replace(job, std::regex("demand = \"XQMJ\""),
                             "demand = \"YXJ\""); // 1–3 mu per site
    write_file(dir / "job.toml", job);
    const CliResult r =
        run_cli("run " + (dir / "job.toml").string() + " --out " + (dir / "out").string() +
                " --ledger " + (dir / "book.sqlite").string() + " -q");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("the allocation can give them only 0.00 mu under its rules"));
    CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("ledger: an absurd price is refused, not overflowed", "[ledger][runs]") {
    TempDir dir;
    std::string job = read_file(kJob);
    job.replace(job.find("price_yuan_per_mu = 300000"), 26, "price_yuan_per_mu = 1e15  ");
    job = std::regex_replace(job, std::regex("path = \"wuyi.gpkg\""),
                             "path = \"" + (kJob.parent_path() / "wuyi.gpkg").string() + "\"");
    write_file(dir / "job.toml", job);
    const CliResult r =
        run_cli("run " + (dir / "job.toml").string() + " --out " + (dir / "out").string() +
                " --ledger " + (dir / "book.sqlite").string() + " -q");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("must be a price from 0 to 100000000 yuan per mu"));
}

// A ledger edited outside landquota fails `audit verify`; a run must then refuse to append, or
// it would build on the broken chain (and could spend the same quota twice).
TEST_CASE("ledger: a run refuses a ledger that fails verification, and changes nothing",
          "[ledger][runs]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    REQUIRE(run_sample(dir / "out1", ledger).exit_code == 0);

    struct Tamper {
        const char* what;
        const char* sql;
        const char* message; // in the refusal
    };
    const Tamper cases[] = {
        {"a transfer's area edited",
         "DROP TRIGGER entries_no_update; UPDATE entries SET content = replace(content, "
         "'\"area\":', '\"area\":1') WHERE seq = (SELECT min(seq) FROM entries WHERE kind = "
         "'transfer')",
         "the entry was altered"},
        {"an entry deleted",
         "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = (SELECT min(seq) FROM "
         "entries WHERE kind = 'transfer')",
         "entries are missing"},
        {"the append-only triggers dropped", "DROP TRIGGER entries_no_update", "trigger"},
    };
    for (const auto& t : cases) {
        DYNAMIC_SECTION(t.what) {
            sqlite3* db = nullptr;
            REQUIRE(sqlite3_open(ledger.c_str(), &db) == SQLITE_OK);
            REQUIRE(sqlite3_exec(db, t.sql, nullptr, nullptr, nullptr) == SQLITE_OK);
            sqlite3_close(db);
            const std::string before = sha256_file(ledger);

            const CliResult c = run_cli("check " + kJob.string() + " --ledger " + ledger.string());
            CHECK(c.exit_code == 1);
            CHECK_THAT(c.out, Catch::Contains("error [ledger] " + ledger.string()) &&
                                  Catch::Contains(t.message));

            const CliResult r = run_sample(dir / "out2", ledger);
            CHECK(r.exit_code == 1);
            CHECK_THAT(r.err, Catch::Contains(ledger.string()) && Catch::Contains(t.message) &&
                                  Catch::Contains("audit verify"));
            CHECK(sha256_file(ledger) == before);
            CHECK_FALSE(fs::exists(dir / "out2"));
            CHECK(run_cli("audit reverse " + ledger.string() +
                          " --transfer R1-T0002 --reason test --operator t")
                      .exit_code == 1);
            CHECK(sha256_file(ledger) == before);
        }
    }
}

// Ctrl-C or a service manager's SIGTERM stops a run cleanly: exit 1, the previous output folder
// as it was, no hidden temporary folder left, the ledger byte for byte unchanged.
TEST_CASE("ledger: SIGINT or SIGTERM during a run leaves nothing behind", "[ledger][runs][kill]") {
    TempDir dir;
    const fs::path ledger = dir / "book.sqlite";
    REQUIRE(run_sample(dir / "out", ledger).exit_code == 0);
    const std::string manifest = read_file(dir / "out" / "manifest.json");
    for (const int signal : {SIGINT, SIGTERM}) {
        DYNAMIC_SECTION("signal " << signal) {
            const std::string before = sha256_file(ledger);
            const pid_t child = spawn_cli({"run", kJob.string(), "--out", (dir / "out").string(),
                                           "--ledger", ledger.string(), "--quiet"});
            REQUIRE(child > 0);
            // Within the parcel pass: the sample's run takes several seconds.
            std::this_thread::sleep_for(std::chrono::milliseconds(800));
            kill(child, signal);
            int status = 0;
            waitpid(child, &status, 0);
            REQUIRE(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 1);
            CHECK(sha256_file(ledger) == before);
            CHECK(read_file(dir / "out" / "manifest.json") == manifest);
            for (const auto& e : fs::directory_iterator(dir.path()))
                CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
        }
    }
}
