// Verification: the hash chain first, then the books (conservation per lot, site and village,
// payments against transfers and reversals), entry by entry in order, stopping at the first bad
// one.
#include "ledger/content.hpp"
#include "ledger/ledger.hpp"
#include "ledger/sqlite.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <set>

namespace landquota::ledger {

using detail::Stmt;
using nlohmann::json;

namespace {

struct Entry {
    std::int64_t seq = 0, run = 0;
    std::string kind, ref, content, prev_hash, hash;
};

// The books as they stand after each entry.
struct Books {
    struct Lot {
        std::string village_id, state;
        AreaCm2x100 area = 0, spent = 0;
    };
    struct Tr {
        std::string lot_id, site_id;
        AreaCm2x100 area = 0;
        bool reversed = false;
        std::set<std::string> payments;
    };
    std::map<std::string, Lot> lots;
    std::map<std::string, Tr> transfers;
    std::set<std::string> payments, reversed_payments;
    std::set<std::string> payees; // (transfer, model, payee kind, payee, year) already paid
    std::map<std::string, AreaCm2x100> site_spent, site_demand;

    // Per village: Σ latest areas of its lots and Σ spent from them.
    std::map<std::string, AreaCm2x100> village_area, village_spent;

    // "" if the entry keeps the books right, else what is wrong.
    std::string apply(const Entry& e, const json& c) {
        using Check = std::string (Books::*)(const Entry&, const json&);
        static const std::map<std::string, Check> by_kind{{"run", &Books::apply_run},
                                                          {"lot", &Books::apply_lot},
                                                          {"lot_state", &Books::apply_lot_state},
                                                          {"transfer", &Books::apply_transfer},
                                                          {"payment", &Books::apply_payment},
                                                          {"reversal", &Books::apply_reversal}};
        const auto it = by_kind.find(e.kind);
        if (it == by_kind.end())
            return trf("unknown entry kind '{}'", e.kind);
        return (this->*(it->second))(e, c);
    }

  private:
    std::string apply_run(const Entry&, const json& c) {
        return c.is_object() ? "" : "run provenance is not an object";
    }

    std::string apply_lot(const Entry& e, const json& c) {
        const QuotaLot l = detail::lot_from(c);
        if (l.lot_id != e.ref)
            return trf("ref {} differs from lot_id {}", e.ref, l.lot_id);
        if (l.area < 0)
            return tr("negative lot area");
        // Freed quota is reclaimed land less resettlement: it can never exceed what the
        // lot's own parcels reclaimed.
        AreaCm2x100 reclaimed = 0;
        for (const auto& p : l.parcels) {
            if (p.reclaim < 0)
                return trf("parcel {} has a negative reclaimed area", p.parcel_id);
            reclaimed += p.reclaim;
        }
        if (l.area > reclaimed)
            return trf("lot area {} m² exceeds the {} m² its parcels reclaimed", format_m2(l.area),
                       format_m2(reclaimed));
        Lot& b = lots[l.lot_id];
        if (l.area < b.spent)
            return trf("lot area {} m² is below the {} m² already transferred from it",
                       format_m2(l.area), format_m2(b.spent));
        village_area[b.village_id] -= b.area;
        village_spent[b.village_id] -= b.spent;
        b.area = l.area;
        b.village_id = l.village_id;
        village_area[b.village_id] += b.area;
        village_spent[b.village_id] += b.spent;
        b.state = l.state;
        return "";
    }

    std::string apply_lot_state(const Entry& e, const json& c) {
        const std::string lot = detail::str(c, "lot_id"), from = detail::str(c, "from"),
                          to = detail::str(c, "to");
        auto it = lots.find(lot);
        if (lot != e.ref)
            return trf("ref {} differs from lot_id {}", e.ref, lot);
        if (it == lots.end())
            return trf("state change of unrecorded lot {}", lot);
        if (it->second.state != from)
            return trf("state change from '{}' but lot {} is '{}'", from, lot, it->second.state);
        it->second.state = to;
        return "";
    }

