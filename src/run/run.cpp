#include "run/run.hpp"

#include "core/cancel.hpp"
#include "core/operator_name.hpp"
#include "core/progress.hpp"
#include "core/translate.hpp"
#include "geo/area_calculator.hpp"
#include "io/output_folder.hpp"
#include "ledger/ledger.hpp"
#include "pipeline/allocate.hpp"
#include "pipeline/analyse.hpp"
#include "pipeline/assign.hpp"
#include "pipeline/commit.hpp"
#include "pipeline/compensate.hpp"
#include "pipeline/flow_check.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/ledger_state.hpp"
#include "pipeline/lots.hpp"
#include "pipeline/overlaps.hpp"
#include "pipeline/pools.hpp"
#include "pipeline/record.hpp"
#include "pipeline/resolve_plugins.hpp"
#include "publish/report_language.hpp"
#include "publish/writer.hpp"

#include <chrono>
#include <fmt/format.h>
#include <mutex>
#include <unistd.h>

namespace landquota {

namespace {

// Seconds spent in each stage, for the manifest.
class Stopwatch {
  public:
    void lap(const char* stage) {
        const auto now = std::chrono::steady_clock::now();
        laps_.emplace_back(stage, std::chrono::duration<double>(now - last_).count());
        last_ = now;
    }
    const std::vector<std::pair<std::string, double>>& laps() const { return laps_; }

  private:
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
    std::vector<std::pair<std::string, double>> laps_;
};

// A plan's copy of the ledger in the system's temporary folder, removed with the run: the plan
// records and verifies its entries there exactly as a run would, and the real file is only read.
struct PlanCopy {
    std::filesystem::path path;
    PlanCopy(const std::filesystem::path& real, const RunOptions& o) {
        if (!o.plan)
            return;
        path = std::filesystem::temp_directory_path() /
               fmt::format("landquota-plan-{}-{}.sqlite", ::getpid(), real.filename().string());
        ledger::snapshot_ledger(o.ledger_state_from.empty() ? real : o.ledger_state_from, path);
    }
    ~PlanCopy() {
        if (path.empty())
            return;
        std::error_code ec;
        for (const char* suffix : {"", "-journal", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix, ec);
    }
};

// Begins the session; a plan's errors (a damaged ledger, say) name the real file, not its copy.
ledger::Ledger::Session begin_session(ledger::Ledger& book, const std::filesystem::path& real,
                                      const std::string& operator_name, const Job& job) {
    try {
        return book.begin(operator_name, std::chrono::seconds(job.ledger.wait_seconds));
    } catch (const Error& e) {
        std::string what = e.what();
        const std::string copy = book.path().string();
        if (copy == real.string() || what.find(copy) == std::string::npos)
            throw;
        for (auto at = what.find(copy); at != std::string::npos; at = what.find(copy))
            what.replace(at, copy.size(), real.string());
        throw Error(e.stage(), what.substr(what.find(": ") + 2), e.kind());
    }
}

// The run's ledger, held open and write-locked from reading what earlier runs spent to the
// commit, so two runs can never both spend the same quota (the second waits, or is refused). A
// plan holds its copy instead, and never commits it.
struct LedgerSession {
    std::filesystem::path real;
    PlanCopy copy;
    ledger::Ledger book;
    ledger::Ledger::Session session;
    LedgerState state;

