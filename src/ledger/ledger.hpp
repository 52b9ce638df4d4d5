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
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;

namespace landquota::ledger {

inline const std::string kGenesisHash(64, '0');

// Canonical serialisation of hashed content: sorted keys, no whitespace, UTF-8. Throws an
// internal Error if the value holds a floating-point number anywhere.
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
    std::string geometry;     // GeoJSON geometry text as recorded, "" if none
    std::string geometry_crs; // as recorded with it
    std::vector<TracePayment> payments;
};

struct Trace {
    std::string by, id; // "site" or "village", and its id
    std::vector<TraceRow> rows;
};

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
        std::int64_t run_number() const;
        std::string run_number_prefix() const; // "R3": prefix for ids unique across runs

        // The run's provenance: job_sha256, inputs [{path, sha256}], engine, plugins [{name,
        // version, options}], ... as the caller gives it (integers and strings only).
        void add_run(const nlohmann::json& run);
        // geometry: a GeoJSON geometry object (or null), stored as text with `crs` beside it.
        void add_lot(const QuotaLot& lot, const nlohmann::json& geometry = nullptr,
                     const std::string& crs = "");
        void add_lot_state(const std::string& lot_id, const std::string& from,
                           const std::string& to);
        // site_demand, if given, lets verify check the site's total.
        void add_transfer(const Transfer& t, const std::string& site_name,
                          std::optional<AreaCm2x100> site_demand = std::nullopt);
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

    Trace trace_site(const std::string& site_id) const;
    Trace trace_village(const std::string& village_id) const;
    History history() const;
    std::string head_hash() const;
    // The seq of the entry with this hash, if any (for checking a quoted head hash).
    std::optional<std::int64_t> find_hash(const std::string& hash) const;
    // One CSV per view (UTF-8 with BOM) into dir; with xlsx also ledger.xlsx, a sheet per view.
    // Returns the files written.
    std::vector<std::filesystem::path> export_tables(const std::filesystem::path& dir,
                                                     bool xlsx) const;

    // The view names, for export and docs.
    static const std::vector<std::string>& view_names();

  private:
    Ledger(std::filesystem::path path, sqlite3* db);
    std::filesystem::path path_;
    sqlite3* db_ = nullptr; // read connection
};

// A GeoJSON FeatureCollection of a trace: one feature per lot with its transfers and payments.
nlohmann::json trace_geojson(const Trace& t);

} // namespace landquota::ledger
