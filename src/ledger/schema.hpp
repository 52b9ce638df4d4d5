#pragma once

#include <string>
#include <vector>

namespace landquota::ledger::detail {

inline constexpr int kApplicationId = 0x4C514C47; // "LQLG"
inline constexpr int kSchemaVersion = 1;

// The statements that create an empty ledger (run inside a transaction).
std::string schema_sql();
const std::vector<std::string>& view_names();

} // namespace landquota::ledger::detail
