#include "cli/commands.hpp"

#include "ledger/ledger.hpp"
#include "run/run.hpp"

#include <fmt/format.h>
#include <iostream>

namespace landquota::cli {

namespace {
// Finding::to_string in the message language; the check code stays as it is in both.
std::string finding_text(const Finding& f) {
    std::string where = f.file;
    if (!f.layer.empty())
        where += trf(", layer '{}'", f.layer);
    if (!f.feature.empty())
        where += trf(", feature {}", f.feature);
    if (!f.field.empty())
        where += trf(", field '{}'", f.field);
    return fmt::format("{} [{}] {}{}{}", f.is_error() ? tr("error") : tr("warning"), f.check, where,
                       tr(": "), f.message);
}
} // namespace

void print_findings(const FindingLog& log, std::ostream& os) {
    for (const auto& f : log.kept())
        os << finding_text(f) << "\n";
    for (const auto& [check, n] : log.counts())
        if (n > FindingLog::kKeepPerCheck)
            os << trf("... and {} more '{}' findings\n", n - FindingLog::kKeepPerCheck, check);
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
    std::cout << trf("{} parcels checked: {} error(s), {} warning(s)\n", r.counts.parcels,
                     r.findings.errors(), r.findings.warnings());
    // A run would refuse a ledger that fails verification: check says so first (reading only).
    bool ledger_ok = true;
    const std::filesystem::path book =
        ledger_.empty() ? job.ledger.path : std::filesystem::path(ledger_);
    if (job.allocation && !book.empty() && std::filesystem::exists(book)) {
        const ledger::VerifyReport v = ledger::Ledger::open(book, false).verify();
        ledger_ok = v.ok && v.warnings.empty();
        if (!v.ok)
            std::cout << trf("error [ledger] {}: entry {} ({} {}) fails verification: {}; "
                             "a run would refuse it\n",
                             book.string(), v.bad_seq, v.bad_kind, v.bad_ref, v.what);
        for (const auto& w : v.warnings)
            std::cout << trf("error [ledger] {}: {}; a run would refuse it\n", book.string(), w);
        if (ledger_ok)
            std::cout << trf("ledger {} verified: {} entries, head {}\n", book.string(), v.entries,
                             v.head_hash);
    }
    return r.findings.errors() > 0 || !ledger_ok ? 1 : 0;
}

} // namespace landquota::cli
