// Opening a ledger, its write sessions (the hash chain is extended here) and reversals.
#include "ledger/content.hpp"
#include "ledger/ledger.hpp"
#include "ledger/schema.hpp"
#include "ledger/sqlite.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <ctime>
#include <fmt/format.h>

namespace landquota::ledger {

using detail::exec;
using detail::Stmt;
using nlohmann::json;

namespace {

sqlite3* open_db(const std::filesystem::path& file, int flags) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        const std::string advice = detail::environment_fault(rc);
        sqlite3_close(db);
        throw Error(Stage::Ledger, trf("{}: cannot open ({}){}", file.string(), msg,
                                       advice.empty() ? "" : "; " + advice));
    }
    sqlite3_extended_result_codes(db, 1);
    return db;
}

std::string utc_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool has_entries_table(sqlite3* db) {
    Stmt s(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entries'");
    return s.step();
}

std::int64_t pragma_int(sqlite3* db, const char* name) {
    Stmt s(db, std::string("PRAGMA ") + name);
    return s.step() ? s.int64(0) : 0;
}

// BEGIN IMMEDIATE, waiting up to the connection's busy timeout for another writer.
void begin_immediate(sqlite3* db, const std::filesystem::path& file,
                     std::chrono::milliseconds timeout) {
    const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK)
        return;
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        throw Error(
            Stage::Ledger,
            trf("ledger {} is in use by another run (waited {} s); try again when it has finished",
                file.string(), timeout.count() / 1000.0));
    detail::fail(db, "cannot start a transaction on " + file.string());
}

void check_ref(const std::string& kind, const std::string& ref) {
    if (ref.empty() || ref.find_first_of("\r\n") != std::string::npos)
        throw Error(Stage::Ledger,
                    fmt::format("a {} entry needs an id without line breaks, got '{}'", kind, ref),
                    Error::Kind::Internal);
}

} // namespace

// ---------------------------------------------------------------------------------------------
Ledger::Ledger(std::filesystem::path path, sqlite3* db) : path_(std::move(path)), db_(db) {}
Ledger::Ledger(Ledger&& o) noexcept
    : path_(std::move(o.path_)), db_(std::exchange(o.db_, nullptr)) {}
Ledger& Ledger::operator=(Ledger&& o) noexcept {
    if (this != &o) {
        sqlite3_close(db_);
        path_ = std::move(o.path_);
        db_ = std::exchange(o.db_, nullptr);
    }
    return *this;
}
Ledger::~Ledger() {
    sqlite3_close(db_);
}

const std::vector<std::string>& Ledger::view_names() {
    return detail::view_names();
}

Ledger Ledger::open(const std::filesystem::path& file, bool create_if_missing) {
    const bool exists = std::filesystem::exists(file);
    if (!exists && !create_if_missing)
        throw Error(Stage::Ledger, trf("{}: no such ledger", file.string()));
    int flags = SQLITE_OPEN_READWRITE | (create_if_missing ? SQLITE_OPEN_CREATE : 0);
    sqlite3* db = nullptr;
    try {
        db = open_db(file, flags);
    } catch (const Error&) {
        if (!exists)
            throw;
        db = open_db(file, SQLITE_OPEN_READONLY); // enough to verify, trace and export a copy
    }
    Ledger l(file, db);
    sqlite3_busy_timeout(db, 30000);
    try {
        if (!has_entries_table(db)) {
            if (sqlite3_db_readonly(db, "main") == 1 || !create_if_missing)
                throw Error(Stage::Ledger,
                            trf("{}: not a landquota ledger (no entries table)", file.string()));
            begin_immediate(db, file, std::chrono::seconds(30));
            if (!has_entries_table(db)) { // another process may have created it meanwhile
                Stmt any(db, "SELECT count(*) FROM sqlite_master");
                if (any.step() && any.int64(0) > 0) {
                    exec(db, "ROLLBACK");
                    throw Error(
                        Stage::Ledger,
                        trf("{}: an SQLite file that is not a landquota ledger", file.string()));
                }
                exec(db, detail::schema_sql());
            }
            exec(db, "COMMIT");
        }
    } catch (const Error& e) {
        throw;
    } catch (const std::exception& e) {
        throw Error(Stage::Ledger, trf("{}: {}", file.string(), e.what()));
    }
    if (pragma_int(db, "application_id") != detail::kApplicationId)
        throw Error(Stage::Ledger,
                    trf("{}: not a landquota ledger (application id)", file.string()));
    if (pragma_int(db, "user_version") > detail::kSchemaVersion)
        throw Error(Stage::Ledger, trf("{}: written by a newer landquota (schema version {})",
                                       file.string(), pragma_int(db, "user_version")));
    return l;
}