    LedgerSession(const Job& job, const RunOptions& o, const std::string& operator_name)
        : real(o.ledger.empty() ? job.ledger.path : o.ledger), copy(real, o),
          book(ledger::Ledger::open(o.plan ? copy.path : real, true)),
          session(begin_session(book, real, operator_name, job)),
          state(read_ledger_state(session, real)) {}
};

// The lots, what the ledger leaves of them, the allocation and the compensation.
AllocationRun allocate_quota(const Job& job, const Inputs& in, const QuotaTables& quota,
                             LotParcels lot_parcels, const CorridorTally& corridors,
                             const ResolvedPlugins& plugins, const LedgerState& state) {
    AllocationRun a;
    a.strategy = plugins.allocation->record.name;
    a.sites = locate_sites(in.reference, quota);
    a.lots = make_lots(quota, in.reference, std::move(lot_parcels));
    mark_priority_lots(a.lots, in.reference, quota, corridors);
    check_spent_within(a.lots, state);
    a.supply = unspent_lots(a.lots, state);
    a.demand = remaining_demand(a.sites, state);
    refuse_shortfall_before(job.ledger, state, a.supply, a.demand);
    AllocationResult r = allocate_in_pools(*plugins.allocation, job.pools, a.supply, a.demand);
    refuse_shortfall_after(job.ledger, a.demand, r.transfers);
    a.transfers = with_run_prefix(std::move(r.transfers), &Transfer::transfer_id, state.prefix);
    a.figures = std::move(r.figures);
    a.notes = tr_all(r.notes);
    a.plugins.push_back(plugins.allocation->record);
    a.ledger.path = state.path.string();
    a.ledger.run = state.run;
    a.ledger.start_hash = state.head;
    a.earlier_spent = state.spent;
    a.earlier_received = state.received;
    a.earlier_runs = state.earlier_runs;
    if (plugins.compensation.empty())
        return a;
    a.compensated = true;
    const CompensationInput priced{a.lots, a.demand, a.transfers,
                                   township_figures(quota, in.reference, a.lots, a.transfers)};
    a.payments = with_run_prefix(compensate(plugins.compensation, priced), &Payment::payment_id,
                                 state.prefix);
    for (const auto& m : plugins.compensation)
        a.plugins.push_back(m.record);
    return a;
}

// The run's outputs: a temporary folder and the writers filling it; nothing is visible at the
// destination before the commit, and the folder is removed if the run ends otherwise.
struct Outputs {
    std::unique_ptr<OutputFolder> folder;
    std::vector<std::unique_ptr<Writer>> writers;

    Outputs(const RunOptions& o, const Inputs& in) {
        if (o.check_only)
            return;
        folder = std::make_unique<OutputFolder>(o.out);
        std::vector<std::string> names;
        for (const auto& v : in.reference.villages)
            names.push_back(v.name);
        naming_destination([&] {
            writers = make_writers(WriterContext{folder->path(), *in.working_crs,
                                                 choose_language(o.lang, messages_locale(), names),
                                                 o.plan});
        });
    }
    void parcel(const PassedParcel& p) {
        naming_destination([&] {
            for (auto& w : writers)
                w->parcel(p);
        });
    }
    void finish(const RunResults& results) {
        naming_destination([&] {
            for (auto& w : writers)
                w->finish(results);
        });
    }

