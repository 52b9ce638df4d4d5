#include "plugins/plugin_manager.hpp"

#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <fmt/format.h>
#include <set>

#ifndef LANDQUOTA_BUILD_PLUGIN_DIR
#define LANDQUOTA_BUILD_PLUGIN_DIR ""
#endif
#ifndef LANDQUOTA_INSTALL_PLUGIN_DIR
#define LANDQUOTA_INSTALL_PLUGIN_DIR ""
#endif

namespace landquota {

namespace fs = std::filesystem;

namespace {

class Collector : public Registry {
  public:
    Collector(std::vector<LoadedPlugin>& out, std::string file)
        : out_(out), file_(std::move(file)) {}
    void add_allocation(PluginInfo info, AllocationFactory f) override {
        add(LoadedPlugin{"allocation", std::move(info), file_, std::move(f), nullptr, nullptr});
    }
    void add_compensation(PluginInfo info, CompensationFactory f) override {
        add(LoadedPlugin{"compensation", std::move(info), file_, nullptr, std::move(f), nullptr});
    }
    void add_analysis(PluginInfo info, AnalysisFactory f) override {
        add(LoadedPlugin{"analysis", std::move(info), file_, nullptr, nullptr, std::move(f)});
    }
    std::vector<std::string> shadowed;

  private:
    void add(LoadedPlugin p) {
        for (const auto& q : out_)
            if (q.kind == p.kind && q.info.name == p.info.name) {
                shadowed.push_back(p.info.name);
                return;
            }
        out_.push_back(std::move(p));
    }
    std::vector<LoadedPlugin>& out_;
    std::string file_;
};

bool same_type(const OptionValue& v, OptionType t) {
    switch (t) {
    case OptionType::String:
        return std::holds_alternative<std::string>(v);
    case OptionType::Number:
        return std::holds_alternative<double>(v);
    case OptionType::Integer:
        return std::holds_alternative<std::int64_t>(v);
    case OptionType::Boolean:
        return std::holds_alternative<bool>(v);
    case OptionType::StringList:
        return std::holds_alternative<std::vector<std::string>>(v);
    }
    return false;
}

} // namespace

std::string option_text(const OptionValue& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>)
                return "\"" + x + "\"";
            else if constexpr (std::is_same_v<T, bool>)
                return x ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                std::vector<std::string> q;
                for (const auto& s : x)
                    q.push_back("\"" + s + "\"");
                return "[" + join(q) + "]";
            } else
                return fmt::format("{}", x);
        },
        v);
}

PluginManager& PluginManager::instance() {
    static PluginManager m;
    return m;
}

std::vector<fs::path> PluginManager::search_path() const {
    std::vector<fs::path> out;
    if (const char* env = std::getenv("LANDQUOTA_PLUGIN_PATH")) {
        std::string s = env;
        std::size_t start = 0;
        while (start <= s.size()) {
            const std::size_t end = s.find(':', start);
            const std::string part =
                s.substr(start, end == std::string::npos ? std::string::npos : end - start);
            if (!part.empty())
                out.emplace_back(part);
            if (end == std::string::npos)
                break;
            start = end + 1;
        }
    }
    // Beside the running binary (an installed tree moved elsewhere still finds its plugins), then
    // the build tree and the configured install folder.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        out.push_back(
            (exe.parent_path().parent_path() / "lib" / "landquota" / "plugins").lexically_normal());
    for (const char* dir : {LANDQUOTA_BUILD_PLUGIN_DIR, LANDQUOTA_INSTALL_PLUGIN_DIR})
        if (*dir && std::find(out.begin(), out.end(), fs::path(dir)) == out.end())
            out.emplace_back(dir);
    return out;
}

void PluginManager::load_all() {
    if (loaded_)
        return;
    loaded_ = true;
    std::set<fs::path> seen;
    for (const auto& dir : search_path()) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            const std::string name = e.path().filename().string();
            if (name.starts_with("liblandquota_plugin_") && e.path().extension() == ".so")
                files.push_back(e.path());
        }
        std::sort(files.begin(), files.end()); // deterministic order
        for (const auto& f : files) {
            const fs::path canonical = fs::weakly_canonical(f, ec);
            if (seen.insert(canonical).second)
                load_file(f);
        }
    }
}

