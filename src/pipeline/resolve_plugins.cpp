#include "pipeline/resolve_plugins.hpp"

#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "landquota/error.hpp"
#include "landquota/ordering.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>

namespace landquota {

namespace {

// Every problem of a job's plugin tables, gathered so that one run reports them all.
struct Problems {
    std::vector<std::string> list;
    void add(std::string what) { list.push_back(std::move(what)); }
};

std::vector<const LoadedPlugin*> of_kind(const PluginManager& pm, const std::string& kind) {
    std::vector<const LoadedPlugin*> out;
    for (const auto& p : pm.plugins())
        if (p.kind == kind)
            out.push_back(&p);
    return out;
}

std::string option_names(const LoadedPlugin& p) {
    std::vector<std::string> names;
    for (const auto& o : p.info.options)
        names.push_back(o.name);
    return names.empty() ? tr("no options") : join(names);
}

bool declares(const LoadedPlugin& p, const std::string& option) {
    return std::any_of(p.info.options.begin(), p.info.options.end(),
                       [&](const OptionSpec& o) { return o.name == option; });
}

// The options the chosen plugin gets: the shared table's keys it declares, then its own table.
// A shared key only another plugin of the kind declares is left for that plugin (a note says so);
// a key no plugin declares is a misspelling.
OptionMap effective_options(const PluginManager& pm, const std::string& kind,
                            const LoadedPlugin& chosen, const PluginChoice& choice,
                            Problems& problems, std::vector<std::string>& notes) {
    OptionMap out;
    const auto all = of_kind(pm, kind);
    for (const auto& [key, value] : choice.options) {
        if (declares(chosen, key)) {
            out[key] = value;
            continue;
        }
        std::vector<std::string> users, every;
        for (const LoadedPlugin* p : all) {
            if (declares(*p, key))
                users.push_back(p->info.name);
            for (const auto& o : p->info.options)
                if (std::find(every.begin(), every.end(), o.name) == every.end())
                    every.push_back(o.name);
        }
        if (users.empty() || kind == "analysis")
            problems.add(trf("[{}]: '{}' has no option '{}'{}; options: {}{}", choice.table,
                             chosen.info.name, key, did_you_mean(key, every), option_names(chosen),
                             users.empty() ? trf(" (nor has any other {} plugin)", kind)
                                           : trf(" (it is an option of {})", join(users))));
        else
            notes.push_back(trf("[{}] {} is an option of {}, not of '{}': not used", choice.table,
                                key, join(users), chosen.info.name));
    }
    if (const auto own = choice.per_plugin.find(chosen.info.name); own != choice.per_plugin.end())
        for (const auto& [key, value] : own->second)
            out[key] = value;
    return out;
}

// The tables of plugins not chosen are checked too, but only warn: they must not stop a run
// whose strategy does not use them, yet a misspelling there should not wait for the day the
// strategy is switched.
void check_unchosen(const PluginManager& pm, const std::string& kind, const PluginChoice& choice,
                    Problems& problems, std::vector<std::string>& notes) {
    for (const auto& [name, options] : choice.per_plugin) {
        if (name == choice.name)
            continue;
        const std::string where = "[" + choice.table + "." + name + "]";
        const auto all = of_kind(pm, kind);
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const LoadedPlugin* p) { return p->info.name == name; });
        if (it == all.end()) {
            std::vector<std::string> names;
            for (const LoadedPlugin* p : all)
                names.push_back(p->info.name);
            problems.add(trf("{}: no {} plugin '{}'{}; available: {}", where, kind, name,
                             did_you_mean(name, names), join(names)));
            continue;
        }
        std::vector<std::string> own;
        pm.validate(**it, options, where, &own);
        for (auto& w : own)
            notes.push_back(w + trf(" (not used: the job chooses '{}')", choice.name));
    }
}

// Option values that name things of the job: the site attributes a strategy ranks by or
// weighs (a misspelt attribute would rank every site as "missing", silently), the lot keys.
void check_names(const Job& job, const ResolvedPlugin& r, Problems& problems) {
    if (!job.sites)
        return;
    std::vector<std::string> attributes;
    for (const auto& [name, field] : job.sites->attributes)
        attributes.push_back(name);
    const std::string where = "[" + r.table + "]";
    for (const auto& [name, value] : r.options.all()) {
        if (name == "benefit" && std::holds_alternative<std::string>(value)) {
            const auto& a = std::get<std::string>(value);
            if (std::find(attributes.begin(), attributes.end(), a) == attributes.end())
                problems.add(trf("{} benefit = \"{}\" is not a site attribute{}; the "
                                 "job's [inputs.sites.attributes]: {}",
                                 where, a, did_you_mean(a, attributes),
                                 attributes.empty() ? "none" : join(attributes)));
        }
        if (name != "site_order" && name != "lot_order")
            continue;
        if (!std::holds_alternative<std::vector<std::string>>(value))
            continue;
        std::vector<std::string> keys = name == "lot_order" ? ordering::lot_keys() : attributes;
        if (name == "site_order")
            for (const char* k : {"site_id", "name", "demand"})
                keys.emplace_back(k);
        for (const auto& spec : std::get<std::vector<std::string>>(value)) {
            const std::string key = spec.substr(0, spec.rfind(':'));
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                problems.add(
                    trf("{} {}: '{}' is not {}{}; keys: {}", where, name, key,
                        name == "lot_order" ? tr("a lot key") : tr("a site attribute or key"),
                        did_you_mean(key, keys), join(keys)));
        }
    }
}

