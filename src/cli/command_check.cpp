#include "cli/commands.hpp"

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
    sub->callback([this] { chosen_ = true; });
}

int CheckCommand::run() {
    const Job job = load_job(job_);
    RunOptions o;
    o.check_only = true;
    RunReport r = run_job(job, o);
    print_findings(r.findings, std::cout);
    std::cout << fmt::format("{} parcels checked: {} error(s), {} warning(s)\n", r.counts.parcels,
                             r.findings.errors(), r.findings.warnings());
    return r.findings.errors() > 0 ? 1 : 0;
}

} // namespace landquota::cli
