#pragma once

// The audit ledger: one SQLite file of hash-chained, append-only entries (docs/audit.md).
//
// Every entry is (seq, run, kind, ref, content, prev_hash, hash, recorded_at, operator), where
// hash = SHA-256 hex of prev_hash + "\n" + kind + "\n" + ref + "\n" + content and content is
// canonical JSON (sorted keys, no whitespace, integers only). run, recorded_at and operator are
// not hashed, so the same content on a fresh ledger gives the same hashes.
#include "landquota/allocation.hpp"
#include "landquota/compensation.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;

namespace landquota::ledger {

inline const std::string kGenesisHash(64, '0');

// Canonical serialisation of hashed content: sorted keys, no whitespace, UTF-8. Throws an
// internal Error if the value holds a floating-point number anywhere or nests deeper than 64.
std::string canonical(const nlohmann::json& content);
// Lower-case hex SHA-256 of a string.
std::string sha256_hex(const std::string& bytes);
// The hash of one entry from its parts (content already canonical).
std::string entry_hash(const std::string& prev_hash, const std::string& kind,
                       const std::string& ref, const std::string& content);

struct VerifyReport {
    bool ok = true;
    std::int64_t entries = 0, runs = 0, lots = 0, transfers = 0, payments = 0, reversals = 0;
    std::string head_hash; // hash of the last entry (kGenesisHash when empty)
    // The first bad entry, when !ok.
    std::int64_t bad_seq = 0;
    std::string bad_kind, bad_ref, what;
    std::vector<std::string> warnings; // e.g. the append-only triggers are missing
};

struct TracePayment {
    std::int64_t seq = 0;
    Payment payment;
    bool reversed = false;
};

struct TraceRow {
    std::int64_t transfer_seq = 0, run = 0;
    Transfer transfer;
    std::string site_name;
    bool reversed = false;
    // The lot as last recorded before the transfer.
    QuotaLot lot;
    // The lot's reclaimed pieces as recorded (GeoJSON MultiPolygon text, WGS 84), "" if none.
    std::string pieces;
    // The lot was recorded with only its village's outline (a ledger from before pieces were
    // recorded): never drawn as if it were the lot.
    bool outline_only = false;
    std::string site_geometry; // the site's outline as recorded with the transfer, "" if none
    std::vector<TracePayment> payments;
};

struct Trace {
    std::string by, id; // "site" or "village", and its id
    std::vector<TraceRow> rows;
};

// An earlier committed run that moved quota, for saying where the quota went.
struct EarlierRun {
    std::int64_t run = 0;
    std::string recorded_at, operator_name;
    AreaCm2x100 transferred = 0; // Σ its transfers in force (reversals excepted)
    std::int64_t transfers = 0;
};

// A view of the ledger (or the entries table) as read: SQL integers as integers, text as text,
// NULL as nothing, so an export can tell figures from ids.
struct ViewTable {
    using Value = std::variant<std::monostate, std::int64_t, std::string>;
    std::string name;
    std::vector<std::string> header;
    std::vector<std::vector<Value>> rows;
};

// One CSV per table (UTF-8 with BOM) into dir; returns the files written.
std::vector<std::filesystem::path> write_csv(const std::vector<ViewTable>& tables,
                                             const std::filesystem::path& dir);

struct RunSummary {
    std::int64_t run = 0, first_seq = 0, last_seq = 0;
    std::string recorded_at, operator_name, job_sha256, head_hash;
    std::map<std::string, std::int64_t> counts; // per kind
};

struct ReversalSummary {
    std::int64_t seq = 0, run = 0;
    std::string transfer_id, reason, operator_name, recorded_at, hash;
    std::vector<std::string> payment_ids;
};

struct History {
    std::vector<RunSummary> runs; // every write transaction, reversals included
    std::vector<ReversalSummary> reversals;
    std::string head_hash;
};

// Verifies every entry of the ledger open on `db` (the caller holds a transaction): the hash
// chain, canonical content and the books (no lot overspent, no site overfilled, ...).
VerifyReport verify_entries(sqlite3* db);

class Ledger {
  public:
    // Opens (or creates, schema included) a ledger. A missing file without create_if_missing, or
    // a file that is not a ledger, is an input Error.
    static Ledger open(const std::filesystem::path& file, bool create_if_missing);
    Ledger(Ledger&&) noexcept;
    Ledger& operator=(Ledger&&) noexcept;
    ~Ledger();

    const std::filesystem::path& path() const { return path_; }

