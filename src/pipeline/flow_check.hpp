#pragma once

// The allocation's flow rules against the data: a region or zone named in `flows` that no
// township carries would let nothing move (or everything, by the other names), silently.
#include "core/finding_log.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/resolve_plugins.hpp"

namespace landquota {

// Adds an error finding for every FROM or TO of the strategy's `flows` that is not a region (or,
// with flow_level = "zone", a zone) of the townships layer.
void check_flows(const Job& job, const ResolvedPlugins& plugins, const ReferenceLayers& ref,
                 FindingLog& log);

} // namespace landquota
