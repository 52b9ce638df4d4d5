#include "pipeline/job_table.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace landquota {

namespace {

// One option value as written; a plugin's declarations decide later whether its type fits.
OptionValue read_option(const toml::node& v, const std::string& where, const std::string& key,
                        const std::filesystem::path& file) {
    if (v.is_string())
        return *v.value<std::string>();
    if (v.is_integer())
        return *v.value<std::int64_t>();
    if (v.is_floating_point())
        return *v.value<double>();
    if (v.is_boolean())
        return *v.value<bool>();
    if (const toml::array* a = v.as_array()) {
        std::vector<std::string> list;
        for (const auto& e : *a) {
            if (!e.is_string())
                throw Error(Stage::Job, trf("{}: '{}.{}' must be a list of strings",
                                            node_place(file, e), where, key));
            list.push_back(*e.value<std::string>());
        }
        return list;
    }
    throw Error(Stage::Job, trf("{}: '{}.{}' has a type no plugin option takes",
                                node_place(file, v), where, key));
}

} // namespace

std::string node_place(const std::filesystem::path& file, const toml::node& n) {
    const auto& src = n.source();
    if (src.path && !src.path->empty() && *src.path != file.string()) {
        // A value given with --set carries its own origin instead of a line of the file.
        if (src.path->starts_with("--set "))
            return fmt::format("{}: {}", file.string(), *src.path);
        // A key inherited from the job this one extends ([job] base): that file's line.
        return fmt::format("{}:{}", *src.path, src.begin.line);
    }
    return fmt::format("{}:{}", file.string(), src.begin.line);
}

PluginChoice read_plugin_choice(const toml::table& t, const std::string& where,
                                const std::string& name_key, const std::filesystem::path& file) {
    PluginChoice c;
    c.table = where;
    const toml::node* n = t.get(name_key);
    if (!n || !n->is_string())
        throw Error(Stage::Job, trf("{}: [{}] needs {} = \"NAME\" (see 'landquota plugins')",
                                    file.string(), where, name_key));
    c.name = *n->value<std::string>();
    for (auto&& [k, v] : t) {
        const std::string key(k.str());
        if (key == name_key)
            continue;
        if (const toml::table* sub = v.as_table()) { // [allocation.optimal]: that plugin's own
            OptionMap& own = c.per_plugin[key];
            for (auto&& [sk, sv] : *sub)
                own[std::string(sk.str())] =
                    read_option(sv, where + "." + key, std::string(sk.str()), file);
            continue;
        }
        c.options[key] = read_option(v, where, key, file);
    }
    return c;
}

std::vector<std::string> with_source_keys(std::vector<std::string> keys) {
    for (const char* k : {"path", "layer", "encoding"})
        keys.emplace_back(k);
    return keys;
}

void read_source(const TableReader& r, const std::filesystem::path& dir, const std::string& where,
                 LayerSource& s) {
    s.table = where;
    s.path = r.str("path", true);
    // Connection strings (PG:..., /vsizip/..., https://...) are passed to GDAL untouched; anything
    // else relative is taken from the job file's folder (even a file name with a colon in it).
    const auto colon = s.path.find(':');
    const bool looks_like_connection =
        s.path.starts_with("/vsi") ||
        (colon != std::string::npos && colon > 0 &&
         std::all_of(
             s.path.begin(), s.path.begin() + static_cast<long>(colon),
             [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }) &&
         !std::filesystem::exists(dir / s.path));
    if (!looks_like_connection && std::filesystem::path(s.path).is_relative())
        s.path = (dir / s.path).lexically_normal().string();
    s.layer = r.str("layer", false);
    s.encoding = r.str("encoding", false);
}

} // namespace landquota
