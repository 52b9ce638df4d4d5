#pragma once

#include "core/finding_log.hpp"
#include "pipeline/inputs.hpp"

namespace landquota {

// Opens every input, chooses the working CRS (the job's, or the 3° GK zone of the parcels'
// centre) and reads the reference layers, logging what is wrong with them.
Inputs ingest(const Job& job, FindingLog& log);

} // namespace landquota
