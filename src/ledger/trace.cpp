// Tracing a site or a village back to lots, parcels and payments; the ledger's history.
#include "ledger/content.hpp"
#include "ledger/ledger.hpp"
#include "ledger/sqlite.hpp"

#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace landquota::ledger {

using detail::Stmt;
using nlohmann::json;

namespace {

std::set<std::string> reversed_payments(sqlite3* db) {
    std::set<std::string> out;
    Stmt s(db, "SELECT x.value FROM entries r, json_each(r.content, '$.payment_ids') x WHERE "
               "r.kind = 'reversal'");
    while (s.step())
        out.insert(s.text(0));
    return out;
}

// Rows for the given transfers (seq, run, content), each with its lot and payments.
std::vector<TraceRow> rows_for(sqlite3* db, Stmt& transfers) {
    const std::set<std::string> rev_pay = reversed_payments(db);
    std::vector<TraceRow> rows;
    while (transfers.step()) {
        TraceRow r;
        r.transfer_seq = transfers.int64(0);
        r.run = transfers.int64(1);
        const json c = json::parse(transfers.text(2));
        r.transfer = detail::transfer_from(c);
        r.site_name = c.value("site_name", "");
        r.site_geometry = c.value("site_geometry", "");
        {
            Stmt q(db, "SELECT 1 FROM entries WHERE kind = 'reversal' AND ref = ?");
            q.bind(1, r.transfer.transfer_id);
            r.reversed = q.step();
        }
        {
            Stmt q(db, "SELECT content FROM entries WHERE kind = 'lot' AND ref = ? AND seq < ? "
                       "ORDER BY seq DESC LIMIT 1");
            q.bind(1, r.transfer.lot_id).bind(2, r.transfer_seq);
            if (q.step()) {
                const json l = json::parse(q.text(0));
                r.lot = detail::lot_from(l);
                r.pieces = l.value("pieces", "");
                r.outline_only = r.pieces.empty() && l.contains("geometry");
            } else {
                r.lot.lot_id = r.transfer.lot_id;
            }
        }
        {
            Stmt q(db, "SELECT seq, content FROM entries WHERE kind = 'payment' AND "
                       "json_extract(content, '$.transfer_id') = ? "
                       "ORDER BY seq");
            q.bind(1, r.transfer.transfer_id);
            while (q.step()) {
                TracePayment p{q.int64(0), detail::payment_from(json::parse(q.text(1))), false};
                p.reversed = rev_pay.count(p.payment.payment_id) > 0;
                r.payments.push_back(std::move(p));
            }
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

// Every distinct value of a query's first column.
std::vector<std::string> distinct(sqlite3* db, const std::string& sql) {
    std::vector<std::string> out;
    Stmt s(db, sql);
    while (s.step())
        out.push_back(s.text(0));
    return out;
}

// A trace of nothing is a mistyped id far more often than a real answer: refuse it, naming what
// the ledger does know.
void refuse_unknown(const std::filesystem::path& file, const std::string& by, const std::string& id,
                    const std::vector<std::string>& known) {
    if (std::find(known.begin(), known.end(), id) != known.end())
        return;
    std::vector<std::string> shown(known.begin(),
                                   known.begin() + std::min<std::size_t>(10, known.size()));
    if (known.size() > shown.size())
        shown.push_back("…");
    const std::string list = known.empty() ? tr("none") : join(shown);
    throw Error(Stage::Ledger,
                by == "site" ? trf("{}: no transfer to site '{}' is recorded{}; the ledger knows "
                                   "{} site(s): {}",
                                   file.string(), id, did_you_mean(id, known), known.size(), list)
                             : trf("{}: no lot of village '{}' is recorded{}; the ledger knows "
                                   "{} village(s): {}",
                                   file.string(), id, did_you_mean(id, known), known.size(), list));
}

} // namespace

Trace Ledger::trace_site(const std::string& site_id) const {
    Stmt s(db_, "SELECT seq, run, content FROM entries WHERE kind = 'transfer' AND "
                "json_extract(content, '$.site_id') = ? "
                "ORDER BY seq");
    s.bind(1, site_id);
    Trace t{"site", site_id, rows_for(db_, s)};
    if (t.rows.empty())
        refuse_unknown(path_, "site", site_id,
                       distinct(db_, "SELECT DISTINCT json_extract(content, '$.site_id') FROM "
                                     "entries WHERE kind = 'transfer' ORDER BY 1"));
    return t;
}

Trace Ledger::trace_village(const std::string& village_id) const {
    // Transfers from lots whose record (the latest before the transfer) names the village.
    Stmt s(db_,
           "SELECT t.seq, t.run, t.content FROM entries t WHERE t.kind = 'transfer' AND "
           "(SELECT json_extract(l.content, '$.village_id') FROM entries l WHERE l.kind = 'lot' "
           " AND l.ref = json_extract(t.content, '$.lot_id') AND l.seq < t.seq ORDER BY l.seq DESC "
           "LIMIT 1) = ? "
           "ORDER BY t.seq");
    s.bind(1, village_id);
    Trace t{"village", village_id, rows_for(db_, s)};
    if (t.rows.empty()) // a village with lots but no transfers yet is a real answer: none
        refuse_unknown(path_, "village", village_id,
                       distinct(db_, "SELECT DISTINCT json_extract(content, '$.village_id') FROM "
                                     "entries WHERE kind = 'lot' ORDER BY 1"));
    return t;
}

History Ledger::history() const {
    History h;
    Stmt s(db_, "SELECT run, min(seq), max(seq), min(recorded_at), min(operator) FROM entries "
                "GROUP BY run ORDER BY run");
    while (s.step()) {
        RunSummary r;
        r.run = s.int64(0);
        r.first_seq = s.int64(1);
        r.last_seq = s.int64(2);
        r.recorded_at = s.text(3);
        r.operator_name = s.text(4);
        {
            Stmt q(db_, "SELECT hash FROM entries WHERE seq = ?");
            q.bind(1, r.last_seq);
            if (q.step())
                r.head_hash = q.text(0);
        }
        {
            Stmt q(db_, "SELECT json_extract(content, '$.job_sha256') FROM entries WHERE run = ? "
                        "AND kind = 'run'");
            q.bind(1, r.run);
            if (q.step())
                r.job_sha256 = q.text(0);
        }
        {
            Stmt q(db_, "SELECT kind, count(*) FROM entries WHERE run = ? GROUP BY kind");
            q.bind(1, r.run);
            while (q.step())
                r.counts[q.text(0)] = q.int64(1);
        }
        h.runs.push_back(std::move(r));
    }
    Stmt q(db_, "SELECT seq, run, content, operator, recorded_at, hash FROM entries WHERE kind = "
                "'reversal' ORDER BY seq");
    while (q.step()) {
        const json c = json::parse(q.text(2));
        ReversalSummary r{q.int64(0),
                          q.int64(1),
                          c.value("transfer_id", ""),
                          c.value("reason", ""),
                          q.text(3),
                          q.text(4),
                          q.text(5),
                          {}};
        for (const auto& x : c.value("payment_ids", json::array()))
            r.payment_ids.push_back(x.get<std::string>());
        h.reversals.push_back(std::move(r));
    }
    h.head_hash = head_hash();
    return h;
}

} // namespace landquota::ledger
