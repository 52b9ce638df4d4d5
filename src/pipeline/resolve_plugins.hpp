#pragma once

// Plugin resolution: the orchestrator finds the job's plugins and checks their options once,
// before any stage runs, and hands them to the stages that use them (stages never reach for the
// plugin registry themselves).
#include "pipeline/job.hpp"
#include "plugins/plugin_manager.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace landquota {

// What a run records of a plugin it used: in the manifest and in the ledger.
struct PluginRecord {
    std::string kind, name, version;
    std::string file; // the shared library's file name
    OptionValues options;

    // The manifest's form: option values typed as JSON (numbers, booleans, lists).
    nlohmann::ordered_json manifest_json() const;
    // The ledger's form: hashed content holds no floating point, so every option is text (strings
    // as written, other values as their JSON text).
    nlohmann::json ledger_json() const;
};

// A plugin found, with validated options and the job-file table it was chosen in.
struct ResolvedPlugin {
    const LoadedPlugin* plugin = nullptr;
    OptionValues options;
    std::string table; // "allocation", "compensation[1]": for messages
    PluginRecord record;
};

struct ResolvedPlugins {
    std::optional<ResolvedPlugin> allocation;
    std::vector<ResolvedPlugin> compensation;
    std::vector<std::string> notes;       // options set for plugins the job does not use: warnings
    std::vector<ResolvedPlugin> analyses; // in the job's order
};

// Loads the plugins and resolves the job's choices: unknown plugins and bad options are one Error
// listing every problem, each naming its job-file table.
ResolvedPlugins resolve_plugins(const Job& job, PluginManager& plugins);

} // namespace landquota
