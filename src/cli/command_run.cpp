#include "cli/commands.hpp"

#include "run/run.hpp"

#include "landquota/money.hpp"

#include <fmt/format.h>
#include <iostream>

namespace landquota::cli {

void RunCommand::setup(CLI::App& app) {
    CLI::App* sub =
        app.add_subcommand("run", "Run a job: compute freed quota and write the outputs");
    sub->add_option("job", job_, "the job file (TOML)")->required();
    sub->add_option("--out,-o", out_,
                    "output folder (default: out/<job name> beside the job file)");
    sub->add_option("--ledger", ledger_,
                    "audit ledger to record transfers in (default: the job's [ledger] path)");
    sub->add_option("--operator", operator_,
                    "who runs the job, for the ledger (default: $LANDQUOTA_OPERATOR or $USER)");
    sub->add_option("--lang", lang_,
                    "language of report.html and report.md (default: the locale's; in the C "
                    "locale, Chinese when the village names are)")
        ->check(CLI::IsMember({"zh", "en"}));
    sub->add_flag("--quiet,-q", quiet_, "no progress on stderr");
    sub->callback([this] { chosen_ = true; });
}

int RunCommand::run() {
    const Job job = load_job(job_);
    RunOptions o;
    o.out = out_.empty() ? job.file.parent_path() / "out" / job.name : std::filesystem::path(out_);
    if (!quiet_)
        o.progress = stderr_progress;
    o.ledger = ledger_;
    o.operator_name = operator_;
    o.lang = lang_;
    RunReport r = run_job(job, o);
    if (!r.committed) {
        print_findings(r.findings, std::cerr);
        std::cerr << fmt::format("landquota: {} error(s): nothing was written\n",
                                 r.findings.errors());
        return 1;
    }
    const auto& q = r.quota;
    const auto& c = r.counts;
    std::cout << fmt::format("job        {}\n", job.name);
    std::cout << fmt::format("output     {}\n", r.out.string());
    std::cout << fmt::format("crs        {}\n", r.manifest.working_crs);
    std::cout << fmt::format(
        "parcels    {} ({} reclaimable, {} excluded, {} not eligible, {} outside)\n", c.parcels,
        c.reclaimable, c.excluded, c.not_eligible, c.outside);
    std::cout << fmt::format("{:<12} {:>16} {:>16} {:>16} {:>12} {:>12}\n", "unit", "reclaim m²",
                             "resettle m²", "freed m²", "freed mu", "freed ha");
    auto line = [](const UnitQuota& u) {
        std::cout << fmt::format("{:<12} {:>16} {:>16} {:>16} {:>12} {:>12}\n",
                                 u.id.empty() ? "-" : u.id, format_m2(u.reclaim),
                                 format_m2(u.resettle), format_m2(u.freed()),
                                 format_mu(u.freed_mu_hundredths), format_ha(u.freed()));
    };
    for (const auto& reg : q.regions)
        line(reg);
    line(q.county);
    if (const auto& a = r.manifest.allocation) {
        std::cout << fmt::format("allocated  {} mu ({} ha) to {} sites by '{}' ({} transfers); see "
                                 "tables/transfers.csv\n",
                                 format_mu(hundredths_m2_to_mu_hundredths(a->allocated)),
                                 format_ha(a->allocated), a->sites, a->strategy, a->transfers);
        for (const auto& note : a->notes)
            std::cout << "           " << note << "\n";
        std::cout << fmt::format("ledger     {} (run {}, head {})\n", a->ledger.path, a->ledger.run,
                                 r.ledger_head);
    }
    if (const auto& c = r.manifest.compensation) {
        if (c->by_model.empty())
            std::cout << "paid       nothing (no transfers to pay for)\n";
        for (const auto& [model, fen] : c->by_model)
            std::cout << fmt::format("paid       {} yuan by '{}'; see tables/payments.csv\n",
                                     format_yuan(fen), model);
    }
    for (const auto& a : r.manifest.analyses) {
        std::cout << fmt::format("analysis   '{}' by '{}'; see tables/{}.csv\n", a.name,
                                 a.plugin.name, a.tables.empty() ? a.name : a.tables.front());
        for (const auto& note : a.notes)
            std::cout << "           " << note << "\n";
    }
    if (r.findings.warnings() > 0)
        std::cout << fmt::format("warnings   {} (see tables/findings.csv)\n",
                                 r.findings.warnings());
    return 0;
}

} // namespace landquota::cli
