#pragma once

// ledger.xlsx of `audit export --xlsx`: the ledger's views in the table model of the run's
// tables.xlsx, so an auditor's workbook has the same number formats, headers and totals.
#include "ledger/ledger.hpp"
#include "publish/tables.hpp"

#include <filesystem>
#include <vector>

namespace landquota {

// The views as tables: exact decimal text ("1234.56" m², mu, yuan) becomes numbers, ids and codes
// stay text, integers are numbers; Chinese and English names; totals where rows add up.
std::vector<Table> ledger_tables(const std::vector<ledger::ViewTable>& views);

void write_ledger_workbook(const std::vector<ledger::ViewTable>& views,
                           const std::filesystem::path& file);

} // namespace landquota
