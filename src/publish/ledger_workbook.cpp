#include "publish/ledger_workbook.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace landquota {

namespace {

struct ColumnInfo {
    const char* zh;
    Unit unit; // for integers and exact decimals; text columns are Text whatever this says
    bool total;
};

// The views' columns (docs/audit.md). Integer areas are hundredths of m², as hashed.
const std::map<std::string, ColumnInfo> kColumns = {
    {"seq", {"序号", Unit::Count, false}},
    {"run", {"写入批次", Unit::Count, false}},
    {"recorded_at", {"记录时间", Unit::Text, false}},
    {"operator", {"操作人", Unit::Text, false}},
    {"job_sha256", {"任务文件 SHA-256", Unit::Text, false}},
    {"engine_version", {"引擎版本", Unit::Text, false}},
    {"entries", {"条目数", Unit::Count, true}},
    {"head_hash", {"链头哈希", Unit::Text, false}},
    {"content", {"内容", Unit::Text, false}},
    {"lot_id", {"指标批次", Unit::Text, false}},
    {"village_id", {"村代码", Unit::Text, false}},
    {"village_name", {"村名", Unit::Text, false}},
    {"township_id", {"乡镇代码", Unit::Text, false}},
    {"zone_id", {"片区", Unit::Text, false}},
    {"region_id", {"区域", Unit::Text, false}},
    {"area", {"面积（0.01 平方米）", Unit::Count, true}},
    {"area_m2", {"面积（平方米）", Unit::AreaM2, true}},
    {"area_mu", {"面积（亩）", Unit::AreaMu, true}},
    {"state", {"状态", Unit::Text, false}},
    {"reclaim_to", {"复垦方向", Unit::Text, false}},
    {"accepted", {"验收日期", Unit::Text, false}},
    {"parcels", {"图斑数", Unit::Count, true}},
    {"has_pieces", {"有复垦图形", Unit::Count, false}},
    {"has_geometry", {"有村界图形", Unit::Count, false}},
    {"hash", {"哈希", Unit::Text, false}},
    {"parcel_id", {"图斑编号", Unit::Text, false}},
    {"holder", {"权利人", Unit::Text, false}},
    {"landuse", {"地类代码", Unit::Text, false}},
    {"reclaim", {"复垦面积（0.01 平方米）", Unit::Count, true}},
    {"reclaim_m2", {"复垦面积（平方米）", Unit::AreaM2, true}},
    {"from_state", {"原状态", Unit::Text, false}},
    {"to_state", {"新状态", Unit::Text, false}},
    {"transfer_id", {"交易编号", Unit::Text, false}},
    {"site_id", {"项目代码", Unit::Text, false}},
    {"site_name", {"项目名称", Unit::Text, false}},
    {"site_demand", {"项目需求（0.01 平方米）", Unit::Count, false}},
    {"reversed", {"已撤销", Unit::Count, false}},
    {"payment_id", {"支付编号", Unit::Text, false}},
    {"model", {"补偿模型", Unit::Text, false}},
    {"payee_kind", {"收款方类型", Unit::Text, false}},
    {"payee_id", {"收款方", Unit::Text, false}},
    {"year", {"年度", Unit::Count, false}},
    {"amount_fen", {"金额（分）", Unit::Fen, true}},
    {"amount_yuan", {"金额（元）", Unit::Yuan, true}},
    {"basis", {"计算依据", Unit::Text, false}},
    {"reason", {"原因", Unit::Text, false}},
    {"payment_ids", {"撤销的支付", Unit::Text, false}},
    {"approved_by", {"批准人", Unit::Text, false}},
    {"kind", {"类型", Unit::Text, false}},
    {"ref", {"编号", Unit::Text, false}},
    {"prev_hash", {"前一条哈希", Unit::Text, false}},
};

const std::map<std::string, const char*> kSheets = {
    {"runs", "写入记录"},       {"lots", "指标批次"},      {"lot_parcels", "批次图斑"},
    {"lot_states", "状态变更"}, {"transfers", "指标交易"}, {"payments", "补偿支付"},
    {"reversals", "撤销"},      {"entries", "账本条目"}};

// The rows are parts of one whole: a total row.
const std::set<std::string> kTotals = {"lots", "lot_parcels", "transfers", "payments", "reversals"};

// Exact decimal text with 2 decimals ("-1234.56") as integer hundredths; the views write them so
// (schema.cpp), anything else is a bug.
std::int64_t hundredths(const std::string& s, const std::string& view, const std::string& col) {
    const auto dot = s.find('.');
    const bool neg = !s.empty() && s[0] == '-';
    if (dot == std::string::npos || s.size() - dot != 3)
        throw Error(
            Stage::Publish,
            trf("ledger view {}, column {}: '{}' is not a figure with 2 decimals", view, col, s),
            Error::Kind::Internal);
    const std::int64_t whole = std::stoll(s.substr(neg ? 1 : 0, dot - (neg ? 1 : 0)));
    const std::int64_t frac = std::stoll(s.substr(dot + 1));
    return (neg ? -1 : 1) * (whole * 100 + frac);
}

bool is_decimal(Unit u) {
    return u == Unit::AreaM2 || u == Unit::AreaMu || u == Unit::Yuan;
}

} // namespace

std::vector<Table> ledger_tables(const std::vector<ledger::ViewTable>& views) {
    std::vector<Table> out;
    for (const auto& v : views) {
        const auto sheet = kSheets.find(v.name);
        Table t{v.name,
                sheet != kSheets.end() ? sheet->second : v.name,
                {},
                {},
                kTotals.count(v.name) > 0};
        // A column's unit: from the list for figures, Text for text (a view from an older
        // ledger may have a column the list does not know: its SQL type decides).
        for (std::size_t c = 0; c < v.header.size(); ++c) {
            const std::string& key = v.header[c];
            const auto it = kColumns.find(key);
            Column col{key, it != kColumns.end() ? it->second.zh : key, Unit::Text,
                       it != kColumns.end() && it->second.total};
            bool integers = false, text = false;
            for (const auto& r : v.rows) {
                integers |= std::holds_alternative<std::int64_t>(r[c]);
                text |= std::holds_alternative<std::string>(r[c]);
            }
            if (it != kColumns.end() && it->second.unit != Unit::Text &&
                (is_decimal(it->second.unit) ? !integers : !text))
                col.unit = it->second.unit;
            else if (it == kColumns.end() && integers && !text)
                col.unit = Unit::Count;
            t.columns.push_back(col);
        }
        for (const auto& r : v.rows) {
            std::vector<Cell> row;
            for (std::size_t c = 0; c < r.size(); ++c) {
                const Unit u = t.columns[c].unit;
                if (const auto* i = std::get_if<std::int64_t>(&r[c]))
                    row.emplace_back(u == Unit::Text ? Cell(std::to_string(*i)) : Cell(*i));
                else if (const auto* s = std::get_if<std::string>(&r[c]))
                    row.emplace_back(is_decimal(u) ? Cell(hundredths(*s, v.name, v.header[c]))
                                                   : Cell(*s));
                else
                    row.emplace_back(std::string()); // NULL: an empty cell
            }
            t.rows.push_back(std::move(row));
        }
        out.push_back(std::move(t));
    }
    return out;
}

void write_ledger_workbook(const std::vector<ledger::ViewTable>& views,
                           const std::filesystem::path& file) {
    write_workbook(file, ledger_tables(views));
}

} // namespace landquota
