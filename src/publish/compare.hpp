#pragma once

// A comparison of plans of the same county under different policies (landquota compare): per
// site and per receiving township the mu received, per payee the yuan, and per plan the totals,
// objective and shadow price, side by side, with the rows that differ flagged. Built from the
// plans' own results, so its figures are theirs: hundredths of mu and fen, each column adding up
// to its plan's total.
#include "pipeline/allocation_run.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/quota.hpp"
#include "publish/report_language.hpp"
#include "publish/tables.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace landquota {

// One plan, as the comparison reads it.
struct Scenario {
    std::string label;  // a short name, unique in the comparison: the job's name, else its file
    std::string folder; // where its own outputs are, relative to the comparison's folder
    const Manifest& manifest;
    const QuotaTables& quota;
    const AllocationRun* allocation; // null when the job does not allocate
};

// The flag in a table's `differs` column.
inline constexpr const char* kDiffers = "≠";

struct Comparison {
    std::vector<std::string> labels, folders;
    // compare_sites, compare_townships, compare_payees: keys, a column per plan, and for each
    // plan after the first its change from the first; `differs` = kDiffers where the plans
    // disagree. compare_figures: one row per headline figure, a text column per plan.
    std::vector<Table> tables;
    std::string ledger, ledger_head; // the ledger state every plan was computed against
};

Comparison compare_scenarios(const std::vector<Scenario>& plans);

// compare_*.csv, compare.md, compare.html and manifest.json into `folder`.
void write_comparison(const Comparison& c, const std::filesystem::path& folder, Lang lang);

} // namespace landquota
