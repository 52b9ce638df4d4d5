// A plan's copy of the ledger: the real file is only read.
#include "ledger/ledger.hpp"
#include "ledger/sqlite.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>

namespace landquota::ledger {

namespace {

struct Db {
    sqlite3* db = nullptr;
    ~Db() { sqlite3_close(db); }
};

} // namespace

void snapshot_ledger(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::filesystem::remove(to);
    if (!std::filesystem::exists(from)) {
        Ledger::open(to, true); // what a first run would find: an empty ledger
        return;
    }
    Db src, dst;
    // mode=ro: SQLite takes a shared lock to read and never writes the file or a journal beside it.
    const std::string uri = "file:" + from.string() + "?mode=ro";
    if (sqlite3_open_v2(uri.c_str(), &src.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
        SQLITE_OK)
        throw Error(Stage::Ledger, trf("{}: cannot open to read ({})", from.string(),
                                       src.db ? sqlite3_errmsg(src.db) : "out of memory"));
    sqlite3_busy_timeout(src.db, 30000); // a run committing holds the lock for a moment
    if (sqlite3_open_v2(to.c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
        detail::fail(dst.db, "cannot create " + to.string());
    sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
    if (!b)
        detail::fail(dst.db, "cannot copy " + from.string());
    const int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        throw Error(Stage::Ledger,
                    trf("{}: cannot read a consistent copy ({}); is another run writing "
                        "it? Try again when it has finished",
                        from.string(), sqlite3_errstr(rc)));
    sqlite3_close(dst.db); // before Ledger::open checks the copy
    dst.db = nullptr;
    try {
        Ledger::open(to, false); // the copy must be a ledger as much as the original
    } catch (const Error& e) {   // name the file the user gave, not the copy
        std::string what = e.what();
        for (auto at = what.find(to.string()); at != std::string::npos; at = what.find(to.string()))
            what.replace(at, to.string().size(), from.string());
        throw Error(Stage::Ledger, what.substr(what.find(": ") + 2));
    }
}

} // namespace landquota::ledger
