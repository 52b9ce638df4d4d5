#include "cli/commands.hpp"

#include "core/operator_name.hpp"
#include "publish/report_model.hpp"
#include "run/run.hpp"

#include "landquota/money.hpp"

#include <fmt/format.h>
#include <iostream>

namespace landquota::cli {

void add_set_option(CLI::App* sub, std::vector<std::string>& sets) {
    sub->add_option("--set", sets,
                    "override a job-file key, e.g. --set allocation.strategy=optimal "
                    "(repeatable; recorded in the manifest and the ledger)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
}

void RunCommand::setup(CLI::App& app) {
    CLI::App* sub =
        plan_ ? app.add_subcommand("plan", "Plan a job: compute everything against the ledger as "
                                           "it stands and write the outputs, marked as a plan, "
                                           "without recording anything in the ledger")
              : app.add_subcommand("run", "Run a job: compute freed quota and write the outputs");
    sub->add_option("job", job_, "the job file (TOML)")->required();
    sub->add_option("--out,-o", out_,
                    plan_ ? "output folder (default: out/<job name>-plan beside the job file)"
                          : "output folder (default: out/<job name> beside the job file)");
    if (!plan_)
        sub->add_flag("--dry-run", plan_,
                      "the same as `landquota plan`: write a plan, record "
                      "nothing in the ledger");
    sub->add_option("--ledger", ledger_,
                    "audit ledger to record transfers in (default: the job's [ledger] path)");
    sub->add_option("--operator", operator_,
                    "who runs the job, for the ledger (default: $LANDQUOTA_OPERATOR or $USER)");
    add_set_option(sub, sets_);
    sub->add_flag("--quiet,-q", quiet_, "no progress on stderr");
    sub->callback([this] { chosen_ = true; });
}

// The allocation as people talk about it: how much went to how many sites, the objective and the
// shadow price, the sites that got nothing, or why nothing moved; then the ledger.
void RunCommand::print_allocation(const AllocationSummary& a, const std::string& head) const {
    if (a.earlier > 0)
        std::cout << trf("earlier    {} mu given to these sites by earlier runs in {}\n",
                         format_mu(hundredths_m2_to_mu_hundredths(a.earlier)), a.ledger.path);
    if (a.allocated == 0)
        std::cout << trf("allocated  nothing by '{}': {}\n", a.strategy, a.nothing_allocated);
    else
        std::cout << trf("allocated  {} mu ({} ha) to {} of {} sites by '{}' ({} "
                         "transfers); see tables/transfers.csv\n",
                         format_mu(hundredths_m2_to_mu_hundredths(a.allocated)),
                         format_ha(a.allocated), a.sites_supplied, a.sites, a.strategy,
                         a.transfers);
    if (const std::string o = objective_text(a, message_language()); !o.empty())
        std::cout << tr("objective  ") << o << "\n";
    if (const std::string sp = shadow_price_text(a, message_language()); !sp.empty())
        std::cout << tr("shadow     ") << sp << "\n";
    if (a.allocated > 0)
        for (const auto& u : a.unsupplied)
            std::cout << tr("nothing to ") << unsupplied_text(u, message_language()) << "\n";
    for (const auto& note : a.notes)
        std::cout << "           " << note << "\n";
    if (plan_)
        std::cout << trf(
            "ledger     {} unchanged at head {} (a commit would record run {}, head {})\n",
            a.ledger.path, a.ledger.start_hash, a.ledger.run, head);
    else
        std::cout << trf("ledger     {} (run {}, head {})\n", a.ledger.path, a.ledger.run, head);
}

int RunCommand::run() {
    const Job job = load_job(job_, sets_);
    RunOptions o;
    // A plan has its own default folder: it never replaces the committed run's outputs.
    o.out = !out_.empty()
                ? std::filesystem::path(out_)
                : job.file.parent_path() / "out" / (plan_ ? job.name + "-plan" : job.name);
    o.plan = plan_;
    if (!quiet_)
        o.progress = stderr_progress;
    o.ledger = ledger_;
    o.operator_name = operator_;
    if (operator_from(operator_).empty())
        std::cerr << tr(kUnknownOperatorWarning);
    o.lang = asked_language();
    RunReport r = run_job(job, o);
    if (!r.committed) {
        print_findings(r.findings, std::cerr);
        std::cerr << trf("landquota: {} error(s): nothing was written\n", r.findings.errors());
        return 1;
    }
    const auto& q = r.quota;
    const auto& c = r.counts;
    if (plan_)
        std::cout << kPlanBanner << "\n";
    std::cout << trf("job        {}\n", job.name);
    std::cout << trf("output     {}\n", r.out.string());
    std::cout << trf("crs        {}\n", r.manifest.working_crs);
    std::cout << trf("parcels    {} ({} reclaimable, {} excluded, {} not eligible, {} outside)\n",
                     c.parcels, c.reclaimable, c.excluded, c.not_eligible, c.outside);
    std::cout << fmt::format("{:<12} {:>16} {:>16} {:>16} {:>12} {:>12}\n", tr("unit"),
                             tr("reclaim m²"), tr("resettle m²"), tr("freed m²"), tr("freed mu"),
                             tr("freed ha"));
    auto line = [](const UnitQuota& u, const std::string& name) {
        std::cout << fmt::format("{:<12} {:>16} {:>16} {:>16} {:>12} {:>12}\n",
                                 name.empty() ? "-" : name, format_m2(u.reclaim),
                                 format_m2(u.resettle), format_m2(u.freed()),
                                 format_mu(u.freed_mu_hundredths), format_ha(u.freed()));
    };
    for (const auto& reg : q.regions)
        line(reg, reg.id);
    // The id "county" is the code in the tables; a city job names its whole in [levels].
    line(q.county, job.levels.job.empty() ? tr("county") : job.levels.job);
    if (const auto& a = r.manifest.allocation)
        print_allocation(*a, r.ledger_head);
    if (const auto& c = r.manifest.compensation) {
        if (c->by_model.empty())
            std::cout << tr("paid       nothing (no transfers to pay for)\n");
        for (const auto& [model, fen] : c->by_model)
            std::cout << trf("paid       {} yuan by '{}'; see tables/payments.csv\n",
                             format_yuan(fen), model);
    }
    for (const auto& a : r.manifest.analyses) {
        std::cout << trf("analysis   '{}' by '{}'; see tables/{}.csv\n", a.name, a.plugin.name,
                         a.tables.empty() ? a.name : a.tables.front());
        for (const auto& note : a.notes)
            std::cout << "           " << note << "\n";
    }
    if (r.findings.warnings() > 0)
        std::cout << trf("warnings   {} (see tables/findings.csv)\n", r.findings.warnings());
    return 0;
}

} // namespace landquota::cli
