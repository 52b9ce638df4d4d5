#pragma once

// The analysis stage: the run's townships as analysis units (indicators, centroid, ellipsoidal
// area, neighbours, freed quota) and the job's analysis plugins run on them in order, each
// seeing the per-unit values of those before it (`index_score`).
#include "geo/area_calculator.hpp"
#include "landquota/analysis.hpp"
#include "pipeline/clusters.hpp"
#include "pipeline/inputs.hpp"
#include "pipeline/quota.hpp"
#include "pipeline/resolve_plugins.hpp"

#include <string>
#include <vector>

namespace landquota {

struct AnalysisRun {
    std::string name;  // the method, or "<method>_2" when the job uses it again
    std::string table; // the job-file table: "analysis[0]"
    PluginRecord record;
    AnalysisResult result; // table and layer names already suffixed like `name`
};

struct Analyses {
    std::vector<AnalysisUnit> units; // sorted by id
    std::vector<DeclaredCluster> clusters;
    std::vector<AnalysisRun> runs;
};

// One unit per township, sorted by id. Neighbours: polygons that intersect (queen contiguity).
std::vector<AnalysisUnit> analysis_units(const ReferenceLayers& ref, const QuotaTables& quota,
                                         const OGRSpatialReference& working,
                                         const AreaCalculator& area);

// Runs each analysis and checks what it returns (an impossible result is an internal error naming
// the plugin; std::invalid_argument from a plugin is bad input naming the job table).
std::vector<AnalysisRun> run_analyses(const std::vector<ResolvedPlugin>& analyses,
                                      std::vector<AnalysisUnit>& units);

} // namespace landquota
