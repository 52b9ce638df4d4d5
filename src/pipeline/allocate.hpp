#pragma once

#include "landquota/allocation.hpp"
#include "pipeline/job.hpp"
#include "plugins/plugin_manager.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace landquota {

struct AllocationOutcome {
    AllocationResult result;       // transfers numbered T0001… in (site, lot) order
    nlohmann::ordered_json plugin; // name, version, file, options: for the manifest
};

// Runs the job's allocation plugin on the allocable lots and checks what it returns whatever it
// is: every transfer names a known lot and site, is positive, and no lot or site is used beyond
// its area or demand. A plugin that breaks these is an internal error naming it.
AllocationOutcome allocate(const PluginChoice& choice, const std::vector<QuotaLot>& lots,
                           const std::vector<Site>& sites);

// The plugin's record for the manifest.
nlohmann::ordered_json plugin_record(const LoadedPlugin& p, const OptionValues& options);

} // namespace landquota
