#pragma once

// The content of each entry kind: built from the engine's types for appending, read back for
// verify, trace and history. Field names are the ones docs/audit.md documents.
#include "landquota/allocation.hpp"
#include "landquota/compensation.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

struct sqlite3;

namespace landquota::ledger {
struct VerifyReport;
}

namespace landquota::ledger::detail {

nlohmann::json lot_content(const QuotaLot& lot, const nlohmann::json& pieces);
QuotaLot lot_from(const nlohmann::json& c);
nlohmann::json transfer_content(const Transfer& t, const std::string& site_name,
                                std::optional<AreaCm2x100> demand,
                                const nlohmann::json& site_geometry);
Transfer transfer_from(const nlohmann::json& c);
nlohmann::json payment_content(const Payment& p);
Payment payment_from(const nlohmann::json& c);

// Typed field access that names the field when it is missing or of the wrong type.
std::string str(const nlohmann::json& c, const char* key);
std::int64_t num(const nlohmann::json& c, const char* key);

} // namespace landquota::ledger::detail
