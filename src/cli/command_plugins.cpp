#include "cli/commands.hpp"

#include "plugins/plugin_manager.hpp"

#include <fmt/format.h>
#include <iostream>

namespace landquota::cli {

void PluginsCommand::setup(CLI::App& app) {
    CLI::App* sub = app.add_subcommand("plugins", "List the plugins found, with their options");
    sub->callback([this] { chosen_ = true; });
}

int PluginsCommand::run() {
    auto& pm = PluginManager::instance();
    pm.load_all();
    std::cout << tr("search path:\n");
    for (const auto& d : pm.search_path())
        std::cout << "  " << d.string() << "\n";
    for (const char* kind : {"allocation", "compensation", "analysis"}) {
        std::cout << trf("\n{} plugins:\n", kind);
        for (const auto& p : pm.plugins()) {
            if (p.kind != kind)
                continue;
            std::cout << fmt::format("  {} {} — {}\n", p.info.name, p.info.version,
                                     p.info.description);
            std::cout << trf("    source: {}\n    file: {}\n", p.info.source, p.file);
            for (const auto& o : p.info.options)
                std::cout << fmt::format(
                    "    {:<28} {:<16} {:<24} {}\n", o.name, to_string(o.type),
                    o.required ? "(required)" : "= " + option_text(o.default_value), o.help);
        }
    }
    if (!pm.refused().empty()) {
        std::cout << tr("\nrefused:\n");
        for (const auto& r : pm.refused())
            std::cout << fmt::format("  {}: {}\n", r.file, r.reason);
    }
    return 0;
}

} // namespace landquota::cli
