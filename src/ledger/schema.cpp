// The ledger's SQL schema: the entries table, its append-only triggers and the auditors' views.
#include "ledger/schema.hpp"

#include "landquota/units.hpp"

#include <fmt/format.h>

namespace landquota::ledger::detail {

namespace {
// Integer hundredths as exact text "1234.56" (areas in m², amounts in yuan).
std::string hundredths(const std::string& x) {
    return fmt::format("(CASE WHEN {0} < 0 THEN '-' ELSE '' END || printf('%d.%02d', abs({0}) / "
                       "100, abs({0}) % 100))",
                       x);
}
// Hundredths of m² to hundredths of mu as exact text: units.hpp's conversion in SQL (areas are
// positive, so adding half the divisor rounds half away from zero).
std::string mu(const std::string& x) {
    return hundredths(fmt::format("(({} * {} + {}) / {})", x, kMuMillionthsPerHundredthM2,
                                  kMuMillionthsPerMuHundredth / 2, kMuMillionthsPerMuHundredth));
}
std::string j(const std::string& path, const std::string& col = "content") {
    return fmt::format("json_extract({}, '$.{}')", col, path);
}
} // namespace

const std::vector<std::string>& view_names() {
    static const std::vector<std::string> v{"runs",      "lots",     "lot_parcels", "lot_states",
                                            "transfers", "payments", "reversals"};
    return v;
}

std::string schema_sql() {
    const std::string area = j("area"), reclaim = j("reclaim", "p.value"), amount = j("amount_fen");
    return fmt::format(
        R"SQL(
PRAGMA application_id = {app_id};
PRAGMA user_version = {version};
CREATE TABLE entries(
  seq INTEGER PRIMARY KEY,
  run INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  content TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  operator TEXT NOT NULL);
CREATE INDEX entries_kind_ref ON entries(kind, ref);
CREATE INDEX entries_run ON entries(run);
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: record a reversal instead of changing an entry'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: record a reversal instead of deleting an entry'); END;

CREATE VIEW runs AS
SELECT e.run, e.seq, e.recorded_at, e.operator, {job} AS job_sha256, {engine} AS engine_version,
  (SELECT count(*) FROM entries c WHERE c.run = e.run) AS entries,
  (SELECT h.hash FROM entries h WHERE h.run = e.run ORDER BY h.seq DESC LIMIT 1) AS head_hash,
  e.content
FROM entries e WHERE e.kind = 'run';

CREATE VIEW lots AS
SELECT seq, run, ref AS lot_id, {village} AS village_id, {village_name} AS village_name,
  {township} AS township_id, {zone} AS zone_id, {region} AS region_id,
  {area} AS area, {area_m2} AS area_m2, {area_mu} AS area_mu,
  {state} AS state, {reclaim_to} AS reclaim_to, {accepted} AS accepted,
  json_array_length(content, '$.parcels') AS parcels, {pieces} IS NOT NULL AS has_pieces,
  recorded_at, operator, hash
FROM entries WHERE kind = 'lot';

CREATE VIEW lot_parcels AS
SELECT e.seq, e.run, e.ref AS lot_id, {parcel_id} AS parcel_id, {holder} AS holder, {landuse} AS landuse,
  {reclaim} AS reclaim, {reclaim_m2} AS reclaim_m2
FROM entries e, json_each(e.content, '$.parcels') p WHERE e.kind = 'lot';

CREATE VIEW lot_states AS
SELECT seq, run, ref AS lot_id, {from} AS from_state, {to} AS to_state, recorded_at, operator, hash
FROM entries WHERE kind = 'lot_state';

CREATE VIEW transfers AS
SELECT e.seq, e.run, e.ref AS transfer_id, {lot} AS lot_id, {site} AS site_id, {site_name} AS site_name,
  {area} AS area, {area_m2} AS area_m2, {area_mu} AS area_mu, {demand} AS site_demand,
  EXISTS (SELECT 1 FROM entries r WHERE r.kind = 'reversal' AND r.ref = e.ref) AS reversed,
  e.recorded_at, e.operator, e.hash
FROM entries e WHERE e.kind = 'transfer';

CREATE VIEW payments AS
SELECT e.seq, e.run, e.ref AS payment_id, {model} AS model, {payee_kind} AS payee_kind, {payee_id} AS payee_id,
  {ptransfer} AS transfer_id, {lot} AS lot_id, {year} AS year, {amount} AS amount_fen, {amount_yuan} AS amount_yuan,
  {basis} AS basis,
  EXISTS (SELECT 1 FROM entries r, json_each(r.content, '$.payment_ids') x
          WHERE r.kind = 'reversal' AND x.value = e.ref) AS reversed,
  e.recorded_at, e.operator, e.hash
FROM entries e WHERE e.kind = 'payment';

CREATE VIEW reversals AS
SELECT seq, run, ref AS transfer_id, {lot} AS lot_id, {site} AS site_id, {area} AS area, {area_m2} AS area_m2,
  {reason} AS reason, json_extract(content, '$.payment_ids') AS payment_ids, {approved} AS approved_by,
  recorded_at, operator, hash
FROM entries WHERE kind = 'reversal';
)SQL",
        fmt::arg("app_id", kApplicationId), fmt::arg("version", kSchemaVersion),
        fmt::arg("job", j("job_sha256", "e.content")),
        fmt::arg("engine", j("engine.version", "e.content")), fmt::arg("village", j("village_id")),
        fmt::arg("village_name", j("village_name")), fmt::arg("township", j("township_id")),
        fmt::arg("zone", j("zone_id")), fmt::arg("region", j("region_id")), fmt::arg("area", area),
        fmt::arg("area_m2", hundredths(area)), fmt::arg("area_mu", mu(area)),
        fmt::arg("state", j("state")), fmt::arg("reclaim_to", j("reclaim_to")),
        fmt::arg("accepted", j("accepted")), fmt::arg("pieces", j("pieces")),
        fmt::arg("parcel_id", j("parcel_id", "p.value")),
        fmt::arg("holder", j("holder", "p.value")), fmt::arg("landuse", j("landuse", "p.value")),
        fmt::arg("reclaim", reclaim), fmt::arg("reclaim_m2", hundredths(reclaim)),
        fmt::arg("from", j("from")), fmt::arg("to", j("to")), fmt::arg("lot", j("lot_id")),
        fmt::arg("site", j("site_id")), fmt::arg("site_name", j("site_name")),
        fmt::arg("demand", j("site_demand")), fmt::arg("model", j("model")),
        fmt::arg("payee_kind", j("payee_kind")), fmt::arg("payee_id", j("payee_id")),
        fmt::arg("ptransfer", j("transfer_id")), fmt::arg("year", j("year")),
        fmt::arg("amount", amount), fmt::arg("amount_yuan", hundredths(amount)),
        fmt::arg("basis", j("basis")), fmt::arg("reason", j("reason")),
        fmt::arg("approved", j("operator")));
}

} // namespace landquota::ledger::detail