    // One run's write session, holding the ledger's write lock (BEGIN IMMEDIATE) from begin() to
    // commit() or destruction. Entries are chained as they are added; nothing is visible to
    // others before commit(); destroyed without commit, it rolls back and the file is unchanged.
    class Session {
      public:
        Session(Session&&) noexcept;
        Session& operator=(Session&&) noexcept;
        ~Session();

        // Per lot_id: Σ areas of transfers of committed runs that are not reversed.
        std::map<std::string, AreaCm2x100> spent();
        // Per site_id: Σ areas of transfers of committed runs that are not reversed.
        std::map<std::string, AreaCm2x100> received();
        // The latest recorded area per lot_id (committed runs).
        std::map<std::string, AreaCm2x100> recorded_areas();
        // The latest recorded state per lot_id (lot records and state changes, committed runs).
        std::map<std::string, std::string> lot_states();
        // Committed runs with transfers still in force, oldest first.
        std::vector<EarlierRun> earlier_runs();
        std::int64_t run_number() const;
        std::string run_number_prefix() const; // "R3": prefix for ids unique across runs

        // The run's provenance: job_sha256, inputs [{path, sha256}], engine, plugins [{name,
        // version, options}], ... as the caller gives it (integers and strings only).
        void add_run(const nlohmann::json& run);
        // pieces: the lot's reclaimed pieces as an RFC 7946 GeoJSON geometry (or null), stored
        // as text.
        void add_lot(const QuotaLot& lot, const nlohmann::json& pieces = nullptr);
        void add_lot_state(const std::string& lot_id, const std::string& from,
                           const std::string& to);
        // site_demand, if given, lets verify check the site's total; site_geometry (an RFC 7946
        // GeoJSON geometry, or null) is stored as text for trace maps.
        void add_transfer(const Transfer& t, const std::string& site_name,
                          std::optional<AreaCm2x100> site_demand = std::nullopt,
                          const nlohmann::json& site_geometry = nullptr);
        void add_transfer(const Transfer& t, const Site& site) {
            add_transfer(t, site.name, site.demand);
        }
        void add_payment(const Payment& p);

        // Commits in one transaction; returns the head hash (the hash of the last entry).
        std::string commit();
        std::string head_hash() const;
        // Verifies the ledger as it will be once committed: the earlier runs' entries and this
        // session's, chain and books (what `audit verify` will find), without committing.
        VerifyReport verify() const;

      private:
        friend class Ledger;
        struct Impl;
        explicit Session(std::unique_ptr<Impl>);
        std::unique_ptr<Impl> impl_;
    };

    // Waits up to busy_timeout for another run's session to finish, then refuses with an Error
    // "ledger X is in use by another run".
    Session begin(const std::string& operator_name,
                  std::chrono::milliseconds busy_timeout = std::chrono::seconds(30));

    VerifyReport verify() const;
    // Appends one reversal entry in its own transaction; returns the new head hash. Unknown or
    // already reversed transfers are refused (input Error).
    std::string reverse(const std::string& transfer_id, const std::string& reason,
                        const std::string& operator_name,
                        std::chrono::milliseconds busy_timeout = std::chrono::seconds(30));

    // A site or village the ledger has never seen is an input Error with a did-you-mean from the
    // ids it knows (sites of its transfers, villages of its lots).
    Trace trace_site(const std::string& site_id) const;
    Trace trace_village(const std::string& village_id) const;
    History history() const;
    std::string head_hash() const;
    // The seq of the entry with this hash, if any (for checking a quoted head hash).
    std::optional<std::int64_t> find_hash(const std::string& hash) const;
    // Every view, then the entries table, read in one transaction (a consistent snapshot).
    std::vector<ViewTable> read_views() const;
    // write_csv(read_views(), dir).
    std::vector<std::filesystem::path> export_tables(const std::filesystem::path& dir) const;

    // The view names, for export and docs.
    static const std::vector<std::string>& view_names();

  private:
    Ledger(std::filesystem::path path, sqlite3* db);
    std::filesystem::path path_;
    sqlite3* db_ = nullptr; // read connection
};

// Copies the ledger at `from` into a new file `to` (SQLite's backup API: a consistent snapshot,
// read through a read-only connection, so `from` is never written, not even a journal). A missing
// `from` gives a new empty ledger. What a plan records into, in place of the real ledger.
void snapshot_ledger(const std::filesystem::path& from, const std::filesystem::path& to);

// Writes a trace as RFC 7946 GeoJSON (docs/audit.md): one feature per lot, drawn as its recorded
// reclaimed pieces, and one per site, with what moved between them and what was paid.
void write_trace_geojson(const Trace& t, const std::filesystem::path& file);

} // namespace landquota::ledger
