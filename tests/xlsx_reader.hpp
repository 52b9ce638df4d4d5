#pragma once

// Reading a workbook back with an independent reader (openpyxl, through /usr/bin/python3, which
// has Debian's python3-openpyxl), and the CSV it should agree with.
#include "support.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace landquota::test {

// Every sheet as {"title": {"rows": [[cell, ...], ...], "frozen": "A3", "filter": "A2:K9"}}:
// strings stay strings, numbers become {"n": value, "format": number format}, formulas {"f"}.
// `scratch` is a folder for the reader's script.
nlohmann::json read_workbook(const fs::path& xlsx, const fs::path& scratch);

// A CSV written by landquota (UTF-8 with BOM, RFC 4180 quoting; no field holds a line break).
// A file without the BOM fails the test: spreadsheet programs need it to show Chinese names.
std::vector<std::vector<std::string>> read_csv_rows(const fs::path& file);

// The same CSV as records keyed by the header; a short row's missing cells are "".
std::vector<std::map<std::string, std::string>> read_csv_records(const fs::path& file);

// "1234.56" or "-0.50" -> 123456 or -50, exactly (a CSV's m², mu and yuan have two decimals).
std::int64_t hundredths(const std::string& text);

} // namespace landquota::test