void PluginManager::load_file(const fs::path& file) {
    void* h = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        refused_.push_back({file.string(), trf("cannot load: {}", dlerror())});
        return;
    }
    using AbiFn = int (*)();
    using RegisterFn = void (*)(Registry*);
    auto abi = reinterpret_cast<AbiFn>(dlsym(h, "landquota_plugin_abi_version"));
    auto reg = reinterpret_cast<RegisterFn>(dlsym(h, "landquota_plugin_register"));
    if (!abi || !reg) {
        refused_.push_back({file.string(),
                            "not a landquota plugin (no landquota_plugin_abi_version "
                            "or landquota_plugin_register)"});
        dlclose(h);
        return;
    }
    if (abi() != LANDQUOTA_PLUGIN_ABI_VERSION) {
        refused_.push_back({file.string(), trf("built for plugin ABI {}, this engine has ABI {}: "
                                               "rebuild it against these headers",
                                               abi(), LANDQUOTA_PLUGIN_ABI_VERSION)});
        dlclose(h);
        return;
    }
    Collector c(plugins_, file.string());
    try {
        reg(&c);
    } catch (const std::exception& e) {
        refused_.push_back({file.string(), trf("registration failed: {}", e.what())});
        return; // keep the handle: factories it may already have registered point into it
    }
    for (const auto& name : c.shadowed)
        refused_.push_back(
            {file.string(), trf("'{}' is shadowed by an earlier plugin of the same name", name)});
    handles_.push_back(h);
}

const LoadedPlugin& PluginManager::find(const std::string& kind, const std::string& name) const {
    std::vector<std::string> names;
    for (const auto& p : plugins_) {
        if (p.kind != kind)
            continue;
        if (p.info.name == name)
            return p;
        names.push_back(p.info.name);
    }
    std::string why;
    for (const auto& r : refused_)
        if (r.file.find(name) != std::string::npos)
            why += trf("; {} was refused: {}", r.file, r.reason);
    std::vector<std::string> where;
    for (const auto& d : search_path())
        where.push_back(d.string());
    throw Error(Stage::Plugins, trf("no {} plugin '{}'{}; available: {}{} (search path: {})", kind,
                                    name, did_you_mean(name, names),
                                    names.empty() ? tr("none") : join(names), why, join(where)));
}

OptionValues PluginManager::validate(const LoadedPlugin& p,
                                     const std::map<std::string, OptionValue>& given,
                                     const std::string& where,
                                     std::vector<std::string>* problems) const {
    auto problem = [&](std::string what) {
        if (!problems)
            throw Error(Stage::Plugins, what);
        problems->push_back(std::move(what));
    };
    std::vector<std::string> known;
    for (const auto& o : p.info.options)
        known.push_back(o.name);
    for (const auto& [name, v] : given)
        if (std::find(known.begin(), known.end(), name) == known.end())
            problem(trf("{}: '{}' has no option '{}'{}; options: {}", where, p.info.name, name,
                        did_you_mean(name, known), known.empty() ? "none" : join(known)));
    std::map<std::string, OptionValue> out;
    for (const auto& o : p.info.options) {
        const auto it = given.find(o.name);
        if (it == given.end()) {
            if (o.required)
                problem(trf("{}: '{}' needs option '{}' ({}: {})", where, p.info.name, o.name,
                            to_string(o.type), o.help));
            out[o.name] = o.default_value;
            continue;
        }
        OptionValue v = it->second;
        // A whole number is a fine number: price = 300000 means 300000.0.
        if (o.type == OptionType::Number && std::holds_alternative<std::int64_t>(v))
            v = static_cast<double>(std::get<std::int64_t>(v));
        if (!same_type(v, o.type)) {
            problem(trf("{}: option '{}' of '{}' must be a {}, not {}", where, o.name, p.info.name,
                        to_string(o.type), option_text(v)));
            v = o.default_value; // keep going: every problem is reported at once
        }
        out[o.name] = v;
    }
    return OptionValues(std::move(out));
}

} // namespace landquota
