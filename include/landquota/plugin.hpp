#pragma once

// The plugin interface (PDAL's model): a plugin is a shared library exporting two C functions.
// The engine loads every `liblandquota_plugin_*.so` on its search path, checks the ABI version
// and lets the plugin register its factories by name. Built-in plugins use exactly this.

#include "landquota/allocation.hpp"
#include "landquota/analysis.hpp"
#include "landquota/compensation.hpp"
#include "landquota/message.hpp"
#include "landquota/options.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

// Bumped whenever a type in include/landquota/ changes layout: a plugin built against another
// version is refused with a message, never half-loaded.
#define LANDQUOTA_PLUGIN_ABI_VERSION 4

namespace landquota {

struct PluginInfo {
    std::string name;        // what the job file writes: strategy = "priority"
    std::string version;     // the plugin's own version
    std::string description; // one line
    std::string source;      // the rule's source (regulation, paper, practice), for the docs
    std::vector<OptionSpec> options;
};

using AllocationFactory = std::function<std::unique_ptr<AllocationStrategy>(const OptionValues&)>;
using CompensationFactory = std::function<std::unique_ptr<CompensationModel>(const OptionValues&)>;
using AnalysisFactory = std::function<std::unique_ptr<Analysis>(const OptionValues&)>;

// What a plugin sees of the engine while registering.
class Registry {
  public:
    virtual ~Registry() = default;
    virtual void add_allocation(PluginInfo info, AllocationFactory factory) = 0;
    virtual void add_compensation(PluginInfo info, CompensationFactory factory) = 0;
    virtual void add_analysis(PluginInfo info, AnalysisFactory factory) = 0;
};

} // namespace landquota

// Every plugin library defines both, with C linkage:
//   extern "C" int landquota_plugin_abi_version() { return LANDQUOTA_PLUGIN_ABI_VERSION; }
//   extern "C" void landquota_plugin_register(landquota::Registry* r) { r->add_allocation(...); }
// LANDQUOTA_PLUGIN defines the first and declares the second.
#define LANDQUOTA_PLUGIN                                                                           \
    extern "C" __attribute__((visibility("default"))) int landquota_plugin_abi_version() {         \
        return LANDQUOTA_PLUGIN_ABI_VERSION;                                                       \
    }                                                                                              \
    extern "C" __attribute__((visibility("default"))) void landquota_plugin_register(              \
        landquota::Registry* registry)
