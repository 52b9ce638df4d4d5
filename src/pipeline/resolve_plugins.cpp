#include "pipeline/resolve_plugins.hpp"

#include <filesystem>

namespace landquota {

namespace {

ResolvedPlugin resolve(PluginManager& pm, const std::string& kind, const PluginChoice& choice) {
    ResolvedPlugin r;
    r.plugin = &pm.find(kind, choice.name);
    r.options = pm.validate(*r.plugin, choice.options, "[" + choice.table + "]");
    r.table = choice.table;
    r.record = PluginRecord{kind, r.plugin->info.name, r.plugin->info.version,
                            std::filesystem::path(r.plugin->file).filename().string(), r.options};
    return r;
}

} // namespace

nlohmann::ordered_json PluginRecord::manifest_json() const {
    nlohmann::ordered_json opts = nlohmann::ordered_json::object();
    for (const auto& [k, v] : options.all())
        std::visit([&, key = k](const auto& x) { opts[key] = x; }, v);
    return {
        {"kind", kind}, {"name", name}, {"version", version}, {"file", file}, {"options", opts}};
}

nlohmann::json PluginRecord::ledger_json() const {
    nlohmann::json opts = nlohmann::json::object();
    for (const auto& [k, v] : options.all())
        std::visit(
            [&, key = k](const auto& x) {
                const nlohmann::json j = x;
                opts[key] = j.is_string() ? j.get<std::string>() : j.dump();
            },
            v);
    return {{"kind", kind}, {"name", name}, {"version", version}, {"options", opts}};
}

ResolvedPlugins resolve_plugins(const Job& job, PluginManager& pm) {
    ResolvedPlugins out;
    if (!job.allocation && job.compensation.empty() && job.analyses.empty())
        return out; // a job without plugins runs without loading any
    pm.load_all();
    if (job.allocation)
        out.allocation = resolve(pm, "allocation", *job.allocation);
    for (const auto& c : job.compensation)
        out.compensation.push_back(resolve(pm, "compensation", c));
    for (const auto& a : job.analyses)
        out.analyses.push_back(resolve(pm, "analysis", a));
    return out;
}

} // namespace landquota
