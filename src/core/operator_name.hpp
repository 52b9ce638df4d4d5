#pragma once

// Who runs a command, for the ledger and the manifest.
#include "core/translate.hpp"

#include <string>

namespace landquota {

// The name given, else $LANDQUOTA_OPERATOR, $USER or $LOGNAME; "" when none is set.
std::string operator_from(const std::string& given);

// Said once on stderr when no name is found and "unknown" is recorded instead.
inline constexpr const char* kUnknownOperatorWarning = tr_later(
    "landquota: warning: the operator is recorded as 'unknown': give --operator NAME, or set "
    "$LANDQUOTA_OPERATOR (or $USER)\n");

} // namespace landquota
