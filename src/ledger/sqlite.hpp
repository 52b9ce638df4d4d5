#pragma once

// Small RAII helpers over the SQLite C API, for the ledger's own use.
#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <cstdint>
#include <sqlite3.h>
#include <string>

namespace landquota::ledger::detail {

// What the user can do about an SQLite failure that is no bug: the file, the disk, the
// permissions. Empty for failures that are (a malformed statement is ours).
inline std::string environment_fault(int code) {
    switch (code & 0xff) {
    case SQLITE_FULL:
        return tr("the disk is full: free space, then run again");
    case SQLITE_IOERR:
        return tr(
            "the disk could not be read or written (full, removed or failing): check it, then "
            "run again");
    case SQLITE_CORRUPT:
        return tr("the ledger file is damaged: restore it from a copy that passes `landquota audit "
                  "verify`");
    case SQLITE_NOTADB:
        return tr("the file is not an SQLite database (is this the ledger?): give the right file "
                  "in [ledger] path or --ledger");
    case SQLITE_READONLY:
        return tr(
            "the file or its folder is read-only: give the user running landquota write access, "
            "or use another ledger path");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return tr("the file cannot be opened (permission denied, or its folder does not exist): "
                  "check the path and its permissions");
    default:
        return {};
    }
}

[[noreturn]] inline void fail(sqlite3* db, const std::string& what) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    const std::string fault = db ? environment_fault(sqlite3_extended_errcode(db)) : "";
    if (!fault.empty()) {
        const char* file = sqlite3_db_filename(db, "main");
        throw Error(Stage::Ledger, std::string(file && *file ? file : "the ledger") + ": " +
                                       message + "; " + fault);
    }
    throw Error(Stage::Ledger, what + ": " + message, Error::Kind::Internal);
}

inline void exec(sqlite3* db, const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        fail(db, "SQL failed (" + sql.substr(0, 80) + ")");
    }
}

class Stmt {
  public:
    Stmt(sqlite3* db, const std::string& sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) != SQLITE_OK)
            fail(db, "cannot prepare " + sql.substr(0, 60));
    }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, const std::string& v) {
        sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(s_, i, v);
        return *this;
    }
    // true while there is a row
    bool step() {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        fail(db_, "statement failed");
    }
    std::string text(int col) const {
        const auto* p = sqlite3_column_text(s_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string();
    }
    std::int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    int columns() const { return sqlite3_column_count(s_); }
    std::string name(int col) const { return sqlite3_column_name(s_, col); }
    sqlite3_stmt* get() { return s_; }

  private:
    sqlite3* db_;
    sqlite3_stmt* s_ = nullptr;
};

} // namespace landquota::ledger::detail