    std::string apply_transfer(const Entry& e, const json& c) {
        const Transfer t = detail::transfer_from(c);
        if (t.transfer_id != e.ref)
            return trf("ref {} differs from transfer_id {}", e.ref, t.transfer_id);
        if (transfers.count(t.transfer_id))
            return trf("transfer {} recorded twice", t.transfer_id);
        if (t.area <= 0)
            return tr("transfer area is not positive");
        auto it = lots.find(t.lot_id);
        if (it == lots.end())
            return trf("transfer from unrecorded lot {}", t.lot_id);
        Lot& lot = it->second;
        if (lot.state != "accepted" && lot.state != "allocated")
            return trf("transfer from lot {} in state '{}': only accepted quota may move", t.lot_id,
                       lot.state);
        if (lot.spent + t.area > lot.area)
            return trf("lot {} overspent: {} m² transferred of {} m² recorded", t.lot_id,
                       format_m2(lot.spent + t.area), format_m2(lot.area));
        const AreaCm2x100 varea = village_area[lot.village_id],
                          vspent = village_spent[lot.village_id];
        if (vspent + t.area > varea)
            return trf("village {} overspent: {} m² transferred of {} m² in its lots",
                       lot.village_id, format_m2(vspent + t.area), format_m2(varea));
        if (c.contains("site_demand"))
            site_demand[t.site_id] = detail::num(c, "site_demand");
        const AreaCm2x100 site_total = site_spent[t.site_id] + t.area;
        if (auto d = site_demand.find(t.site_id); d != site_demand.end() && site_total > d->second)
            return trf("site {} over-supplied: {} m² transferred for a demand of {} m²", t.site_id,
                       format_m2(site_total), format_m2(d->second));
        lot.spent += t.area;
        village_spent[lot.village_id] += t.area;
        site_spent[t.site_id] = site_total;
        transfers[t.transfer_id] = Tr{t.lot_id, t.site_id, t.area, false, {}};
        return "";
    }

    std::string apply_payment(const Entry& e, const json& c) {
        const Payment p = detail::payment_from(c);
        if (p.payment_id != e.ref)
            return trf("ref {} differs from payment_id {}", e.ref, p.payment_id);
        if (!payments.insert(p.payment_id).second)
            return trf("payment {} recorded twice", p.payment_id);
        if (p.amount <= 0)
            return trf("payment of {} fen: amounts must be positive", p.amount);
        if (!payees
                 .insert(p.transfer_id + '\x1f' + p.model + '\x1f' + p.payee_kind + '\x1f' +
                         p.payee_id + '\x1f' + std::to_string(p.year))
                 .second)
            return trf("a second {} payment to {} {} for {} in year {}", p.model, p.payee_kind,
                       p.payee_id, p.transfer_id.empty() ? "no transfer" : p.transfer_id, p.year);
        if (!p.transfer_id.empty()) {
            auto it = transfers.find(p.transfer_id);
            if (it == transfers.end())
                return trf("payment for unknown transfer {}", p.transfer_id);
            if (it->second.reversed)
                return trf("payment for reversed transfer {}", p.transfer_id);
            if (!p.lot_id.empty() && p.lot_id != it->second.lot_id)
                return trf("payment names lot {} but transfer {} is from lot {}", p.lot_id,
                           p.transfer_id, it->second.lot_id);
            it->second.payments.insert(p.payment_id);
        }
        return "";
    }

