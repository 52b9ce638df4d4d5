#pragma once

// Reading a workbook back with an independent reader (openpyxl, through /usr/bin/python3, which
// has Debian's python3-openpyxl), and the CSV it should agree with.
#include "support.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace landquota::test {

// Every sheet as {"title": {"rows": [[cell, ...], ...], "frozen": "A3", "filter": "A2:K9"}}:
// strings stay strings, numbers become {"n": value, "format": number format}, formulas {"f"}.
// `scratch` is a folder for the reader's script.
nlohmann::json read_workbook(const fs::path& xlsx, const fs::path& scratch);

// A CSV written by landquota (UTF-8 with BOM, RFC 4180 quoting; no field holds a line break).
std::vector<std::vector<std::string>> read_csv_rows(const fs::path& file);

} // namespace landquota::test
