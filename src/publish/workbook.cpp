// Tables as an XLSX workbook, for a spreadsheet (tables.xlsx, the ledger's export). Ids and codes
// are text (an 18-digit parcel id keeps its digits, 0702 its leading zero); areas, mu, fen and
// yuan are numbers with number formats, so SUM works; headers in Chinese and English, frozen, with
// an autofilter; a total row of SUM formulas whose cached values are the exact integer sums.
#include "io/write_checks.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"
#include "publish/tables.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <utility>
#include <xlsxwriter.h>

namespace landquota {

namespace {

// Header rows: Chinese, then the English key (the CSV's header).
constexpr lxw_row_t kHeaderRows = 2;
// A sheet holds 1 048 576 rows; a longer table continues on sheets "<name>_2", "<name>_3", …
// (each with its headers and its own total row), so nothing is cut off.
constexpr std::size_t kRowsPerSheet = 1048576 - kHeaderRows - 1;

void check(lxw_error e, const std::filesystem::path& file, const std::string& sheet) {
    if (e != LXW_NO_ERROR)
        throw Error(Stage::Publish, trf("{}: sheet '{}': cannot write a cell ({})", file.string(),
                                        sheet, lxw_strerror(e)));
}

// Excel's limit on a cell's text.
constexpr std::size_t kMaxCellChars = 32767;

class Workbook {
  public:
    explicit Workbook(std::filesystem::path file) : file_(std::move(file)) {}

    void write(const std::vector<Table>& tables) {
        lxw_workbook* wb = workbook_new(file_.string().c_str());
        if (!wb)
            throw Error(Stage::Publish, file_.string() + ": cannot create the workbook");
        formats(wb);
        for (const Table& t : tables)
            for (std::size_t first = 0, part = 1; first == 0 || first < t.rows.size();
                 first += kRowsPerSheet, ++part)
                sheet(wb, t, first, part == 1 ? t.name : fmt::format("{}_{}", t.name, part));
        if (const lxw_error e = workbook_close(wb); e != LXW_NO_ERROR)
            throw Error(Stage::Publish, write_failure(file_, lxw_strerror(e)));
    }

  private:
    void formats(lxw_workbook* wb) {
        header_ = workbook_add_format(wb);
        format_set_bold(header_);
        format_set_bg_color(header_, 0xE8EEF4);
        format_set_text_wrap(header_);
        text_ = workbook_add_format(wb);
        format_set_num_format(text_, "@");
        whole_ = workbook_add_format(wb);
        format_set_num_format(whole_, "0");
        decimal2_ = workbook_add_format(wb);
        format_set_num_format(decimal2_, "#,##0.00");
        hectares_ = workbook_add_format(wb);
        format_set_num_format(hectares_, "#,##0.0000##");
        decimal6_ = workbook_add_format(wb);
        format_set_num_format(decimal6_, "0.000000");
        share_ = workbook_add_format(wb);
        format_set_num_format(share_, "0.00%");
        total_label_ = workbook_add_format(wb);
        format_set_bold(total_label_);
        format_set_top(total_label_, LXW_BORDER_THIN);
        total_whole_ = workbook_add_format(wb);
        format_set_bold(total_whole_);
        format_set_top(total_whole_, LXW_BORDER_THIN);
        format_set_num_format(total_whole_, "0");
        total_decimal2_ = workbook_add_format(wb);
        format_set_bold(total_decimal2_);
        format_set_top(total_decimal2_, LXW_BORDER_THIN);
        format_set_num_format(total_decimal2_, "#,##0.00");
        total_hectares_ = workbook_add_format(wb);
        format_set_bold(total_hectares_);
        format_set_top(total_hectares_, LXW_BORDER_THIN);
        format_set_num_format(total_hectares_, "#,##0.0000##");
    }

