#pragma once

// Small RAII helpers over the SQLite C API, for the ledger's own use.
#include "landquota/error.hpp"

#include <cstdint>
#include <sqlite3.h>
#include <string>

namespace landquota::ledger::detail {

[[noreturn]] inline void fail(sqlite3* db, const std::string& what) {
    throw Error(Stage::Ledger, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"),
                Error::Kind::Internal);
}

inline void exec(sqlite3* db, const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg ? msg : "?";
        sqlite3_free(msg);
        throw Error(Stage::Ledger, "SQL failed (" + m + "): " + sql.substr(0, 80),
                    Error::Kind::Internal);
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
