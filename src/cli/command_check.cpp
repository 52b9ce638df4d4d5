#include "cli/commands.hpp"

#include "ledger/ledger.hpp"
#include "run/run.hpp"

#include <fmt/format.h>
#include <iostream>

namespace landquota::cli {

void print_findings(const FindingLog& log, std::ostream& os) {
    for (const auto& f : log.kept())
        os << f.to_string() << "\n";
    for (const auto& [check, n] : log.counts())
        if (n > FindingLog::kKeepPerCheck)
            os << fmt::format("... and {} more '{}' findings\n", n - FindingLog::kKeepPerCheck,
                              check);
}

void CheckCommand::setup(CLI::App& app) {
    CLI::App* sub = app.add_subcommand("check", "Read and validate a job's inputs; write nothing");
    sub->add_option("job", job_, "the job file (TOML)")->required();
    sub->add_option("--ledger", ledger_,
                    "the audit ledger to verify (default: the job's [ledger] path)");
    add_set_option(sub, sets_);
    sub->callback([this] { chosen_ = true; });
}

int CheckCommand::run() {
    const Job job = load_job(job_, sets_);
    RunOptions o;
    o.check_only = true;
    RunReport r = run_job(job, o);
    print_findings(r.findings, std::cout);
    std::cout << fmt::format("{} parcels checked: {} error(s), {} warning(s)\n", r.counts.parcels,
                             r.findings.errors(), r.findings.warnings());
    // A run would refuse a ledger that fails verification: check says so first (reading only).
    bool ledger_ok = true;
    const std::filesystem::path book =
        ledger_.empty() ? job.ledger.path : std::filesystem::path(ledger_);
    if (job.allocation && !book.empty() && std::filesystem::exists(book)) {
        const ledger::VerifyReport v = ledger::Ledger::open(book, false).verify();
        ledger_ok = v.ok && v.warnings.empty();
        if (!v.ok)
            std::cout << fmt::format("error [ledger] {}: entry {} ({} {}) fails verification: {}; "
                                     "a run would refuse it\n",
                                     book.string(), v.bad_seq, v.bad_kind, v.bad_ref, v.what);
        for (const auto& w : v.warnings)
            std::cout << fmt::format("error [ledger] {}: {}; a run would refuse it\n",
                                     book.string(), w);
        if (ledger_ok)
            std::cout << fmt::format("ledger {} verified: {} entries, head {}\n", book.string(),
                                     v.entries, v.head_hash);
    }
    return r.findings.errors() > 0 || !ledger_ok ? 1 : 0;
}

} // namespace landquota::cli
