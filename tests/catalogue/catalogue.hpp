#pragma once

// The catalogue of bad input and faults (tests/catalogue/cases.toml, format in its header and in
// tests/catalogue/README.md): its rows, the fixtures they start from and the steps that spoil
// them.
#include "support.hpp"

#include <string>
#include <vector>

namespace landquota::test::catalogue {

struct Case {
    std::string id;
    std::string base;                             // "mini", "wuyi", "cadastre"
    std::vector<std::vector<std::string>> recipe; // steps, each a verb and its arguments
    std::vector<std::string> command;             // landquota's arguments, placeholders in {}
    int exit_code = 1;                            // -9: killed by SIGKILL
    std::vector<std::string> message;             // fragments of stderr + stdout
    std::vector<std::string> invariants;          // "output", "ledger", "no-temp", "atomic"
    std::string fault;                            // "", "kill-at:P", "kill-after-ms:N",
                                                  // "full-disk:KiB", "read-only:PATH"
};

// Every row of the table; throws std::runtime_error naming the row and key on a malformed row.
std::vector<Case> load_cases(const fs::path& table);

// Placeholders of a case folder: {dir}, {job}, {out}, {ledger}.
struct Places {
    fs::path dir, out, ledger;
    std::string expand(std::string text) const;
};

// The folder a base is prepared in (the good job's inputs, its output `out/` and its ledger
// `ledger.sqlite`), under `root`. Runs the good job; throws if it does not succeed.
void make_baseline(const std::string& base, const fs::path& root);

// Applies one recipe step in a case folder; throws std::runtime_error when the step cannot be
// done (a recipe that no longer applies must fail the row, not pass it silently).
void apply_step(const std::vector<std::string>& step, const Places& places);

} // namespace landquota::test::catalogue
