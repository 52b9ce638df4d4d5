#include "xlsx_reader.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <sstream>

namespace landquota::test {

namespace {

// Every sheet: strings stay strings, numbers become {"n", "format"}, formulas {"f"}.
const char* kDump = R"PY(
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            v = c.value
            if isinstance(v, str) and v.startswith("="):
                cells.append({"f": v})
            elif isinstance(v, bool) or v is None or isinstance(v, str):
                cells.append(v)
            else:
                cells.append({"n": v, "format": c.number_format})
        rows.append(cells)
    out[ws.title] = {"rows": rows, "frozen": ws.freeze_panes, "filter": ws.auto_filter.ref}
json.dump(out, sys.stdout, ensure_ascii=False)
)PY";

std::string run_and_read(const std::string& cmd) {
    std::array<char, 65536> buf{};
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    while (std::size_t n = fread(buf.data(), 1, buf.size(), p))
        out.append(buf.data(), n);
    REQUIRE(pclose(p) == 0);
    return out;
}

} // namespace

nlohmann::json read_workbook(const fs::path& xlsx, const fs::path& scratch) {
    write_file(scratch / "dump.py", kDump);
    return nlohmann::json::parse(
        run_and_read("/usr/bin/python3 " + (scratch / "dump.py").string() + " " + xlsx.string()));
}

std::vector<std::vector<std::string>> read_csv_rows(const fs::path& file) {
    std::string text = read_file(file);
    REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);
    text.erase(0, 3);
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::vector<std::string> cells;
        std::string cell;
        bool quoted = false;
        for (std::size_t k = 0; k < line.size(); ++k) {
            const char ch = line[k];
            if (ch == '"' && quoted && k + 1 < line.size() && line[k + 1] == '"')
                cell += line[++k]; // a doubled quote inside quotes is one quote
            else if (ch == '"')
                quoted = !quoted;
            else if (ch == ',' && !quoted) {
                cells.push_back(cell);
                cell.clear();
            } else
                cell += ch;
        }
        cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

std::vector<std::map<std::string, std::string>> read_csv_records(const fs::path& file) {
    const auto rows = read_csv_rows(file);
    REQUIRE(!rows.empty());
    std::vector<std::map<std::string, std::string>> out;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        std::map<std::string, std::string> r;
        for (std::size_t j = 0; j < rows[0].size(); ++j)
            r[rows[0][j]] = j < rows[i].size() ? rows[i][j] : "";
        out.push_back(std::move(r));
    }
    return out;
}

std::int64_t hundredths(const std::string& text) {
    const auto dot = text.find('.');
    REQUIRE(dot != std::string::npos);
    REQUIRE(text.size() - dot == 3);
    const bool neg = text[0] == '-';
    const std::int64_t v = std::stoll(text.substr(neg ? 1 : 0, dot - (neg ? 1 : 0))) * 100 +
                           std::stoll(text.substr(dot + 1));
    return neg ? -v : v;
}

} // namespace landquota::test
