#pragma once

#include "io/layer_source.hpp"
#include "landquota/options.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace landquota {

struct ParcelInput : LayerSource {
    std::string id, landuse, village, village_class, slope;
    std::string holder; // household holding a homestead (split compensation)
};
struct VillageInput : LayerSource {
    std::string id, name, township, relocate;
    std::string state;      // lot state field: planned, reclaimed, accepted (default accepted)
    std::string accepted;   // date or year reclamation was accepted (orders lots)
    std::string reclaim_to; // what the land becomes: arable, high_standard, other_farmland, forest
};
struct TownshipInput : LayerSource {
    std::string id, name, zone, region;
    std::string lead; // a field marking the lead township of its zone (片区牵头乡镇)
    std::string type; // a field holding the township's type (一镇一策: sub-centre, tourism, …)
    std::vector<std::string> indicators; // numeric fields carried for award formulas and analyses
};
struct SiteInput : LayerSource {
    std::string id, name, demand;
    std::string demand_unit = "mu";                // or "m2"
    std::map<std::string, std::string> attributes; // attribute name -> field (tax_per_mu = "MJSS")
};

using OptionMap = std::map<std::string, OptionValue>;

// A plugin chosen in the job file, with the options as written (validated by the plugin manager).
// Options sit in the table itself ([allocation]: shared by every plugin of the kind, so switching
// the strategy is one line) or in a table per plugin ([allocation.optimal]: used only when that
// plugin is chosen, and taking precedence over the shared ones).
struct PluginChoice {
    std::string name;
    std::string table;                           // "allocation", "compensation[1]": for messages
    OptionMap options;                           // the table's own keys
    std::map<std::string, OptionMap> per_plugin; // plugin name -> its table's keys
};
struct ExclusionInput : LayerSource {
    std::string name;
};
// What a corridor's belt does to the reclaimable land (methods.md §6.2).
enum class CorridorRole {
    Include,  // only land inside the belts of include corridors is reclaimable
    Priority, // quota from inside is allocated first (the lot order key "corridor")
    Exclude,  // the belt is cut out, like the red line
    Report,   // statistics only
};
const char* to_string(CorridorRole r);

// [[corridor]]: a line or polygon layer buffered on the ground by `buffer_m` each side.
struct CorridorInput : LayerSource {
    std::string name;       // the corridor's label ("衢江诗画风光带")
    std::string name_field; // a field naming each route of the layer (optional)
    double buffer_m = 0.0;
    CorridorRole role = CorridorRole::Report;
};
struct ResettlementInput : LayerSource {
    std::string id, village;
};

struct ReclaimRules {
    // Land-use codes that may be reclaimed; "08*" matches every code starting with 08.
    std::vector<std::string> landuse{"0702", "0601", "0602", "08*", "1004"};
    // Village-attribute codes (CZCSXM) that may be reclaimed: 203 = village.
    std::vector<std::string> village_class{"203"};
    // Villages slated for relocation, by code (in addition to the villages' relocate field).
    std::vector<std::string> relocating_villages;
    double min_piece_m2 = 50.0;
    // Slope class above which land is not reclaimed (survey GDPDJB, 5 = above 25°); 0 = no rule.
    int max_slope_class = 4;
};

// The audit ledger a job's transfers are recorded in (used when the job allocates).
struct LedgerSettings {
    std::filesystem::path path;    // default: <job name>.ledger.sqlite beside the job file
    bool refuse_shortfall = false; // true: refuse a job asking for more than remains
    int wait_seconds = 30;         // how long to wait for another run holding the ledger
};

// [levels]: what the job calls its grouping levels, for the outputs and reports. A county job
// keeps the defaults; a city job over counties says region = "县" and job = "衢州市".
struct LevelNames {
    std::string zone, region, job; // empty: 片区 / zone, 区域 / region, 全县 / county
};

// A stage of pooling ([allocation] pools, methods.md §8.1): quota moves only within each unit of
// the level, from what the stages before left.
enum class PoolLevel { Zone, Region, Job };
const char* to_string(PoolLevel level);

struct Job {
    std::filesystem::path file;         // the job file itself
    std::filesystem::path base;         // the job file it extends ([job] base), if any
    std::vector<std::string> overrides; // --set key=value, as given: recorded with the run
    std::string name;
    std::string crs;             // empty: the CGCS2000 3° Gauss–Krüger zone of the data
    double densify_m = 10.0;     // boundary densification step for the ellipsoidal area
    bool repair_invalid = false; // repair invalid geometries (and list them) instead of refusing
    ParcelInput parcels;
    VillageInput villages;
    std::optional<TownshipInput> townships;
    std::vector<ExclusionInput> exclusions;
    std::vector<CorridorInput> corridors; // [[corridor]], in the job's order
    std::optional<ResettlementInput> resettlement;
    std::optional<SiteInput> sites;
    ReclaimRules reclaim;
    LevelNames levels;
    std::optional<PluginChoice> allocation; // [allocation] strategy = "..."
    // [allocation] pools: the stages, narrowest first; one stage "job" pools everything at once.
    std::vector<PoolLevel> pools{PoolLevel::Job};
    std::vector<PluginChoice> compensation; // [compensation] model = "..." (or [[compensation]])
    std::vector<PluginChoice> analyses;     // [[analysis]] method = "...", run in this order
    LedgerSettings ledger;
};

// Reads and checks a job file. Unknown keys, missing keys and wrong types are errors naming the
// file and the key, with a "did you mean" suggestion for misspellings. `overrides` are
// "dotted.key=value" settings from the command line (--set), applied over the file (and over the
// job it extends) before anything is read; a value is read as TOML, or as text when it is not
// TOML or the key already holds text.
Job load_job(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

// True when a land-use code matches a pattern ("0702" exactly, "08*" by prefix).
bool code_matches(const std::string& code, const std::string& pattern);

} // namespace landquota