    // A write error names the file as the user will look for it, under --out, rather than in the
    // hidden temporary folder that is gone by the time the message is read.
    template <typename Write> void naming_destination(Write&& write) {
        try {
            write();
        } catch (const Error& e) {
            if (e.stage() != Stage::Publish)
                throw;
            std::string message = e.what();
            message.erase(0, std::string(stage_name(Stage::Publish)).size() + 2);
            const std::string tmp = folder->path().string(), dest = folder->destination().string();
            for (std::size_t at; (at = message.find(tmp)) != std::string::npos;)
                message.replace(at, tmp.size(), dest);
            throw Error(Stage::Publish, message, e.kind());
        }
    }
};

} // namespace

void init_gdal() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

RunReport run_job(const Job& job, const RunOptions& o) {
    init_gdal();
    RunReport report;
    Stopwatch clock;
    const std::string who = operator_from(o.operator_name);
    const RunStamp stamp = RunStamp::now(who.empty() ? "unknown" : who);
    // Each step is announced so progress shows what a long run is doing, not only the parcels.
    auto announce = [&](const char* step) {
        if (o.progress)
            o.progress(0.0, step, o.progress_arg);
    };
    announce(tr("reading inputs"));
    const Inputs in = ingest(job, report.findings);
    const ResolvedPlugins plugins = resolve_plugins(job, PluginManager::instance());
    for (const auto& note : plugins.notes)
        report.findings.add(Finding{Finding::Severity::Warning, "unused_option", job.file.string(),
                                    "", "", "", note});
    check_flows(job, plugins, in.reference, report.findings);
    // Before the parcel pass, so that `check` finds a cluster crossing regions too.
    report.analyses.clusters =
        declared_clusters(job.townships ? &*job.townships : nullptr, in.reference.townships);
    clock.lap("ingest_s");

    Outputs outputs(o, in);
    const AreaCalculator area(*in.working_crs, job.densify_m);
    // `check` measures and reclaims too (a parcel PROJ cannot measure, an overlay that fails,
    // overlapping pieces are findings of a run), and only writes nothing.
    ParcelPass pass(job, in.reference, area,
                    village_rows(in.reference, job.villages, report.findings), true);
    Progress progress(o.progress, o.progress_arg, in.parcels->feature_count());
    ParcelPassResult parcels = run_parcel_pass(pass, *in.parcels, report.findings, progress,
                                               [&](const PassedParcel& p) { outputs.parcel(p); });
    report.counts = parcels.counts;
    clock.lap("parcels_s");
    throw_if_cancelled();
    if (report.findings.errors() == 0) {
        announce(tr("overlap check"));
        parcels.reclaimed.check_overlaps(job.parcels.path, in.parcels->layer_name(), job.parcels.id,
                                         report.findings);
        clock.lap("overlaps_s");
    }
    if (o.check_only || report.findings.errors() > 0)
        return report; // the temporary folder is removed with `outputs`

    announce(tr("quota"));
    report.quota = compute_quota(add_resettlement(std::move(parcels.villages), in.reference, area,
                                                  job.villages, report.findings),
                                 in.reference);
    if (!job.corridors.empty())
        report.corridors = corridor_report(in.reference, report.quota, parcels.corridors, area,
                                           *in.working_crs, job.densify_m);
    clock.lap("quota_s");
    std::optional<LedgerSession> ledger;
    if (plugins.allocation) {
        announce(tr("allocation and ledger"));
        ledger.emplace(job, o, stamp.operator_name);
        report.allocation = allocate_quota(job, in, report.quota, std::move(parcels.lot_parcels),
                                           parcels.corridors, plugins, ledger->state);
        report.allocation->ledger.head_hash = record_in_ledger(
            ledger->session, job, in, *report.allocation, ledger->state, parcels.lot_pieces);
        // The ledger verified before this run appended (Ledger::begin); if the run's own entries
        // break it, that is a bug, and nothing is committed. The report states the result.
        const ledger::VerifyReport v = ledger->session.verify();
        if (!v.ok)
            throw Error(Stage::Ledger,
                        tr("this run's entries fail verification at entry ") +
                            std::to_string(v.bad_seq) + " (" + v.bad_kind + " " + v.bad_ref +
                            "): " + v.what,
                        Error::Kind::Internal);
        report.allocation->ledger.verified = true;
        report.allocation->ledger.entries = v.entries;
        clock.lap("allocation_s");
        throw_if_cancelled();
    }

    if (!plugins.analyses.empty()) {
        report.analyses.units = analysis_units(in.reference, report.quota, *in.working_crs, area);
        report.analyses.runs = run_analyses(plugins.analyses, report.analyses.units);
        clock.lap("analyses_s");
        throw_if_cancelled();
    }

    const AllocationRun* allocation = report.allocation ? &*report.allocation : nullptr;
    report.manifest = make_manifest(job, in, report.counts, parcels.area_check, report.quota,
                                    report.findings, allocation, stamp, o.plan);
    for (const auto& a : report.analyses.runs) {
        AnalysisSummary s{a.name, a.record, a.result.figures, tr_all(a.result.notes), {}, {}};
        for (const auto& t : a.result.tables)
            s.tables.push_back(t.name);
        for (const auto& l : a.result.layers)
            s.layers.push_back(l.name);
        report.manifest.analyses.push_back(std::move(s));
    }
    report.manifest.timings = clock.laps(); // publishing is timed after: see below
    announce(tr("writing outputs"));
    outputs.finish({job, in, report.quota, allocation, report.findings, report.manifest,
                    &report.analyses, &report.corridors});
    if (report.findings.errors() > 0)
        return report; // the folder is removed and the ledger session rolls back

    throw_if_cancelled(); // the last moment a signal can stop the run: after it, all is written
    announce(tr("committing"));
    // A plan commits its folder only: the copy of the ledger goes with the run.
    const Committed done = commit(ledger && !o.plan ? &ledger->session : nullptr, *outputs.folder);
    report.committed = true;
    report.out = done.out;
    report.ledger_head = o.plan && allocation ? allocation->ledger.head_hash : done.ledger_head;
    clock.lap("publish_s");
    report.manifest.timings = clock.laps();
    if (o.progress)
        o.progress(1.0, "done", o.progress_arg);
    return report;
}

} // namespace landquota
