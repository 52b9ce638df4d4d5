// landquota compare JOB_A JOB_B [...]: each job as a plan against one snapshot of the ledger, then
// the comparison side by side. Nothing is recorded in any ledger.
#include "cli/commands.hpp"

#include "io/output_folder.hpp"
#include "landquota/error.hpp"
#include "landquota/money.hpp"
#include "ledger/ledger.hpp"
#include "publish/compare.hpp"
#include "publish/report_model.hpp"
#include "run/run.hpp"

#include <fmt/format.h>
#include <iostream>
#include <map>
#include <set>
#include <unistd.h>

namespace landquota::cli {

namespace {

// Each plan's label: the job's name, or its file's name when names repeat, numbered if still.
std::vector<std::string> labels_of(const std::vector<Job>& jobs) {
    std::map<std::string, int> names, stems;
    for (const auto& j : jobs) {
        ++names[j.name];
        ++stems[j.file.stem().string()];
    }
    std::vector<std::string> out;
    std::set<std::string> used;
    for (const auto& j : jobs) {
        std::string l = names[j.name] == 1 ? j.name : j.file.stem().string();
        for (int k = 2; used.count(l); ++k)
            l = fmt::format("{}-{}", names[j.name] == 1 ? j.name : j.file.stem().string(), k);
        used.insert(l);
        out.push_back(l);
    }
    return out;
}

// The ledger copies every plan reads from, removed at the end.
struct Snapshots {
    std::map<std::filesystem::path, std::filesystem::path> of;
    const std::filesystem::path& get(const std::filesystem::path& real) {
        auto& copy = of[real];
        if (copy.empty()) {
            copy = std::filesystem::temp_directory_path() /
                   fmt::format("landquota-compare-{}-{}-{}", ::getpid(), of.size(),
                               real.filename().string());
            ledger::snapshot_ledger(real, copy);
        }
        return copy;
    }
    ~Snapshots() {
        std::error_code ec;
        for (const auto& [real, copy] : of)
            std::filesystem::remove(copy, ec);
    }
};

} // namespace

void CompareCommand::setup(CLI::App& app) {
    CLI::App* sub = app.add_subcommand(
        "compare", "Plan several jobs against the same ledger state and compare them side by "
                   "side (nothing is recorded in the ledger)");
    sub->add_option("jobs", jobs_, "two or more job files (TOML)")->required()->expected(2, -1);
    sub->add_option("--out,-o", out_, "output folder (default: out/compare beside the first job)");
    sub->add_option("--ledger", ledger_,
                    "the ledger whose state the plans start from (default: each job's [ledger])");
    sub->add_option("--operator", operator_, "who runs the comparison (recorded in the manifests)");
    add_set_option(sub, sets_); // applied to every job
    sub->add_flag("--quiet,-q", quiet_, "no progress on stderr");
    sub->callback([this] { chosen_ = true; });
}

int CompareCommand::run() {
    std::vector<Job> jobs;
    for (const auto& f : jobs_)
        jobs.push_back(load_job(f, sets_));
    const std::vector<std::string> labels = labels_of(jobs);
    const std::filesystem::path out = out_.empty()
                                          ? jobs.front().file.parent_path() / "out" / "compare"
                                          : std::filesystem::path(out_);
    OutputFolder folder(out);
    Snapshots snapshots;
    std::vector<RunReport> reports;
    reports.reserve(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        RunOptions o;
        o.plan = true;
        o.out = folder.path() / labels[i];
        o.ledger = ledger_;
        o.ledger_state_from =
            snapshots.get(ledger_.empty() ? jobs[i].ledger.path : std::filesystem::path(ledger_));
        o.operator_name = operator_;
        o.lang = asked_language();
        if (!quiet_)
            o.progress = stderr_progress;
        reports.push_back(run_job(jobs[i], o));
        if (!reports.back().committed) {
            print_findings(reports.back().findings, std::cerr);
            std::cerr << trf("landquota: {}: {} error(s): nothing was written\n", jobs_[i],
                             reports.back().findings.errors());
            return 1;
        }
    }
    std::vector<Scenario> plans;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const RunReport& r = reports[i];
        plans.push_back(
            {labels[i], labels[i], r.manifest, r.quota, r.allocation ? &*r.allocation : nullptr});
        for (const auto& v : r.quota.villages)
            names.push_back(v.name);
    }
    const Comparison c = compare_scenarios(plans);
    write_comparison(c, folder.path(), choose_language(asked_language(), messages_locale(), names));
    folder.commit();

    std::cout << kPlanBanner << "\n";
    std::cout << fmt::format("{:<16} {:<14} {:>12} {:>10} {:>18} {:>12} {:>12}\n", "plan",
                             "strategy", "allocated mu", "sites", "paid yuan", "objective",
                             "shadow");
    for (const auto& p : plans) {
        const auto& a = p.manifest.allocation;
        const auto num = [](double v) {
            return std::isnan(v) ? std::string("-") : fmt::format("{:.2f}", v);
        };
        std::cout << fmt::format(
            "{:<16} {:<14} {:>12} {:>10} {:>18} {:>12} {:>12}\n", p.label, a ? a->strategy : "-",
            a ? format_mu(hundredths_m2_to_mu_hundredths(a->allocated)) : "-",
            a ? fmt::format("{}/{}", a->sites_supplied, a->sites) : "-",
            p.manifest.compensation ? format_yuan(p.manifest.compensation->total) : "-",
            a ? num(a->figure("objective")) : "-", a ? num(a->figure("shadow_price_per_mu")) : "-");
    }
    std::size_t differing = 0;
    for (const auto& t : c.tables)
        if (t.name != "compare_figures")
            for (const auto& row : t.rows)
                differing += std::get<std::string>(row.back()) == kDiffers;
    std::cout << trf("differs    {} row(s) of sites, townships and payees; see {}\n", differing,
                     (folder.destination() / "compare.md").string());
    if (!c.ledger.empty())
        std::cout << trf("ledger     {} unchanged (head {})\n", c.ledger, c.ledger_head);
    return 0;
}

} // namespace landquota::cli
