// What verify must catch even when every hash is right: entries that break the books.
#include "landquota/error.hpp"
#include "ledger/ledger.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace landquota;
using namespace landquota::test;

namespace {
QuotaLot lot(const std::string& id, AreaCm2x100 area, const std::string& state,
             AreaCm2x100 reclaimed) {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = "V" + id;
    l.area = area;
    l.state = state;
    l.parcels = {{"P" + id, "", "0702", reclaimed}};
    return l;
}
Site site(AreaCm2x100 demand) {
    Site s;
    s.site_id = "S1";
    s.name = "site";
    s.demand = demand;
    return s;
}
std::string verify_what(const fs::path& db) {
    const auto r = ledger::Ledger::open(db, false).verify();
    return r.ok ? "" : r.what;
}
} // namespace

TEST_CASE("verify refuses a lot larger than what its parcels reclaimed", "[ledger][forgery]") {
    TempDir dir;
    auto l = ledger::Ledger::open(dir / "l.sqlite", true);
    auto s = l.begin("forger");
    s.add_run({{"job_sha256", "x"}});
    s.add_lot(
        lot("L1", 100000000, "accepted", 500000)); // 1,000,000 m² claimed from 5,000 m² reclaimed
    s.commit();
    CHECK_THAT(verify_what(dir / "l.sqlite"),
               Catch::Contains("exceeds the 5000.00 m² its parcels reclaimed"));
}

TEST_CASE("verify refuses quota moved from a lot that is not accepted", "[ledger][forgery]") {
    TempDir dir;
    auto l = ledger::Ledger::open(dir / "l.sqlite", true);
    auto s = l.begin("forger");
    s.add_run({{"job_sha256", "x"}});
    s.add_lot(lot("L1", 400000, "reclaimed", 500000));
    s.add_transfer(Transfer{"R1-T1", "L1", "S1", 1000}, site(100000));
    s.commit();
    CHECK_THAT(verify_what(dir / "l.sqlite"), Catch::Contains("only accepted quota may move"));
}

TEST_CASE("verify refuses a second payment to the same payee for the same transfer",
          "[ledger][forgery]") {
    TempDir dir;
    auto l = ledger::Ledger::open(dir / "l.sqlite", true);
    auto s = l.begin("forger");
    s.add_run({{"job_sha256", "x"}});
    s.add_lot(lot("L1", 400000, "accepted", 500000));
    s.add_transfer(Transfer{"R1-T1", "L1", "S1", 1000}, site(100000));
    Payment p;
    p.payment_id = "R1-P1";
    p.model = "average";
    p.payee_kind = "village";
    p.payee_id = "VL1";
    p.transfer_id = "R1-T1";
    p.lot_id = "L1";
    p.amount = 4500;
    s.add_payment(p);
    p.payment_id = "R1-P2";
    s.add_payment(p);
    s.commit();
    CHECK_THAT(verify_what(dir / "l.sqlite"),
               Catch::Contains("a second average payment to village VL1 for R1-T1"));
}

TEST_CASE("the ledger refuses to record a site supplied beyond its demand", "[ledger][forgery]") {
    TempDir dir;
    auto l = ledger::Ledger::open(dir / "l.sqlite", true);
    auto s = l.begin("engine");
    s.add_run({{"job_sha256", "x"}});
    s.add_lot(lot("L1", 400000, "accepted", 500000));
    s.add_transfer(Transfer{"R1-T1", "L1", "S1", 1000}, site(1500));
    CHECK_THROWS_WITH(s.add_transfer(Transfer{"R1-T2", "L1", "S1", 1000}, site(1500)),
                      Catch::Contains("would over-supply site S1"));
}

TEST_CASE("a session verifies its own entries before the commit, as audit verify will",
          "[ledger][forgery]") {
    TempDir dir;
    auto l = ledger::Ledger::open(dir / "l.sqlite", true);
    {
        auto s = l.begin("clerk");
        s.add_run({{"job_sha256", "x"}});
        s.add_lot(lot("L1", 400000, "accepted", 500000));
        s.add_transfer(Transfer{"R1-T1", "L1", "S1", 1000}, site(100000));
        const auto v = s.verify();
        CHECK(v.ok);
        CHECK(v.entries == 3); // nothing committed yet: all three are the session's
        CHECK(v.head_hash == s.head_hash());
        s.commit();
    }
    CHECK(l.verify().entries == 3);
    auto s = l.begin("forger");
    s.add_run({{"job_sha256", "y"}});
    s.add_lot(lot("L2", 100000000, "accepted", 500000));
    const auto v = s.verify();
    CHECK_FALSE(v.ok);
    CHECK(v.bad_seq == 5);
    CHECK_THAT(v.what, Catch::Contains("exceeds the 5000.00 m² its parcels reclaimed"));
    CHECK(l.verify().ok); // the file as committed is still sound
}

// Content is parsed and put back in canonical form by walks that recurse; content nested
// hundreds of thousands deep, with every hash recomputed, used to run `audit verify` off the end
// of its stack (found by tests/fuzz/fuzz_canonical_json). It must be a failed check instead.
TEST_CASE("verify reports content nested absurdly deep, with right hashes, as unreadable",
          "[ledger][forgery]") {
    TempDir dir;
    {
        auto l = ledger::Ledger::open(dir / "l.sqlite", true);
        auto s = l.begin("forger");
        s.add_run({{"job_sha256", "x"}});
        s.commit();
    }
    const std::string deep = std::string(200000, '[') + std::string(200000, ']');
    const std::string hash = ledger::entry_hash(ledger::kGenesisHash, "run", "", deep);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "l.sqlite").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_exec(db, "DROP TRIGGER entries_no_update", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
    REQUIRE(sqlite3_prepare_v2(db,
                               "UPDATE entries SET content = ?1, hash = ?2, ref = '' WHERE seq = 1",
                               -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_text(st, 1, deep.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hash.c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    // The trigger put back as the schema has it: only the content gives the forgery away.
    REQUIRE(sqlite3_exec(db,
                         "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries\nBEGIN SELECT "
                         "RAISE(ABORT, 'ledger entries are append-only: record a reversal instead "
                         "of changing an entry'); END",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_THAT(verify_what(dir / "l.sqlite"),
               Catch::Contains("content unreadable") && Catch::Contains("nested deeper than 64"));
    CHECK_THROWS_AS(
        ledger::canonical(nlohmann::json::parse(std::string(66, '[') + std::string(66, ']'))),
        Error);
    CHECK_NOTHROW(
        ledger::canonical(nlohmann::json::parse(std::string(65, '[') + std::string(65, ']'))));
}