    // The number a spreadsheet holds for an exact integer in the column's unit.
    static double number(std::int64_t v, Unit u) {
        if (u == Unit::AreaHa)
            return to_ha(v);
        return u == Unit::AreaM2 || u == Unit::AreaMu || u == Unit::Yuan
                   ? static_cast<double>(v) / 100.0
                   : static_cast<double>(v);
    }
    lxw_format* format_of(Unit u, bool total) const {
        const bool whole = u == Unit::Count || u == Unit::Fen;
        if (total)
            return whole ? total_whole_ : u == Unit::AreaHa ? total_hectares_ : total_decimal2_;
        return u == Unit::Share    ? share_
               : whole             ? whole_
               : u == Unit::AreaHa ? hectares_
                                   : decimal2_;
    }

    // Rows [first, first + kRowsPerSheet) of the table on a sheet of that name.
    void sheet(lxw_workbook* wb, const Table& t, std::size_t first, const std::string& name) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
        if (!ws)
            throw Error(Stage::Publish, trf("{}: cannot add sheet '{}'", file_.string(), name));
        const auto ncol = static_cast<lxw_col_t>(t.columns.size());
        for (lxw_col_t c = 0; c < ncol; ++c) {
            const Column& col = t.columns[c];
            worksheet_write_string(ws, 0, c, col.zh.c_str(), header_);
            worksheet_write_string(ws, 1, c, col.key.c_str(), header_);
            const double width = col.unit == Unit::Text ? 18 : 16;
            worksheet_set_column(ws, c, c, col.key == "message" || col.key == "basis" ? 60 : width,
                                 nullptr);
        }
        std::vector<std::int64_t> sums(ncol, 0);
        lxw_row_t row = kHeaderRows;
        const std::size_t end = std::min(t.rows.size(), first + kRowsPerSheet);
        for (std::size_t i = first; i < end; ++i) {
            const auto& cells = t.rows[i];
            for (lxw_col_t c = 0; c < ncol; ++c) {
                const Unit u = t.columns[c].unit;
                const Cell& cell = cells[c];
                if (const auto* s = std::get_if<std::string>(&cell)) {
                    // Longer text (a ledger entry with its geometry) is only in the CSV: a cut
                    // piece of it would pass for the whole.
                    const std::string text =
                        s->size() <= kMaxCellChars
                            ? *s
                            : fmt::format("({} characters, more than a cell holds: see the CSV)",
                                          s->size());
                    if (!text.empty())
                        check(worksheet_write_string(ws, row, c, text.c_str(), text_), file_, name);
                } else if (const auto* d = std::get_if<double>(&cell)) {
                    check(worksheet_write_number(ws, row, c, *d,
                                                 u == Unit::Decimal ? decimal6_ : share_),
                          file_, name);
                } else {
                    const std::int64_t v = std::get<std::int64_t>(cell);
                    sums[c] += v;
                    check(worksheet_write_number(ws, row, c, number(v, u), format_of(u, false)),
                          file_, name);
                }
            }
            ++row;
        }
        const lxw_row_t last = row == kHeaderRows ? kHeaderRows : row - 1;
        worksheet_freeze_panes(ws, kHeaderRows, 0);
        worksheet_autofilter(ws, kHeaderRows - 1, 0, last, ncol - 1);
        if (!t.totals || t.rows.empty())
            return;
        worksheet_write_string(ws, row, 0, "合计 Total", total_label_);
        for (lxw_col_t c = 1; c < ncol; ++c) {
            const Column& col = t.columns[c];
            if (!col.additive())
                continue;
            char from[32], to[32];
            lxw_rowcol_to_cell(from, kHeaderRows, c);
            lxw_rowcol_to_cell(to, row - 1, c);
            const std::string formula = fmt::format("=SUM({}:{})", from, to);
            worksheet_write_formula_num(ws, row, c, formula.c_str(), format_of(col.unit, true),
                                        number(sums[c], col.unit));
        }
    }

    std::filesystem::path file_;
    lxw_format *header_ = nullptr, *text_ = nullptr, *whole_ = nullptr, *decimal2_ = nullptr,
               *share_ = nullptr, *decimal6_ = nullptr, *total_label_ = nullptr,
               *total_whole_ = nullptr, *total_decimal2_ = nullptr, *hectares_ = nullptr,
               *total_hectares_ = nullptr;
};

} // namespace

void write_workbook(const std::filesystem::path& file, const std::vector<Table>& tables) {
    Workbook(file).write(tables);
}

} // namespace landquota
