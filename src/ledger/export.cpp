// Export of the ledger for auditors who work in spreadsheets: every view (and the raw entries) as
// read, and as a CSV each. The XLSX workbook is written by publish/ledger_workbook.cpp, with the
// run tables' number formats.
#include "ledger/ledger.hpp"
#include "ledger/sqlite.hpp"

#include "core/translate.hpp"
#include "io/csv_writer.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>

namespace landquota::ledger {

using detail::Stmt;

namespace {

ViewTable read_table(sqlite3* db, const std::string& name) {
    Stmt s(db, fmt::format("SELECT * FROM \"{}\" ORDER BY seq", name));
    ViewTable t{name, {}, {}};
    for (int i = 0; i < s.columns(); ++i)
        t.header.push_back(s.name(i));
    while (s.step()) {
        std::vector<ViewTable::Value> row;
        for (int i = 0; i < s.columns(); ++i)
            switch (sqlite3_column_type(s.get(), i)) {
            case SQLITE_NULL:
                row.emplace_back(std::monostate{});
                break;
            case SQLITE_INTEGER:
                row.emplace_back(std::int64_t{s.int64(i)});
                break;
            default:
                row.emplace_back(s.text(i));
            }
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::string text(const ViewTable::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return std::to_string(*i);
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    return "";
}

} // namespace

std::vector<ViewTable> Ledger::read_views() const {
    detail::exec(db_, "BEGIN");
    struct Rollback {
        sqlite3* db;
        ~Rollback() { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }
    } rollback{db_};
    std::vector<ViewTable> tables;
    for (const auto& v : view_names())
        tables.push_back(read_table(db_, v));
    tables.push_back(read_table(db_, "entries"));
    return tables;
}

std::vector<std::filesystem::path> write_csv(const std::vector<ViewTable>& tables,
                                             const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error(Stage::Ledger, trf("{}: cannot create ({})", dir.string(), ec.message()));
    std::vector<std::filesystem::path> written;
    for (const auto& t : tables) {
        const auto file = dir / (t.name + ".csv");
        CsvWriter w(file);
        w.row(t.header);
        for (const auto& r : t.rows) {
            std::vector<std::string> cells;
            for (const auto& v : r)
                cells.push_back(text(v));
            w.row(cells);
        }
        w.close();
        written.push_back(file);
    }
    return written;
}

std::vector<std::filesystem::path> Ledger::export_tables(const std::filesystem::path& dir) const {
    return write_csv(read_views(), dir);
}

} // namespace landquota::ledger
