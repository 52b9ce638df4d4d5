#pragma once

// The compensation stage: each of the job's models prices the transfers.
#include "landquota/compensation.hpp"
#include "pipeline/resolve_plugins.hpp"

#include <vector>

namespace landquota {

// Runs each model and checks its payments: amounts positive, transfers and lots known, a payee
// named. Payments are numbered P00001… once all models have run, in the models' order.
std::vector<Payment> compensate(const std::vector<ResolvedPlugin>& models,
                                const CompensationInput& in);

} // namespace landquota
