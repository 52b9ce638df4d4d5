// landquota audit verify | trace | history | reverse | export: the auditor's side of the ledger.
#include "cli/commands.hpp"

#include "core/operator_name.hpp"
#include "landquota/error.hpp"
#include "ledger/ledger.hpp"
#include "publish/ledger_workbook.hpp"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>

namespace landquota::cli {

namespace {
std::string area_text(AreaCm2x100 a) {
    return trf("{} m² ({} mu)", format_m2(a), format_mu(hundredths_m2_to_mu_hundredths(a)));
}
} // namespace

void AuditCommand::setup(CLI::App& app) {
    CLI::App* audit = app.add_subcommand("audit", "Check, trace and export the audit ledger");
    audit->require_subcommand(1);

    CLI::App* v = audit->add_subcommand(
        "verify", "Check the hash chain and the books; exit 1 naming the first bad entry");
    v->add_option("ledger", ledger_, "the ledger file (SQLite)")->required();
    v->add_option("--head", head_,
                  "a head hash quoted from a run's manifest or report: it must be in the chain");
    v->callback([this] { action_ = "verify"; });

    CLI::App* t = audit->add_subcommand(
        "trace", "The path from a site or a village to lots, parcels and payments");
    t->add_option("ledger", ledger_, "the ledger file (SQLite)")->required();
    auto* site = t->add_option("--site", site_, "a site id");
    auto* village = t->add_option("--village", village_, "a village id");
    site->excludes(village);
    t->add_option("--geojson", geojson_,
                  "also write the lots as a GeoJSON FeatureCollection to this file");
    t->callback([this, site, village] {
        if (site->count() + village->count() != 1)
            throw CLI::ValidationError("trace", "give --site ID or --village ID");
        action_ = "trace";
    });

    CLI::App* h = audit->add_subcommand("history", "Runs and reversals recorded in the ledger");
    h->add_option("ledger", ledger_, "the ledger file (SQLite)")->required();
    h->callback([this] { action_ = "history"; });

    CLI::App* r =
        audit->add_subcommand("reverse", "Append an entry reversing a transfer and its payments");
    r->add_option("ledger", ledger_, "the ledger file (SQLite)")->required();
    r->add_option("--transfer", transfer_, "the transfer id")->required();
    r->add_option("--reason", reason_, "why (kept in the ledger)")->required();
    r->add_option("--operator", operator_,
                  "who approved it (default: $LANDQUOTA_OPERATOR or $USER)");
    r->callback([this] { action_ = "reverse"; });

    CLI::App* e = audit->add_subcommand(
        "export", "Write the ledger's views as CSV (and XLSX) for spreadsheets");
    e->add_option("ledger", ledger_, "the ledger file (SQLite)")->required();
    e->add_option("--out", out_, "the folder to write into")->required();
    e->add_flag("--xlsx", xlsx_, "also write ledger.xlsx, one sheet per view");
    e->callback([this] { action_ = "export"; });
}

int AuditCommand::run() {
    if (action_ == "verify")
        return verify();
    if (action_ == "trace")
        return trace();
    if (action_ == "history")
        return history();
    if (action_ == "reverse")
        return reverse();
    return export_tables();
}

int AuditCommand::verify() {
    const auto l = ledger::Ledger::open(ledger_, false);
    const ledger::VerifyReport r = l.verify();
    for (const auto& w : r.warnings)
        std::cout << tr("warning: ") << w << "\n";
    if (!r.ok) {
        std::cout << trf("ledger {}: FAILED at entry seq {} (kind {}, ref {}): {}\n", ledger_,
                         r.bad_seq, r.bad_kind, r.bad_ref, r.what);
        return 1;
    }
    std::cout << trf(
        "ledger {}: chain intact and books balance: {} entries ({} runs, {} lot records, "
        "{} transfers, {} payments, {} reversals)\n",
        ledger_, r.entries, r.runs, r.lots, r.transfers, r.payments, r.reversals);
    std::cout << tr("head hash: ") << r.head_hash << "\n";
    if (!head_.empty()) {
        if (head_ == r.head_hash) {
            std::cout << tr("the given head hash is the ledger's head\n");
        } else if (const auto seq = l.find_hash(head_)) {
            // The chain verified intact, so everything up to that entry is what was quoted.
            std::cout << trf("the given head hash is entry seq {}; {} later entries follow it\n",
                             *seq, r.entries - *seq);
        } else {
            std::cout << trf("FAILED: the given head hash {} is not in this ledger: the chain was "
                             "rewritten or cut\n",
                             head_);
            return 1;
        }
    }
    return 0;
}

int AuditCommand::trace() {
    const auto l = ledger::Ledger::open(ledger_, false);
    const ledger::Trace t = site_.empty() ? l.trace_village(village_) : l.trace_site(site_);
    AreaCm2x100 moved = 0;
    Fen paid = 0;
    for (const auto& row : t.rows) {
        const auto& transfer = row.transfer;
        std::cout << trf("transfer {}{}  run {}  lot {} -> site {} {}  {}\n", transfer.transfer_id,
                         row.reversed ? " [REVERSED]" : "", row.run, transfer.lot_id,
                         transfer.site_id, row.site_name, area_text(transfer.area));
        const auto& lot = row.lot;
        std::cout << trf(
            "  lot {}  village {} {}  township {}  lot area {}  state {}  reclaimed to {}\n",
            lot.lot_id, lot.village_id, lot.village_name, lot.township_id, area_text(lot.area),
            lot.state, lot.reclaim_to);
        for (const auto& p : lot.parcels)
            std::cout << trf("    parcel {}  holder {}  land use {}  reclaimed {}\n", p.parcel_id,
                             p.holder.empty() ? "-" : p.holder, p.landuse, area_text(p.reclaim));
        for (const auto& p : row.payments) {
            std::cout << trf("  payment {}{}  {} {}  year {}  {} yuan  ({}: {})\n",
                             p.payment.payment_id, p.reversed ? " [REVERSED]" : "",
                             p.payment.payee_kind, p.payment.payee_id, p.payment.year,
                             format_yuan(p.payment.amount), p.payment.model, p.payment.basis);
            if (!p.reversed)
                paid += p.payment.amount;
        }
        if (!row.reversed)
            moved += transfer.area;
    }
    std::cout << trf("{} {}: {} transfer(s), {} in force, {} yuan paid (reversed ones excluded)\n",
                     t.by, t.id, t.rows.size(), area_text(moved), format_yuan(paid));
    if (!geojson_.empty())
        ledger::write_trace_geojson(t, geojson_);
    return 0;
}

int AuditCommand::history() {
    const auto l = ledger::Ledger::open(ledger_, false);
    const ledger::History h = l.history();
    for (const auto& r : h.runs) {
        std::string counts;
        for (const auto& [k, n] : r.counts)
            counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, k);
        std::cout << trf("run {}  {}  operator {}  entries {}-{} ({})\n", r.run, r.recorded_at,
                         r.operator_name, r.first_seq, r.last_seq, counts);
        if (!r.job_sha256.empty())
            std::cout << tr("  job sha256  ") << r.job_sha256 << "\n";
        std::cout << tr("  head hash   ") << r.head_hash << "\n";
    }
    if (!h.reversals.empty())
        std::cout << tr("reversals:\n");
    for (const auto& r : h.reversals) {
        std::string ids;
        for (const auto& p : r.payment_ids)
            ids += (ids.empty() ? "" : " ") + p;
        std::cout << trf("  seq {}  {}  transfer {}  by {}  reason: {}  payments reversed: {}\n",
                         r.seq, r.recorded_at, r.transfer_id, r.operator_name, r.reason,
                         ids.empty() ? "none" : ids);
    }
    std::cout << trf("{} write(s); head hash {}\n", h.runs.size(), h.head_hash);
    return 0;
}

int AuditCommand::reverse() {
    auto l = ledger::Ledger::open(ledger_, false);
    std::string op = operator_from(operator_);
    if (op.empty()) {
        std::cerr << tr(kUnknownOperatorWarning);
        op = "unknown";
    }
    const std::string head = l.reverse(transfer_, reason_, op);
    std::cout << trf("reversed transfer {} (by {}); its quota is free again\nhead hash: {}\n",
                     transfer_, op, head);
    return 0;
}

int AuditCommand::export_tables() {
    const auto l = ledger::Ledger::open(ledger_, false);
    const auto views = l.read_views(); // one snapshot for the CSV files and the workbook
    for (const auto& f : ledger::write_csv(views, out_))
        std::cout << f.string() << "\n";
    if (xlsx_) {
        const std::filesystem::path book = std::filesystem::path(out_) / "ledger.xlsx";
        write_ledger_workbook(views, book);
        std::cout << book.string() << "\n";
    }
    return 0;
}

} // namespace landquota::cli
