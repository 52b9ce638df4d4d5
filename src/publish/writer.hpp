#pragma once

// Publishing is a list of writers, each producing one output of a run in the run's temporary
// folder. A new output format is a new file defining make_<name>_writer() and one line in
// writers.def; nothing else changes.
#include "core/finding_log.hpp"
#include "pipeline/allocation_run.hpp"
#include "pipeline/analyse.hpp"
#include "pipeline/corridors.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/parcel_pass.hpp"
#include "pipeline/quota.hpp"
#include "publish/report_language.hpp"

#include <filesystem>
#include <memory>
#include <vector>

namespace landquota {

// Where writers write: the run's temporary output folder, in the working CRS; the reports in
// `lang`.
struct WriterContext {
    std::filesystem::path folder;
    const OGRSpatialReference& crs;
    Lang lang = Lang::Zh;
    bool plan = false; // every table and layer carries the plan mark (manifest.hpp, kPlanBanner)
};

// Everything a run computed, once the stream of parcels has ended.
struct RunResults {
    const Job& job;
    const Inputs& inputs;
    const QuotaTables& quota;
    const AllocationRun* allocation; // null when the job does not allocate
    const FindingLog& findings;
    const Manifest& manifest;
    const Analyses* analyses = nullptr; // declared clusters and analyses; null in older callers
    const CorridorReport* corridors = nullptr; // the corridor report; null in older callers
};

class Writer {
  public:
    virtual ~Writer() = default;
    // Each usable parcel as the parcel pass gives it (they stream: memory holds one).
    virtual void parcel(const PassedParcel&) {}
    // The rest of the run; the writer closes its files.
    virtual void finish(const RunResults& results) = 0;
};

// One of every registered writer, in registration order.
std::vector<std::unique_ptr<Writer>> make_writers(const WriterContext& context);

} // namespace landquota