std::string Ledger::head_hash() const {
    Stmt s(db_, "SELECT hash FROM entries ORDER BY seq DESC LIMIT 1");
    return s.step() ? s.text(0) : kGenesisHash;
}

std::optional<std::int64_t> Ledger::find_hash(const std::string& hash) const {
    Stmt s(db_, "SELECT seq FROM entries WHERE hash = ?");
    s.bind(1, hash);
    if (s.step())
        return s.int64(0);
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
struct Ledger::Session::Impl {
    std::filesystem::path path;
    sqlite3* db = nullptr;
    std::string op, recorded_at, prev_hash;
    std::int64_t run = 0, next_seq = 1;
    bool done = false;

    ~Impl() {
        if (db && !done)
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }

    void append(const std::string& kind, const std::string& ref, const json& content) {
        if (done)
            throw Error(Stage::Ledger, "session already committed", Error::Kind::Internal);
        check_ref(kind, ref);
        const std::string c = canonical(content);
        const std::string h = entry_hash(prev_hash, kind, ref, c);
        Stmt s(db, "INSERT INTO entries(seq, run, kind, ref, content, prev_hash, hash, "
                   "recorded_at, operator) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, next_seq)
            .bind(2, run)
            .bind(3, kind)
            .bind(4, ref)
            .bind(5, c)
            .bind(6, prev_hash)
            .bind(7, h);
        s.bind(8, recorded_at).bind(9, op);
        s.step();
        ++next_seq;
        prev_hash = h;
    }

    bool exists(const std::string& kind, const std::string& ref) {
        Stmt s(db, "SELECT 1 FROM entries WHERE kind = ? AND ref = ?");
        s.bind(1, kind).bind(2, ref);
        return s.step();
    }
    bool reversed(const std::string& transfer_id) { return exists("reversal", transfer_id); }

    // Latest recorded area and Σ non-reversed transfers per lot, this session's entries included:
    // read once, then kept up to date as the session adds lots and transfers.
    bool books_loaded = false;
    std::map<std::string, AreaCm2x100> lot_areas, lot_spent;
    std::map<std::string, AreaCm2x100> site_received; // per site, committed runs + this session
    bool site_loaded = false;
    void load_books() {
        if (books_loaded)
            return;
        Stmt a(db, "SELECT ref, json_extract(content, '$.area') FROM entries WHERE kind = 'lot' "
                   "ORDER BY seq");
        while (a.step())
            lot_areas[a.text(0)] = a.int64(1);
        Stmt s(db, "SELECT json_extract(t.content, '$.lot_id'), sum(json_extract(t.content, "
                   "'$.area')) FROM entries t "
                   "WHERE t.kind = 'transfer' "
                   "AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.kind = 'reversal' AND r.ref = "
                   "t.ref) GROUP BY 1");
        while (s.step())
            lot_spent[s.text(0)] = s.int64(1);
        books_loaded = true;
    }
};

Ledger::Session::Session(std::unique_ptr<Impl> i) : impl_(std::move(i)) {}
Ledger::Session::Session(Session&&) noexcept = default;
Ledger::Session& Ledger::Session::operator=(Session&&) noexcept = default;
Ledger::Session::~Session() = default;

namespace {
// A run never appends to a ledger that audit verify rejects: spending quota on top of a broken
// chain would hide the damage and could spend the same quota twice. Verified under the write
// lock, so what was verified is what the session appends to.
void refuse_unless_verified(const VerifyReport& r, const std::filesystem::path& path) {
    const std::string what = !r.ok ? trf("entry {} ({} {}) fails verification: {}", r.bad_seq,
                                         r.bad_kind, r.bad_ref, r.what)
                             : r.warnings.empty() ? std::string()
                                                  : r.warnings.front();
    if (what.empty())
        return;
    throw Error(Stage::Ledger,
                trf("{}: {}. Nothing was written. The ledger must be restored from a copy "
                    "that passes `landquota audit verify {}` before it records anything "
                    "more",
                    path.string(), what, path.string()));
}
} // namespace

Ledger::Session Ledger::begin(const std::string& operator_name,
                              std::chrono::milliseconds busy_timeout) {
    auto impl = std::make_unique<Session::Impl>();
    impl->path = path_;
    impl->db = open_db(path_, SQLITE_OPEN_READWRITE);
    impl->op = operator_name;
    sqlite3_busy_timeout(impl->db, static_cast<int>(busy_timeout.count()));
    begin_immediate(impl->db, path_, busy_timeout);
    refuse_unless_verified(verify_entries(impl->db), path_);
    {
        Stmt s(impl->db,
               "SELECT coalesce(max(run), 0) + 1, coalesce(max(seq), 0) + 1 FROM entries");
        s.step();
        impl->run = s.int64(0);
        impl->next_seq = s.int64(1);
    }
    {
        Stmt s(impl->db, "SELECT hash FROM entries ORDER BY seq DESC LIMIT 1");
        impl->prev_hash = s.step() ? s.text(0) : kGenesisHash;
    }
    impl->recorded_at = utc_now();
    return Session(std::move(impl));
}

namespace {
// Σ areas of the committed, non-reversed transfers before `run`, grouped by a transfer field.
std::map<std::string, AreaCm2x100> transfers_by(sqlite3* db, std::int64_t run,
                                                const std::string& field) {
    std::map<std::string, AreaCm2x100> out;
    Stmt s(db, "SELECT json_extract(t.content, '$." + field +
                   "'), sum(json_extract(t.content, '$.area')) "
                   "FROM entries t WHERE t.kind = 'transfer' AND t.run < ? "
                   "AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.kind = 'reversal' AND r.ref = "
                   "t.ref) GROUP BY 1");
    s.bind(1, run);
    while (s.step())
        out[s.text(0)] = s.int64(1);
    return out;
}
} // namespace

std::map<std::string, AreaCm2x100> Ledger::Session::spent() {
    return transfers_by(impl_->db, impl_->run, "lot_id");
}

std::map<std::string, AreaCm2x100> Ledger::Session::received() {
    return transfers_by(impl_->db, impl_->run, "site_id");
}

std::map<std::string, AreaCm2x100> Ledger::Session::recorded_areas() {
    std::map<std::string, AreaCm2x100> out;
    Stmt s(impl_->db, "SELECT ref, json_extract(content, '$.area') FROM entries WHERE kind = 'lot' "
                      "AND run < ? ORDER BY seq");
    s.bind(1, impl_->run);
    while (s.step())
        out[s.text(0)] = s.int64(1);
    return out;
}

std::map<std::string, std::string> Ledger::Session::lot_states() {
    // The latest of a lot record's state and a recorded state change, by sequence.
    std::map<std::string, std::string> out;
    Stmt s(impl_->db, "SELECT ref, CASE kind WHEN 'lot' THEN json_extract(content, '$.state') "
                      "ELSE json_extract(content, '$.to') END FROM entries "
                      "WHERE kind IN ('lot', 'lot_state') AND run < ? ORDER BY seq");
    s.bind(1, impl_->run);
    while (s.step())
        out[s.text(0)] = s.text(1);
    return out;
}

std::vector<EarlierRun> Ledger::Session::earlier_runs() {
    std::vector<EarlierRun> out;
    Stmt s(impl_->db,
           "SELECT t.run, min(t.recorded_at), min(t.operator), sum(json_extract(t.content, "
           "'$.area')), count(*) FROM entries t WHERE t.kind = 'transfer' AND t.run < ? "
           "AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.kind = 'reversal' AND r.ref = t.ref) "
           "GROUP BY t.run ORDER BY t.run");
    s.bind(1, impl_->run);
    while (s.step())
        out.push_back({s.int64(0), s.text(1), s.text(2), s.int64(3), s.int64(4)});
    return out;
}

std::int64_t Ledger::Session::run_number() const {
    return impl_->run;
}
std::string Ledger::Session::run_number_prefix() const {
    return "R" + std::to_string(impl_->run);
}
std::string Ledger::Session::head_hash() const {
    return impl_->prev_hash;
}

VerifyReport Ledger::Session::verify() const {
    return verify_entries(impl_->db);
}

void Ledger::Session::add_run(const json& run) {
    if (!run.is_object())
        throw Error(Stage::Ledger, "run provenance must be a JSON object", Error::Kind::Internal);
    impl_->append("run", run_number_prefix(), run);
}

void Ledger::Session::add_lot(const QuotaLot& lot, const json& pieces) {
    if (lot.area < 0)
        throw Error(Stage::Ledger, "lot " + lot.lot_id + ": negative area", Error::Kind::Internal);
    impl_->append("lot", lot.lot_id, detail::lot_content(lot, pieces));
    if (impl_->books_loaded)
        impl_->lot_areas[lot.lot_id] = lot.area;
}

void Ledger::Session::add_lot_state(const std::string& lot_id, const std::string& from,
                                    const std::string& to) {
    if (!impl_->exists("lot", lot_id))
        throw Error(Stage::Ledger, "state change of lot " + lot_id + " that was never recorded",
                    Error::Kind::Internal);
    impl_->append("lot_state", lot_id, json{{"lot_id", lot_id}, {"from", from}, {"to", to}});
}

void Ledger::Session::add_transfer(const Transfer& t, const std::string& site_name,
                                   std::optional<AreaCm2x100> site_demand,
                                   const json& site_geometry) {
    if (t.area <= 0)
        throw Error(Stage::Ledger, "transfer " + t.transfer_id + ": area must be positive",
                    Error::Kind::Internal);
    if (impl_->exists("transfer", t.transfer_id))
        throw Error(Stage::Ledger, "transfer id " + t.transfer_id + " is already in the ledger",
                    Error::Kind::Internal);
    impl_->load_books();
    const auto it = impl_->lot_areas.find(t.lot_id);
    if (it == impl_->lot_areas.end())
        throw Error(Stage::Ledger,
                    fmt::format("transfer {}: lot {} was never recorded (add the lot first)",
                                t.transfer_id, t.lot_id),
                    Error::Kind::Internal);
    const AreaCm2x100 area = it->second, spent = impl_->lot_spent[t.lot_id];
    if (spent + t.area > area)
        throw Error(
            Stage::Ledger,
            fmt::format(
                "transfer {} would overspend lot {}: {} m² already spent + {} m² > {} m² recorded",
                t.transfer_id, t.lot_id, format_m2(spent), format_m2(t.area), format_m2(area)),
            Error::Kind::Internal);
    if (site_demand) { // the site side of conservation, as verify checks it
        if (!impl_->site_loaded) {
            impl_->site_received = received();
            impl_->site_loaded = true;
        }
        if (impl_->site_received[t.site_id] + t.area > *site_demand)
            throw Error(
                Stage::Ledger,
                fmt::format(
                    "transfer {} would over-supply site {}: {} m² already received + {} m² > {} m² "
                    "demand",
                    t.transfer_id, t.site_id, format_m2(impl_->site_received[t.site_id]),
                    format_m2(t.area), format_m2(*site_demand)),
                Error::Kind::Internal);
        impl_->site_received[t.site_id] += t.area;
    }
    impl_->append("transfer", t.transfer_id,
                  detail::transfer_content(t, site_name, site_demand, site_geometry));
    impl_->lot_spent[t.lot_id] += t.area;
}

void Ledger::Session::add_payment(const Payment& p) {
    if (impl_->exists("payment", p.payment_id))
        throw Error(Stage::Ledger, "payment id " + p.payment_id + " is already in the ledger",
                    Error::Kind::Internal);
    if (!p.transfer_id.empty()) {
        if (!impl_->exists("transfer", p.transfer_id))
            throw Error(
                Stage::Ledger,
                fmt::format("payment {} for unknown transfer {}", p.payment_id, p.transfer_id),
                Error::Kind::Internal);
        if (impl_->reversed(p.transfer_id))
            throw Error(
                Stage::Ledger,
                fmt::format("payment {} for reversed transfer {}", p.payment_id, p.transfer_id),
                Error::Kind::Internal);
    }
    impl_->append("payment", p.payment_id, detail::payment_content(p));
}

std::string Ledger::Session::commit() {
    if (impl_->done)
        throw Error(Stage::Ledger, "session already committed", Error::Kind::Internal);
    const int rc = sqlite3_exec(impl_->db, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_BUSY)
            throw Error(Stage::Ledger, trf("ledger {}: cannot commit while other readers hold it",
                                           impl_->path.string()));
        detail::fail(impl_->db, "commit failed");
    }
    impl_->done = true;
    return impl_->prev_hash;
}

// ---------------------------------------------------------------------------------------------
std::string Ledger::reverse(const std::string& transfer_id, const std::string& reason,
                            const std::string& operator_name,
                            std::chrono::milliseconds busy_timeout) {
    if (reason.empty())
        throw Error(Stage::Ledger, tr("a reversal needs a reason"));
    Session s = begin(operator_name, busy_timeout);
    auto& i = *s.impl_;
    json t;
    {
        Stmt q(i.db, "SELECT content FROM entries WHERE kind = 'transfer' AND ref = ?");
        q.bind(1, transfer_id);
        if (!q.step())
            throw Error(Stage::Ledger, trf("no transfer {} in {}", transfer_id, path_.string()));
        t = json::parse(q.text(0));
    }
    if (i.reversed(transfer_id))
        throw Error(Stage::Ledger, trf("transfer {} is already reversed", transfer_id));
    json ids = json::array();
    {
        Stmt q(i.db, "SELECT ref FROM entries WHERE kind = 'payment' AND json_extract(content, "
                     "'$.transfer_id') = ? "
                     "ORDER BY seq");
        q.bind(1, transfer_id);
        while (q.step())
            ids.push_back(q.text(0));
    }
    i.append("reversal", transfer_id,
             json{{"transfer_id", transfer_id},
                  {"lot_id", t.value("lot_id", "")},
                  {"site_id", t.value("site_id", "")},
                  {"area", t.value("area", std::int64_t{0})},
                  {"reason", reason},
                  {"payment_ids", ids},
                  {"operator", operator_name}});
    return s.commit();
}

} // namespace landquota::ledger
