#pragma once

#include "landquota/plugin.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace landquota {

// A plugin as the engine holds it.
struct LoadedPlugin {
    std::string kind; // "allocation", "compensation" or "analysis"
    PluginInfo info;
    std::string file; // the shared library it came from
    AllocationFactory allocation;
    CompensationFactory compensation;
    AnalysisFactory analysis;
};

// A library that was found but refused (ABI mismatch, missing entry points): kept so that a job
// naming one of its plugins gets the reason, not just "unknown".
struct RefusedPlugin {
    std::string file, reason;
};

// Finds, loads and registers plugins (PDAL's model): every liblandquota_plugin_*.so in the search
// path — LANDQUOTA_PLUGIN_PATH (colon-separated), then the build tree's plugins folder, then the
// install folder. The first library to register a name wins; later ones are reported as shadowed.
class PluginManager {
  public:
    static PluginManager& instance();

    // Search path actually used, in order.
    std::vector<std::filesystem::path> search_path() const;
    void load_all();

    const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
    const std::vector<RefusedPlugin>& refused() const { return refused_; }

    // The plugin of that kind and name, or an Error listing what exists.
    const LoadedPlugin& find(const std::string& kind, const std::string& name) const;

    // Validates job-file option values against the plugin's declarations (unknown names, types,
    // required options) and fills in defaults. `where` names the job-file table in messages.
    // Problems are thrown as an Error, or collected in `problems` when given (all at once).
    OptionValues validate(const LoadedPlugin& p, const std::map<std::string, OptionValue>& given,
                          const std::string& where,
                          std::vector<std::string>* problems = nullptr) const;

  private:
    PluginManager() = default;
    void load_file(const std::filesystem::path& file);

    bool loaded_ = false;
    std::vector<LoadedPlugin> plugins_;
    std::vector<RefusedPlugin> refused_;
    std::vector<void*> handles_;
};

// An option value as text, for listings and the manifest.
std::string option_text(const OptionValue& v);

} // namespace landquota
