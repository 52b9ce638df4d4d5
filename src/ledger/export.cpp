// Export of the ledger for auditors who work in spreadsheets: a CSV per view (and the raw entries),
// optionally one XLSX workbook with a sheet each.
#include "ledger/ledger.hpp"
#include "ledger/sqlite.hpp"

#include "io/csv_writer.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

namespace landquota::ledger {

using detail::Stmt;

namespace {

struct Table {
    std::string name;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<bool>> numeric; // cell was an SQL integer
};

Table read_table(sqlite3* db, const std::string& name) {
    Stmt s(db, fmt::format("SELECT * FROM \"{}\" ORDER BY seq", name));
    Table t{name, {}, {}, {}};
    for (int i = 0; i < s.columns(); ++i)
        t.header.push_back(s.name(i));
    while (s.step()) {
        std::vector<std::string> row;
        std::vector<bool> num;
        for (int i = 0; i < s.columns(); ++i) {
            row.push_back(s.text(i));
            num.push_back(sqlite3_column_type(s.get(), i) == SQLITE_INTEGER);
        }
        t.rows.push_back(std::move(row));
        t.numeric.push_back(std::move(num));
    }
    return t;
}

void write_xlsx(const std::filesystem::path& file, const std::vector<Table>& tables) {
    lxw_workbook* wb = workbook_new(file.c_str());
    if (!wb)
        throw Error(Stage::Ledger, file.string() + ": cannot create");
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (const auto& t : tables) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, t.name.c_str());
        for (std::size_t c = 0; c < t.header.size(); ++c)
            worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold);
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
                const auto row = static_cast<lxw_row_t>(r + 1);
                const auto col = static_cast<lxw_col_t>(c);
                if (t.numeric[r][c])
                    worksheet_write_number(ws, row, col, std::stod(t.rows[r][c]), nullptr);
                else if (!t.rows[r][c].empty())
                    // Over-long cells (Excel's limit is 32 767 characters) are left out; the CSV
                    // has them.
                    worksheet_write_string(ws, row, col, t.rows[r][c].c_str(), nullptr);
            }
        worksheet_freeze_panes(ws, 1, 0);
    }
    if (workbook_close(wb) != LXW_NO_ERROR)
        throw Error(Stage::Ledger, file.string() + ": cannot write the workbook");
}

} // namespace

std::vector<std::filesystem::path> Ledger::export_tables(const std::filesystem::path& dir,
                                                         bool xlsx) const {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error(Stage::Ledger,
                    fmt::format("{}: cannot create ({})", dir.string(), ec.message()));
    detail::exec(db_, "BEGIN");
    struct Rollback {
        sqlite3* db;
        ~Rollback() { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }
    } rollback{db_};
    std::vector<Table> tables;
    for (const auto& v : view_names())
        tables.push_back(read_table(db_, v));
    tables.push_back(read_table(db_, "entries"));
    std::vector<std::filesystem::path> written;
    for (const auto& t : tables) {
        const auto file = dir / (t.name + ".csv");
        CsvWriter w(file);
        w.row(t.header);
        for (const auto& r : t.rows)
            w.row(r);
        w.close();
        written.push_back(file);
    }
    if (xlsx) {
        write_xlsx(dir / "ledger.xlsx", tables);
        written.push_back(dir / "ledger.xlsx");
    }
    return written;
}

} // namespace landquota::ledger