    std::string apply_reversal(const Entry& e, const json& c) {
        const std::string id = detail::str(c, "transfer_id");
        if (id != e.ref)
            return trf("ref {} differs from transfer_id {}", e.ref, id);
        if (detail::str(c, "reason").empty())
            return tr("reversal without a reason");
        auto it = transfers.find(id);
        if (it == transfers.end())
            return trf("reversal of unknown transfer {}", id);
        if (it->second.reversed)
            return trf("transfer {} reversed twice", id);
        if ((c.contains("lot_id") && detail::str(c, "lot_id") != it->second.lot_id) ||
            (c.contains("site_id") && detail::str(c, "site_id") != it->second.site_id) ||
            (c.contains("area") && detail::num(c, "area") != it->second.area))
            return trf("reversal of {} names another lot, site or area than the transfer", id);
        std::set<std::string> listed;
        for (const auto& x : c.at("payment_ids"))
            listed.insert(x.get<std::string>());
        if (listed != it->second.payments)
            return trf("reversal lists {} payment(s) but transfer {} has {}: its "
                       "payments are not all reversed",
                       listed.size(), id, it->second.payments.size());
        it->second.reversed = true;
        Lot& lot = lots[it->second.lot_id];
        lot.spent -= it->second.area;
        village_spent[lot.village_id] -= it->second.area;
        site_spent[it->second.site_id] -= it->second.area;
        reversed_payments.insert(listed.begin(), listed.end());
        return "";
    }
};

bool trigger_exists(sqlite3* db, const char* name) {
    Stmt s(db, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?");
    s.bind(1, std::string(name));
    return s.step();
}

} // namespace

VerifyReport verify_entries(sqlite3* db_) {
    VerifyReport r;
    for (const char* t : {"entries_no_update", "entries_no_delete"})
        if (!trigger_exists(db_, t))
            r.warnings.push_back(
                trf("the append-only trigger {} is missing: the file was altered outside landquota",
                    t));

    Stmt s(db_, "SELECT seq, run, kind, ref, content, prev_hash, hash FROM entries ORDER BY seq");
    std::string prev = kGenesisHash;
    std::int64_t expected_seq = 1, last_run = 0;
    Books books;
    std::set<std::int64_t> runs;
    auto bad = [&](const Entry& e, std::string what) {
        r.ok = false;
        r.bad_seq = e.seq;
        r.bad_kind = e.kind;
        r.bad_ref = e.ref;
        r.what = std::move(what);
    };
    while (s.step()) {
        Entry e{s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
        ++r.entries;
        if (e.seq != expected_seq) {
            bad(e,
                trf("sequence jumps from {} to {}: entries are missing", expected_seq - 1, e.seq));
            break;
        }
        ++expected_seq;
        if (e.prev_hash != prev) {
            bad(e, trf("prev_hash {} does not match the hash {} of entry {}", e.prev_hash, prev,
                       e.seq - 1));
            break;
        }
        if (entry_hash(e.prev_hash, e.kind, e.ref, e.content) != e.hash) {
            bad(e, "hash does not match the entry's kind, ref and content: the entry was altered");
            break;
        }
        prev = e.hash;
        if (e.run < last_run) {
            bad(e, trf("run number {} after run {}", e.run, last_run));
            break;
        }
        last_run = e.run;
        runs.insert(e.run);
        try {
            const json c = json::parse(e.content);
            if (canonical(c) != e.content) {
                bad(e, "content is not in canonical form");
                break;
            }
            if (std::string what = books.apply(e, c); !what.empty()) {
                bad(e, what);
                break;
            }
        } catch (const std::exception& x) {
            bad(e, std::string("content unreadable: ") + x.what());
            break;
        }
        r.runs += e.kind == "run";
        r.lots += e.kind == "lot";
        r.transfers += e.kind == "transfer";
        r.payments += e.kind == "payment";
        r.reversals += e.kind == "reversal";
    }
    r.head_hash = prev;
    return r;
}

VerifyReport Ledger::verify() const {
    detail::exec(db_, "BEGIN"); // one consistent snapshot
    struct Rollback {
        sqlite3* db;
        ~Rollback() { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }
    } rollback{db_};
    return verify_entries(db_);
}

} // namespace landquota::ledger
