#pragma once

#include "landquota/compensation.hpp"
#include "pipeline/job.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace landquota {

struct CompensationOutcome {
    std::vector<Payment> payments; // numbered P00001… in model, year, transfer, payee order
    nlohmann::ordered_json plugins = nlohmann::ordered_json::array();
};

// Runs each compensation model of the job and checks its payments: amounts positive, transfers
// and lots known. Payments are numbered once all models have run.
CompensationOutcome compensate(const std::vector<PluginChoice>& choices,
                               const CompensationInput& in);

} // namespace landquota
