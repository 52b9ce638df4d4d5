#pragma once

// The run's tables as typed data — columns with a unit and a Chinese name, rows of exact values —
// built once and rendered by each table writer (CSV, XLSX): the outputs cannot disagree.
#include "publish/writer.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace landquota {

// What a column holds, which decides how it is shown. Integer units are exact: hundredths of m²,
// hundredths of mu, fen.
enum class Unit {
    Text,    // ids, codes, names: text everywhere (a parcel id keeps its 18 digits, 0702 its 0)
    Count,   // a whole number that adds up (parcels, villages)
    AreaM2,  // hundredths of m², shown as m² with 2 decimals
    AreaMu,  // hundredths of mu, shown with 2 decimals
    AreaHa,  // hundredths of m², shown as hectares with 6 decimals (exact)
    Fen,     // money in fen, shown as a whole number
    Yuan,    // money in fen, shown as yuan with 2 decimals
    Share,   // a fraction from 0 to 1 (fulfilment), 4 decimals
    Decimal, // a real figure that is not a part of a whole (a score, km), 6 decimals
};

struct Column {
    std::string key; // the CSV header and the English name: "freed_m2"
    std::string zh;  // the Chinese name: "节余指标（平方米）"
    Unit unit = Unit::Text;
    bool total = true; // false for numbers that are not parts of a whole (a seq, a year)
    bool additive() const {
        return total && unit != Unit::Text && unit != Unit::Share && unit != Unit::Decimal;
    }
};

// A value: text for Unit::Text, an integer in the column's unit, or a Share.
using Cell = std::variant<std::string, std::int64_t, double>;

struct Table {
    std::string name; // file and sheet name: "villages"
    std::string zh;   // sheet title in Chinese: "村"
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;
    bool totals = false; // a total row makes sense (the rows are parts of one whole)
};

// Every table of a run, in the order they are listed in a workbook.
std::vector<Table> run_tables(const RunResults& r);

// The corridor report's tables, `corridors` and `corridor_villages` (methods.md §6.2); none
// without corridors. Also written into result.gpkg as attribute tables.
std::vector<Table> corridor_tables(const CorridorReport& c);

// A plan's table: a first column `plan` (计划) holding kPlanBanner in every row, so a CSV, a
// sheet or a layer cannot be taken for a committed run's once it is copied out of its folder.
void mark_plan(Table& table);

// A cell as the CSV shows it: "1234.56" for areas, "0702" for codes.
std::string cell_text(const Cell& c, Unit unit);

// Writes tables as an XLSX workbook, one sheet each (docs/user-guide.md, tables.xlsx): text as
// text, numbers with number formats, Chinese and English header rows, frozen, with an autofilter,
// and a total row of SUM formulas where `totals`. Shared by tables.xlsx and the ledger's export.
void write_workbook(const std::filesystem::path& file, const std::vector<Table>& tables);

} // namespace landquota
