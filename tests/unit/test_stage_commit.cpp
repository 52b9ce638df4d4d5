// The commit stage alone (src/pipeline/commit.hpp): the output folder's rename and, when the run
// allocates, the ledger session's commit before it. The folder holds a hand-written
// manifest.json; the ledger session holds entries added by hand.
#include "io/output_folder.hpp"
#include "landquota/error.hpp"
#include "ledger/ledger.hpp"
#include "pipeline/commit.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;
using landquota::ledger::Ledger;

namespace {

const std::string kManifest = "{\"engine\": {\"name\": \"landquota\"}, \"job\": \"mini\"}\n";

// The hidden temporary siblings of an output folder (".out.tmp-PID", ".out.old-PID").
std::size_t hidden_siblings(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(".out.", 0) == 0)
            ++n;
    return n;
}

// One run's entries: a provenance, a lot and a transfer.
void add_entries(Ledger::Session& s) {
    s.add_run({{"job_sha256", std::string(64, 'a')}});
    QuotaLot l;
    l.lot_id = "L1";
    l.village_id = "V1";
    l.area = 100000;
    l.state = "accepted";
    l.parcels = {{"P1", "", "0702", 100000}}; // a lot's area comes from its parcels
    s.add_lot(l);
    s.add_transfer(Transfer{s.run_number_prefix() + "-T0001", "L1", "S1", 40000}, "工业园");
}

} // namespace

TEST_CASE("commit stage: without a ledger session it renames the folder into place",
          "[stage][commit]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    OutputFolder folder(dest);
    const fs::path tmp = folder.path();
    write_file(tmp / "manifest.json", kManifest);
    CHECK_FALSE(fs::exists(dest));
    const Committed done = commit(nullptr, folder);
    CHECK(done.out == folder.destination());
    CHECK(fs::equivalent(done.out, dest));
    CHECK(done.ledger_head.empty()); // recorded nothing
    CHECK(read_file(dest / "manifest.json") == kManifest);
    CHECK_FALSE(fs::exists(tmp));
    CHECK(hidden_siblings(dir.path()) == 0);
}

TEST_CASE("commit stage: with a session the ledger commits and its head hash is returned",
          "[stage][commit]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    auto book = Ledger::open(dir / "ledger.sqlite", true);
    std::string head;
    {
        auto session = book.begin("tester");
        add_entries(session);
        head = session.head_hash();
        CHECK(book.head_hash() == ledger::kGenesisHash); // not yet
        OutputFolder folder(dest);
        write_file(folder.path() / "manifest.json", kManifest);
        const Committed done = commit(&session, folder);
        CHECK(done.ledger_head == head);
        CHECK(fs::equivalent(done.out, dest));
        CHECK(book.head_hash() == head); // durable before the session ends
    }
    CHECK(head != ledger::kGenesisHash);
    CHECK(book.head_hash() == head);
    CHECK(book.verify().ok);
    CHECK(book.verify().transfers == 1);
    CHECK(read_file(dest / "manifest.json") == kManifest);
    CHECK(hidden_siblings(dir.path()) == 0);
}

TEST_CASE("commit stage: when the ledger cannot commit, no new output is left in place",
          "[stage][commit]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    auto book = Ledger::open(dir / "ledger.sqlite", true);
    auto session = book.begin("tester");
    add_entries(session);
    const std::string head = session.commit(); // a session can commit only once: the second fails
    {
        OutputFolder folder(dest);
        write_file(folder.path() / "manifest.json", kManifest);
        CHECK_THROWS_AS(commit(&session, folder), Error);
        CHECK_FALSE(fs::exists(dest)); // the output went into place, and was taken back
    }
    CHECK_FALSE(fs::exists(dest));
    CHECK(hidden_siblings(dir.path()) == 0); // the abandoned folder is removed
    CHECK(book.head_hash() == head);
}

TEST_CASE("commit stage: when the ledger cannot commit, the previous output is put back",
          "[stage][commit]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    const std::string old_manifest =
        "{\"engine\": {\"name\": \"landquota\"}, \"job\": \"earlier\"}\n";
    fs::create_directories(dest);
    write_file(dest / "manifest.json", old_manifest);
    write_file(dest / "only-in-old.csv", "a,b\n");
    auto book = Ledger::open(dir / "ledger.sqlite", true);
    auto session = book.begin("tester");
    add_entries(session);
    const std::string head = session.commit();
    {
        OutputFolder folder(dest);
        write_file(folder.path() / "manifest.json", kManifest);
        CHECK_THROWS_AS(commit(&session, folder), Error);
    }
    CHECK(read_file(dest / "manifest.json") == old_manifest);
    CHECK(read_file(dest / "only-in-old.csv") == "a,b\n");
    CHECK(hidden_siblings(dir.path()) == 0);
    CHECK(book.head_hash() == head);
}

TEST_CASE("commit stage: when the output cannot be put in place, the ledger does not commit",
          "[stage][commit]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    auto book = Ledger::open(dir / "ledger.sqlite", true);
    {
        auto session = book.begin("tester");
        add_entries(session);
        OutputFolder folder(dest);
        fs::remove_all(folder.path()); // the rename will find nothing to move
        CHECK_THROWS(commit(&session, folder));
    } // the session ends uncommitted: rolled back
    CHECK_FALSE(fs::exists(dest));
    CHECK(book.head_hash() == ledger::kGenesisHash);
    CHECK(book.verify().entries == 0);
}

TEST_CASE("commit stage: never committed, nothing reaches the destination or the ledger",
          "[stage][commit]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    auto book = Ledger::open(dir / "ledger.sqlite", true);
    {
        auto session = book.begin("tester");
        add_entries(session);
        OutputFolder folder(dest);
        write_file(folder.path() / "manifest.json", kManifest);
        CHECK(fs::exists(folder.path()));
        CHECK(hidden_siblings(dir.path()) == 1); // the temporary folder, while the run goes on
    } // an error: the folder and the session are destroyed without commit
    CHECK_FALSE(fs::exists(dest));
    CHECK(hidden_siblings(dir.path()) == 0);
    CHECK(book.head_hash() == ledger::kGenesisHash);
    CHECK(book.verify().entries == 0);
}

TEST_CASE("commit stage: a commit replaces an earlier output whole", "[stage][commit]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    {
        OutputFolder first(dest);
        write_file(first.path() / "manifest.json", kManifest);
        write_file(first.path() / "old.csv", "old");
        commit(nullptr, first);
    }
    REQUIRE(fs::exists(dest / "old.csv"));
    OutputFolder second(dest);
    write_file(second.path() / "manifest.json", kManifest);
    write_file(second.path() / "new.csv", "new");
    CHECK(fs::exists(dest / "old.csv")); // the old output stays in place until the commit
    commit(nullptr, second);
    CHECK(read_file(dest / "new.csv") == "new");
    CHECK_FALSE(fs::exists(dest / "old.csv"));
    CHECK(hidden_siblings(dir.path()) == 0);
}