// A `priority` corridor draws the lots most inside it first: "corridor:desc" leads the strategy's
// lot order unless the job placed the key itself. A strategy that draws no lots in order cannot
// honour it, and the job is refused rather than the role ignored.
void put_corridor_first(const Job& job, const LoadedPlugin& plugin, const PluginChoice& choice,
                        ResolvedPlugin& r, Problems& problems) {
    const auto c = std::find_if(job.corridors.begin(), job.corridors.end(),
                                [](const auto& x) { return x.role == CorridorRole::Priority; });
    if (c == job.corridors.end())
        return;
    auto options = r.options.all();
    const auto it = options.find("lot_order");
    if (it == options.end() || !std::holds_alternative<std::vector<std::string>>(it->second)) {
        problems.add(trf("[[corridor]] '{}' has role \"priority\", which needs a strategy that "
                         "draws lots in order (priority, proportional); [{}] strategy '{}' "
                         "does not",
                         c->name, choice.table, plugin.info.name));
        return;
    }
    auto& keys = std::get<std::vector<std::string>>(it->second);
    if (std::none_of(keys.begin(), keys.end(),
                     [](const std::string& k) { return k.substr(0, k.rfind(':')) == "corridor"; }))
        keys.insert(keys.begin(), "corridor:desc");
    r.options = OptionValues(std::move(options));
}

std::optional<ResolvedPlugin> resolve(const Job& job, PluginManager& pm, const std::string& kind,
                                      const PluginChoice& choice, Problems& problems,
                                      std::vector<std::string>& notes) {
    const LoadedPlugin* plugin = nullptr;
    try {
        plugin = &pm.find(kind, choice.name);
    } catch (const Error& e) {
        // find()'s message already says which plugins exist; drop its stage prefix
        const std::string what = e.what();
        const std::string prefix = std::string(stage_name(Stage::Plugins)) + ": ";
        problems.add(fmt::format("[{}]: {}", choice.table,
                                 what.starts_with(prefix) ? what.substr(prefix.size()) : what));
        check_unchosen(pm, kind, choice, problems, notes);
        return std::nullopt;
    }
    check_unchosen(pm, kind, choice, problems, notes);
    ResolvedPlugin r;
    r.plugin = plugin;
    const std::size_t before = problems.list.size();
    r.options = pm.validate(*plugin, effective_options(pm, kind, *plugin, choice, problems, notes),
                            "[" + choice.table + "]", &problems.list);
    if (kind == "allocation")
        put_corridor_first(job, *plugin, choice, r, problems);
    if (problems.list.size() == before) {
        // Values the plugin itself refuses (a negative price, a bad order key) are found now,
        // with the others, rather than in the middle of the run.
        try {
            if (kind == "allocation")
                (void)plugin->allocation(r.options);
            else if (kind == "compensation")
                (void)plugin->compensation(r.options);
            else
                (void)plugin->analysis(r.options);
        } catch (const std::invalid_argument& e) {
            const std::string& t = choice.table;
            const std::string& name = plugin->info.name;
            const std::string why = plugin_error_text(e);
            problems.add(kind == "allocation"     ? trf("[{}] strategy '{}': {}", t, name, why)
                         : kind == "compensation" ? trf("[{}] model '{}': {}", t, name, why)
                                                  : trf("[{}] method '{}': {}", t, name, why));
        }
    }
    r.table = choice.table;
    check_names(job, r, problems);
    r.record = PluginRecord{kind, plugin->info.name, plugin->info.version,
                            std::filesystem::path(plugin->file).filename().string(), r.options};
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
    Problems problems;
    if (job.allocation)
        out.allocation = resolve(job, pm, "allocation", *job.allocation, problems, out.notes);
    for (const auto& c : job.compensation)
        if (auto r = resolve(job, pm, "compensation", c, problems, out.notes))
            out.compensation.push_back(std::move(*r));
    for (const auto& a : job.analyses)
        if (auto r = resolve(job, pm, "analysis", a, problems, out.notes))
            out.analyses.push_back(std::move(*r));
    const std::string file = job.file.empty() ? "" : job.file.string() + ": ";
    if (problems.list.size() == 1)
        throw Error(Stage::Plugins, file + problems.list[0]);
    if (!problems.list.empty()) {
        std::string text = trf("{}{} problems with plugin options:", file, problems.list.size());
        for (const auto& p : problems.list)
            text += "\n  " + p;
        throw Error(Stage::Plugins, text);
    }
    return out;
}

} // namespace landquota
